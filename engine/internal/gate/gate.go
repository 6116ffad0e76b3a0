// Package gate serialises the use of one connection between runs and reads.
// A run holds the gate for its whole length; a read holds it for one query
// or two. Whoever finds the gate held by a read waits for it, as long as its
// context allows: the UI polls the lock holder and reads state every few
// seconds, and a run confirmed at that moment must not be refused. Whoever
// finds it held by a run gets ErrRunning at once: a migration can take
// hours, and a read must not hang behind it, nor a second run start after it
// on a plan that is stale by then.
package gate

import (
	"context"
	"errors"
	"sync"
)

// ErrRunning: the gate is held by a run.
var ErrRunning = errors.New("a run holds the connection")

// Gate is the gate of one connection. The zero value is open.
type Gate struct {
	mu sync.Mutex
	// held: someone uses the connection; running: that someone is a run.
	held, running bool
	// free is closed when the current holder leaves.
	free chan struct{}
	// waiting counts the callers of Enter waiting for a read to end, so
	// that a test can tell when one is.
	waiting int
}

// Enter takes the gate for a read (run false) or a run (run true). It
// returns ErrRunning when a run holds it, and ctx's error when ctx ended
// while it waited for a read.
func (g *Gate) Enter(ctx context.Context, run bool) error {
	for {
		g.mu.Lock()
		if g.running {
			g.mu.Unlock()
			return ErrRunning
		}
		if !g.held {
			g.held, g.running, g.free = true, run, make(chan struct{})
			g.mu.Unlock()
			return nil
		}
		free := g.free
		g.waiting++
		g.mu.Unlock()
		var err error
		select {
		case <-free:
		case <-ctx.Done():
			err = ctx.Err()
		}
		g.mu.Lock()
		g.waiting--
		g.mu.Unlock()
		if err != nil {
			return err
		}
	}
}

// Waiters is how many callers of Enter are waiting.
func (g *Gate) Waiters() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.waiting
}

// EnterAlways takes the gate even behind a run (closing the connection
// waits for the run).
func (g *Gate) EnterAlways() {
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

// Leave releases the gate and wakes every waiter.
func (g *Gate) Leave() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.held, g.running = false, false
	close(g.free)
}
