package ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"retort/engine"
	"retort/engine/pgtest"
	"retort/ui/confirm"
)

// slowDir is a versions directory holding slowRevision.
func slowDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "5a0000000001_slow_step.sql"), []byte(slowRevision), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// startSlowRun opens the UI on the slow revision with the given program
// context, runs its upgrade and waits until its pg_sleep statement runs.
func startSlowRun(t *testing.T, ctx context.Context, url string) *session {
	t.Helper()
	s := startUI(t, Config{Context: ctx, Dirs: []string{slowDir(t)}, DB: openDB(t, url)}, 100, 30)
	s.settle()
	s.press("u")
	s.waitModel("the plan", modalAt(confirm.PhaseConfirm))
	s.press("enter")
	s.waitModel("the sleep to start", func(m Model) bool { return m.actions.run != nil && m.actions.modal.Statement() == 1 })
	return s
}

// TestProgramContextStopsRun cancels the program's context (what SIGTERM
// or SIGINT do to retort's) while a statement runs: the run stops after it
// and its step rolls back. q pressed during the run before does nothing.
func TestProgramContextStopsRun(t *testing.T) {
	url := pgtest.NewDatabase(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := startSlowRun(t, ctx, url)
	s.press("q")
	cancel()
	m := s.waitModel("the run to stop", modalAt(confirm.PhaseDone))
	if result := m.actions.modal.Result()[0].Plain(); !strings.Contains(result, engine.ErrCancelled.Error()) {
		t.Fatalf("the outcome %q does not say the run was cancelled", result)
	}
	requireRows(t, url)
	requireNoTable(t, url, "slow_a")
	if m.RunInProgress() {
		t.Fatal("RunInProgress after the run ended")
	}
}

// TestProgramEndsDuringRun ends the program while a statement runs, as
// bubbletea does on SIGTERM: the final model says a run was going, and
// StopRun cancels it, waits for the engine to return, and reports the
// cancellation; the step rolled back.
func TestProgramEndsDuringRun(t *testing.T) {
	url := pgtest.NewDatabase(t)
	s := startSlowRun(t, context.Background(), url)
	m := s.quit()
	if !m.RunInProgress() {
		t.Fatal("the final model does not report the run that was going")
	}
	done := make(chan error, 1)
	go func() { done <- m.StopRun() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("StopRun did not return: the engine is blocked")
	}
	var pe *engine.PartialError
	if !errors.Is(err, engine.ErrCancelled) || !errors.As(err, &pe) || len(pe.Committed) != 0 {
		t.Fatalf("StopRun = %v, want a *engine.PartialError wrapping engine.ErrCancelled with no step committed", err)
	}
	requireRows(t, url)
	requireNoTable(t, url, "slow_a")
	requireNoTable(t, url, "slow_b")
	if err := m.StopRun(); !errors.Is(err, engine.ErrCancelled) {
		t.Fatalf("a second StopRun = %v, want the same result", err)
	}
}
