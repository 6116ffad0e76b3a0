package sqlfacts

import (
	"strings"

	"retort/pgparse"
)

// CREATE TABLE and ALTER TABLE.

func createTable(s *Statement, n pgparse.Node) {
	rel := rangeVar(n.Field("relation"))
	s.IfExists = n.Bool("if_not_exists")
	s.touch(Object{Kind: Table, Name: rel, Change: Create})
	for _, parent := range n.List("inhRelations") {
		p := rangeVar(parent)
		s.touch(Object{Kind: Table, Name: p, Change: Alter})
		if n.Field("partbound").Valid() {
			s.lock(AccessExclusive, p, "CREATE TABLE ... PARTITION OF")
		} else {
			s.lock(ShareUpdateExclusive, p, "CREATE TABLE ... INHERITS")
		}
	}
	for _, elt := range n.List("tableElts") {
		switch elt.Type() {
		case "ColumnDef":
			for _, c := range elt.List("constraints") {
				if c.Str("contype") == "CONSTR_FOREIGN" {
					references(s, c)
				}
			}
		case "Constraint":
			if elt.Str("contype") == "CONSTR_FOREIGN" {
				references(s, elt)
			}
		case "TableLikeClause":
			src := rangeVar(elt.Field("relation"))
			s.touch(Object{Kind: Table, Name: src, Change: Use})
			s.lock(AccessShare, src, "LIKE")
		}
	}
}

// references records a foreign key's referenced table: the triggers
// PostgreSQL adds to it need SHARE ROW EXCLUSIVE.
func references(s *Statement, con pgparse.Node) {
	pk := rangeVar(con.Field("pktable"))
	s.touch(Object{Kind: Table, Name: pk, Change: Use})
	s.lock(ShareRowExclusive, pk, "the foreign key's referenced table")
}

// relationKind maps an ALTER statement's object type to a Kind.
func relationKind(objtype string) Kind {
	switch objtype {
	case "OBJECT_TABLE", "OBJECT_FOREIGN_TABLE":
		return Table
	case "OBJECT_INDEX":
		return Index
	case "OBJECT_VIEW":
		return View
	case "OBJECT_MATVIEW":
		return MatView
	case "OBJECT_SEQUENCE":
		return Sequence
	case "OBJECT_TYPE":
		return Type
	}
	return Relation
}

func alterTable(s *Statement, n pgparse.Node) {
	rel := rangeVar(n.Field("relation"))
	s.IfExists = n.Bool("missing_ok")
	s.touch(Object{Kind: relationKind(n.Str("objtype")), Name: rel, Change: Alter})
	for _, cmd := range n.List("cmds") {
		alterCmd(s, rel, cmd)
	}
}

