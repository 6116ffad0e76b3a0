package lint

import (
	"fmt"
	"strings"

	"retort/engine/sqlsplit"
	"retort/pgparse"
	"retort/sqlfacts"
)

func (s *step) checkLockTimeout(i int, st *sqlfacts.Statement) {
	if s.lockTimeout || s.lockTimeoutDone {
		return
	}
	for _, l := range st.Locks {
		if !l.Mode.BlocksWrites() || !s.existing(l.On) {
			continue
		}
		s.lockTimeoutDone = true
		set := "SET LOCAL lock_timeout = '1s';"
		if !s.transactional() {
			set = "SET lock_timeout = '1s';"
		}
		on := l.On.String()
		if strings.HasPrefix(l.For, "DROP INDEX") {
			on = "the table of index " + on
		}
		s.report("require-lock-timeout", i, "this step takes %s on %s with no lock_timeout: should another session hold a lock on it, "+
			"the statement waits, and every %s of the table waits behind it. Start the section with %s and run it again if it times out.",
			l.Mode, on, blocked(l.Mode), set)
		return
	}
}

// blocked says what a lock mode makes wait.
func blocked(m sqlfacts.LockMode) string {
	if m.BlocksReads() {
		return "read and write"
	}
	return "write"
}

func (s *step) checkIndex(i int, n pgparse.Node) {
	table := relName(n.Field("relation"))
	if !n.Bool("concurrent") && s.existing(table) {
		s.report("require-concurrent-index-creation", i, "CREATE INDEX %s on %s, an existing table, takes a SHARE lock: writes to %s wait "+
			"until the index is built. Use CREATE INDEX CONCURRENTLY, in a revision of its own with \"-- Transaction: none\".",
			n.Str("idxname"), table, table)
	}
	if !n.Bool("unique") && len(n.List("indexParams")) > 3 {
		s.report("index-more-than-three-columns", i, "a non-unique index over %d columns rarely helps more than one over the "+
			"three that narrow the rows most, and costs every write: keep it to three.", len(n.List("indexParams")))
	}
}

