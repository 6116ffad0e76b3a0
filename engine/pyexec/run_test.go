package pyexec

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"retort/engine"
	"retort/engine/report"
	"retort/models"
	"retort/revisions"
)

// look opens tg with Go's drivers, to see what a run left.
func look(t *testing.T, tg target) *sql.DB {
	t.Helper()
	driver, dsn := "sqlite", tg.path
	if tg.dialect == engine.DialectPostgres {
		driver, dsn = "pgx", tg.url
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func hasTable(t *testing.T, db *sql.DB, tg target, table string) bool {
	t.Helper()
	q := "SELECT name FROM sqlite_master WHERE type = 'table' AND name = $1"
	if tg.dialect == engine.DialectPostgres {
		q = "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' AND tablename = $1"
	}
	return len(column(t, db, q, table)) > 0
}

// upgrade plans an upgrade of the project in dir to target from what tg
// holds and runs it on db, recording its events.
func upgrade(t *testing.T, db *engine.DB, dir, target string) (*recorder, error) {
	t.Helper()
	g := loadVersions(t, dir)
	rows, err := db.Current(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	plan, err := revisions.Upgrade(g, rows, target)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	return rec, db.Apply(context.Background(), plan, rec.sink)
}

// An exception in upgrade() rolls the step back whole (its DDL and its
// data, on SQLite too) and leaves the database at the previous revision.
// The step's error is the exception's type and message at the revision's
// line from the traceback, which the log pane and the CLI's progress show;
// the audit row records the failure.
func TestExceptionRollsBack(t *testing.T) {
	bothDialects(t, 1, func(t *testing.T, dbs []target) {
		tg := dbs[0]
		dir := newProject(t, tg.saURL, "", map[string]string{
			"a1.py": pyRevision("a1", "", `    op.execute("CREATE TABLE one (id integer)")`, ""),
			"b2.py": pyRevision("b2", "a1", `    op.execute("CREATE TABLE two (id integer)")
    op.execute("INSERT INTO one VALUES (1)")
    raise RuntimeError("the data is not what this revision expects")`, ""),
		})
		db := openDB(t, tg, dir, newLender(t, dir))
		rec, err := upgrade(t, db, dir, "heads")
		var pe *engine.PartialError
		if !errors.As(err, &pe) || len(pe.Committed) != 1 {
			t.Fatalf("err = %v, want a run stopped after a1", err)
		}
		look := look(t, tg)
		if got := column(t, look, "SELECT version_num FROM alembic_version"); !slices.Equal(got, []string{"a1"}) {
			t.Errorf("version rows %v, want [a1]", got)
		}
		if hasTable(t, look, tg, "two") || column(t, look, "SELECT COUNT(*) FROM one")[0] != "0" {
			t.Error("the failed step left its table or its row")
		}
		failed := rec.of(models.EventStepFailed)
		if len(failed) != 1 {
			t.Fatalf("%d step-failed events", len(failed))
		}
		ev := failed[0]
		f := ev.Failure
		if f == nil || !strings.HasSuffix(f.Path, "b2.py") || f.Line != 15 || f.Message != "RuntimeError: the data is not what this revision expects" {
			t.Fatalf("failure %+v", f)
		}
		where := f.Path + ":15"
		if !strings.Contains(ev.Err.Error(), where+": RuntimeError: the data is not what this revision expects") {
			t.Errorf("the step's error %q lacks the revision's line", ev.Err)
		}
		var pane []string
		for _, l := range report.LogLines(ev, report.Glyphs{}) {
			pane = append(pane, l.Text)
		}
		if !strings.Contains(strings.Join(pane, "\n"), where) {
			t.Errorf("the log pane's lines lack %s:\n%s", where, strings.Join(pane, "\n"))
		}
		if p := report.Progress(ev); !strings.Contains(p, where) {
			t.Errorf("the CLI's progress lacks %s:\n%s", where, p)
		}
		audit := column(t, look, "SELECT revision || ':' || outcome FROM retort_log ORDER BY id")
		if !slices.Equal(audit, []string{"a1:ok", "b2:failed"}) {
			t.Errorf("audit rows %v", audit)
		}
	})
}

// A database error in a revision comes with the database's account of it:
// SQLSTATE, message and the statement, at the revision's line.
func TestDatabaseErrorInRevision(t *testing.T) {
	tg := targets(t, 1)[engine.DialectPostgres][0]
	dir := newProject(t, tg.saURL, "", map[string]string{
		"a1.py": pyRevision("a1", "", `    op.execute("CREATE TABLE one (id integer)")
    op.execute("INSERT INTO one VALUES ('x')")`, ""),
	})
	db := openDB(t, tg, dir, newLender(t, dir))
	rec, err := upgrade(t, db, dir, "heads")
	if err == nil {
		t.Fatal("the run succeeded")
	}
	f := rec.of(models.EventStepFailed)[0].Failure
	if f.SQLState != "22P02" || f.Line != 14 || f.Statement != "INSERT INTO one VALUES ('x')" || !strings.Contains(f.Message, "invalid input syntax") {
		t.Errorf("failure %+v", f)
	}
}

// A Python process killed in the middle of a step: the step rolls back
// (the server, or SQLite's journal, undoes what it did), the database is
// at the previous revision, the error says Python exited, and the next run
// starts another Python.
func TestPythonKilledMidStep(t *testing.T) {
	bothDialects(t, 1, func(t *testing.T, dbs []target) {
		tg := dbs[0]
		dir := newProject(t, tg.saURL, "", map[string]string{
			"a1.py": pyRevision("a1", "", `    op.execute("CREATE TABLE one (id integer)")`, ""),
			"b2.py": pyRevision("b2", "a1", `    op.execute("CREATE TABLE two (id integer)")
    if not os.path.exists(os.environ["SURVIVE"]):
        os.kill(os.getpid(), signal.SIGKILL)`, ""),
		})
		survive := dir + "/survive"
		l := newLender(t, dir)
		l.env = append(l.env, "SURVIVE="+survive)
		db := openDB(t, tg, dir, l)
		rec, err := upgrade(t, db, dir, "heads")
		if !errors.Is(err, errExited) {
			t.Fatalf("err = %v, want the Python driver's exit", err)
		}
		if f := rec.of(models.EventStepFailed); len(f) != 1 || !strings.HasSuffix(f[0].Failure.Path, "b2.py") {
			t.Fatalf("step-failed events %+v", f)
		}
		look := look(t, tg)
		deadline := time.Now().Add(10 * time.Second)
		for hasTable(t, look, tg, "two") && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond) // the server notices the lost client
		}
		if hasTable(t, look, tg, "two") {
			t.Error("the killed step's table exists")
		}
		if got := column(t, look, "SELECT version_num FROM alembic_version"); !slices.Equal(got, []string{"a1"}) {
			t.Errorf("version rows %v, want [a1]", got)
		}
		write(t, survive, "")
		if _, err := upgrade(t, db, dir, "heads"); err != nil {
			t.Fatalf("the run after the killed one: %v", err)
		}
		if l.started != 2 {
			t.Errorf("%d Pythons started, want 2", l.started)
		}
	})
}

// A plan mixing .sql and .py revisions runs them in order, each on its own
// session, both ways.
func TestMixedGraph(t *testing.T) {
	bothDialects(t, 1, func(t *testing.T, dbs []target) {
		tg := dbs[0]
		dir := newProject(t, tg.saURL, "", map[string]string{
			"s1.sql": sqlRevision("s1", "", "CREATE TABLE books (id integer PRIMARY KEY, title text);", "DROP TABLE books;"),
			"p2.py": pyRevision("p2", "s1", `    op.bulk_insert(sa.table("books", sa.column("id"), sa.column("title")), [{"id": 1, "title": "Dune"}])`,
				`    op.execute("DELETE FROM books")`),
			"s3.sql": sqlRevision("s3", "p2", "ALTER TABLE books ADD COLUMN slug text;\nUPDATE books SET slug = lower(title);",
				"ALTER TABLE books DROP COLUMN slug;"),
			"p4.py": pyRevision("p4", "s3", `    assert op.get_bind().execute(sa.text("SELECT slug FROM books")).scalar() == "dune"
    op.create_index("ix_books_slug", "books", ["slug"])`, `    op.drop_index("ix_books_slug", "books")`),
		})
		db := openDB(t, tg, dir, newLender(t, dir))
		rec, err := upgrade(t, db, dir, "heads")
		if err != nil {
			t.Fatal(err)
		}
		var order []string
		for _, e := range rec.of(models.EventStepDone) {
			order = append(order, e.Step.Revision.ID)
		}
		if !slices.Equal(order, []string{"s1", "p2", "s3", "p4"}) {
			t.Errorf("steps done in the order %v", order)
		}
		look := look(t, tg)
		if got := column(t, look, "SELECT version_num FROM alembic_version"); !slices.Equal(got, []string{"p4"}) {
			t.Errorf("version rows %v, want [p4]", got)
		}
		plan, err := revisions.Downgrade(loadVersions(t, dir), []string{"p4"}, "base")
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Apply(context.Background(), plan, nil); err != nil {
			t.Fatal(err)
		}
		if hasTable(t, look, tg, "books") || len(column(t, look, "SELECT version_num FROM alembic_version")) != 0 {
			t.Error("the downgrade to base left the table or a version row")
		}
	})
}

// A Python process killed inside an autocommit_block(): what ran before
// the block and in it stays applied, and the failure says how many
// statements, counted from the events that came before the process died.
func TestPythonKilledInAutocommitBlock(t *testing.T) {
	bothDialects(t, 1, func(t *testing.T, dbs []target) {
		tg := dbs[0]
		dir := newProject(t, tg.saURL, "", map[string]string{
			"a1.py": pyRevision("a1", "", `    op.execute("CREATE TABLE one (id integer)")
    with op.get_context().autocommit_block():
        op.execute("CREATE TABLE two (id integer)")
        os.kill(os.getpid(), signal.SIGKILL)`, ""),
		})
		db := openDB(t, tg, dir, newLender(t, dir))
		_, err := upgrade(t, db, dir, "heads")
		var pe *engine.PartialError
		if !errors.As(err, &pe) || !errors.Is(err, errExited) || pe.Failure == nil || pe.Failure.Ran != 2 {
			t.Fatalf("err = %v (failure %+v), want Python's exit with 2 statements applied", err, pe.Failure)
		}
		look := look(t, tg)
		if !hasTable(t, look, tg, "one") || !hasTable(t, look, tg, "two") {
			t.Error("what Alembic committed is missing")
		}
	})
}
