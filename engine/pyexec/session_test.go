package pyexec

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"retort/engine"
	"retort/engine/pgtest"
	"retort/models"
	"retort/pyalembic"
	"retort/revisions"
)

// autocommit_block() works as in Alembic: CREATE INDEX CONCURRENTLY runs
// (it would wait forever for a transaction open on retort's own
// connection; the revision checks there is none), what ran before the
// block and in it is committed, and a cancellation inside the block stops
// after the statement in progress, reports the statements that stay
// applied (Failure.Ran), and leaves the version rows as they were.
func TestAutocommitBlockCancelled(t *testing.T) {
	tg := targets(t, 1)[engine.DialectPostgres][0]
	dir := newProject(t, tg.saURL, "", map[string]string{
		"a1.py": pyRevision("a1", "", `    op.execute("CREATE TABLE one (id integer)")
    busy = op.get_bind().execute(sa.text(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'retort' AND state <> 'idle'")).scalar()
    assert busy == 0, "retort's own connection holds a transaction"
    with op.get_context().autocommit_block():
        op.execute("CREATE INDEX CONCURRENTLY ix_one ON one (id)")
        op.execute("SELECT pg_sleep(3)")
        op.execute("CREATE INDEX CONCURRENTLY ix_two ON one (id)")
    op.execute("CREATE TABLE two (id integer)")`, ""),
	})
	db := openDB(t, tg, dir, newLender(t, dir))
	plan, err := revisions.Upgrade(loadVersions(t, dir), nil, "heads")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	err = db.Apply(ctx, plan, func(e models.Event) {
		if e.Kind == models.EventStatement && strings.HasPrefix(e.SQL, "CREATE INDEX CONCURRENTLY ix_one") {
			// pg_sleep(3) runs by the time the cancellation comes.
			time.AfterFunc(time.Second, cancel)
		}
	})
	var pe *engine.PartialError
	if !errors.As(err, &pe) || !errors.Is(err, engine.ErrCancelled) || pe.Failure == nil {
		t.Fatalf("err = %v, want a cancelled step", err)
	}
	// CREATE TABLE one and the check (committed when the block began),
	// ix_one, and pg_sleep, which ran to its end.
	if pe.Failure.Ran != 4 {
		t.Errorf("Failure.Ran = %d, want 4", pe.Failure.Ran)
	}
	look := look(t, tg)
	indexes := column(t, look, "SELECT indexname::text FROM pg_indexes WHERE tablename = 'one'")
	if !slices.Equal(indexes, []string{"ix_one"}) || hasTable(t, look, tg, "two") {
		t.Errorf("indexes %v, table two %v: want ix_one alone", indexes, hasTable(t, look, tg, "two"))
	}
	if got := column(t, look, "SELECT count(*) FROM alembic_version"); got[0] != "0" {
		t.Errorf("%s version rows after the cancelled step", got[0])
	}
	if got := column(t, look, "SELECT outcome FROM retort_log"); !slices.Equal(got, []string{engine.OutcomeCancelled}) {
		t.Errorf("audit outcomes %v", got)
	}
}

// Before the first step, a session whose connection reaches another
// database than the one retort holds the lock on, or whose env.py names
// another version table, refuses the run: nothing runs on either.
func TestRefusesAnotherDatabase(t *testing.T) {
	bothDialects(t, 2, func(t *testing.T, dbs []target) {
		files := map[string]string{"a1.py": pyRevision("a1", "", `    op.execute("CREATE TABLE one (id integer)")`, "")}
		// env.py connects where its alembic.ini says, not to the URL
		// retort hands it.
		dir := newProject(t, dbs[1].saURL, "", files)
		db := openDBWithProject(t, dbs[0], pyalembic.Project{Ini: dir + "/alembic.ini", VersionTable: engine.DefaultVersionTable}, newLender(t, dir))
		_, err := upgrade(t, db, dir, "heads")
		if !errors.Is(err, engine.ErrRefused) || !strings.Contains(err.Error(), "not to the database retort holds the lock on") {
			t.Fatalf("err = %v", err)
		}
		for _, tg := range dbs {
			if look := look(t, tg); hasTable(t, look, tg, "one") || hasTable(t, look, tg, "alembic_version") {
				t.Errorf("the refused run changed %s", tg.url)
			}
		}

		env := strings.Replace(readExampleEnv(t), "transaction_per_migration=True,", "transaction_per_migration=True, version_table=\"app_version\",", 1)
		dir = newProject(t, dbs[0].saURL, env, files)
		db = openDB(t, dbs[0], dir, newLender(t, dir))
		_, err = upgrade(t, db, dir, "heads")
		if !errors.Is(err, engine.ErrRefused) || !strings.Contains(err.Error(), "version table app_version, but retort reads and writes alembic_version") {
			t.Fatalf("err = %v", err)
		}
	})
}

