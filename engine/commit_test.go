package engine

import (
	"context"
	"errors"
	"io"
	"net"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"retort/models"
)

// TestVersionChangeMissRollsBack: when the revision's own SQL has already
// moved the version table, the step's UPDATE hits no row; the step must
// roll back (on PostgreSQL the COMMIT rides in the same round trip as the
// UPDATE), report Alembic's message and leave the table telling the truth.
func TestVersionChangeMissRollsBack(t *testing.T) {
	dialects(t, func(t *testing.T, url string) {
		ctx := context.Background()
		revs := chain(2, func(i int) string {
			if i == 1 {
				return "DELETE FROM alembic_version;\nINSERT INTO alembic_version VALUES ('r001');"
			}
			return ""
		})
		db := open(t, url)
		p := newProbe(t, url)
		rec := &recorder{}
		err := db.Apply(ctx, upgradeChain(revs, -1, 1), rec.sink)
		want := "Online migration expected to match one row when updating 'r000' to 'r001' in 'alembic_version'; 0 found"
		var pe *PartialError
		if !errors.Is(err, ErrVersionRow) || !errors.As(err, &pe) || !strings.Contains(err.Error(), want) {
			t.Fatalf("Apply returned %v, want a partial error with %q", err, want)
		}
		if len(pe.Committed) != 1 || pe.Failed == nil || pe.Failed.Revision.ID != "r001" {
			t.Fatalf("committed %v, failed %v; want r000 committed and r001 failed", pe.Committed, pe.Failed)
		}
		if got := p.rows(); !slices.Equal(got, []string{"r000"}) || p.tableExists("t1") {
			t.Errorf("rows %v, t1 exists %v; want [r000] and no t1: the failed step committed", got, p.tableExists("t1"))
		}
		log, err := db.Log(ctx, 0)
		if err != nil || len(log) != 2 || log[0].Revision != "r001" || log[0].Outcome != OutcomeFailed || log[1].Outcome != OutcomeOK {
			t.Errorf("audit log %+v, %v; want r001 failed after r000 ok", log, err)
		}
	})
}

