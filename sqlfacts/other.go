package sqlfacts

import (
	"strings"

	"retort/pgparse"
)

// describeOther records the statements whose effect is on one catalog
// object, or that run code retort cannot see into.
func describeOther(s *Statement, n pgparse.Node) {
	switch n.Type() {
	case "CreateFunctionStmt":
		kind := Function
		if n.Bool("is_procedure") {
			kind = Procedure
		}
		s.touch(Object{Kind: kind, Name: qualified(n.Strings("funcname")), Change: Create})
	case "AlterFunctionStmt":
		s.touch(Object{Kind: Function, Name: qualified(n.Field("func").Strings("objname")), Change: Alter})
	case "CreateSeqStmt":
		s.IfExists = n.Bool("if_not_exists")
		s.touch(Object{Kind: Sequence, Name: rangeVar(n.Field("sequence")), Change: Create})
	case "AlterSeqStmt":
		s.touch(Object{Kind: Sequence, Name: rangeVar(n.Field("sequence")), Change: Alter})
	case "CreateSchemaStmt":
		s.IfExists = n.Bool("if_not_exists")
		s.touch(Object{Kind: Schema, Name: Name{Name: n.Str("schemaname")}, Change: Create})
		for _, elt := range n.List("schemaElts") {
			describe(s, elt)
		}
	case "CreateEnumStmt", "CreateRangeStmt":
		s.touch(Object{Kind: Type, Name: qualified(n.Strings("typeName")), Change: Create})
	case "CompositeTypeStmt":
		s.touch(Object{Kind: Type, Name: rangeVar(n.Field("typevar")), Change: Create})
	case "CreateDomainStmt":
		s.touch(Object{Kind: Type, Name: qualified(n.Strings("domainname")), Change: Create})
	case "AlterEnumStmt":
		s.touch(Object{Kind: Type, Name: qualified(n.Strings("typeName")), Change: Alter})
	case "AlterDomainStmt":
		s.touch(Object{Kind: Type, Name: qualified(n.Strings("typeName")), Change: Alter})
	case "CreateExtensionStmt":
		s.IfExists = n.Bool("if_not_exists")
		s.touch(Object{Kind: Extension, Name: Name{Name: n.Str("extname")}, Change: Create})
	case "AlterExtensionStmt":
		s.touch(Object{Kind: Extension, Name: Name{Name: n.Str("extname")}, Change: Alter})
	case "CommentStmt":
		comment(s, n)
	case "GrantStmt":
		for _, o := range n.List("objects") {
			if o.Is("RangeVar") {
				s.touch(Object{Kind: Table, Name: rangeVar(o), Change: Alter})
			}
		}
	case "CreatePolicyStmt", "AlterPolicyStmt":
		rel := rangeVar(n.Field("table"))
		ch := Create
		if n.Is("AlterPolicyStmt") {
			ch = Alter
		}
		s.touch(Object{Kind: Policy, Name: Name{Name: n.Str("policy_name")}, Table: rel, Change: ch})
		s.lock(AccessExclusive, rel, strings.ToUpper(string(ch))+" POLICY")
	case "RuleStmt":
		rel := rangeVar(n.Field("relation"))
		s.touch(Object{Kind: Rule, Name: Name{Name: n.Str("rulename")}, Table: rel, Change: Create})
		s.lock(AccessExclusive, rel, "CREATE RULE")
	case "VacuumStmt":
		vacuum(s, n)
	case "ClusterStmt":
		rel := rangeVar(n.Field("relation"))
		s.touch(Object{Kind: Table, Name: rel, Change: Alter})
		s.lock(AccessExclusive, rel, "CLUSTER")
		s.rewrite(rel, "CLUSTER writes the table anew in index order", "")
	case "ReindexStmt":
		reindex(s, n)
	case "RefreshMatViewStmt":
		rel := rangeVar(n.Field("relation"))
		s.touch(Object{Kind: MatView, Name: rel, Change: Write})
		if n.Bool("concurrent") {
			s.Concurrently = true
			s.lock(Exclusive, rel, "REFRESH MATERIALIZED VIEW CONCURRENTLY")
			s.scan(rel, "REFRESH MATERIALIZED VIEW CONCURRENTLY compares the view's rows with its query's")
			return
		}
		s.lock(AccessExclusive, rel, "REFRESH MATERIALIZED VIEW")
		s.rewrite(rel, "REFRESH MATERIALIZED VIEW writes the view anew", "")
	case "DoStmt", "CallStmt":
		s.Opaque = true
	case "TransactionStmt", "VariableShowStmt", "DiscardStmt", "NotifyStmt", "ListenStmt", "UnlistenStmt",
		"DeallocateStmt", "PrepareStmt", "CheckPointStmt":
		// No schema object; nothing locked.
	case "CreatedbStmt", "DropdbStmt", "AlterSystemStmt", "CreateTableSpaceStmt", "DropTableSpaceStmt":
		s.NoTransaction = true
		s.Opaque = true
	default:
		s.Opaque = true
	}
}

// comment records COMMENT ON: a catalog change to the object, under SHARE
// UPDATE EXCLUSIVE for a relation.
func comment(s *Statement, n pgparse.Node) {
	switch t := n.Str("objtype"); t {
	case "OBJECT_COLUMN":
		table, col := tableOf(n.Field("object").Strings("items"))
		s.touch(Object{Kind: Column, Name: Name{Name: col}, Table: table, Change: Alter})
		s.lock(ShareUpdateExclusive, table, "COMMENT ON COLUMN")
	case "OBJECT_TABLE", "OBJECT_VIEW", "OBJECT_MATVIEW", "OBJECT_INDEX", "OBJECT_SEQUENCE", "OBJECT_FOREIGN_TABLE":
		name := objectName(n.Field("object"))
		s.touch(Object{Kind: relationKind(t), Name: name, Change: Alter})
		s.lock(ShareUpdateExclusive, name, "COMMENT ON")
	default:
		s.touch(Object{Kind: dropKind(t), Name: objectName(n.Field("object")), Change: Alter})
	}
}

func vacuum(s *Statement, n pgparse.Node) {
	full := false
	for _, o := range n.List("options") {
		if o.Str("defname") == "full" {
			full = true
		}
	}
	if n.Bool("is_vacuumcmd") {
		s.NoTransaction = true
	}
	for _, r := range n.List("rels") {
		rel := rangeVar(r.Field("relation"))
		s.touch(Object{Kind: Table, Name: rel, Change: Alter})
		if full {
			s.lock(AccessExclusive, rel, "VACUUM FULL")
			s.rewrite(rel, "VACUUM FULL writes the table anew", "")
			continue
		}
		s.lock(ShareUpdateExclusive, rel, strings.ToUpper(s.Tag))
	}
}

func reindex(s *Statement, n pgparse.Node) {
	rel := rangeVar(n.Field("relation"))
	for _, p := range n.List("params") {
		if p.Str("defname") == "concurrently" {
			s.Concurrently, s.NoTransaction = true, true
		}
	}
	kind := Table
	if n.Str("kind") == "REINDEX_OBJECT_INDEX" {
		kind = Index
	}
	s.touch(Object{Kind: kind, Name: rel, Change: Alter})
	s.scan(rel, "REINDEX reads every row of the table to build the index anew")
	if s.Concurrently {
		s.lock(ShareUpdateExclusive, rel, "REINDEX CONCURRENTLY")
		return
	}
	if kind == Index {
		s.lock(AccessExclusive, rel, "REINDEX INDEX")
	} else {
		s.lock(Share, rel, "REINDEX TABLE")
	}
}
