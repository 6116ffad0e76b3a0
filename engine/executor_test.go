package engine

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"retort/engine/step"
	"retort/models"
)

// foreignExecutor stands for the executor of Alembic's .py revisions: its
// bodies run on a connection of its own, as Python's would, and their "code"
// is the SQL in the revision's section, sent through the session. It records
// what the engine asked of it.
type foreignExecutor struct {
	db       *DB
	conn     dbConn
	sessions int
	released int
	// during is called inside each body, on the executor's session.
	during func(sess step.Session)
}

func (x *foreignExecutor) Prepare(s *models.Step) (step.Body, error) {
	sec := s.Revision.Upgrade
	if s.Direction == models.Downgrade {
		sec = s.Revision.Downgrade
	}
	if !sec.Present {
		return nil, errors.New(s.Revision.Path + ": no downgrade()")
	}
	return &foreignBody{x: x, step: s, sql: strings.TrimSpace(sec.SQL)}, nil
}

func (x *foreignExecutor) Session(ctx context.Context) (step.Session, error) {
	x.sessions++
	db := x.db
	c, _, err := db.dialect.open(ctx, db.dsn, openOptions{redacted: db.redacted, table: db.version.Ref})
	x.conn = c
	return c, err
}

func (x *foreignExecutor) Release(ctx context.Context) error {
	x.released++
	return x.conn.Close(ctx)
}

type foreignBody struct {
	x    *foreignExecutor
	step *models.Step
	sql  string
}

func (b *foreignBody) Transactional() bool { return true }

func (b *foreignBody) Run(ctx context.Context, sess step.Session, ev step.Events) (int, *models.Failure, error) {
	if b.x.during != nil {
		b.x.during(sess)
	}
	t0 := time.Now()
	n, err := sess.Exec(context.WithoutCancel(ctx), b.sql)
	if err != nil {
		return 0, &models.Failure{Message: err.Error(), Path: b.step.Revision.Path, Line: 12, Statement: b.sql}, err
	}
	ev.Statement(b.sql, 12, time.Since(t0), n)
	return 1, nil, nil
}

func (b *foreignBody) Preview() []step.Line {
	return []step.Line{{Comment: true, Text: "-- offline SQL of " + b.step.Revision.Path}}
}

// pyRev is a .py revision for the foreign executor.
func pyRev(id, parent, up string) *models.Revision {
	r := makeRev(revSpec{id: id, parents: parent, up: up, down: "SELECT 1;"})
	r.Format, r.Path = models.FormatPython, "versions/"+id+".py"
	return r
}

// TestExecutorOfAnotherFormat: a .py step runs through the executor
// configured for its format, on that executor's session, inside the
// transaction the engine writes around every step: the version-row check,
// the version change and the audit row are on the executor's connection,
// while the DB's own connection holds no transaction. A failing body rolls
// its step back and is reported as any step's failure; the session is
// opened once per run and released at its end.
func TestExecutorOfAnotherFormat(t *testing.T) {
	dialects(t, func(t *testing.T, url string) {
		ctx := context.Background()
		revs := chain(3, nil)
		revs[1] = pyRev("r001", "r000", "CREATE TABLE py1 (id integer);")
		revs = append(revs, pyRev("r003", "r002", "INSERT INTO py1 VALUES (1);"),
			pyRev("r004", "r003", "INSERT INTO nowhere VALUES (1);"))
		x := &foreignExecutor{}
		db := open(t, url, WithExecutor(models.FormatPython, func(on step.Database) step.Executor {
			x.db = on.(runDatabase).db
			return x
		}))
		own, pg := db.conn.(*pgConn)
		var states []string
		x.during = func(sess step.Session) {
			if pg {
				st, err := queryStrings(ctx, sess, "SELECT state FROM pg_catalog.pg_stat_activity WHERE pid = $1", own.id.pid)
				if err != nil {
					t.Error(err)
				}
				states = append(states, st...)
			}
		}
		rec := &recorder{}
		if err := db.Apply(ctx, upgradeChain(revs, -1, 3), rec.sink); err != nil {
			t.Fatal(err)
		}
		p := newProbe(t, url)
		if got := p.rows(); !slices.Equal(got, []string{"r003"}) || !p.tableExists("py1") {
			t.Errorf("rows %v, py1 exists %v; want [r003] and the table", got, p.tableExists("py1"))
		}
		if x.sessions != 1 || x.released != 1 {
			t.Errorf("the session was opened %d and released %d times, want once each", x.sessions, x.released)
		}
		if pg && (len(states) != 2 || slices.ContainsFunc(states, func(s string) bool { return s != "idle" })) {
			t.Errorf("the DB's own connection during the .py steps: %v, want idle (no transaction open)", states)
		}
		var stmts []string
		for _, e := range rec.all() {
			if e.Kind == models.EventStatement && e.Step.Revision.Format == models.FormatPython {
				stmts = append(stmts, e.SQL)
			}
		}
		if len(stmts) != 2 {
			t.Errorf("statement events of the .py steps: %q", stmts)
		}
		audit := p.strings("SELECT revision || ':' || outcome FROM retort_log ORDER BY id")
		if !slices.Equal(audit, []string{"r000:ok", "r001:ok", "r002:ok", "r003:ok"}) {
			t.Errorf("audit rows %v", audit)
		}

		err := db.Apply(ctx, upgradeChain(revs, 3, 4), nil)
		var pe *PartialError
		if !errors.As(err, &pe) || pe.Failed == nil || pe.Failed.Revision.ID != "r004" || pe.Failure == nil ||
			pe.Failure.Path != "versions/r004.py" || len(pe.Committed) != 0 {
			t.Fatalf("failing .py step: %v", err)
		}
		if got := p.rows(); !slices.Equal(got, []string{"r003"}) {
			t.Errorf("rows after the failed step %v, want [r003]", got)
		}
		if audit := p.strings("SELECT revision || ':' || outcome FROM retort_log ORDER BY id DESC LIMIT 1"); !slices.Equal(audit, []string{"r004:failed"}) {
			t.Errorf("audit row of the failed step %v", audit)
		}
		if x.sessions != 2 || x.released != 2 {
			t.Errorf("after two runs the session was opened %d and released %d times", x.sessions, x.released)
		}
	})
}