// alterCmd records one ALTER TABLE subcommand: its lock (PostgreSQL
// takes the strongest of its subcommands'), the objects it touches and
// what it rewrites or scans.
func alterCmd(s *Statement, rel Name, cmd pgparse.Node) {
	sub := cmd.Str("subtype")
	col := Object{Kind: Column, Name: Name{Name: cmd.Str("name")}, Table: rel, Change: Alter}
	what := subcommandWords(sub)
	mode := AccessExclusive // PostgreSQL's default, and most subcommands'
	switch sub {
	case "AT_AddColumn", "AT_AddColumnToView":
		addColumn(s, rel, cmd.Field("def"))
		if cmd.Bool("missing_ok") {
			s.IfExists = true
		}
	case "AT_DropColumn":
		col.Change = Drop
		s.touch(col)
		s.Cascade = s.Cascade || cmd.Str("behavior") == "DROP_CASCADE"
		s.IfExists = s.IfExists || cmd.Bool("missing_ok")
	case "AT_AlterColumnType":
		s.touch(col)
		s.rewrite(rel, "ALTER COLUMN "+col.Name.Name+" TYPE rewrites the table and rebuilds its indexes",
			"unless the old type converts to the new one without a rewrite (varchar to text or to a longer varchar, numeric to a wider numeric)")
	case "AT_SetNotNull":
		s.touch(col)
		s.scan(rel, "SET NOT NULL reads every row to check that "+col.Name.Name+" holds no null (unless a valid CHECK ("+col.Name.Name+" IS NOT NULL) constraint proves it)")
	case "AT_SetExpression":
		s.touch(col)
		s.rewrite(rel, "SET EXPRESSION recomputes the generated column for every row", "")
	case "AT_ColumnDefault", "AT_CookedColumnDefault", "AT_DropNotNull", "AT_DropExpression",
		"AT_SetStorage", "AT_SetCompression", "AT_AddIdentity", "AT_SetIdentity", "AT_DropIdentity",
		"AT_AlterColumnGenericOptions":
		s.touch(col)
	case "AT_SetStatistics", "AT_SetOptions", "AT_ResetOptions":
		s.touch(col)
		mode = ShareUpdateExclusive
	case "AT_ClusterOn", "AT_DropCluster", "AT_DetachPartitionFinalize":
		mode = ShareUpdateExclusive
	case "AT_AddConstraint", "AT_ReAddConstraint":
		mode = addConstraint(s, rel, cmd.Field("def"))
	case "AT_ValidateConstraint":
		mode = ShareUpdateExclusive
		s.touch(Object{Kind: Constraint, Name: Name{Name: cmd.Str("name")}, Table: rel, Change: Alter})
		s.scan(rel, "VALIDATE CONSTRAINT "+cmd.Str("name")+" reads every row, under a lock that lets reads and writes go on")
	case "AT_DropConstraint":
		s.touch(Object{Kind: Constraint, Name: Name{Name: cmd.Str("name")}, Table: rel, Change: Drop})
		s.Cascade = s.Cascade || cmd.Str("behavior") == "DROP_CASCADE"
		s.IfExists = s.IfExists || cmd.Bool("missing_ok")
	case "AT_AlterConstraint":
		s.touch(Object{Kind: Constraint, Name: Name{Name: cmd.Field("def").Str("conname")}, Table: rel, Change: Alter})
	case "AT_SetTableSpace", "AT_SetAccessMethod", "AT_SetLogged", "AT_SetUnLogged":
		s.rewrite(rel, what+" writes the table anew", "")
	case "AT_EnableTrig", "AT_EnableAlwaysTrig", "AT_EnableReplicaTrig", "AT_DisableTrig",
		"AT_EnableTrigAll", "AT_DisableTrigAll", "AT_EnableTrigUser", "AT_DisableTrigUser":
		mode = ShareRowExclusive
		if name := cmd.Str("name"); name != "" {
			s.touch(Object{Kind: Trigger, Name: Name{Name: name}, Table: rel, Change: Alter})
		}
	case "AT_SetRelOptions", "AT_ResetRelOptions":
		mode = relOptionsLock(cmd.Field("def"))
	case "AT_AttachPartition":
		mode = ShareUpdateExclusive
		part := rangeVar(cmd.Field("def").Field("name"))
		s.touch(Object{Kind: Table, Name: part, Change: Alter})
		s.lock(AccessExclusive, part, "the partition attached")
		s.scan(part, "ATTACH PARTITION reads the partition's rows to check them against its bound (unless a valid CHECK constraint proves it)")
	case "AT_DetachPartition":
		part := rangeVar(cmd.Field("def").Field("name"))
		s.touch(Object{Kind: Table, Name: part, Change: Alter})
		if cmd.Field("def").Bool("concurrent") {
			mode = ShareUpdateExclusive
			s.Concurrently, s.NoTransaction = true, true
		}
		s.lock(AccessExclusive, part, "the partition detached")
	}
	s.lock(mode, rel, what)
}

// addColumn records ADD COLUMN: the new column, and what filling it in
// every existing row costs.
func addColumn(s *Statement, rel Name, def pgparse.Node) {
	name := def.Str("colname")
	s.touch(Object{Kind: Column, Name: Name{Name: name}, Table: rel, Change: Create})
	c := ReadColumn(def)
	switch {
	case c.Serial:
		s.rewrite(rel, "ADD COLUMN "+name+" "+c.TypeName+" fills every row from its sequence, rewriting the table", "")
	case c.Identity:
		s.rewrite(rel, "ADD COLUMN "+name+" GENERATED AS IDENTITY fills every row, rewriting the table", "")
	case c.Generated:
		s.rewrite(rel, "ADD COLUMN "+name+" GENERATED ALWAYS AS ... STORED computes every row, rewriting the table", "")
	case c.Default.Valid():
		if v := Volatility(c.Default); v.Volatile {
			s.rewrite(rel, "ADD COLUMN "+name+" with the volatile default "+v.Calls()+" computes it for every row, rewriting the table", "")
		} else if len(v.Unknown) > 0 {
			s.rewrite(rel, "ADD COLUMN "+name+" with the default "+v.Calls()+" rewrites the table if "+v.Calls()+" is volatile",
				"unless "+v.Calls()+" is declared STABLE or IMMUTABLE")
		}
	case c.NotNull:
		s.scan(rel, "ADD COLUMN "+name+" NOT NULL without a default reads every row to check it, and fails on a table with rows")
	}
	for _, con := range def.List("constraints") {
		switch con.Str("contype") {
		case "CONSTR_CHECK":
			s.scan(rel, "ADD COLUMN "+name+" CHECK reads every row to validate the constraint")
		case "CONSTR_FOREIGN":
			// The new column holds only nulls: nothing to validate.
			references(s, con)
		case "CONSTR_PRIMARY", "CONSTR_UNIQUE":
			s.scan(rel, "ADD COLUMN "+name+" "+strings.TrimPrefix(con.Str("contype"), "CONSTR_")+" builds an index over every row")
		}
	}
}