// TestVersionChangeHitsSeveralRows: on a version table without a primary
// key (not Alembic's), an UPDATE that hits two rows is refused too.
func TestVersionChangeHitsSeveralRows(t *testing.T) {
	dialects(t, func(t *testing.T, url string) {
		revs := chain(2, func(i int) string {
			if i == 1 {
				return "INSERT INTO alembic_version VALUES ('r000');"
			}
			return ""
		})
		p := newProbe(t, url)
		p.exec("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
		db := open(t, url, WithAudit(false))
		err := db.Apply(context.Background(), upgradeChain(revs, -1, 1), nil)
		// PostgreSQL's checked UPDATE stops counting at two; SQLite counts.
		found := "more than one"
		if strings.HasPrefix(url, "sqlite:") {
			found = "2"
		}
		want := "upgrade r000 -> r001 (versions/r001.sql): version row not found: Online migration expected to match one row when updating 'r000' to 'r001' in 'alembic_version'; " +
			found + " found; 1 step(s) committed before it: upgrade  -> r000"
		if !errors.Is(err, ErrVersionRow) || err.Error() != want {
			t.Fatalf("Apply returned\n%v\nwant\n%s", err, want)
		}
		if got := p.rows(); !slices.Equal(got, []string{"r000"}) || p.tableExists("t1") {
			t.Errorf("rows %v, t1 exists %v; want [r000] and no t1", got, p.tableExists("t1"))
		}
	})
}

// TestCommitKilledRollsBack: the server ends the session during COMMIT (a
// deferred trigger terminates its own backend). The COMMIT's outcome is
// not known from the error; the engine reads the version table on a new
// connection and says what it found: the step rolled back.
func TestCommitKilledRollsBack(t *testing.T) {
	ctx := context.Background()
	url := pgtestDatabase(t)
	revs := chain(2, func(i int) string {
		if i != 1 {
			return ""
		}
		return `CREATE FUNCTION retort_die() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NULL; END $$;
CREATE TABLE dies (n integer);
CREATE CONSTRAINT TRIGGER dies_at_commit AFTER INSERT ON dies DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION retort_die();
INSERT INTO dies VALUES (1);`
	})
	db := open(t, url)
	p := newProbe(t, url)
	rec := &recorder{}
	err := db.Apply(ctx, upgradeChain(revs, -1, 1), rec.sink)
	want := "the COMMIT of step upgrade r000 -> r001 failed; the version table alembic_version still holds [r000]: the step rolled back"
	var pe *PartialError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), want) {
		t.Fatalf("Apply returned %v, want %q", err, want)
	}
	if len(pe.Committed) != 1 || pe.Failed == nil || pe.Failed.Revision.ID != "r001" {
		t.Fatalf("committed %v, failed %v; want r000 committed and r001 failed", pe.Committed, pe.Failed)
	}
	if got := p.rows(); !slices.Equal(got, []string{"r000"}) || p.tableExists("t1") {
		t.Errorf("rows %v, t1 exists %v; want [r000] and no t1", got, p.tableExists("t1"))
	}
	for _, e := range rec.all() {
		if e.Kind == models.EventNotice && strings.HasPrefix(e.Message, "retort:") {
			t.Errorf("warning %q: the failure must be logged on the checking connection", e.Message)
		}
	}
	// The DB's connection died with the COMMIT; Log opens it again.
	log, err := db.Log(ctx, 0)
	if err != nil || len(log) != 2 || log[0].Revision != "r001" || log[0].Outcome != OutcomeFailed ||
		!strings.Contains(log[0].Error, want) || log[1].Revision != "r000" || log[1].Outcome != OutcomeOK {
		t.Errorf("audit log %+v, %v; want r001 failed (%q) after r000 ok", log, err, want)
	}
}

// TestCommitLostButApplied: the connection is cut after the batch carrying
// a step's COMMIT has been executed by the server (the proxy waits until the
// version row is visible from another session) and before the client hears
// of it. The engine must not call the step failed or rolled back: it checks
// the version table on a new connection and reports the step among the
// committed ones; the next step, which never ran, is named as where the run
// stopped, with no Failure. The DB then reconnects by itself and the rest of
// the plan runs.
func TestCommitLostButApplied(t *testing.T) {
	ctx := context.Background()
	target := pgtestDatabase(t)
	px := newCutProxy(t, target, "r002")
	revs := chain(4, nil)
	db := open(t, px.url)
	p := newProbe(t, target)
	rec := &recorder{}
	err := db.Apply(ctx, upgradeChain(revs, -1, 3), px.armAfter("r002", rec.sink))
	if !px.cut.Load() || !px.settled.Load() {
		t.Fatalf("the proxy cut %v, saw the COMMIT done %v: the test did not test a lost COMMIT (Apply: %v)", px.cut.Load(), px.settled.Load(), err)
	}
	var pe *PartialError
	want := "upgrade r002 -> r003 (versions/r003.sql): the COMMIT of step upgrade r001 -> r002 reported an error ("
	wantTail := "), but the version table alembic_version holds its rows [r002]: that step committed; the run stopped before this step; 3 step(s) committed before it: "
	if !errors.As(err, &pe) || !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), wantTail) {
		t.Fatalf("Apply returned %v, want a partial error %q...%q", err, want, wantTail)
	}
	if errors.Is(err, ErrCommitUnknown) {
		t.Errorf("Apply returned %v: ErrCommitUnknown although the step is known to have committed", err)
	}
	if got := idsOfSteps(pe.Committed); !slices.Equal(got, []string{"r000", "r001", "r002"}) {
		t.Errorf("committed %v, want [r000 r001 r002]", got)
	}
	if pe.Failed == nil || pe.Failed.Revision.ID != "r003" || pe.Failure != nil {
		t.Errorf("failed %v, failure %+v; want r003 (not run) and no failure", pe.Failed, pe.Failure)
	}
	if got := p.rows(); !slices.Equal(got, []string{"r002"}) || !p.tableExists("t2") || p.tableExists("t3") {
		t.Errorf("rows %v, t2 %v, t3 %v; want [r002], t2 and no t3", got, p.tableExists("t2"), p.tableExists("t3"))
	}
	done := false
	for _, e := range rec.all() {
		switch {
		case e.Kind == models.EventStepFailed:
			t.Errorf("step %d reported failed (%v); r002 committed and r003 never ran", e.Index, e.Err)
		case e.Index == 3 && e.Kind != models.EventRunDone:
			t.Errorf("event %s for r003, which never ran", e.Kind)
		case e.Index == 2 && e.Kind == models.EventStepDone:
			done = true
		}
	}
	if !done {
		t.Error("step r002 was not reported done")
	}
	// The lost connection is opened again by the next call.
	if err := db.Apply(ctx, upgradeChain(revs, 2, 3), nil); err != nil {
		t.Fatalf("Apply of the rest after the lost connection: %v", err)
	}
	if got := p.rows(); !slices.Equal(got, []string{"r003"}) {
		t.Errorf("rows %v, want [r003]", got)
	}
}

