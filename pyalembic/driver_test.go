package pyalembic

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"retort/engine/pgtest"
)

// python is Debian's interpreter, which has Alembic (python3-alembic).
const python = "/usr/bin/python3"

func start(t *testing.T, dir string) *Driver {
	t.Helper()
	d, err := Start(context.Background(), Options{Python: python, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := d.Hello(context.Background()); err != nil {
		t.Fatalf("%v (install it with `apt-get install python3-alembic python3-psycopg2`)", err)
	}
	return d
}

// project writes an Alembic project: alembic.ini, an env.py as `alembic
// init` writes it, and the revision files given (name: source).
func project(t *testing.T, revisions map[string]string) (dir string, p Project) {
	t.Helper()
	dir = t.TempDir()
	example := filepath.Join("..", "examples", "alembic")
	copyFile(t, filepath.Join(example, "alembic.ini"), filepath.Join(dir, "alembic.ini"))
	if err := os.MkdirAll(filepath.Join(dir, "migrations", "versions"), 0o755); err != nil {
		t.Fatal(err)
	}
	copyFile(t, filepath.Join(example, "migrations", "env.py"), filepath.Join(dir, "migrations", "env.py"))
	for name, src := range revisions {
		if err := os.WriteFile(filepath.Join(dir, "migrations", "versions", name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir, Project{Ini: filepath.Join(dir, "alembic.ini")}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func revisionSource(id, parent, upgrade string) string {
	down := "None"
	if parent != "" {
		down = `"` + parent + `"`
	}
	return `"""` + id + `"""
import time
from alembic import op
import sqlalchemy as sa

revision = "` + id + `"
down_revision = ` + down + `
branch_labels = None
depends_on = None


def upgrade():
` + upgrade + `


def downgrade():
    pass
`
}

const selectRows = "SELECT version_num FROM alembic_version"

// step is one step as the engine runs it on the driver's session, in the
// DBAPI's argument style of the dialect.
type step struct {
	id, parent string
	path       string
}

// upgradeStep is the step from parent to id on a linear history.
func upgradeStep(dir, id, parent string) step {
	return step{id: id, parent: parent, path: filepath.Join(dir, "migrations", "versions", id+".py")}
}

// runStep runs s as the engine does on the session: begin with the
// version-row read (creating the table at the first step), the body, the
// version change, COMMIT; ROLLBACK when the body fails. It returns the
// rows the begin read and what the body did.
func runStep(t *testing.T, ctx context.Context, d *Driver, dialect string, s step, on func(Event)) ([]string, BodyResult, error) {
	t.Helper()
	bg := context.WithoutCancel(ctx)
	ph := "?"
	if dialect == "postgresql" {
		ph = "%s"
	}
	if _, _, err := d.Begin(bg, "", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(bg, "CREATE TABLE IF NOT EXISTS alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)", nil); err != nil {
		t.Fatal(err)
	}
	rows, err := d.Query(bg, selectRows, nil)
	if err != nil {
		t.Fatal(err)
	}
	var have []string
	for _, r := range rows {
		have = append(have, r[0].(string))
	}
	res, err := d.Body(ctx, BodyRequest{Revision: s.id, Path: s.path, Direction: "upgrade"}, on)
	if err != nil {
		if _, rerr := d.Exec(bg, "ROLLBACK", nil); rerr != nil && !errors.Is(rerr, ErrExited) {
			t.Fatalf("ROLLBACK: %v", rerr)
		}
		return have, res, err
	}
	op := Stmt{SQL: "INSERT INTO alembic_version (version_num) VALUES (" + ph + ")", Args: []any{s.id}}
	if s.parent != "" {
		op = Stmt{SQL: "UPDATE alembic_version SET version_num = " + ph + " WHERE version_num = " + ph, Args: []any{s.id, s.parent}}
	}
	affected, failed, err := d.Batch(bg, []Stmt{op, {SQL: "COMMIT"}})
	// On PostgreSQL the batch goes in one round trip, whose rows are
	// unknown.
	want := int64(1)
	if dialect == "postgresql" {
		want = -1
	}
	if err != nil || failed != 2 || len(affected) != 2 || affected[0] != want {
		t.Fatalf("the step's end: affected %v, failed at %d, %v", affected, failed, err)
	}
	return have, res, nil
}

// databases are the two databases a test runs on: SQLite and PostgreSQL.
func databases(t *testing.T, dir string) map[string]string {
	return map[string]string{
		"sqlite":     "sqlite:///" + filepath.Join(dir, "test.db"),
		"postgresql": SQLAlchemyURL(pgtest.NewDatabase(t)),
	}
}

// open opens url with Go's drivers to look at what the driver did.
func open(t *testing.T, url string) *sql.DB {
	t.Helper()
	var db *sql.DB
	var err error
	if path, ok := strings.CutPrefix(url, "sqlite:///"); ok {
		db, err = sql.Open("sqlite", path)
	} else {
		db, err = sql.Open("pgx", url)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func strings1(t *testing.T, db *sql.DB, query string) []string {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func hasTable(t *testing.T, db *sql.DB, url, table string) bool {
	t.Helper()
	q := "SELECT name FROM sqlite_master WHERE type = 'table'"
	if !strings.HasPrefix(url, "sqlite") {
		q = "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public'"
	}
	return slices.Contains(strings1(t, db, q), table)
}

// A transaction of the session is Alembic's per-migration transaction:
// the revision and retort's version statements commit or roll back
// together. A revision that fails after creating a table leaves no table
// and the version rows as they were, on both databases (SQLite's Python
// driver commits DDL on its own unless told otherwise). The error names the
// revision's file and line; the statement events are the revision's only,
// each with its line in the file.
func TestStepIsOneTransaction(t *testing.T) {
	dir, p := project(t, map[string]string{
		"a1.py": revisionSource("a1", "", `    op.execute("CREATE TABLE one (id integer)")`),
		"b2.py": revisionSource("b2", "a1", `    op.execute("CREATE TABLE two (id integer)")
    op.execute("INSERT INTO one VALUES (1)")
    raise RuntimeError("the data is not what this revision expects")`),
	})
	for name, url := range databases(t, dir) {
		t.Run(name, func(t *testing.T) {
			d := start(t, dir)
			p.URL = url
			ready, err := d.Run(context.Background(), p, nil)
			if err != nil {
				t.Fatal(err)
			}
			if ready.Dialect != name || len(ready.Heads) != 0 {
				t.Fatalf("ready = %+v", ready)
			}
			var events []Event
			on := func(e Event) { events = append(events, e) }
			if _, _, err := runStep(t, context.Background(), d, name, upgradeStep(dir, "a1", ""), on); err != nil {
				t.Fatal(err)
			}
			have, res, err := runStep(t, context.Background(), d, name, upgradeStep(dir, "b2", "a1"), on)
			if !slices.Equal(have, []string{"a1"}) {
				t.Fatalf("the second transaction read %v, want [a1]", have)
			}
			var pe *PyError
			if !errors.As(err, &pe) || pe.Type != "RuntimeError" || !strings.HasSuffix(pe.File, "b2.py") || pe.Line != 15 {
				t.Fatalf("the failed step's error = %#v", err)
			}
			if res.Ran != 2 || res.Kept != 0 {
				t.Fatalf("ran %d statements, kept %d, want 2 and 0", res.Ran, res.Kept)
			}
			db := open(t, url)
			if got := strings1(t, db, selectRows); !slices.Equal(got, []string{"a1"}) {
				t.Fatalf("version rows %v, want [a1]", got)
			}
			if hasTable(t, db, url, "two") {
				t.Fatal("table two survived the failed step")
			}
			if got := strings1(t, db, "SELECT COUNT(*) FROM one"); got[0] != "0" {
				t.Fatalf("the failed step's row survived: %v", got)
			}
			var sqls []string
			var lines []int
			for _, e := range events {
				if e.Kind == "statement" {
					sqls = append(sqls, e.SQL)
					lines = append(lines, e.Line)
				}
			}
			want := []string{"CREATE TABLE one (id integer)", "CREATE TABLE two (id integer)", "INSERT INTO one VALUES (1)"}
			if !slices.Equal(sqls, want) || !slices.Equal(lines, []int{13, 13, 14}) {
				t.Fatalf("statement events %q at lines %v, want %q at 13, 13, 14 (retort's own statements are not the revision's)", sqls, lines, want)
			}
		})
	}
}

// After a ROLLBACK, which ends env.py, the next transaction runs env.py
// again on a new connection, and the run goes on.
func TestRollbackThenBegin(t *testing.T) {
	dir, p := project(t, map[string]string{
		"a1.py": revisionSource("a1", "", `    print("env.py and a1 again")`),
	})
	for name, url := range databases(t, dir) {
		t.Run(name, func(t *testing.T) {
			d := start(t, dir)
			p.URL = url
			ready, err := d.Run(context.Background(), p, nil)
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			for k := 0; k < 2; k++ {
				if _, _, err := d.Begin(ctx, "", nil); err != nil {
					t.Fatal(err)
				}
				if _, err := d.Exec(ctx, "CREATE TABLE gone (id integer)", nil); err != nil {
					t.Fatal(err)
				}
				if _, err := d.Exec(ctx, "ROLLBACK", nil); err != nil {
					t.Fatal(err)
				}
			}
			_, backend, err := d.Begin(ctx, "", nil)
			if err != nil {
				t.Fatal(err)
			}
			if name == "postgresql" && (backend == nil || backend.PID == ready.Identity.Backend.PID) {
				t.Fatalf("the transaction after a rollback is on session %+v, the first was %+v: env.py did not run again", backend, ready.Identity.Backend)
			}
			if _, err := d.Exec(ctx, "COMMIT", nil); err != nil {
				t.Fatal(err)
			}
			if _, err := d.Exec(ctx, "ROLLBACK", nil); err != nil {
				t.Fatalf("a ROLLBACK outside a transaction: %v", err)
			}
			if _, _, err := runStep(t, ctx, d, name, upgradeStep(dir, "a1", ""), nil); err != nil {
				t.Fatal(err)
			}
			if err := d.Finish(ctx); err != nil {
				t.Fatal(err)
			}
			db := open(t, url)
			if hasTable(t, db, url, "gone") {
				t.Fatal("a rolled back table exists")
			}
			if got := strings1(t, db, selectRows); !slices.Equal(got, []string{"a1"}) {
				t.Fatalf("version rows %v, want [a1]", got)
			}
		})
	}
}

// The version rows the engine reads at the start of a transaction are read
// in it, before anything of the step.
func TestBeginReadsRows(t *testing.T) {
	dir, p := project(t, nil)
	p.URL = "sqlite:///" + filepath.Join(dir, "test.db")
	db := open(t, p.URL)
	if _, err := db.Exec("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY); INSERT INTO alembic_version VALUES ('zz')"); err != nil {
		t.Fatal(err)
	}
	d := start(t, dir)
	if _, err := d.Run(context.Background(), p, nil); err != nil {
		t.Fatal(err)
	}
	rows, _, err := d.Begin(context.Background(), selectRows, nil)
	if err != nil || !slices.Equal(rows, []string{"zz"}) {
		t.Fatalf("begin read %v, %v; want [zz]", rows, err)
	}
}

// A database error comes back with the database's account of it, as the
// engine reads pgx's: SQLSTATE, severity, message, detail, position.
func TestDatabaseError(t *testing.T) {
	dir, p := project(t, nil)
	p.URL = SQLAlchemyURL(pgtest.NewDatabase(t))
	d := start(t, dir)
	if _, err := d.Run(context.Background(), p, nil); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, _, err := d.Begin(ctx, "", nil); err != nil {
		t.Fatal(err)
	}
	_, err := d.Exec(ctx, "SELECT CAST(%s AS integer)", []any{"50% off"})
	var pe *PyError
	if !errors.As(err, &pe) || pe.SQLState != "22P02" || pe.SeverityNonlocalized != "ERROR" || pe.Closed ||
		!strings.Contains(pe.Message, `"50% off"`) {
		t.Fatalf("err = %#v", err)
	}
	affected, failed, err := d.Batch(ctx, []Stmt{{SQL: "ROLLBACK TO SAVEPOINT none"}, {SQL: "SELECT 1"}})
	if !errors.As(err, &pe) || failed != 0 || len(affected) != 0 {
		t.Fatalf("a batch in a failed transaction: affected %v, failed at %d, %v", affected, failed, err)
	}
	if _, err := d.Exec(ctx, "ROLLBACK", nil); err != nil {
		t.Fatal(err)
	}

	// A batch goes in one round trip; on an error, the statement that
	// failed is found as a pipeline reports it, and so is a COMMIT that
	// fails (a deferred constraint), after which no transaction is left.
	if _, _, err := d.Begin(ctx, "", nil); err != nil {
		t.Fatal(err)
	}
	affected, failed, err = d.Batch(ctx, []Stmt{
		{SQL: "CREATE TABLE parent (id integer PRIMARY KEY)"},
		{SQL: "SELECT CAST(%s AS integer)", Args: []any{"x"}},
		{SQL: "SELECT 2"}, {SQL: "COMMIT"}})
	if !errors.As(err, &pe) || pe.SQLState != "22P02" || failed != 1 || len(affected) != 1 {
		t.Fatalf("a batch failing at its second statement: affected %v, failed at %d, %v", affected, failed, err)
	}
	if _, err := d.Exec(ctx, "ROLLBACK", nil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := d.Begin(ctx, "", nil); err != nil {
		t.Fatal(err)
	}
	_, failed, err = d.Batch(ctx, []Stmt{
		{SQL: "CREATE TABLE parent (id integer PRIMARY KEY)"},
		{SQL: "CREATE TABLE child (parent_id integer REFERENCES parent DEFERRABLE INITIALLY DEFERRED)"},
		{SQL: "INSERT INTO child VALUES (1)"}, {SQL: "COMMIT"}})
	if !errors.As(err, &pe) || pe.SQLState != "23503" || failed != 3 || pe.Closed {
		t.Fatalf("a batch whose COMMIT fails: failed at %d, %#v", failed, err)
	}
	if _, err := d.Exec(ctx, "ROLLBACK", nil); err != nil {
		t.Fatal(err)
	}
	if hasTable(t, open(t, p.URL), p.URL, "parent") {
		t.Error("the failed COMMIT left its table")
	}
}

// A cancel stops the body before its next statement; the transaction then
// rolls back.
func TestStepCancel(t *testing.T) {
	dir, p := project(t, map[string]string{
		"a1.py": revisionSource("a1", "", `    op.execute("CREATE TABLE one (id integer)")
    time.sleep(2)
    op.execute("CREATE TABLE two (id integer)")`),
	})
	for name, url := range databases(t, dir) {
		t.Run(name, func(t *testing.T) {
			d := start(t, dir)
			p.URL = url
			if _, err := d.Run(context.Background(), p, nil); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			started := make(chan struct{})
			go func() {
				<-started
				cancel()
			}()
			once := false
			_, _, err := runStep(t, ctx, d, name, upgradeStep(dir, "a1", ""), func(e Event) {
				if e.Kind == "statement" && !once {
					once = true
					close(started)
				}
			})
			var pe *PyError
			if !errors.As(err, &pe) || !pe.Cancelled {
				t.Fatalf("err = %#v, want a cancelled step", err)
			}
			db := open(t, url)
			if hasTable(t, db, url, "one") || hasTable(t, db, url, "two") {
				t.Fatal("the cancelled step was not rolled back")
			}
		})
	}
}

// The driver imports revision files as Alembic does: a depends_on built
// at import time comes out as Alembic sees it.
func TestEvaluate(t *testing.T) {
	d := start(t, ".")
	path, err := filepath.Abs(filepath.Join("..", "examples", "alembic", "migrations", "versions", "c6c2aeb2509f_link_records_to_communities.py"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := d.Evaluate(context.Background(), []string{path, "/nonexistent/x.py"})
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Revision != "c6c2aeb2509f" || got[0].DownRevision != "6572cc058faa" {
		t.Fatalf("evaluated %+v", got[0])
	}
	if deps, ok := got[0].DependsOn.([]any); !ok || len(deps) != 1 || deps[0] != "d4013b84a7e5" {
		t.Fatalf("depends_on = %#v, want [d4013b84a7e5]", got[0].DependsOn)
	}
	if got[1].Error == nil {
		t.Fatal("a missing file evaluated without an error")
	}
}

// Offline, each step renders on its own: one that reads the database
// through op.get_bind() gets its error, and the steps after it still
// render.
func TestOffline(t *testing.T) {
	dir, p := project(t, map[string]string{
		"a1.py": revisionSource("a1", "", `    op.execute("CREATE TABLE one (id integer)")`),
		"b2.py": revisionSource("b2", "a1", `    rows = op.get_bind().execute(sa.text("SELECT id FROM one")).fetchall()`),
		"c3.py": revisionSource("c3", "b2", `    op.add_column("one", sa.Column("name", sa.String(20)))`),
	})
	p.URL = "postgresql://nobody@127.0.0.1:1/none"
	d := start(t, dir)
	var steps []OfflineStep
	for _, id := range []string{"a1", "b2", "c3"} {
		steps = append(steps, OfflineStep{Revision: id, Path: filepath.Join(dir, "migrations", "versions", id+".py"), Direction: "upgrade"})
	}
	got, err := d.Offline(context.Background(), p, steps, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].SQL != "CREATE TABLE one (id integer);\n" || got[0].Error != nil {
		t.Fatalf("a1 renders %q, %v", got[0].SQL, got[0].Error)
	}
	if st := got[0].Statements; len(st) != 1 || st[0] != (OfflineStatement{SQL: "CREATE TABLE one (id integer)", Line: 13}) {
		t.Fatalf("a1's statements: %+v", st)
	}
	if got[1].Error == nil || got[1].SQL != "" || !strings.HasSuffix(got[1].Error.File, "b2.py") {
		t.Fatalf("b2 renders %q, %+v; want its error", got[1].SQL, got[1].Error)
	}
	if got[2].SQL != "ALTER TABLE one ADD COLUMN name VARCHAR(20);\n" {
		t.Fatalf("c3 renders %q", got[2].SQL)
	}
}

// A driver killed during a step leaves the database at the previous
// revision, and the step's error says the driver exited.
func TestKilledDuringStep(t *testing.T) {
	dir, p := project(t, map[string]string{
		"a1.py": revisionSource("a1", "", `    op.execute("CREATE TABLE one (id integer)")
    time.sleep(30)`),
	})
	for name, url := range databases(t, dir) {
		t.Run(name, func(t *testing.T) {
			d := start(t, dir)
			p.URL = url
			if _, err := d.Run(context.Background(), p, nil); err != nil {
				t.Fatal(err)
			}
			_, _, err := runStep(t, context.Background(), d, name, upgradeStep(dir, "a1", ""), func(e Event) {
				if e.Kind == "statement" {
					go d.kill()
				}
			})
			if !errors.Is(err, ErrExited) {
				t.Fatalf("err = %v, want ErrExited", err)
			}
			db := open(t, url)
			deadline := time.Now().Add(10 * time.Second)
			for hasTable(t, db, url, "one") && time.Now().Before(deadline) {
				time.Sleep(50 * time.Millisecond) // the server notices the lost client
			}
			if hasTable(t, db, url, "one") {
				t.Fatal("the killed step's table exists")
			}
		})
	}
}

// A Python without Alembic is an error that says how to fix it.
func TestHelloWithoutAlembic(t *testing.T) {
	wrapper := filepath.Join(t.TempDir(), "python")
	// -S: no site-packages, so no Alembic.
	if err := os.WriteFile(wrapper, []byte("#!/bin/sh\nexec "+python+" -S \"$@\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	d, err := Start(context.Background(), Options{Python: wrapper, Dir: "."})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	_, err = d.Hello(context.Background())
	if err == nil || !strings.Contains(err.Error(), "cannot import Alembic") || !strings.Contains(err.Error(), "--python") {
		t.Fatalf("err = %v", err)
	}
}
