package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"retort/models"
)

// TestCancelBetweenStatements: cancelling the context after a statement
// stops before the next one and rolls the step back; the error says it was
// cancelled and what committed; the audit log says cancelled.
func TestCancelBetweenStatements(t *testing.T) {
	dialects(t, func(t *testing.T, url string) {
		revs := chain(2, func(i int) string {
			return fmt.Sprintf("INSERT INTO t%d VALUES (1);\nINSERT INTO t%d VALUES (2);", i, i)
		})
		db := open(t, url)
		p := newProbe(t, url)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		rec := &recorder{}
		err := db.Apply(ctx, upgradeChain(revs, -1, 1), func(e models.Event) {
			rec.sink(e)
			if e.Kind == models.EventStatement && e.Index == 1 {
				cancel()
			}
		})
		var pe *PartialError
		if !errors.As(err, &pe) || !errors.Is(err, ErrCancelled) || !errors.Is(err, context.Canceled) {
			t.Fatalf("Apply returned %v, want a cancelled partial error", err)
		}
		if len(pe.Committed) != 1 || pe.Failed.Revision.ID != "r001" || !strings.Contains(err.Error(), "1 step(s) committed before it: upgrade  -> r000") {
			t.Errorf("error %q: want r001 rolled back after r000 committed", err)
		}
		n := 0
		for _, e := range rec.all() {
			if e.Kind == models.EventStatement && e.Index == 1 {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d statements of the cancelled step ran, want 1", n)
		}
		if p.tableExists("t1") || !eqRows(p.rows(), []string{"r000"}) {
			t.Errorf("t1 %v, rows %v: want the step rolled back", p.tableExists("t1"), p.rows())
		}
		if log := mustLog(t, db, 1); log[0].Outcome != OutcomeCancelled || log[0].Revision != "r001" {
			t.Errorf("newest audit entry %+v, want r001 cancelled", log[0])
		}
		// The connection survived the cancellation.
		if rows, err := db.Current(context.Background()); err != nil || !slices.Equal(rows, []string{"r000"}) {
			t.Errorf("Current after cancel = %v, %v", rows, err)
		}
	})
}

// TestCancelDuringStatement: a cancellation that arrives while a statement
// runs lets the statement finish, then stops and rolls back.
func TestCancelDuringStatement(t *testing.T) {
	url := pgtestDatabase(t)
	rev := makeRev(revSpec{id: "s1", up: "CREATE TABLE s1 (id integer);\nSELECT pg_sleep(0.6);\nINSERT INTO s1 VALUES (1);", down: "DROP TABLE s1;"})
	plan := &models.Plan{Final: []string{"s1"}, Steps: []models.Step{{Direction: models.Upgrade, Revision: rev, To: []string{"s1"},
		Ops: []models.VersionOp{{Kind: models.OpInsert, To: "s1"}}, After: []string{"s1"}}}}
	db := open(t, url)
	p := newProbe(t, url)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rec := &recorder{}
	err := db.Apply(ctx, plan, func(e models.Event) {
		rec.sink(e)
		if e.Kind == models.EventStatement && strings.HasPrefix(e.SQL, "CREATE") {
			time.AfterFunc(150*time.Millisecond, cancel)
		}
	})
	if !errors.Is(err, ErrCancelled) {
		t.Fatalf("Apply returned %v, want cancelled", err)
	}
	var sqls []string
	for _, e := range rec.all() {
		if e.Kind == models.EventStatement {
			sqls = append(sqls, e.SQL)
			if strings.HasPrefix(e.SQL, "SELECT pg_sleep") && e.Duration < 600*time.Millisecond {
				t.Errorf("the sleep took %s: it was interrupted", e.Duration)
			}
		}
	}
	if strings.Join(sqls, ";") != "CREATE TABLE s1 (id integer);SELECT pg_sleep(0.6)" {
		t.Errorf("statements run %q, want the CREATE and the whole sleep, not the INSERT", sqls)
	}
	if p.tableExists("s1") || !eqRows(p.rows(), nil) {
		t.Errorf("table s1 %v, rows %v: want the step rolled back", p.tableExists("s1"), p.rows())
	}
}

// TestCancelWhileWaitingForLock: the wait for the lock ends with the
// context.
func TestCancelWhileWaitingForLock(t *testing.T) {
	dialects(t, func(t *testing.T, url string) {
		holder := open(t, url)
		release := make(chan struct{})
		done := holdLock(t, holder, release)
		defer func() { close(release); <-done }()
		db := open(t, url, WithLockPollInterval(20*time.Millisecond))
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		err := db.Apply(ctx, stampPlan(nil, "x"), nil)
		if !errors.Is(err, ErrCancelled) || !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "held by pid") {
			t.Errorf("Apply = %v, want cancelled while waiting for the lock held by someone", err)
		}
	})
}

// TestNoTransactionStep: a `Transaction: none` step runs its statements in
// autocommit and moves the version row only after all of them succeeded; a
// failure reports how many ran.
func TestNoTransactionStep(t *testing.T) {
	dialects(t, func(t *testing.T, url string) {
		ctx := context.Background()
		revs := chain(1, nil)
		bad := makeRev(revSpec{id: "n1", parents: "r000", noTx: true,
			up: "CREATE TABLE n1a (id integer);\nINSERT INTO nowhere VALUES (1);\nCREATE TABLE n1b (id integer);", down: "DROP TABLE n1a;"})
		step := func(r *models.Revision) models.Step {
			return models.Step{Direction: models.Upgrade, Revision: r, From: []string{"r000"}, To: []string{r.ID}, Before: []string{"r000"},
				Ops: []models.VersionOp{{Kind: models.OpUpdate, From: "r000", To: r.ID}}, After: []string{r.ID}}
		}
		plan := upgradeChain(revs, -1, 0)
		plan.Steps = append(plan.Steps, step(bad))
		db := open(t, url)
		p := newProbe(t, url)
		err := db.Apply(ctx, plan, nil)
		var pe *PartialError
		if !errors.As(err, &pe) || pe.Failure.Ran != 1 || len(pe.Committed) != 1 {
			t.Fatalf("Apply returned %v, want r000 committed and n1 failed after 1 statement", err)
		}
		if !strings.Contains(err.Error(), "1 statement(s) of this non-transactional step had already run and stay applied; the version table was not changed") {
			t.Errorf("error %q does not say what ran", err)
		}
		if !p.tableExists("n1a") || p.tableExists("n1b") || !eqRows(p.rows(), []string{"r000"}) {
			t.Errorf("n1a %v n1b %v rows %v: want n1a only and rows [r000]", p.tableExists("n1a"), p.tableExists("n1b"), p.rows())
		}

		good := makeRev(revSpec{id: "n2", parents: "r000", noTx: true,
			up: "CREATE TABLE n2 (id integer);\nCREATE INDEX n2_id ON n2 (id);", down: "DROP TABLE n2;"})
		if strings.HasPrefix(url, "postgres") {
			good.Upgrade.SQL = "CREATE TABLE n2 (id integer);\nCREATE INDEX CONCURRENTLY n2_id ON n2 (id);\n"
		}
		rec := &recorder{}
		if err := db.Apply(ctx, &models.Plan{Steps: []models.Step{step(good)}}, rec.sink); err != nil {
			t.Fatal(err)
		}
		if !eqRows(p.rows(), []string{"n2"}) {
			t.Errorf("rows %v, want [n2]", p.rows())
		}
		if got := strings.Join(rec.kinds(), ","); got != "lock-acquired,step-started,statement,statement,step-done,run-done" {
			t.Errorf("events %s", got)
		}
	})
}