// TestCommitLostUnknown: as TestCommitLostButApplied, but the network stays
// down, so the check cannot connect: the step's outcome is unknown (in
// truth it committed). The error and the failure event must wrap
// ErrCommitUnknown and never say the step rolled back; the next call says
// the connection could not be opened again, and once the network is back
// the DB works again.
func TestCommitLostUnknown(t *testing.T) {
	ctx := context.Background()
	target := pgtestDatabase(t)
	px := newCutProxy(t, target, "r002")
	px.refuse.Store(true)
	revs := chain(4, nil)
	db := open(t, px.url)
	p := newProbe(t, target)
	rec := &recorder{}
	err := db.Apply(ctx, upgradeChain(revs, -1, 3), px.armAfter("r002", rec.sink))
	if !px.cut.Load() || !px.settled.Load() {
		t.Fatalf("the proxy cut %v, saw the COMMIT done %v: the test did not test a lost COMMIT (Apply: %v)", px.cut.Load(), px.settled.Load(), err)
	}
	var pe *PartialError
	want := "upgrade r001 -> r002 (versions/r002.sql): the outcome of the step's COMMIT is unknown: the COMMIT of step upgrade r001 -> r002 failed ("
	wantTail := "): the step may or may not have been applied; check the version table alembic_version (it could not be read: connecting again: "
	if !errors.As(err, &pe) || !errors.Is(err, ErrCommitUnknown) || !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), wantTail) {
		t.Fatalf("Apply returned %v, want ErrCommitUnknown in a partial error %q...%q", err, want, wantTail)
	}
	if strings.Contains(err.Error(), "rolled back") {
		t.Errorf("Apply returned %v, which claims a rollback", err)
	}
	if got := idsOfSteps(pe.Committed); !slices.Equal(got, []string{"r000", "r001"}) {
		t.Errorf("committed %v, want [r000 r001]", got)
	}
	if pe.Failed == nil || pe.Failed.Revision.ID != "r002" || pe.Failure == nil || pe.Failure.Message != pe.Err.Error() {
		t.Errorf("failed %v, failure %+v; want r002 with the error as its message", pe.Failed, pe.Failure)
	}
	var failed []models.Event
	for _, e := range rec.all() {
		if e.Kind == models.EventStepFailed {
			failed = append(failed, e)
		}
	}
	if len(failed) != 1 || failed[0].Index != 2 || !errors.Is(failed[0].Err, ErrCommitUnknown) {
		t.Errorf("step-failed events %+v, want one for r002 wrapping ErrCommitUnknown", failed)
	}
	if got := p.rows(); !slices.Equal(got, []string{"r002"}) {
		t.Errorf("rows %v, want [r002]: the proxy saw the COMMIT done", got)
	}
	wantDown := "the connection to the database was lost and could not be opened again (reopen the database): connecting to "
	if _, err := db.Current(ctx); err == nil || !strings.HasPrefix(err.Error(), wantDown) {
		t.Fatalf("Current with the network down returned %v, want %q", err, wantDown)
	}
	px.refuse.Store(false)
	if got, err := db.Current(ctx); err != nil || !slices.Equal(got, []string{"r002"}) {
		t.Fatalf("Current once the network is back: %v, %v; want [r002]", got, err)
	}
}

