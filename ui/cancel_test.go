package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"retort/engine"
	"retort/engine/pgtest"
	"retort/ui/confirm"
)

// slowRevision runs a statement, sleeps in a second one, then runs a third:
// ctrl+c pressed during the sleep must stop the run before the third and
// roll the first back.
const slowRevision = `-- Revision ID: 5a0000000001
-- Revises:
-- Message: slow step

-- +upgrade
CREATE TABLE slow_a (id INTEGER);
SELECT pg_sleep(1.5);
CREATE TABLE slow_b (id INTEGER);

-- +downgrade
DROP TABLE slow_b;
DROP TABLE slow_a;
`

// TestCtrlCRollsBack presses ctrl+c while a pg_sleep statement runs: the
// run stops after it, the step rolls back, the database is untouched, and
// the program is still running.
func TestCtrlCRollsBack(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "5a0000000001_slow_step.sql"), []byte(slowRevision), 0o644); err != nil {
		t.Fatal(err)
	}
	url := pgtest.NewDatabase(t)
	s := startUI(t, Config{Dirs: []string{dir}, DB: openDB(t, url)}, 100, 30)
	s.settle()
	s.press("u")
	s.waitModel("the plan", modalAt(confirm.PhaseConfirm))
	s.press("enter")
	s.waitModel("the sleep to start", func(m Model) bool { return m.actions.run != nil && m.actions.modal.Statement() == 1 })
	s.press("ctrl+c")
	m := s.waitModel("the run to stop", modalAt(confirm.PhaseDone))
	if m.actions.run != nil || !m.actions.modal.Cancelling() {
		t.Fatalf("run %v, cancelling %v after ctrl+c", m.actions.run, m.actions.modal.Cancelling())
	}
	if result := m.actions.modal.Result()[0].Plain(); !strings.Contains(result, engine.ErrCancelled.Error()) {
		t.Fatalf("the outcome %q does not say the run was cancelled", result)
	}
	if !logHas(m, "failed, rolled back") {
		t.Fatalf("the log does not report the rollback:\n%s", m.panes.log().Text())
	}
	requireRows(t, url)
	requireNoTable(t, url, "slow_a")
	requireNoTable(t, url, "slow_b")
	s.press("esc")
	s.waitModel("the modal closed, the program still running", stateRows())
}

// requireNoTable checks with a connection of its own that a table does not
// exist.
func requireNoTable(t *testing.T, url, table string) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var found bool
	if err := conn.QueryRow(context.Background(), "SELECT to_regclass($1) IS NOT NULL", table).Scan(&found); err != nil {
		t.Fatal(err)
	}
	if found {
		t.Fatalf("table %s exists: the cancelled step did not roll back", table)
	}
}
