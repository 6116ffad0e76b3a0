package gate

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestGate: a read waits for a read, a run waits for a read, anything
// behind a run is refused at once, EnterAlways waits even for a run, and a
// waiter whose context ends stops waiting.
func TestGate(t *testing.T) {
	var g Gate
	if err := g.Enter(context.Background(), false); err != nil {
		t.Fatal(err)
	}
	entered := make(chan error, 1)
	go func() { entered <- g.Enter(context.Background(), true) }()
	for g.Waiters() != 1 {
		time.Sleep(time.Millisecond)
	}
	short, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := g.Enter(short, false); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a read behind a read with an ending context: %v", err)
	}
	g.Leave()
	if err := <-entered; err != nil {
		t.Fatalf("the run behind the read: %v", err)
	}
	if err := g.Enter(context.Background(), false); !errors.Is(err, ErrRunning) {
		t.Errorf("a read behind a run: %v, want ErrRunning", err)
	}
	closed := make(chan struct{})
	go func() { g.EnterAlways(); close(closed) }()
	select {
	case <-closed:
		t.Fatal("EnterAlways did not wait for the run")
	case <-time.After(20 * time.Millisecond):
	}
	g.Leave()
	<-closed
	g.Leave()
}