// The audit row of a .py step names the database user of Python's
// connection, which env.py chose, not retort's.
func TestAuditUserIsPythons(t *testing.T) {
	tg := targets(t, 1)[engine.DialectPostgres][0]
	ctx := context.Background()
	role := fmt.Sprintf("py_%d", time.Now().UnixNano()%1e9)
	admin, err := pgx.Connect(ctx, tg.url)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	for _, q := range []string{"CREATE ROLE " + role + " LOGIN", "GRANT ALL ON SCHEMA public TO " + role} {
		if _, err := admin.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), pgtest.ServerURL(t))
		if err == nil {
			_, _ = c.Exec(context.Background(), "DROP OWNED BY "+role+" CASCADE; DROP ROLE IF EXISTS "+role)
			c.Close(context.Background())
		}
	})
	pyURL := strings.Replace(tg.saURL, "postgres@", role+"@", 1)
	dir := newProject(t, pyURL, "", map[string]string{"a1.py": pyRevision("a1", "", `    op.execute("CREATE TABLE one (id integer)")`, "")})
	// env.py connects where its alembic.ini says, as projects that read
	// their own settings do, not to the URL retort hands it.
	db := openDBWithProject(t, tg, pyalembic.Project{Ini: dir + "/alembic.ini", VersionTable: engine.DefaultVersionTable}, newLender(t, dir))
	if _, err := upgrade(t, db, dir, "heads"); err != nil {
		t.Fatal(err)
	}
	if got := column(t, look(t, tg), "SELECT db_user FROM retort_log"); !slices.Equal(got, []string{role}) {
		t.Errorf("audit users %v, want [%s]", got, role)
	}
}

// Python is started only for a plan with a .py step: a run and a preview
// of .sql revisions never start it.
func TestNoPythonForSQLPlans(t *testing.T) {
	tg := targets(t, 1)[engine.DialectSQLite][0]
	dir := newProject(t, tg.saURL, "", map[string]string{"s1.sql": sqlRevision("s1", "", "CREATE TABLE one (id integer);", "DROP TABLE one;")})
	l := newLender(t, dir)
	db := openDB(t, tg, dir, l)
	if _, err := upgrade(t, db, dir, "heads"); err != nil {
		t.Fatal(err)
	}
	plan, err := revisions.DowngradeOffline(loadVersions(t, dir), "heads:base")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Preview(plan); err != nil {
		t.Fatal(err)
	}
	if l.started != 0 {
		t.Errorf("Python was started %d times for .sql revisions", l.started)
	}
}