// refusingExecutor is an executor whose session cannot be opened (the
// project's Python connects to another database, say).
type refusingExecutor struct{ foreignExecutor }

func (x *refusingExecutor) Session(context.Context) (step.Session, error) {
	return nil, errors.New("env.py connects to another database")
}

// TestSessionRefusedBeforeAnything: every session a plan needs is opened
// before its first step, so that one that cannot be opened refuses the
// run before anything ran, even when the plan starts with .sql steps.
func TestSessionRefusedBeforeAnything(t *testing.T) {
	dialects(t, func(t *testing.T, url string) {
		revs := chain(2, nil)
		revs = append(revs, pyRev("r002", "r001", "CREATE TABLE py (id integer);"))
		x := &refusingExecutor{}
		db := open(t, url, WithExecutor(models.FormatPython, func(step.Database) step.Executor { return x }))
		err := db.Apply(context.Background(), upgradeChain(revs, -1, 2), nil)
		if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "before anything ran") ||
			!strings.Contains(err.Error(), "env.py connects to another database") {
			t.Fatalf("err = %v", err)
		}
		if p := newProbe(t, url); p.tableExists("alembic_version") || len(p.schema()) != 0 {
			t.Errorf("the refused run left %v", p.schema())
		}
	})
}

// TestPreviewOfAnotherFormat: the preview asks the executor what a step
// would run, under the step's one `-- Running` comment; without the
// executor a .py step is refused as before.
func TestPreviewOfAnotherFormat(t *testing.T) {
	revs := []*models.Revision{pyRev("p1", "", "CREATE TABLE p (id int);")}
	plan := upgradeChain(revs, -1, 0)
	var on step.Database = runDatabase{&DB{}}
	p, err := PreviewPlan(plan, DialectSQLite, WithExecutor(models.FormatPython, func(db step.Database) step.Executor {
		on = db
		return &foreignExecutor{}
	}))
	if err != nil {
		t.Fatal(err)
	}
	want := "BEGIN;\n\nCREATE TABLE IF NOT EXISTS alembic_version (\n    version_num VARCHAR(32) NOT NULL, \n" +
		"    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n);\n\n" +
		"-- Running upgrade  -> p1\n\n-- offline SQL of versions/p1.py\n\n" +
		"INSERT INTO alembic_version (version_num) VALUES ('p1');\n\nCOMMIT;\n\n"
	if on != nil {
		t.Errorf("a preview's executor was given a database: %v", on)
	}
	if got := p.String(); got != want {
		t.Errorf("preview:\n%s\nwant:\n%s", got, want)
	}
	if _, err := PreviewPlan(plan, DialectSQLite); err == nil || !strings.Contains(err.Error(), "is an Alembic Python revision; run it with Alembic") {
		t.Errorf("without the executor: %v", err)
	}
}