func (s *step) checkAlterTable(i int, st *sqlfacts.Statement, n pgparse.Node) error {
	table := relName(n.Field("relation"))
	if !s.existing(table) {
		for _, cmd := range n.List("cmds") {
			if cmd.Str("subtype") == "AT_AddColumn" {
				s.checkColumnTypes(i, []pgparse.Node{cmd.Field("def")})
			}
		}
		return nil
	}
	for _, cmd := range n.List("cmds") {
		switch cmd.Str("subtype") {
		case "AT_AddColumn":
			if err := s.checkAddColumn(i, table, cmd.Field("def")); err != nil {
				return err
			}
		case "AT_AlterColumnType":
			s.report("changing-column-type", i, "ALTER COLUMN %s TYPE rewrites %s and rebuilds its indexes under an ACCESS EXCLUSIVE lock: "+
				"reads and writes wait until it is done (unless the type converts without a rewrite, such as varchar to text). "+
				"Add a new column, write to both, backfill it in batches, move reads to it, then drop the old one.", cmd.Str("name"), table)
		case "AT_AddConstraint":
			s.checkConstraint(i, table, cmd.Field("def"))
		case "AT_ValidateConstraint":
			for _, c := range s.notValid {
				if c.table.Same(table) && c.name == cmd.Str("name") && s.transactional() {
					s.report("constraint-missing-not-valid", i, "%s was added NOT VALID earlier in this step, which runs in one transaction: "+
						"the lock ADD CONSTRAINT took is held through this validation. Validate it in a later revision.", c.name)
				}
			}
		case "AT_SetNotNull":
			if err := s.checkSetNotNull(i, table, cmd.Str("name")); err != nil {
				return err
			}
		case "AT_DropColumn":
			if err := s.checkDropColumn(i, st, table, cmd.Str("name")); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *step) checkAddColumn(i int, table sqlfacts.Name, def pgparse.Node) error {
	s.checkColumnTypes(i, []pgparse.Node{def})
	c := sqlfacts.ReadColumn(def)
	switch {
	case c.Serial || c.Identity || c.Generated:
		what := c.TypeName
		if c.Identity {
			what = "GENERATED AS IDENTITY"
		} else if c.Generated {
			what = "GENERATED ALWAYS AS ... STORED"
		}
		s.report("add-column-rewrites-table", i, "ADD COLUMN %s %s fills every row of %s, rewriting it under an ACCESS EXCLUSIVE lock: "+
			"reads and writes wait until it is done. Add a plain column, fill it in batches, then set its default or identity.",
			c.Name, what, table)
	case c.Default.Valid():
		v := sqlfacts.Volatility(c.Default)
		volatile, unknown, err := s.volatile(v)
		if err != nil {
			return err
		}
		switch {
		case volatile:
			s.report("add-column-rewrites-table", i, "ADD COLUMN %s with the volatile default %s computes it for every row of %s, rewriting "+
				"it under an ACCESS EXCLUSIVE lock: reads and writes wait until it is done. Add the column without the default, "+
				"SET DEFAULT in a second statement, and backfill the existing rows in batches.", c.Name, v.Calls(), table)
		case unknown != "":
			s.report("add-column-rewrites-table", i, "ADD COLUMN %s DEFAULT calls %s, which retort cannot tell is not volatile without a "+
				"database (functions are VOLATILE unless declared otherwise): if it is, %s is rewritten under an ACCESS EXCLUSIVE lock. "+
				"Declare it STABLE or IMMUTABLE, or add the column without the default and backfill it in batches.", c.Name, unknown, table)
		}
	case c.NotNull:
		s.report("adding-required-field", i, "ADD COLUMN %s NOT NULL without a default fails on %s as soon as it has a row, and breaks "+
			"inserts from code that does not set %s. Add it nullable and backfill it (then add the constraint), or give it a non-volatile DEFAULT.",
			c.Name, table, c.Name)
	}
	return nil
}

// volatile decides an expression's volatility, asking the catalog about
// the functions retort does not know. unknown names those still
// undecided.
func (s *step) volatile(v sqlfacts.VolatilityOf) (volatile bool, unknown string, err error) {
	if v.Volatile {
		return true, "", nil
	}
	var left []string
	for _, fn := range v.Unknown {
		if s.o.Catalog == nil {
			left = append(left, fn.String()+"()")
			continue
		}
		vol, known, err := s.o.Catalog.Volatile(s.ctx, fn)
		if err != nil {
			return false, "", err
		}
		if vol {
			return true, "", nil
		}
		if !known {
			left = append(left, fn.String()+"()")
		}
	}
	return false, strings.Join(left, ", "), nil
}

func (s *step) checkConstraint(i int, table sqlfacts.Name, con pgparse.Node) {
	name := con.Str("conname")
	switch con.Str("contype") {
	case "CONSTR_FOREIGN":
		if !con.Bool("skip_validation") {
			pk := relName(con.Field("pktable"))
			s.report("constraint-missing-not-valid", i, "ADD CONSTRAINT %s FOREIGN KEY reads every row of %s to validate it while holding "+
				"SHARE ROW EXCLUSIVE on %s and %s: writes to both wait. Add it NOT VALID, then VALIDATE CONSTRAINT %s in a later "+
				"revision (which lets writes go on).", name, table, table, pk, name)
		}
	case "CONSTR_CHECK":
		if !con.Bool("skip_validation") {
			s.report("constraint-missing-not-valid", i, "ADD CONSTRAINT %s CHECK reads every row of %s under an ACCESS EXCLUSIVE lock: "+
				"reads and writes wait until it is done. Add it NOT VALID, then VALIDATE CONSTRAINT %s in a later revision (which "+
				"lets reads and writes go on).", name, table, name)
		}
	case "CONSTR_PRIMARY", "CONSTR_UNIQUE", "CONSTR_EXCLUSION":
		if con.Str("indexname") == "" {
			s.report("disallowed-unique-constraint", i, "ADD CONSTRAINT %s builds its index on %s under an ACCESS EXCLUSIVE lock: reads and "+
				"writes wait until it is built. Build a unique index CONCURRENTLY first, then ADD CONSTRAINT ... USING INDEX.", name, table)
		}
	}
}

func (s *step) checkSetNotNull(i int, table sqlfacts.Name, col string) error {
	if s.provenNotNull(table, col) {
		return nil
	}
	size := "retort cannot tell its size without a database, so it takes it for large"
	if s.o.Catalog != nil {
		rows, bytes, known, err := s.o.Catalog.TableSize(s.ctx, table)
		if err != nil {
			return err
		}
		switch {
		case !known:
			size = "it is not in the database yet, so retort takes it for large"
		case rows >= 0 && rows < s.o.LargeRows:
			return nil
		case rows < 0 && bytes < 8<<20:
			// Never analysed: judged by its size on disk (8 MB).
			return nil
		case rows >= 0:
			size = fmt.Sprintf("it holds about %.0f rows", rows)
		default:
			size = fmt.Sprintf("it takes %d MB on disk", bytes>>20)
		}
	}
	s.report("set-not-null-on-large-table", i, "SET NOT NULL reads every row of %s under an ACCESS EXCLUSIVE lock (%s): reads and writes "+
		"wait until it is done. Add CHECK (%s IS NOT NULL) NOT VALID, VALIDATE it in a later revision, then SET NOT NULL, "+
		"which uses the valid constraint instead of reading the table.", table, size, col)
	return nil
}

func (s *step) checkDropColumn(i int, st *sqlfacts.Statement, table sqlfacts.Name, col string) error {
	if err := s.checkUsed(i, st, table, col); err != nil {
		return err
	}
	s.report("ban-drop-column", i, "DROP COLUMN %s breaks the code that still reads or writes it: stop using it first, deploy, "+
		"then drop it.", col)
	return nil
}

// checkUsed reports the objects that use a table or column being dropped.
func (s *step) checkUsed(i int, st *sqlfacts.Statement, table sqlfacts.Name, col string) error {
	what := "table " + table.String()
	if col != "" {
		what = "column " + table.String() + "." + col
	}
	var users []string
	if s.o.Catalog != nil {
		deps, err := s.o.Catalog.Dependents(s.ctx, table, col)
		if err != nil {
			return err
		}
		for _, d := range deps {
			if !s.droppedEarlier(d) {
				users = append(users, fmt.Sprintf("%s %s (in the database)", d.Kind, d.Name))
			}
		}
	} else {
		u, err := s.usage(i)
		if err != nil {
			return err
		}
		for _, x := range u.usesOf(table, col) {
			users = append(users, x.describe())
		}
	}
	if len(users) == 0 {
		return nil
	}
	effect := "without CASCADE the statement fails"
	if st.Cascade {
		effect = "with CASCADE it drops them too"
	}
	s.report("drop-used-object", i, "%s is used by %s: %s. Drop or change them first, in this revision or an earlier one.",
		what, strings.Join(users, ", "), effect)
	return nil
}

// droppedEarlier reports whether the plan dropped a dependent before.
func (s *step) droppedEarlier(d Dependent) bool {
	seen := func(st *sqlfacts.Statement) bool {
		for _, o := range st.Objects {
			if o.Change == sqlfacts.Drop && (o.Kind == d.Kind || d.Kind == sqlfacts.Constraint) &&
				(o.Name.Same(d.Name) || strings.HasPrefix(d.Name.Name, o.Name.Name+" on ")) {
				return true
			}
		}
		return false
	}
	for _, r := range s.done {
		for k := range r.Statements {
			if seen(&r.Statements[k]) {
				return true
			}
		}
	}
	for k := 0; k < len(s.res.Statements); k++ {
		if seen(&s.res.Statements[k]) {
			return true
		}
	}
	return false
}

func (s *step) checkDrop(i int, st *sqlfacts.Statement, n pgparse.Node) error {
	for _, o := range st.Objects {
		if o.Change != sqlfacts.Drop {
			continue
		}
		switch {
		case o.Kind == sqlfacts.Table && s.existing(o.Name):
			if err := s.checkUsed(i, st, o.Name, ""); err != nil {
				return err
			}
			s.report("ban-drop-table", i, "DROP TABLE %s breaks the code that still uses it, and its data is gone: stop using it, "+
				"deploy, then drop it (keeping a copy if its rows matter).", o.Name)
		case o.Kind == sqlfacts.Index && !st.Concurrently:
			s.report("require-concurrent-index-deletion", i, "DROP INDEX %s takes an ACCESS EXCLUSIVE lock on its table: reads and "+
				"writes wait, behind any long query. Use DROP INDEX CONCURRENTLY, in a revision with \"-- Transaction: none\".", o.Name)
		}
	}
	return nil
}

func (s *step) checkRename(i int, n pgparse.Node) {
	rel := relName(n.Field("relation"))
	switch n.Str("renameType") {
	case "OBJECT_COLUMN":
		if s.existing(rel) {
			s.report("renaming-column", i, "RENAME COLUMN %s breaks the code that uses the old name the moment it commits: add the new "+
				"column, write to both, backfill, move reads, then drop the old one.", n.Str("subname"))
		}
	case "OBJECT_TABLE", "OBJECT_VIEW", "OBJECT_MATVIEW":
		if s.existing(rel) {
			s.report("renaming-table", i, "RENAME TO %s breaks the code that uses %s the moment it commits: create the new table, write to "+
				"both, backfill, move reads, then drop the old one (or leave a view under the old name).", n.Str("newname"), rel)
		}
	case "OBJECT_SCHEMA":
		s.report("renaming-table", i, "RENAME of schema %s breaks the code that names it.", n.Str("subname"))
	}
}

func (s *step) checkBackfill(i int, st *sqlfacts.Statement) {
	if !s.transactional() {
		return
	}
	for _, o := range st.Objects {
		if o.Change != sqlfacts.Write || !s.existing(o.Name) {
			continue
		}
		for _, t := range s.exclusive {
			if t.Same(o.Name) {
				s.report("backfill-in-transaction", i, "%s writes %s in the transaction that locked it against writes earlier: the lock "+
					"is held until the whole backfill commits. Backfill in a revision of its own with \"-- Transaction: none\", in batches.",
					st.Tag, o.Name)
				return
			}
		}
	}
}

// checkColumnTypes gives the type advice for column definitions: one
// finding per rule and statement, naming the columns.
func (s *step) checkColumnTypes(i int, elts []pgparse.Node) {
	cols := map[string][]string{}
	for _, e := range elts {
		if !e.Is("ColumnDef") {
			continue
		}
		c := sqlfacts.ReadColumn(e)
		switch c.TypeName {
		case "int2", "int4", "serial", "serial4", "smallserial", "serial2":
			cols["prefer-bigint"] = append(cols["prefer-bigint"], c.Name)
		}
		if c.Serial {
			cols["prefer-identity"] = append(cols["prefer-identity"], c.Name)
		}
		switch {
		case c.TypeName == "varchar" && len(c.Mods) > 0:
			cols["prefer-text-field"] = append(cols["prefer-text-field"], c.Name)
		case c.TypeName == "bpchar":
			cols["ban-char-field"] = append(cols["ban-char-field"], c.Name)
		case c.TypeName == "timestamp" && c.TypeSchema == "pg_catalog":
			cols["prefer-timestamptz"] = append(cols["prefer-timestamptz"], c.Name)
		case c.TypeName == "json":
			cols["prefer-jsonb"] = append(cols["prefer-jsonb"], c.Name)
		}
	}
	advice := []struct{ rule, text string }{
		{"prefer-bigint", "%s: 32-bit (or 16-bit) integers, which ids and counters outgrow; use bigint."},
		{"prefer-identity", "%s: serial, whose sequence has its own owner and permissions; use bigint GENERATED BY DEFAULT AS IDENTITY."},
		{"prefer-text-field", "%s: varchar(n), whose n takes an ACCESS EXCLUSIVE lock to change; use text with a CHECK (length(...) <= n) constraint, which can be replaced NOT VALID."},
		{"ban-char-field", "%s: char(n), which pads with spaces and saves nothing; use text."},
		{"prefer-timestamptz", "%s: timestamp without time zone, which loses the offset; use timestamptz."},
		{"prefer-jsonb", "%s: json, which has no equality operator (SELECT DISTINCT and UNION fail on it); use jsonb."},
	}
	for _, a := range advice {
		if names := cols[a.rule]; len(names) > 0 {
			what := "column " + names[0]
			if len(names) > 1 {
				what = "columns " + strings.Join(names, ", ")
			}
			s.report(a.rule, i, a.text, what)
		}
	}
}

// checkRobust: outside a transaction, a statement that fails half way
// leaves the ones before it applied, so each must run again without
// error.
func (s *step) checkRobust(i int, st *sqlfacts.Statement) {
	if s.transactional() || st.IfExists || st.Tag == "" {
		return
	}
	if strings.HasPrefix(st.Tag, "CREATE ") || strings.HasPrefix(st.Tag, "DROP ") {
		guard := "IF NOT EXISTS"
		if strings.HasPrefix(st.Tag, "DROP ") {
			guard = "IF EXISTS"
		}
		s.report("prefer-robust-stmts", i, "this revision runs outside a transaction, so after a failure the statements before it stay "+
			"applied and the revision is run again: write %s ... %s so that it runs twice without error.", st.Tag, guard)
	}
}

// checkNames: PostgreSQL cuts names to 63 bytes as it reads them, with
// only a NOTICE (the grammar too: the parse tree holds the cut name), so
// the statement's words are read.
func (s *step) checkNames(i int, st *sqlfacts.Statement) {
	for _, tok := range sqlsplit.Tokens(st.SQL) {
		name := tok.Text
		switch tok.Kind {
		case sqlsplit.QuotedIdent:
			name = strings.ReplaceAll(strings.Trim(name, `"`), `""`, `"`)
		case sqlsplit.Ident:
		default:
			continue
		}
		if len(name) > 63 {
			s.report("identifier-too-long", i, "the name %s is %d bytes long: PostgreSQL keeps its first 63 bytes, and the objects "+
				"it names will not be found by their whole name. Shorten it.", name, len(name))
		}
	}
}
