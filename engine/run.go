package engine

import (
	"context"
	"fmt"
	"sync"

	"retort/models"
)

// maxUnread bounds the events a Run keeps for a reader that falls behind.
const maxUnread = 1 << 16

// Run is a plan running in the background (Start), its events queued for
// one reader (Next) in the order they happened.
//
// The run never waits for its reader: a reader that is slow, or went away,
// cannot hold a step's transaction open, and the run ends when it ends
// (after a cancellation of its context: at the end of the statement that is
// running, and the step's rollback). Events wait in memory until they are
// read, and go with the Run when nobody reads them. A reader that falls
// behind by more than 65,536 events loses statement and notice events
// beyond that (a WARNING notice says how many, before the next event kept);
// the events of the lock, the steps and the run's end are always kept, so
// that the reader learns every step's outcome, and the run's result is
// Wait's whatever was read.
type Run struct {
	mu     sync.Mutex
	unread []models.Event
	// dropped counts the statement and notice events not kept since the
	// last event kept; limit is maxUnread (smaller in tests).
	dropped, limit int
	// more has a token when events were queued since the reader last
	// looked; done is closed when the run ended, err its result.
	more chan struct{}
	done chan struct{}
	err  error
}

// Start runs the plan as Apply does, in a goroutine, and returns at once.
// Cancelling ctx cancels the run; Next reads its events, Wait its result.
func (db *DB) Start(ctx context.Context, plan *models.Plan) *Run {
	return StartRun(ctx, func(ctx context.Context, sink func(models.Event)) error {
		return db.Apply(ctx, plan, sink)
	})
}

// StartRun runs apply, a function that reports a run's events as Apply
// does (its last EventRunDone) and returns its result, as Start runs
// Apply: a reader of a DB and one of a stand-in for it (a test's scripted
// run) read the same way.
func StartRun(ctx context.Context, apply func(ctx context.Context, sink func(models.Event)) error) *Run {
	return startRun(ctx, maxUnread, apply)
}

func startRun(ctx context.Context, limit int, apply func(context.Context, func(models.Event)) error) *Run {
	r := &Run{limit: limit, more: make(chan struct{}, 1), done: make(chan struct{})}
	go func() {
		defer close(r.done)
		r.err = apply(ctx, r.push)
	}()
	return r
}

// push queues an event for the reader.
func (r *Run) push(ev models.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.unread) >= r.limit && (ev.Kind == models.EventStatement || ev.Kind == models.EventNotice) {
		r.dropped++
		return
	}
	if r.dropped > 0 {
		r.unread = append(r.unread, models.Event{Kind: models.EventNotice, Time: ev.Time, Index: ev.Index, Total: ev.Total,
			Step: ev.Step, Severity: "WARNING",
			Message: fmt.Sprintf("retort: %d statement and notice events were not kept: the reader fell behind", r.dropped)})
		r.dropped = 0
	}
	r.unread = append(r.unread, ev)
	select {
	case r.more <- struct{}{}:
	default:
	}
}

// Next returns the events not read yet, at most max of them (max <= 0:
// all), waiting until there is one. ok is false when nothing more will
// come (the run ended and every event was read, the last being
// EventRunDone) and when ctx ended first. One reader at a time.
func (r *Run) Next(ctx context.Context, max int) (events []models.Event, ok bool) {
	for {
		r.mu.Lock()
		if n := len(r.unread); n > 0 {
			if max <= 0 || max > n {
				max = n
			}
			events = r.unread[:max:max]
			r.unread = r.unread[max:]
			if len(r.unread) == 0 {
				r.unread = nil // the next event starts a new array
			}
			r.mu.Unlock()
			return events, true
		}
		r.mu.Unlock()
		select {
		case <-r.done:
			// Every event was queued before done closed: look once more.
			r.mu.Lock()
			empty := len(r.unread) == 0
			r.mu.Unlock()
			if empty {
				return nil, false
			}
		case <-r.more:
		case <-ctx.Done():
			return nil, false
		}
	}
}

// Done is closed when the run ended.
func (r *Run) Done() <-chan struct{} { return r.done }

// Wait waits for the run to end and returns its result: Apply's.
func (r *Run) Wait() error {
	<-r.done
	return r.err
}
