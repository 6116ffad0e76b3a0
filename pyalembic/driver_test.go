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

// upgradeStep is the step from parent to id on a linear history.
func upgradeStep(dir, id, parent string) Step {
	s := Step{Revision: id, Path: filepath.Join(dir, "migrations", "versions", id+".py"), Direction: "upgrade",
		Select: selectRows, After: []string{id}}
	if parent == "" {
		s.Before = []string{}
		s.Ops = []Statement{{SQL: "INSERT INTO alembic_version (version_num) VALUES (:to)", Params: map[string]any{"to": id}}}
	} else {
		s.Before = []string{parent}
		s.Ops = []Statement{{SQL: "UPDATE alembic_version SET version_num = :to WHERE version_num = :from",
			Params: map[string]any{"to": id, "from": parent}, One: true}}
	}
	return s
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

// A step runs the revision and retort's version statements in one
// transaction: a revision that fails after creating a table leaves no
// table and the version rows as they were, on both databases (SQLite's
// Python driver commits DDL on its own unless told otherwise). The error
// names the revision's file and line.
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
			if _, err := d.Step(context.Background(), upgradeStep(dir, "a1", ""), on); err != nil {
				t.Fatal(err)
			}
			res, err := d.Step(context.Background(), upgradeStep(dir, "b2", "a1"), on)
			var pe *PyError
			if !errors.As(err, &pe) || pe.Type != "RuntimeError" || !strings.HasSuffix(pe.File, "b2.py") || pe.Line != 15 {
				t.Fatalf("the failed step's error = %#v", err)
			}
			if res.Ran != 2 {
				t.Fatalf("ran %d statements, want 2", res.Ran)
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
			for _, e := range events {
				if e.Kind == "statement" {
					sqls = append(sqls, e.SQL)
				}
			}
			want := []string{"CREATE TABLE one (id integer)", "CREATE TABLE two (id integer)", "INSERT INTO one VALUES (1)"}
			if !slices.Equal(sqls, want) {
				t.Fatalf("statement events %q, want %q (retort's own statements are not the revision's)", sqls, want)
			}
		})
	}
}

// The version rows are checked in the step's transaction before the
// revision runs: a database that is not where the plan expects refuses
// the step and runs nothing of it.
func TestStepRefusesStaleRows(t *testing.T) {
	dir, p := project(t, map[string]string{
		"a1.py": revisionSource("a1", "", `    op.execute("CREATE TABLE one (id integer)")`),
	})
	p.URL = "sqlite:///" + filepath.Join(dir, "test.db")
	db := open(t, p.URL)
	if _, err := db.Exec("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY); INSERT INTO alembic_version VALUES ('zz')"); err != nil {
		t.Fatal(err)
	}
	d := start(t, dir)
	if _, err := d.Run(context.Background(), p, nil); err != nil {
		t.Fatal(err)
	}
	_, err := d.Step(context.Background(), upgradeStep(dir, "a1", ""), nil)
	var pe *PyError
	if !errors.As(err, &pe) || pe.Stale == nil || !slices.Equal(pe.Stale.Have, []string{"zz"}) {
		t.Fatalf("err = %#v, want the stale rows", err)
	}
	if hasTable(t, db, p.URL, "one") {
		t.Fatal("the refused step ran")
	}
}

// A cancel stops the step before its next statement and rolls it back.
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
			_, err := d.Step(ctx, upgradeStep(dir, "a1", ""), func(e Event) {
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
			_, err := d.Step(context.Background(), upgradeStep(dir, "a1", ""), func(e Event) {
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
