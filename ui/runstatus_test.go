package ui

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"retort/engine/pgtest"
	"retort/models"
	"retort/revisions"
	"retort/ui/confirm"
)

// holdUsers opens a transaction that reads the users table and keeps it
// open: INSERTs go on, but ALTER TABLE users waits until release is
// called.
func holdUsers(t *testing.T, url string) (release func()) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "BEGIN; SELECT count(*) FROM users"); err != nil {
		t.Fatal(err)
	}
	done := false
	release = func() {
		if !done {
			done = true
			_, _ = conn.Exec(ctx, "ROLLBACK")
			_ = conn.Close(ctx)
		}
	}
	t.Cleanup(release)
	return release
}

// statusLine is the first line of the screen.
func statusLine(m Model) string { return strings.SplitN(m.View(), "\n", 2)[0] }

// TestStatusDuringRun: while a plan runs, the status bar follows it: after
// the first step committed it names the revision that step reached and one
// pending, not the state before the run.
func TestStatusDuringRun(t *testing.T) {
	url := pgtest.NewDatabase(t)
	db := openDB(t, url)
	upgradeTo(t, db, fixture("linear"), "2b0000000002")
	s := startUI(t, Config{Dirs: []string{fixture("linear")}, DB: db}, 120, 36)
	s.settle()
	release := holdUsers(t, url) // the second step, ALTER TABLE users, waits
	s.planOf("4d0000000004", "U")
	s.press("enter")
	m := s.waitModel("the first step committed", func(m Model) bool {
		return m.actions.running() && m.loaded.db != nil && slices.Equal(m.loaded.db.Rows, []string{"3c0000000003"})
	})
	if line := statusLine(m); !strings.Contains(line, "current 3c000000") || !strings.Contains(line, "1 pending") {
		t.Fatalf("during the second step the status bar says %q", line)
	}
	release()
	s.waitModel("the run to end", modalAt(confirm.PhaseDone))
	s.press("esc")
	m = s.waitModel("the rows 4d", stateRows("4d0000000004"))
	if line := statusLine(m); !strings.Contains(line, "current 4d000000") || !strings.Contains(line, "0 pending") {
		t.Fatalf("after the run the status bar says %q", line)
	}
}

// TestStatusWhileAnotherRunnerHoldsTheLock: a run that waits for the
// migration lock shows who holds it in the status bar (not "this
// session"); ctrl+c stops the wait, and the outcome says so in words,
// without Go's "context canceled".
func TestStatusWhileAnotherRunnerHoldsTheLock(t *testing.T) {
	url := pgtest.NewDatabase(t)
	db := openDB(t, url)
	upgradeTo(t, db, fixture("linear"), "3c0000000003")
	s := startUI(t, Config{Dirs: []string{fixture("linear")}, DB: db}, 120, 36)
	s.settle()

	// Another runner takes the lock and waits in ALTER TABLE users
	// (released before the other runner's connection is closed, at the
	// end of a failed test too: cleanups run last registered first).
	other := openDB(t, url)
	release := holdUsers(t, url)
	g, err := revisions.Load(fixture("linear"))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := revisions.Upgrade(g, []string{"3c0000000003"}, "4d0000000004")
	if err != nil {
		t.Fatal(err)
	}
	otherDone := make(chan error, 1)
	locked := make(chan struct{})
	go func() {
		var once bool
		otherDone <- other.Apply(context.Background(), plan, func(ev models.Event) {
			if ev.Kind == models.EventLockAcquired && !once {
				once = true
				close(locked)
			}
		})
	}()
	<-locked

	s.planOf("4d0000000004", "u")
	s.press("enter")
	m := s.waitModel("the wait for the lock", func(m Model) bool {
		return m.actions.running() && strings.Contains(statusLine(m), "held by")
	})
	if line := statusLine(m); strings.Contains(line, "this session") || !strings.Contains(line, "waiting for the lock, held by pid") {
		t.Fatalf("while waiting for the lock the status bar says %q", line)
	}
	s.press("ctrl+c")
	m = s.waitModel("the run to stop", modalAt(confirm.PhaseDone))
	result := strings.Join(plainLines(m.actions.modal.Result()), "\n")
	for what, text := range map[string]string{"the outcome": result, "the log": m.panes.log().Text()} {
		if strings.Contains(text, "context canceled") {
			t.Errorf("%s quotes Go's context error:\n%s", what, text)
		}
	}
	if !strings.Contains(result, "cancelled") || !strings.Contains(result, "waiting for the lock") {
		t.Errorf("the outcome does not say the wait was cancelled:\n%s", result)
	}
	release()
	if err := <-otherDone; err != nil {
		t.Fatalf("the other runner: %v", err)
	}
	requireRows(t, url, "4d0000000004")
}
