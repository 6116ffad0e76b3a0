package engine

import (
	"context"
	"fmt"
	"sync"
)

// connGate serialises the use of a DB's one connection. A run (Apply, Start)
// holds it for its whole length; a read (Current, Log, LockHolder...) holds
// it for one query or two. Whoever finds the gate held by a read waits for
// it, as long as its context allows: the UI polls the lock holder and reads
// state every few seconds, and a run confirmed at that moment must not be
// refused. Whoever finds it held by a run gets ErrBusy at once: a migration
// can take hours, and a read must not hang behind it, nor a second run start
// after it on a plan that is stale by then.
type connGate struct {
	mu sync.Mutex
	// held: someone uses the connection; running: that someone is a run.
	held, running bool
	// free is closed when the current holder leaves.
	free chan struct{}
	// waiting counts the callers of enter waiting for a read to end, so
	// that a test can tell when one is.
	waiting int
}

// enter takes the gate for a read (run false) or a run (run true).
func (g *connGate) enter(ctx context.Context, run bool) error {
	for {
		g.mu.Lock()
		if g.running {
			g.mu.Unlock()
			return ErrBusy
		}
		if !g.held {
			g.held, g.running, g.free = true, run, make(chan struct{})
			g.mu.Unlock()
			return nil
		}
		free := g.free
		g.waiting++
		g.mu.Unlock()
		err := g.wait(ctx, free)
		g.mu.Lock()
		g.waiting--
		g.mu.Unlock()
		if err != nil {
			return err
		}
	}
}

// wait waits for free to close or ctx to end.
func (g *connGate) wait(ctx context.Context, free <-chan struct{}) error {
	select {
	case <-free:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("%w while waiting for a read on the connection to end: %w", ErrCancelled, ctx.Err())
	}
}

// waiters is how many callers of enter are waiting.
func (g *connGate) waiters() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.waiting
}

// enterAlways takes the gate even behind a run (Close waits for the run).
func (g *connGate) enterAlways() {
	for {
		g.mu.Lock()
		if !g.held {
			g.held, g.free = true, make(chan struct{})
			g.mu.Unlock()
			return
		}
		free := g.free
		g.mu.Unlock()
		<-free
	}
}

// leave releases the gate and wakes every waiter.
func (g *connGate) leave() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.held, g.running = false, false
	close(g.free)
}
