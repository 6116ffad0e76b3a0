package catalog

import (
	"context"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"retort/engine"
	"retort/engine/pgtest"
	"retort/engine/sqlsplit"
	"retort/models"
	"retort/revisions"
	"retort/schema"
)

// Snapshots are checked against what the databases' own dump tools list,
// object by object, on a fixture with every kind of object and on the
// example history: nothing pg_dump --schema-only or sqlite3 .schema lists
// is missing from the snapshot, and nothing in the snapshot is unknown to
// them.

// pgFixture is a fresh PostgreSQL database holding the SQL of file.
func pgFixture(t testing.TB, file string) string {
	t.Helper()
	url := pgtest.NewDatabase(t)
	sqlText, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, string(sqlText)); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return url
}

// sqliteFixture is a fresh SQLite file holding the SQL of file.
func sqliteFixture(t testing.TB, file string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "fixture.db")
	sqlText, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, st := range sqlsplit.Split(string(sqlText)) {
		if _, err := db.Exec(st.SQL); err != nil {
			t.Fatalf("%s:%d: %v", file, st.Line, err)
		}
	}
	return path
}

// library applies the example history up to its heads in a fresh database
// of the dialect of url and returns its URL.
func library(t testing.TB, url string) string {
	t.Helper()
	g, err := revisions.Load(filepath.Join("..", "examples", "library"))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := revisions.Upgrade(g, nil, "heads")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db, err := engine.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Apply(ctx, plan, func(models.Event) {}); err != nil {
		t.Fatal(err)
	}
	return url
}

