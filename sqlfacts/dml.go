package sqlfacts

import "retort/pgparse"

// Statements that read and write rows.

// write records INSERT, UPDATE, DELETE and MERGE: ROW EXCLUSIVE on the
// target, ACCESS SHARE on what the rest of the statement reads.
func write(s *Statement, n pgparse.Node) {
	rel := rangeVar(n.Field("relation"))
	s.touch(Object{Kind: Table, Name: rel, Change: Write})
	s.lock(RowExclusive, rel, s.Tag)
	if n.Is("UpdateStmt") || n.Is("DeleteStmt") {
		if !n.Field("whereClause").Valid() && !n.Has("fromClause") && !n.Has("usingClause") {
			s.scan(rel, s.Tag+" without WHERE writes every row, and holds a lock on each until the step commits")
		}
	}
	for _, field := range []string{"selectStmt", "fromClause", "usingClause", "whereClause", "targetList",
		"returningList", "withClause", "sourceRelation", "joinCondition", "mergeWhenClauses", "onConflictClause"} {
		reads(s, n.Field(field), AccessShare)
		for _, e := range n.List(field) {
			reads(s, e, AccessShare)
		}
	}
	functionCalls(s, n)
}

func selectStmt(s *Statement, n pgparse.Node) {
	mode := AccessShare
	if n.Has("lockingClause") {
		mode = RowShare
	}
	if into := n.Field("intoClause"); into.Valid() {
		s.touch(Object{Kind: Table, Name: rangeVar(into.Field("rel")), Change: Create})
	}
	reads(s, n, mode)
	functionCalls(s, n)
}

// functionCalls marks a statement that calls functions other than
// built-ins as opaque: what they do is not in the statement.
func functionCalls(s *Statement, n pgparse.Node) {
	n.Walk(func(x pgparse.Node) bool {
		if x.Is("FuncCall") {
			name := qualified(x.Strings("funcname"))
			if builtinVolatility(name) == '?' && !isAggregate(name.Name) {
				s.Opaque = true
				s.touch(Object{Kind: Function, Name: name, Change: Use})
			}
		}
		return true
	})
}

// isAggregate reports whether a name is one of the common built-in
// aggregates or pure functions a query calls without side effects.
func isAggregate(name string) bool {
	switch name {
	case "count", "sum", "min", "max", "avg", "array_agg", "string_agg", "jsonb_agg", "json_agg",
		"bool_and", "bool_or", "coalesce", "jsonb_object_agg", "row_number", "rank", "split_part",
		"regexp_replace", "regexp_matches", "unnest", "generate_series", "jsonb_array_elements",
		"jsonb_array_elements_text", "jsonb_each", "jsonb_each_text", "set_config", "pg_sleep",
		"string_to_array", "array_to_string", "position", "strpos", "char_length", "encode", "decode":
		return true
	}
	return false
}

// reads records the tables a query (or part of one) reads, with mode,
// leaving out the names of its own WITH queries.
func reads(s *Statement, n pgparse.Node, mode LockMode) {
	if !n.Valid() {
		return
	}
	ctes := map[string]bool{}
	n.Walk(func(x pgparse.Node) bool {
		if x.Is("CommonTableExpr") {
			ctes[x.Str("ctename")] = true
		}
		return true
	})
	n.Walk(func(x pgparse.Node) bool {
		if x.Is("RangeVar") {
			name := rangeVar(x)
			if name.Schema == "" && ctes[name.Name] {
				return true
			}
			s.touch(Object{Kind: Relation, Name: name, Change: Use})
			s.lock(mode, name, "read by the statement")
		}
		return true
	})
}

func truncate(s *Statement, n pgparse.Node) {
	s.Cascade = n.Str("behavior") == "DROP_CASCADE"
	for _, r := range n.List("relations") {
		name := rangeVar(r)
		s.touch(Object{Kind: Table, Name: name, Change: Write})
		s.lock(AccessExclusive, name, "TRUNCATE")
		s.rewrite(name, "TRUNCATE gives the table a new, empty file", "")
	}
}

func copyStmt(s *Statement, n pgparse.Node) {
	rel := n.Field("relation")
	if !rel.Valid() {
		reads(s, n.Field("query"), AccessShare)
		return
	}
	name := rangeVar(rel)
	if n.Bool("is_from") {
		s.touch(Object{Kind: Table, Name: name, Change: Write})
		s.lock(RowExclusive, name, "COPY FROM")
		return
	}
	s.touch(Object{Kind: Table, Name: name, Change: Use})
	s.lock(AccessShare, name, "COPY TO")
	s.scan(name, "COPY TO reads every row")
}
