package engine

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"retort/models"
)

// readAll reads a run's events until Next says nothing more will come.
func readAll(t *testing.T, r *Run, max int) []models.Event {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out []models.Event
	for {
		evs, ok := r.Next(ctx, max)
		if max > 0 && len(evs) > max {
			t.Fatalf("Next returned %d events, at most %d asked", len(evs), max)
		}
		out = append(out, evs...)
		if !ok {
			if ctx.Err() != nil {
				t.Fatal("the run's events did not end")
			}
			return out
		}
	}
}

func kindsOf(evs []models.Event) string {
	var out []string
	for _, e := range evs {
		out = append(out, e.Kind.String())
	}
	return strings.Join(out, ",")
}

// TestStart: Next carries the run's events in order and says when the
// last (EventRunDone, with Apply's error) was read; Wait returns the same
// error; the DB refuses reads while the run holds it.
func TestStart(t *testing.T) {
	dialects(t, func(t *testing.T, url string) {
		db := open(t, url)
		revs := chain(2, nil)
		busy := make(chan bool, 1)
		r := StartRun(context.Background(), func(ctx context.Context, sink func(models.Event)) error {
			return db.Apply(ctx, upgradeChain(revs, -1, 1), func(e models.Event) {
				sink(e)
				if e.Kind == models.EventStepDone && e.Index == 0 {
					_, err := db.Current(context.Background())
					busy <- errors.Is(err, ErrBusy)
				}
			})
		})
		evs := readAll(t, r, 2)
		want := "lock-acquired,step-started,statement,step-done,step-started,statement,step-done,run-done"
		if got := kindsOf(evs); got != want || evs[len(evs)-1].Err != nil || r.Wait() != nil {
			t.Errorf("events %s (last error %v, Wait %v), want %s", got, evs[len(evs)-1].Err, r.Wait(), want)
		}
		if !<-busy {
			t.Error("Current during a run did not report ErrBusy")
		}
		// A refused run: the last event and Wait carry the error.
		r = db.Start(context.Background(), upgradeChain(revs, -1, 1))
		evs = readAll(t, r, 0)
		last := evs[len(evs)-1]
		if last.Kind != models.EventRunDone || !errors.Is(last.Err, ErrStaleRows) || !errors.Is(r.Wait(), ErrStaleRows) {
			t.Errorf("last event of a refused run: %s %v; Wait %v", last.Kind, last.Err, r.Wait())
		}
	})
}

// TestRunNeverWaitsForItsReader: a run whose reader never reads goes to its
// end; its events, read afterwards, are all there; a reader whose context
// ends stops waiting.
func TestRunNeverWaitsForItsReader(t *testing.T) {
	db := open(t, pgtestDatabase(t))
	revs := chain(30, nil)
	r := db.Start(context.Background(), upgradeChain(revs, -1, 29))
	select {
	case <-r.Done():
	case <-time.After(time.Minute):
		t.Fatal("the run waited for a reader that never read")
	}
	if err := r.Wait(); err != nil {
		t.Fatal(err)
	}
	evs := readAll(t, r, 0)
	if len(evs) != 1+30*3+1 || evs[len(evs)-1].Kind != models.EventRunDone {
		t.Errorf("%d events read after the run, want %d ending with run-done", len(evs), 1+30*3+1)
	}
	ctx, cancel := context.WithCancel(context.Background())
	stuck := StartRun(context.Background(), func(ctx context.Context, sink func(models.Event)) error {
		<-ctx.Done()
		return nil
	})
	cancel()
	if evs, ok := stuck.Next(ctx, 0); ok || len(evs) != 0 {
		t.Errorf("Next with an ended context: %v, %v", evs, ok)
	}
}

// TestRunCancelledByItsContext: ending Start's context cancels the run, as
// for Apply: the step in progress rolls back and the result says so.
func TestRunCancelledByItsContext(t *testing.T) {
	url := pgtestDatabase(t)
	db := open(t, url)
	revs := chain(2, func(i int) string { return "SELECT pg_sleep(0.3);" })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := db.Start(ctx, upgradeChain(revs, -1, 1))
	for evs, ok := r.Next(context.Background(), 0); ok; evs, ok = r.Next(context.Background(), 0) {
		for _, e := range evs {
			if e.Kind == models.EventStepStarted {
				cancel()
			}
		}
	}
	var pe *PartialError
	if err := r.Wait(); !errors.As(err, &pe) || !errors.Is(err, ErrCancelled) || len(pe.Committed) != 0 {
		t.Errorf("Wait = %v, want a cancelled run with nothing committed", err)
	}
	if got := newProbe(t, url).rows(); len(got) != 0 {
		t.Errorf("rows %v after the cancelled run", got)
	}
}

// TestRunKeepsStepEventsOfASlowReader: beyond the limit of unread events,
// statement and notice events are dropped, with a warning saying how many,
// and every step event and the end are kept.
func TestRunKeepsStepEventsOfASlowReader(t *testing.T) {
	r := startRun(context.Background(), 5, func(_ context.Context, sink func(models.Event)) error {
		for i := range 3 {
			sink(models.Event{Kind: models.EventStepStarted, Index: i})
			for range 4 {
				sink(models.Event{Kind: models.EventStatement, Index: i})
			}
			sink(models.Event{Kind: models.EventStepDone, Index: i})
		}
		sink(models.Event{Kind: models.EventRunDone, Index: -1})
		return nil
	})
	if err := r.Wait(); err != nil {
		t.Fatal(err)
	}
	evs := readAll(t, r, 0)
	want := "step-started,statement,statement,statement,statement,step-done," +
		"step-started,notice,step-done,step-started,notice,step-done,run-done"
	if got := kindsOf(evs); got != want {
		t.Fatalf("events %s, want %s", got, want)
	}
	for _, k := range []int{7, 10} {
		if e := evs[k]; e.Severity != "WARNING" || e.Index != k/4 ||
			e.Message != "retort: 4 statement and notice events were not kept: the reader fell behind" {
			t.Errorf("event %d: %+v", k, e)
		}
	}
}
