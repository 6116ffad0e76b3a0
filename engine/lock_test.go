package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"retort/models"
)

// sequenced records the events of several runners on one timeline.
type sequenced struct {
	mu     sync.Mutex
	events []runnerEvent
}

type runnerEvent struct {
	runner int
	models.Event
}

func (s *sequenced) sink(runner int) func(models.Event) {
	return func(e models.Event) {
		s.mu.Lock()
		s.events = append(s.events, runnerEvent{runner, e})
		s.mu.Unlock()
	}
}

// interleaved reports the first step event of one runner that falls
// between two step events of the other.
func (s *sequenced) interleaved() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	first, last := map[int]int{}, map[int]int{}
	for i, e := range s.events {
		if e.Kind < models.EventStepStarted || e.Kind > models.EventStepFailed {
			continue
		}
		if _, ok := first[e.runner]; !ok {
			first[e.runner] = i
		}
		last[e.runner] = i
	}
	if len(first) < 2 {
		return ""
	}
	if last[0] < first[1] || last[1] < first[0] {
		return ""
	}
	return fmt.Sprintf("runner 0 steps at events %d..%d, runner 1 at %d..%d", first[0], last[0], first[1], last[1])
}

// overlap makes whichever runner gets the lock first wait until the other one
// reports that it is waiting for it, so that the two really overlap.
type overlap struct {
	waiting [2]chan struct{}
	once    [2]sync.Once
	first   sync.Once
}

func newGate() *overlap {
	return &overlap{waiting: [2]chan struct{}{make(chan struct{}), make(chan struct{})}}
}

func (g *overlap) sink(t *testing.T, runner int, next func(models.Event)) func(models.Event) {
	return func(e models.Event) {
		next(e)
		switch e.Kind {
		case models.EventLockWaiting:
			g.once[runner].Do(func() { close(g.waiting[runner]) })
		case models.EventLockAcquired:
			// Only the first holder waits: the second gets the lock
			// when the first is done.
			g.first.Do(func() {
				select {
				case <-g.waiting[1-runner]:
				case <-time.After(20 * time.Second):
					t.Errorf("runner %d holds the lock but runner %d never reported waiting for it", runner, 1-runner)
				}
			})
		}
	}
}

// TestConcurrentRunnersNeverInterleave: two runners on separate connections
// apply the same plan at the same time. Exactly one applies it; the other
// waits for the lock, seeing who holds it, and is then refused because the
// rows moved.
func TestConcurrentRunnersNeverInterleave(t *testing.T) {
	dialects(t, func(t *testing.T, url string) {
		revs := chain(4, nil)
		plan := upgradeChain(revs, -1, 3)
		seq := &sequenced{}
		g := newGate()
		errs := make([]error, 2)
		var wg sync.WaitGroup
		for r := 0; r < 2; r++ {
			db := open(t, url, WithLockPollInterval(10*time.Millisecond))
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[r] = db.Apply(context.Background(), plan, g.sink(t, r, seq.sink(r)))
			}()
		}
		wg.Wait()
		winner := 0
		if errs[0] != nil {
			winner = 1
		}
		loser := 1 - winner
		if errs[winner] != nil {
			t.Fatalf("both runners failed: %v; %v", errs[0], errs[1])
		}
		var pe *PartialError
		if !errors.As(errs[loser], &pe) || !errors.Is(errs[loser], ErrStaleRows) || len(pe.Committed) != 0 {
			t.Fatalf("second runner: %v, want a stale-rows refusal of its first step", errs[loser])
		}
		if msg := seq.interleaved(); msg != "" {
			t.Errorf("steps interleaved: %s", msg)
		}
		sawWaiting := false
		for _, e := range seq.events {
			if e.runner == loser && e.Kind == models.EventLockWaiting {
				sawWaiting = strings.Contains(e.Message, "held by ")
			}
		}
		if !sawWaiting {
			t.Error("the second runner reported no lock-waiting event naming the holder")
		}
		p := newProbe(t, url)
		if got := p.rows(); !eqRows(got, []string{"r003"}) {
			t.Errorf("rows %v, want [r003]", got)
		}
		got := p.strings("SELECT outcome || ' ' || revision FROM retort_log ORDER BY id")
		want := "ok r000,ok r001,ok r002,ok r003,failed r000"
		if strings.Join(got, ",") != want {
			t.Errorf("audit log %v, want %s", got, want)
		}
	})
}

// holdLock starts a run on db that holds the lock until release is closed.
func holdLock(t *testing.T, db *DB, release chan struct{}) <-chan error {
	t.Helper()
	locked := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- db.Apply(context.Background(), stampPlan(nil, "h1"), func(e models.Event) {
			if e.Kind == models.EventStepStarted {
				close(locked)
				<-release
			}
		})
	}()
	select {
	case <-locked:
	case err := <-done:
		t.Fatalf("holder ended early: %v", err)
	}
	return done
}