// A step's version rows are read in its transaction before the revision
// runs: a table that is not where the plan expects refuses the step, and
// nothing of it runs.
func TestStaleRowsRefused(t *testing.T) {
	bothDialects(t, 1, func(t *testing.T, dbs []target) {
		tg := dbs[0]
		dir := newProject(t, tg.saURL, "", map[string]string{
			"a1.py": pyRevision("a1", "", `    op.execute("CREATE TABLE one (id integer)")`, ""),
		})
		db := openDB(t, tg, dir, newLender(t, dir))
		plan, err := revisions.Upgrade(loadVersions(t, dir), nil, "heads")
		if err != nil {
			t.Fatal(err)
		}
		look := look(t, tg)
		for _, q := range []string{"CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)", "INSERT INTO alembic_version VALUES ('zz')"} {
			if _, err := look.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		err = db.Apply(context.Background(), plan, nil)
		if !errors.Is(err, engine.ErrStaleRows) {
			t.Fatalf("err = %v, want stale rows", err)
		}
		if hasTable(t, look, tg, "one") {
			t.Error("the refused step ran")
		}
	})
}

// A COMMIT whose outcome Python's side lost (its process killed as
// Alembic closes the step, after retort's COMMIT) is settled on retort's
// own connection, once Python's server session has ended: the version
// table tells the step committed, and the run stops after it.
func TestLostCommit(t *testing.T) {
	bothDialects(t, 1, func(t *testing.T, dbs []target) {
		tg := dbs[0]
		env := strings.Replace(readExampleEnv(t), "transaction_per_migration=True,",
			"transaction_per_migration=True, on_version_apply=[die_at_b2],", 1)
		env = strings.Replace(env, "target_metadata = None", `target_metadata = None


def die_at_b2(ctx, step, heads, run_args):
    """Alembic calls it at the end of each step."""
    import os, signal
    if "b2" in step.up_revision_ids:
        os.kill(os.getpid(), signal.SIGKILL)`, 1)
		dir := newProject(t, tg.saURL, env, map[string]string{
			"a1.py": pyRevision("a1", "", `    op.execute("CREATE TABLE one (id integer)")`, ""),
			"b2.py": pyRevision("b2", "a1", `    op.execute("CREATE TABLE two (id integer)")`, ""),
			"c3.py": pyRevision("c3", "b2", `    op.execute("CREATE TABLE three (id integer)")`, ""),
		})
		db := openDB(t, tg, dir, newLender(t, dir))
		rec, err := upgrade(t, db, dir, "heads")
		var pe *engine.PartialError
		if !errors.As(err, &pe) || len(pe.Committed) != 2 || pe.Failed == nil || pe.Failed.Revision.ID != "c3" ||
			errors.Is(err, engine.ErrCommitUnknown) || !strings.Contains(err.Error(), "holds its rows [b2]: that step committed") {
			t.Fatalf("err = %v, want b2 settled as committed and the run stopped before c3", err)
		}
		if done := rec.of(models.EventStepDone); len(done) != 2 {
			t.Errorf("%d step-done events, want 2", len(done))
		}
		look := look(t, tg)
		if !hasTable(t, look, tg, "two") || hasTable(t, look, tg, "three") {
			t.Error("b2's table is missing, or c3 ran")
		}
		if got := column(t, look, "SELECT revision || ':' || outcome FROM retort_log ORDER BY id"); !slices.Equal(got, []string{"a1:ok", "b2:ok"}) {
			t.Errorf("audit rows %v", got)
		}
	})
}

// An audit row that cannot be written (a CHECK on the log refuses it)
// rolls its step back; the step runs again without the log (env.py runs
// again, on a new connection) and the run goes on, with the statements
// retort prepares on Python's connection prepared again there.
func TestAuditRowRefused(t *testing.T) {
	bothDialects(t, 1, func(t *testing.T, dbs []target) {
		tg := dbs[0]
		dir := newProject(t, tg.saURL, "", map[string]string{
			"a1.py": pyRevision("a1", "", `    op.execute("CREATE TABLE one (id integer)")`, ""),
			"b2.py": pyRevision("b2", "a1", `    op.execute("CREATE TABLE two (id integer)")`, ""),
			"c3.py": pyRevision("c3", "b2", `    op.execute("CREATE TABLE three (id integer)")`, ""),
		})
		l := newLender(t, dir)
		db := openDB(t, tg, dir, l)
		if _, err := upgrade(t, db, dir, "a1"); err != nil {
			t.Fatal(err)
		}
		look := look(t, tg)
		if _, err := look.Exec("ALTER TABLE retort_log ADD CONSTRAINT no_b2 CHECK (revision <> 'b2')"); tg.dialect == engine.DialectPostgres && err != nil {
			t.Fatal(err)
		} else if err != nil {
			// SQLite cannot add a constraint: a trigger refuses the row.
			if _, err := look.Exec("CREATE TRIGGER no_b2 BEFORE INSERT ON retort_log WHEN NEW.revision = 'b2' BEGIN SELECT RAISE(ABORT, 'no b2'); END"); err != nil {
				t.Fatal(err)
			}
		}
		rec, err := upgrade(t, db, dir, "heads")
		if err != nil {
			t.Fatal(err)
		}
		var warned bool
		for _, e := range rec.of(models.EventNotice) {
			warned = warned || strings.Contains(e.Message, "could not be written, it is off for the rest of this run")
		}
		if !warned {
			t.Error("no warning about the audit log")
		}
		if got := column(t, look, "SELECT version_num FROM alembic_version"); !slices.Equal(got, []string{"c3"}) {
			t.Errorf("version rows %v", got)
		}
		if !hasTable(t, look, tg, "two") || !hasTable(t, look, tg, "three") {
			t.Error("a step is missing")
		}
		if got := column(t, look, "SELECT revision FROM retort_log ORDER BY id"); !slices.Equal(got, []string{"a1"}) {
			t.Errorf("audit rows %v, want a1's alone", got)
		}
	})
}

// What ran before and in an autocommit_block() stays applied when the step
// fails after it (Alembic committed it), on both databases, and the
// failure says how many statements stay; what ran after the block, in the
// transaction Alembic opened then, rolls back with the version change.
func TestAutocommitBlockThenFailure(t *testing.T) {
	bothDialects(t, 1, func(t *testing.T, dbs []target) {
		tg := dbs[0]
		dir := newProject(t, tg.saURL, "", map[string]string{
			"a1.py": pyRevision("a1", "", `    op.execute("CREATE TABLE before_block (id integer)")
    with op.get_context().autocommit_block():
        op.execute("CREATE TABLE in_block (id integer)")
    op.execute("CREATE TABLE after_block (id integer)")
    raise RuntimeError("after the block")`, ""),
		})
		db := openDB(t, tg, dir, newLender(t, dir))
		_, err := upgrade(t, db, dir, "heads")
		var pe *engine.PartialError
		if !errors.As(err, &pe) || pe.Failure == nil || pe.Failure.Ran != 2 {
			t.Fatalf("err = %v (failure %+v), want 2 statements applied", err, pe.Failure)
		}
		look := look(t, tg)
		if !hasTable(t, look, tg, "before_block") || !hasTable(t, look, tg, "in_block") || hasTable(t, look, tg, "after_block") {
			t.Errorf("tables: before %v, in %v, after %v; want the first two", hasTable(t, look, tg, "before_block"),
				hasTable(t, look, tg, "in_block"), hasTable(t, look, tg, "after_block"))
		}
		if got := column(t, look, "SELECT count(*) FROM alembic_version"); got[0] != "0" {
			t.Errorf("%s version rows", got[0])
		}
	})
}
