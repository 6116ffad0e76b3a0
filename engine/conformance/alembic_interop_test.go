package conformance_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"retort/cli"
	"retort/engine"
	"retort/engine/internal/alembictest"
	"retort/engine/pgtest"
	"retort/models"
	"retort/revisions"
)

// Alembic and retort share a database. On every conformance graph, one of
// them upgrades part of the way (to the case's "mid" revision), the other
// reads where the database is and finishes `upgrade heads`, then the first
// downgrades back to mid. After every command both report the same current
// revisions, and the database shows which tool ran which migration: each
// revision's upgrade creates a table named after it and logs itself with the
// tool's name in interop_log (primary key: the revision), and its downgrade
// drops the table and the log row. A migration run twice, by either tool,
// fails on the existing table or log row; one that was skipped is missing.
// Alembic runs .py files, retort .sql files of the same graph, each written
// from the case's files with these bodies.

// onlineEnv is an Alembic env.py for online runs: the whole command in one
// transaction, as Alembic's generic template does, without a pool that would
// keep connections open between commands.
const onlineEnv = alembictest.SortedListing + `
from alembic import context
from sqlalchemy import create_engine, pool

engine = create_engine(context.config.get_main_option("sqlalchemy.url"), poolclass=pool.NullPool)
with engine.connect() as connection:
    context.configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()
`

// interopLog is where each migration records the tool that ran it.
const interopLog = "CREATE TABLE interop_log (revision text PRIMARY KEY, tool text NOT NULL)"

// bodies are the upgrade and downgrade statements of revision id, run by
// tool.
func bodies(id, tool string) (up, down []string) {
	table := `"applied_` + id + `"`
	up = []string{
		"CREATE TABLE " + table + " (id integer)",
		fmt.Sprintf("INSERT INTO interop_log (revision, tool) VALUES ('%s', '%s')", id, tool),
	}
	down = []string{
		"DROP TABLE " + table,
		fmt.Sprintf("DELETE FROM interop_log WHERE revision = '%s'", id),
	}
	return up, down
}

// interopProject is a case's graph rewritten with observable bodies: sql/
// for retort, versions/ for Alembic, and an alembic.ini on the database.
type interopProject struct {
	sqlDir, ini string
}

func newInteropProject(t *testing.T, caseDir, url string) interopProject {
	t.Helper()
	dir := t.TempDir()
	p := interopProject{sqlDir: filepath.Join(dir, "sql"), ini: filepath.Join(dir, "alembic.ini")}
	rewriteFiles(t, filepath.Join(caseDir, "sql"), p.sqlDir, ".sql", sqlBody)
	versions := filepath.Join(dir, "versions")
	rewriteFiles(t, filepath.Join(caseDir, "alembic", "versions"), versions, ".py", pyBody)
	// SQLAlchemy wants postgresql://, and % is special in alembic.ini.
	saURL := "postgresql://" + strings.TrimPrefix(url, "postgres://")
	ini := fmt.Sprintf("[alembic]\nscript_location = %s\nversion_locations = %s\nsqlalchemy.url = %s\n",
		dir, versions, strings.ReplaceAll(saURL, "%", "%%"))
	writeFile(t, p.ini, ini)
	writeFile(t, filepath.Join(dir, "env.py"), onlineEnv)
	return p
}

// rewriteFiles copies the files of from ending in ext to to, replacing the
// placeholder body `SELECT 'up <id>'` / `SELECT 'down <id>'` of each with
// what body writes for its statements. Every file must have both.
func rewriteFiles(t *testing.T, from, to, ext string, body func(indent string, stmts []string) string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(from, "*"+ext))
	if err != nil || len(files) == 0 {
		t.Fatalf("no %s files in %s: %v", ext, from, err)
	}
	if err := os.MkdirAll(to, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		id := strings.SplitN(filepath.Base(f), "_", 2)[0]
		tool := map[string]string{".sql": "retort", ".py": "alembic"}[ext]
		up, down := bodies(id, tool)
		text := string(src)
		for _, r := range []struct {
			dir   string
			stmts []string
		}{{"up", up}, {"down", down}} {
			text, err = replaceBody(text, fmt.Sprintf("SELECT '%s %s'", r.dir, id), r.stmts, ext, body)
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
		}
		writeFile(t, filepath.Join(to, filepath.Base(f)), text)
	}
}

// replaceBody replaces the one line holding placeholder.
func replaceBody(text, placeholder string, stmts []string, ext string, body func(string, []string) string) (string, error) {
	lines := strings.Split(text, "\n")
	found := 0
	for i, l := range lines {
		if strings.Contains(l, placeholder) {
			indent := l[:len(l)-len(strings.TrimLeft(l, " "))]
			lines[i] = body(indent, stmts)
			found++
		}
	}
	if found != 1 {
		return "", fmt.Errorf("%d lines hold %q, want 1", found, placeholder)
	}
	return strings.Join(lines, "\n"), nil
}

func sqlBody(_ string, stmts []string) string { return strings.Join(stmts, ";\n") + ";" }

func pyBody(indent string, stmts []string) string {
	out := make([]string, len(stmts))
	for i, s := range stmts {
		out[i] = indent + "op.execute(" + fmt.Sprintf("%q", s) + ")"
	}
	return strings.Join(out, "\n")
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func midOf(t *testing.T, caseDir string) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(caseDir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Graph struct {
			Targets struct {
				Mid string `json:"mid"`
			} `json:"targets"`
		} `json:"graph"`
	}
	if err := json.Unmarshal(raw, &f); err != nil || f.Graph.Targets.Mid == "" {
		t.Fatalf("%s: no mid target (%v)", caseDir, err)
	}
	return f.Graph.Targets.Mid
}

