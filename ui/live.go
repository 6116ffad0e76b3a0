package ui

import (
	"context"
	"sync"

	"retort/models"
)

// liveRun is the goroutine that runs a plan with the engine. Its events
// reach the UI through events, which the engine waits on; once the program
// has ended nobody reads them, so abandon lets the engine go on to its end
// (after a cancellation, the end of the statement that is running and the
// step's rollback) without blocking, and done says when Apply returned.
type liveRun struct {
	events chan models.Event
	// done is closed when Apply returned; err is its result, readable
	// once done is closed.
	done chan struct{}
	err  error
	// gone is closed when the UI stopped reading events.
	gone     chan struct{}
	goneOnce sync.Once
}

// eventBuffer lets the engine run a little ahead of the screen.
const eventBuffer = 64

// startRun starts running plan on db under ctx and returns at once. When
// program, the program's context, ends, the UI is gone or going: events
// are dropped from then on, so that the engine never blocks on a screen
// that will not read them (even when the program ended without a model to
// call StopRun on, after a panic).
func startRun(ctx, program context.Context, db Engine, plan *models.Plan) *liveRun {
	r := &liveRun{events: make(chan models.Event, eventBuffer), done: make(chan struct{}), gone: make(chan struct{})}
	go func() {
		select {
		case <-program.Done():
			r.goneOnce.Do(func() { close(r.gone) })
		case <-r.done:
		}
	}()
	go func() {
		defer close(r.events)
		r.err = db.Apply(ctx, plan, r.send)
		close(r.done)
	}()
	return r
}

// send hands an event to the UI, or drops it when the UI is gone.
func (r *liveRun) send(ev models.Event) {
	select {
	case r.events <- ev:
	case <-r.gone:
	}
}

// abandon says nobody reads the events any more, and waits for Apply to
// return.
func (r *liveRun) abandon() error {
	r.goneOnce.Do(func() { close(r.gone) })
	<-r.done
	return r.err
}

// RunInProgress reports whether a run was still going in this model: on the
// model a program returns, a run the program's end interrupted (SIGTERM,
// SIGINT, a closed terminal). The caller must then call StopRun.
func (m Model) RunInProgress() bool { return m.actions.running() }

// StopRun cancels the run still going in this model and waits until the
// engine returned: it stops after the statement that is running and rolls
// that step back, and steps that committed before stay committed. It
// returns the run's result: nil when the run reached its end anyway, else
// Apply's error (a *engine.PartialError wrapping engine.ErrCancelled for a
// run stopped in its course). Without a run it returns nil at once. Call it
// on the final model, once the program has ended: the events nobody will
// show are dropped.
func (m Model) StopRun() error {
	run := m.actions.run
	if run == nil {
		return nil
	}
	run.cancel()
	return run.live.abandon()
}