// snapshot reads the schema at url, retort's tables left out.
func snapshot(t testing.TB, url string) *schema.Snapshot {
	t.Helper()
	s, err := ReadSchema(context.Background(), url, Options{Skip: Skip{VersionTable: engine.DefaultVersionTable}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// dumpEntry is one object pg_dump lists: its "-- Name: N; Type: T;
// Schema: S;" header.
type dumpEntry struct{ name, typ, schema string }

var dumpHeader = regexp.MustCompile(`(?m)^-- Name: (.*); Type: (.*); Schema: (.*); Owner: .*$`)

// pgDump runs pg_dump --schema-only on url.
func pgDump(t *testing.T, url string) (string, []dumpEntry) {
	t.Helper()
	out, err := exec.Command("pg_dump", "--schema-only", url).Output()
	if err != nil {
		t.Fatalf("pg_dump --schema-only (install postgresql-client): %v", err)
	}
	var entries []dumpEntry
	for _, m := range dumpHeader.FindAllStringSubmatch(string(out), -1) {
		entries = append(entries, dumpEntry{m[1], m[2], m[3]})
	}
	return string(out), entries
}

// has reports whether snap holds an object of kind k, in table (any when
// "*"), named name, whose definition contains def.
func has(snap *schema.Snapshot, k schema.Kind, table, name, def string) bool {
	unquote := strings.NewReplacer(`"`, "").Replace // pg_dump's names are not quoted
	for _, o := range snap.Objects {
		if o.Kind == k && (table == "*" || unquote(o.Table) == table) && unquote(o.Name) == name && strings.Contains(o.Def, def) {
			return true
		}
	}
	return false
}

// hasAny reports whether snap holds an object of one of kinds named name.
func hasAny(snap *schema.Snapshot, name string, kinds ...schema.Kind) bool {
	for _, k := range kinds {
		if has(snap, k, "*", name, "") {
			return true
		}
	}
	return false
}

// qualify is schema s's object n as the snapshot names it.
func qualify(s, n string) string {
	if s == "-" {
		return n
	}
	return s + "." + n
}

// findDumpEntry reports whether the snapshot has the object of a pg_dump
// entry; an entry of a type the test does not know is not found.
func findDumpEntry(snap *schema.Snapshot, e dumpEntry) bool {
	q := qualify(e.schema, e.name)
	tableAnd := func() (string, string) { // "t name" entries of a table's objects
		table, name, _ := strings.Cut(e.name, " ")
		return qualify(e.schema, table), name
	}
	onWhat := func() (schema.Kind, string) { // "TABLE t", "COLUMN t.c", "FUNCTION f()"
		what, name, _ := strings.Cut(e.name, " ")
		return schema.Kind(strings.ToLower(what)), name
	}
	switch e.typ {
	case "SCHEMA":
		return has(snap, schema.KindSchema, "", e.name, "")
	case "EXTENSION":
		return has(snap, schema.KindExtension, "", e.name, "")
	case "TYPE":
		return hasAny(snap, q, schema.KindEnum, schema.KindType)
	case "DOMAIN":
		return has(snap, schema.KindDomain, "", q, "")
	case "FUNCTION", "PROCEDURE", "AGGREGATE":
		return has(snap, schema.Kind(strings.ToLower(e.typ)), "", q, "")
	case "TABLE", "VIEW", "MATERIALIZED VIEW":
		return has(snap, schema.Kind(strings.ToLower(e.typ)), "", q, "")
	case "TABLE ATTACH":
		return has(snap, schema.KindTable, "", q, "PARTITION OF ")
	case "SEQUENCE":
		return has(snap, schema.KindSequence, "*", q, "")
	case "SEQUENCE OWNED BY":
		return has(snap, schema.KindSequence, "*", q, "OWNED BY ")
	case "DEFAULT":
		table, col := tableAnd()
		return has(snap, schema.KindColumn, table, col, " DEFAULT ")
	case "CONSTRAINT", "FK CONSTRAINT", "CHECK CONSTRAINT":
		table, name := tableAnd()
		for _, k := range []schema.Kind{schema.KindPrimaryKey, schema.KindUnique, schema.KindExclusion, schema.KindForeignKey, schema.KindCheck} {
			if has(snap, k, table, name, "") {
				return true
			}
		}
		return false
	case "INDEX":
		return has(snap, schema.KindIndex, "*", e.name, "")
	case "INDEX ATTACH":
		return has(snap, schema.KindIndex, "*", e.name, "ATTACHED TO ")
	case "TRIGGER":
		table, name := tableAnd()
		return has(snap, schema.KindTrigger, table, name, "")
	case "RULE":
		table, name := tableAnd()
		return has(snap, schema.KindRule, table, name, "")
	case "POLICY":
		table, name := tableAnd()
		return has(snap, schema.KindPolicy, table, name, "")
	case "ROW SECURITY":
		return has(snap, schema.KindTable, "", q, "ROW LEVEL SECURITY")
	case "STATISTICS":
		return has(snap, schema.KindStatistics, "*", q, "")
	case "COMMENT", "ACL":
		k, name := onWhat()
		if k == schema.KindExtension {
			return has(snap, schema.KindExtension, "", name, "") // the extension's own comment
		}
		kind := schema.KindComment
		if e.typ == "ACL" {
			kind = schema.KindPrivileges
		}
		if k == schema.KindColumn {
			table, col, _ := strings.Cut(name, ".")
			return has(snap, kind, qualify(e.schema, table), "column "+col, "")
		}
		if k == schema.KindSchema {
			return has(snap, kind, name, "schema "+name, "")
		}
		return has(snap, kind, "*", string(k)+" "+qualify(e.schema, name), "")
	}
	return false
}

// dumpColumns reads the columns of each CREATE TABLE of a pg_dump, by table.
func dumpColumns(dump string) map[string][]string {
	out := map[string][]string{}
	re := regexp.MustCompile(`(?s)CREATE (?:UNLOGGED )?TABLE (\S+) \((.*?)\n\)`)
	for _, m := range re.FindAllStringSubmatch(dump, -1) {
		for _, line := range strings.Split(m[2], "\n") {
			f := strings.Fields(line)
			if len(f) == 0 || f[0] == "CONSTRAINT" {
				continue
			}
			out[m[1]] = append(out[m[1]], f[0])
		}
		sort.Strings(out[m[1]])
	}
	return out
}

// retortOwn reports the name of a pg_dump entry or of a table that is one
// of retort's own tables (or of what belongs to them), which snapshots
// leave out.
func retortOwn(name string) bool {
	for _, own := range []string{engine.DefaultVersionTable, engine.DefaultAuditTable} {
		if name == own || strings.HasPrefix(name, own+" ") || strings.HasPrefix(name, own+"_") || strings.HasSuffix(name, "."+own) {
			return true
		}
	}
	return false
}

// checkAgainstPgDump compares a snapshot with pg_dump's listing both ways.
func checkAgainstPgDump(t *testing.T, url string, snap *schema.Snapshot) {
	t.Helper()
	dump, entries := pgDump(t, url)
	if len(entries) == 0 {
		t.Fatalf("pg_dump listed nothing:\n%s", dump)
	}
	for _, e := range entries {
		if retortOwn(e.name) {
			continue
		}
		if !findDumpEntry(snap, e) {
			t.Errorf("pg_dump lists %s %q (schema %s), which the snapshot misses", e.typ, e.name, e.schema)
		}
	}
	// The other way: every object of the snapshot is named by an entry of
	// the dump (a check constraint, written inside its CREATE TABLE, by
	// the text), and every table's columns are the dump's.
	named := map[string]bool{}
	for _, e := range entries {
		named[qualify(e.schema, e.name)] = true
		named[e.name] = true // an index: named within its schema
		if _, name, ok := strings.Cut(e.name, " "); ok {
			named[name] = true
		}
	}
	unquote := strings.NewReplacer(`"`, "").Replace
	columns := dumpColumns(dump)
	snapColumns := map[string][]string{}
	for _, o := range snap.Objects {
		switch o.Kind {
		case schema.KindColumn:
			snapColumns[o.Table] = append(snapColumns[o.Table], o.Name)
		case schema.KindCheck:
			if !strings.Contains(dump, "CONSTRAINT "+o.Name+" CHECK ") {
				t.Errorf("the snapshot's check %s of %s is not in the dump", o.Name, o.Table)
			}
		case schema.KindComment, schema.KindPrivileges:
			// Their entries name what they are on, found above.
		case schema.KindSchema:
			if o.Name != "public" && !named[qualify("-", o.Name)] {
				t.Errorf("the snapshot's schema %s is not in the dump", o.Name)
			}
		default:
			if !named[unquote(o.Name)] {
				t.Errorf("the snapshot's %s %s is not in the dump", o.Kind, o.Name)
			}
		}
	}
	for table, cols := range snapColumns {
		sort.Strings(cols)
		if strings.Join(cols, " ") != strings.Join(columns[table], " ") {
			t.Errorf("columns of %s: snapshot %v, pg_dump %v", table, cols, columns[table])
		}
	}
	for table := range columns {
		if _, ok := snapColumns[table]; !ok && !retortOwn(table) {
			t.Errorf("pg_dump creates table %s, whose columns the snapshot misses", table)
		}
	}
}

// TestPostgresSnapshotMatchesPgDump: on a fixture with every kind of object
// and on the example history at its heads.
func TestPostgresSnapshotMatchesPgDump(t *testing.T) {
	t.Run("fixture", func(t *testing.T) {
		url := pgFixture(t, "testdata/rich_postgres.sql")
		checkAgainstPgDump(t, url, snapshot(t, url))
	})
	t.Run("library", func(t *testing.T) {
		url := library(t, pgtest.NewDatabase(t))
		snap := snapshot(t, url)
		checkAgainstPgDump(t, url, snap)
		if n := countKind(snap.Objects, schema.KindTable); n < 15 {
			t.Errorf("%d tables in the library's snapshot", n)
		}
	})
}

// sqliteSchema runs sqlite3's .schema on path and returns its statements.
func sqliteSchema(t *testing.T, path string) []string {
	t.Helper()
	out, err := exec.Command("sqlite3", path, ".schema").Output()
	if err != nil {
		t.Fatalf("sqlite3 .schema (install the sqlite3 package): %v", err)
	}
	var stmts []string
	for _, st := range sqlsplit.Split(string(out)) {
		stmts = append(stmts, st.SQL)
	}
	return stmts
}

// checkAgainstSQLiteSchema compares a snapshot with sqlite3 .schema both
// ways: each CREATE statement's object is in the snapshot (SQLite's own
// and retort's tables aside), with the columns and checks its text
// declares; each table, index, view and trigger of the snapshot is created
// by one.
func checkAgainstSQLiteSchema(t *testing.T, path string, snap *schema.Snapshot) {
	t.Helper()
	created := map[string]bool{}
	for _, st := range sqliteSchema(t, path) {
		ts := tokens(st)
		kind := ""
		for _, k := range []string{"table", "index", "view", "trigger"} {
			if afterName(ts, k) > 0 && ts[1].is(k) || len(ts) > 2 && ts[1].is("unique") && ts[2].is(k) {
				kind = k
			}
		}
		i := afterName(ts, kind)
		if kind == "" || i < 0 {
			t.Errorf(".schema statement %q is not one the test reads", st)
			continue
		}
		name := sqliteIdent(name(ts[i-1]))
		if name == "sqlite_sequence" || retortOwn(name) {
			continue
		}
		created[kind+" "+name] = true
		if !has(snap, schema.Kind(kind), "*", name, "") {
			t.Errorf(".schema creates %s %s, which the snapshot misses", kind, name)
			continue
		}
		if kind == "table" {
			checkTableText(t, snap, name, ts, st)
		}
	}
	for _, o := range snap.Objects {
		switch o.Kind {
		case schema.KindTable, schema.KindIndex, schema.KindView, schema.KindTrigger:
			if !created[string(o.Kind)+" "+o.Name] {
				t.Errorf("the snapshot's %s %s is not in .schema", o.Kind, o.Name)
			}
		}
	}
}

// checkTableText checks a table's columns and checks against its CREATE
// TABLE text: the first word of each element that is not a table
// constraint, and the CHECK keywords.
func checkTableText(t *testing.T, snap *schema.Snapshot, table string, ts []token, st string) {
	open := 0
	for !ts[open].punct("(") {
		open++
	}
	var want []string
	for _, el := range splitTop(ts[open+1 : closing(ts, open)]) {
		if w := el[0]; !(w.is("constraint") || w.is("primary") || w.is("unique") || w.is("check") || w.is("foreign")) {
			want = append(want, sqliteIdent(name(w)))
		}
	}
	var got []string
	checks := 0
	for _, o := range snap.Objects {
		if o.Table == table && o.Kind == schema.KindColumn {
			got = append(got, o.Name)
		}
		if o.Table == table && o.Kind == schema.KindCheck {
			checks++
		}
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("columns of %s: snapshot %v, .schema %v", table, got, want)
	}
	if n := strings.Count(strings.ToUpper(st), "CHECK"); n != checks {
		t.Errorf("%s: %d checks in .schema, %d in the snapshot", table, n, checks)
	}
}

// TestSQLiteSnapshotMatchesSchema: on a fixture with every kind of object
// and on the example history at its heads.
func TestSQLiteSnapshotMatchesSchema(t *testing.T) {
	t.Run("fixture", func(t *testing.T) {
		path := sqliteFixture(t, "testdata/rich_sqlite.sql")
		checkAgainstSQLiteSchema(t, path, snapshot(t, "sqlite:"+path))
	})
	t.Run("library", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "library.db")
		library(t, "sqlite:"+path)
		snap := snapshot(t, "sqlite:"+path)
		checkAgainstSQLiteSchema(t, path, snap)
		if n := countKind(snap.Objects, schema.KindTable); n < 15 {
			t.Errorf("%d tables in the library's snapshot", n)
		}
	})
}