// addConstraint records ADD CONSTRAINT and returns the lock it needs on
// the table.
func addConstraint(s *Statement, rel Name, con pgparse.Node) LockMode {
	name := con.Str("conname")
	s.touch(Object{Kind: Constraint, Name: Name{Name: name}, Table: rel, Change: Create})
	label := "the constraint"
	if name != "" {
		label = name
	}
	switch con.Str("contype") {
	case "CONSTR_FOREIGN":
		references(s, con)
		if !con.Bool("skip_validation") {
			s.scan(rel, "ADD CONSTRAINT "+label+" FOREIGN KEY reads every row to validate it (NOT VALID would skip this)")
		}
		return ShareRowExclusive
	case "CONSTR_CHECK":
		if !con.Bool("skip_validation") {
			s.scan(rel, "ADD CONSTRAINT "+label+" CHECK reads every row to validate it (NOT VALID would skip this)")
		}
	case "CONSTR_PRIMARY", "CONSTR_UNIQUE", "CONSTR_EXCLUSION":
		idx := name
		if con.Str("indexname") != "" {
			idx = con.Str("indexname")
		}
		s.touch(Object{Kind: Index, Name: Name{Schema: rel.Schema, Name: idx}, Table: rel, Change: Create})
		if con.Str("indexname") == "" {
			s.scan(rel, "ADD CONSTRAINT "+label+" builds an index over every row")
		}
	case "CONSTR_NOTNULL":
		s.scan(rel, "ADD CONSTRAINT "+label+" NOT NULL reads every row to check it")
	}
	return AccessExclusive
}

// relOptionsLock is the lock SET (storage parameter) needs: SHARE UPDATE
// EXCLUSIVE when every parameter is one PostgreSQL lets change under it
// (fillfactor, autovacuum and toast settings, parallel workers), ACCESS
// EXCLUSIVE otherwise.
func relOptionsLock(defs pgparse.Node) LockMode {
	for _, d := range defs.List("items") {
		name := d.Str("defname")
		if d.Str("defnamespace") == "toast" || strings.HasPrefix(name, "autovacuum_") || strings.HasPrefix(name, "toast_") {
			continue
		}
		switch name {
		case "fillfactor", "parallel_workers", "user_catalog_table", "vacuum_index_cleanup", "vacuum_truncate", "log_autovacuum_min_duration":
			continue
		}
		return AccessExclusive
	}
	return ShareUpdateExclusive
}

// subcommandWords names an ALTER TABLE subcommand in SQL's words.
func subcommandWords(sub string) string {
	words := map[string]string{
		"AT_AddColumn": "ADD COLUMN", "AT_DropColumn": "DROP COLUMN", "AT_AlterColumnType": "ALTER COLUMN TYPE",
		"AT_ColumnDefault": "ALTER COLUMN SET/DROP DEFAULT", "AT_SetNotNull": "SET NOT NULL", "AT_DropNotNull": "DROP NOT NULL",
		"AT_AddConstraint": "ADD CONSTRAINT", "AT_ValidateConstraint": "VALIDATE CONSTRAINT", "AT_DropConstraint": "DROP CONSTRAINT",
		"AT_AlterConstraint": "ALTER CONSTRAINT", "AT_AddIndexConstraint": "ADD CONSTRAINT ... USING INDEX",
		"AT_SetTableSpace": "SET TABLESPACE", "AT_SetAccessMethod": "SET ACCESS METHOD", "AT_SetLogged": "SET LOGGED",
		"AT_SetUnLogged": "SET UNLOGGED", "AT_AttachPartition": "ATTACH PARTITION", "AT_DetachPartition": "DETACH PARTITION",
		"AT_SetRelOptions": "SET (...)", "AT_ResetRelOptions": "RESET (...)", "AT_ChangeOwner": "OWNER TO",
		"AT_SetStatistics": "SET STATISTICS", "AT_AddIdentity": "ADD GENERATED AS IDENTITY", "AT_ReplicaIdentity": "REPLICA IDENTITY",
		"AT_EnableRowSecurity": "ENABLE ROW LEVEL SECURITY", "AT_DisableRowSecurity": "DISABLE ROW LEVEL SECURITY",
		"AT_AddInherit": "INHERIT", "AT_DropInherit": "NO INHERIT", "AT_SetExpression": "SET EXPRESSION",
		"AT_DropExpression": "DROP EXPRESSION",
	}
	if w, ok := words[sub]; ok {
		return w
	}
	if strings.Contains(sub, "Trig") {
		return "ENABLE/DISABLE TRIGGER"
	}
	return strings.TrimPrefix(sub, "AT_")
}