// interop is one direction of the test on one database.
type interop struct {
	t    *testing.T
	p    interopProject
	g    *models.Graph
	db   *engine.DB
	conn *pgx.Conn
	// applied is what the database must show: which tool applied each
	// revision that is applied.
	applied map[string]string
}

func newInterop(t *testing.T, caseDir string) *interop {
	t.Helper()
	url := pgtest.NewDatabase(t)
	p := newInteropProject(t, caseDir, url)
	g, err := revisions.Load(p.sqlDir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, interopLog); err != nil {
		t.Fatal(err)
	}
	db := openDB(t, url)
	t.Cleanup(func() {
		db.Close()
		conn.Close(ctx)
	})
	return &interop{t: t, p: p, g: g, db: db, conn: conn, applied: map[string]string{}}
}

// plan computes what a command does from the rows in the database.
func (x *interop) plan(cmd, target string) *models.Plan {
	x.t.Helper()
	rows, _ := state(x.t, x.db)
	plan, err := map[string]func(*models.Graph, []string, string) (*models.Plan, error){
		"upgrade": revisions.Upgrade, "downgrade": revisions.Downgrade,
	}[cmd](x.g, rows, target)
	if err != nil {
		x.t.Fatalf("retort %s %s from %v: %v", cmd, target, rows, err)
	}
	return plan
}

// retort runs a command with retort.
func (x *interop) retort(cmd, target string) {
	x.t.Helper()
	plan := x.plan(cmd, target)
	if err := x.db.Apply(context.Background(), plan, nil); err != nil {
		x.t.Fatalf("retort %s %s: %v", cmd, target, err)
	}
	x.check("retort "+cmd+" "+target, plan, "retort")
}

// alembic runs a command with Alembic; retort's plan for the same command
// says what it must have done.
func (x *interop) alembic(cmd, target string) {
	x.t.Helper()
	plan := x.plan(cmd, target)
	if _, err := x.run(cmd, target); err != nil {
		x.t.Fatalf("alembic %s %s: %v", cmd, target, err)
	}
	x.check("alembic "+cmd+" "+target, plan, "alembic")
}

func (x *interop) run(args ...string) ([]string, error) {
	res, err := alembictest.Run(0, x.p.ini, args...)
	if err == nil {
		err = res.Err()
	}
	return res.Lines(), err
}

// check compares the database after what did with the plan: the version
// rows, the tables and log rows the migrations left, and `alembic current`
// with retort's current.
func (x *interop) check(what string, plan *models.Plan, tool string) {
	x.t.Helper()
	for _, s := range plan.Steps {
		switch s.Direction {
		case models.Upgrade:
			x.applied[s.Revision.ID] = tool
		case models.Downgrade:
			delete(x.applied, s.Revision.ID)
		}
	}
	rows, _ := state(x.t, x.db)
	if !slices.Equal(nonNil(rows), nonNil(plan.Final)) {
		x.t.Errorf("after %s: rows %v, want %v", what, rows, plan.Final)
	}
	if got := x.observed(); !maps.Equal(got, x.applied) {
		x.t.Errorf("after %s: the migrations left %v, want %v", what, got, x.applied)
	}
	cur, err := revisions.Current(x.g, rows)
	if err != nil {
		x.t.Fatal(err)
	}
	ours := cli.CurrentLines(x.g, cur)
	theirs, err := x.run("current")
	if err != nil {
		x.t.Fatalf("alembic current: %v", err)
	}
	slices.Sort(theirs) // Alembic prints a set
	if !slices.Equal(nonNil(ours), nonNil(theirs)) {
		x.t.Errorf("after %s: current: retort %q, alembic %q", what, ours, theirs)
	}
}

// observed reads which revisions the migrations left applied, and by which
// tool: the log rows, each of which must have its table, and no table
// without its row.
func (x *interop) observed() map[string]string {
	x.t.Helper()
	ctx := context.Background()
	rows, err := x.conn.Query(ctx, "SELECT revision, tool FROM interop_log")
	if err != nil {
		x.t.Fatal(err)
	}
	logged := map[string]string{}
	var rev, tool string
	if _, err := pgx.ForEachRow(rows, []any{&rev, &tool}, func() error { logged[rev] = tool; return nil }); err != nil {
		x.t.Fatal(err)
	}
	rows, err = x.conn.Query(ctx, `SELECT substr(tablename, 9) FROM pg_tables
		WHERE schemaname = 'public' AND tablename LIKE 'applied\_%'`)
	if err != nil {
		x.t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		x.t.Fatal(err)
	}
	for _, tb := range tables {
		if _, ok := logged[tb]; !ok {
			logged[tb] = "(table without a log row)"
		}
	}
	for r := range logged {
		if !slices.Contains(tables, r) {
			logged[r] += " (no table)"
		}
	}
	return logged
}

func TestAlembicInterop(t *testing.T) {
	for _, dir := range caseDirs(t) {
		mid := midOf(t, dir)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			t.Run("alembic then retort", func(t *testing.T) {
				x := newInterop(t, dir)
				x.alembic("upgrade", mid)
				x.retort("upgrade", "heads")
				x.alembic("downgrade", mid)
			})
			t.Run("retort then alembic", func(t *testing.T) {
				x := newInterop(t, dir)
				x.retort("upgrade", mid)
				x.alembic("upgrade", "heads")
				x.retort("downgrade", mid)
			})
		})
	}
}