func idsOfSteps(steps []models.Step) []string {
	var out []string
	for _, s := range steps {
		out = append(out, s.Revision.ID)
	}
	return out
}

// cutProxy forwards TCP connections to a PostgreSQL server. Once armed, it
// holds back the server's next reply (to the batch that ends with COMMIT;
// pgx sends a prepared COMMIT by name, so the bytes do not say it), waits
// until another session sees the version table at the row the proxy was
// made for (the COMMIT is done on the server), and then closes the client
// connection: the network failing at the worst moment. The server side
// stays open, its session idle. With refuse set, connections accepted
// after the cut are closed at once: the network stays down.
type cutProxy struct {
	url     string
	armed   atomic.Bool
	cut     atomic.Bool
	settled atomic.Bool
	refuse  atomic.Bool
	// settle waits for the COMMIT to be done and reports whether it was.
	settle func() bool
}

func newCutProxy(t *testing.T, target, committedRow string) *cutProxy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	server := u.Host
	u.Host = ln.Addr().String()
	px := &cutProxy{url: u.String(), settle: rowVisible(t, target, committedRow)}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			client, err := ln.Accept()
			if err != nil {
				return
			}
			if px.cut.Load() && px.refuse.Load() {
				client.Close()
				continue
			}
			upstream, err := net.Dial("tcp", server)
			if err != nil {
				client.Close()
				continue
			}
			mu.Lock()
			conns = append(conns, client, upstream)
			mu.Unlock()
			wg.Add(2)
			go func() { defer wg.Done(); _, _ = io.Copy(upstream, client) }()
			go func() { defer wg.Done(); px.down(client, upstream) }()
		}
	}()
	return px
}

// rowVisible returns a function that waits, on a connection of its own, up
// to 10 seconds for the version table to hold exactly row.
func rowVisible(t *testing.T, target, row string) func() bool {
	t.Helper()
	ctx := context.Background()
	watch, err := pgx.Connect(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { watch.Close(ctx) })
	return func() bool {
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			var got string
			err := watch.QueryRow(ctx, "SELECT string_agg(version_num, ',') FROM alembic_version").Scan(&got)
			if err == nil && got == row {
				return true
			}
			time.Sleep(5 * time.Millisecond)
		}
		return false
	}
}

// armAfter wraps sink to arm the proxy once the statement of revision id
// has run: its finishing batch, which ends with COMMIT, is the next thing
// sent (every statement in it was prepared by the steps before, so no
// prepare round trip comes first).
func (px *cutProxy) armAfter(id string, sink func(models.Event)) func(models.Event) {
	return func(e models.Event) {
		sink(e)
		if e.Kind == models.EventStatement && e.Step.Revision.ID == id {
			px.armed.Store(true)
		}
	}
}

// down copies the server's bytes to the client; once armed, it holds the
// next reply back, lets settle confirm the COMMIT, and cuts the client off.
func (px *cutProxy) down(client, upstream net.Conn) {
	buf := make([]byte, 64<<10)
	for {
		n, err := upstream.Read(buf)
		if n > 0 {
			if px.armed.Load() && px.cut.CompareAndSwap(false, true) {
				px.settled.Store(px.settle())
				client.Close()
				return
			}
			if _, werr := client.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}