// TestLockTimeoutNamesHolder: a runner gives up after the lock timeout with
// an error naming the holder, and LockHolder shows the holder (and nobody
// once it is done).
func TestLockTimeoutNamesHolder(t *testing.T) {
	dialects(t, func(t *testing.T, url string) {
		ctx := context.Background()
		holder := open(t, url, WithApplicationName("holder-app"))
		db := open(t, url, WithLockTimeout(300*time.Millisecond), WithLockPollInterval(20*time.Millisecond))
		release := make(chan struct{})
		done := holdLock(t, holder, release)

		var who string
		if strings.HasPrefix(url, "sqlite:") {
			who = fmt.Sprintf("pid %d (application \"holder-app\"", osPid())
		} else {
			p := newProbe(t, url)
			pid := p.strings("SELECT pid::text FROM pg_stat_activity WHERE application_name = 'holder-app' AND datname = current_database()")
			if len(pid) != 1 {
				t.Fatalf("holder sessions: %v", pid)
			}
			who = "pid " + pid[0] + " (application_name \"holder-app\""
		}
		h, err := db.LockHolder(ctx)
		if err != nil || !strings.HasPrefix(h, who) {
			t.Errorf("LockHolder = %q, %v; want it to start with %q", h, err, who)
		}
		rec := &recorder{}
		start := time.Now()
		err = db.Apply(ctx, stampPlan(nil, "x"), rec.sink)
		if !errors.Is(err, ErrLockTimeout) || !strings.Contains(err.Error(), who) {
			t.Errorf("Apply while locked: %v; want a lock timeout naming %q", err, who)
		}
		if waited := time.Since(start); waited < 300*time.Millisecond || waited > 5*time.Second {
			t.Errorf("gave up after %s, want about 300ms", waited)
		}
		if got := rec.kinds(); strings.Join(got, ",") != "lock-waiting,run-done" {
			t.Errorf("events %v, want lock-waiting, run-done", got)
		}
		close(release)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if h, err := db.LockHolder(ctx); err != nil || h != "" {
			t.Errorf("LockHolder after release = %q, %v", h, err)
		}
	})
}

// TestCreateIndexConcurrentlyWhileAnotherWaits: the holder runs a
// `Transaction: none` step with CREATE INDEX CONCURRENTLY while a second
// runner polls for the lock. CREATE INDEX CONCURRENTLY waits for every
// transaction that could see the table; a waiter blocked inside
// pg_advisory_lock would be one and deadlock both. With polling, the run
// finishes, and the steps do not interleave.
func TestCreateIndexConcurrentlyWhileAnotherWaits(t *testing.T) {
	url := pgtestDatabase(t)
	base := makeRev(revSpec{id: "c1", up: "CREATE TABLE big (id integer, v text);\nINSERT INTO big SELECT g, md5(g::text) FROM generate_series(1, 200000) g;", down: "DROP TABLE big;"})
	cic := makeRev(revSpec{id: "c2", parents: "c1", noTx: true, up: "CREATE INDEX CONCURRENTLY big_v ON big (v);\nCREATE INDEX CONCURRENTLY big_id ON big (id);", down: "DROP INDEX big_v;"})
	plan := &models.Plan{Final: []string{"c2"}, Steps: []models.Step{
		{Direction: models.Upgrade, Revision: base, To: []string{"c1"}, Ops: []models.VersionOp{{Kind: models.OpInsert, To: "c1"}}, After: []string{"c1"}},
		{Direction: models.Upgrade, Revision: cic, From: []string{"c1"}, To: []string{"c2"}, Before: []string{"c1"},
			Ops: []models.VersionOp{{Kind: models.OpUpdate, From: "c1", To: "c2"}}, After: []string{"c2"}},
	}}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	seq := &sequenced{}
	g := newGate()
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for r := 0; r < 2; r++ {
		db := open(t, url, WithLockPollInterval(5*time.Millisecond))
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[r] = db.Apply(ctx, plan, g.sink(t, r, seq.sink(r)))
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		t.Fatal("the runners did not finish within 60s: deadlock")
	}
	if (errs[0] == nil) == (errs[1] == nil) || !(errors.Is(errs[0], ErrStaleRows) || errors.Is(errs[1], ErrStaleRows)) {
		t.Fatalf("errors %v and %v; want one success and one stale-rows refusal", errs[0], errs[1])
	}
	if msg := seq.interleaved(); msg != "" {
		t.Errorf("steps interleaved: %s", msg)
	}
	p := newProbe(t, url)
	idx := p.strings("SELECT indexname::text FROM pg_indexes WHERE tablename = 'big' ORDER BY 1")
	valid := p.strings("SELECT bool_and(indisvalid)::text FROM pg_index WHERE indrelid = 'big'::regclass")
	if strings.Join(idx, ",") != "big_id,big_v" || valid[0] != "true" {
		t.Errorf("indexes %v valid %v, want big_id and big_v, valid", idx, valid)
	}
	if got := p.rows(); !eqRows(got, []string{"c2"}) {
		t.Errorf("rows %v, want [c2]", got)
	}
}
