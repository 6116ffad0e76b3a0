package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5"

	"retort/engine/pgtest"
)

// slowStep creates a table, sleeps, and creates another: a signal that
// arrives during the sleep must leave neither table.
const slowStep = `-- Revision ID: 5a0000000001
-- Revises:
-- Message: slow step

-- +upgrade
CREATE TABLE slow_a (id INTEGER);
SELECT pg_sleep(2);
CREATE TABLE slow_b (id INTEGER);

-- +downgrade
DROP TABLE slow_b;
DROP TABLE slow_a;
`

// TestTUISignalDuringRun sends SIGTERM, then in another run SIGINT, to the
// retort process while a step of the UI's run sleeps: the run stops after
// the statement, the step rolls back, retort says so on stderr with the
// version table's rows, and exits with a non-zero status.
func TestTUISignalDuringRun(t *testing.T) {
	bin := buildRetort(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "5a0000000001_slow_step.sql"), []byte(slowStep), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			url := pgtest.NewDatabase(t)
			pidFile := filepath.Join(t.TempDir(), "pid")
			// The shell writes its pid, then becomes retort.
			s := startTmux(t, t.TempDir(), 120, 36, nil,
				"sh", "-c", `echo $$ > "$0"; exec "$@"`, pidFile, bin, "--dir", dir, "--db", url)
			s.waitText("current base (no version rows)")
			s.keys("u")
			s.waitText("Press enter (or y) to run")
			s.keys("Enter")
			s.waitText("statement 2 of 3: SELECT pg_sleep(2)")
			if err := syscall.Kill(readPid(t, pidFile), sig); err != nil {
				t.Fatal(err)
			}
			joined := func() string { return s.tmux("capture-pane", "-p", "-J", "-t", "retort") }
			s.waitFor("retort to exit", func(string) bool { return strings.Contains(joined(), "[exited ") })
			out := joined()
			for _, want := range []string{
				"retort: stopping the run after the statement in progress",
				"retort: interrupted during a run; the step in progress was rolled back",
				"the version table says: base (no version rows)",
				"[exited 1]",
			} {
				if !strings.Contains(out, want) {
					t.Fatalf("after %s the screen lacks %q:\n%s", sig, want, out)
				}
			}
			wantRows(t, url)
			requireNoTables(t, url, "slow_a", "slow_b")
		})
	}
}

// TestTUISignalWhenIdle sends SIGTERM to an idle UI: it restores the
// terminal and exits at once, with status 0 since nothing was interrupted.
func TestTUISignalWhenIdle(t *testing.T) {
	bin := buildRetort(t)
	dir, err := filepath.Abs("../examples/library")
	if err != nil {
		t.Fatal(err)
	}
	pidFile := filepath.Join(t.TempDir(), "pid")
	s := startTmux(t, t.TempDir(), 120, 36, nil,
		"sh", "-c", `echo $$ > "$0"; exec "$@"`, pidFile, bin, "--dir", dir, "--db", pgtest.NewDatabase(t))
	s.waitText("current base (no version rows)", "add the patron locale")
	if err := syscall.Kill(readPid(t, pidFile), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	s.waitText("[exited 0]")
}

// readPid reads the pid the shell wrapping retort wrote before it exec'd.
func readPid(t *testing.T, path string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatalf("pid file %s: %v", path, err)
	}
	return pid
}

// requireNoTables checks that the cancelled step's tables do not exist.
func requireNoTables(t *testing.T, url string, tables ...string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, table := range tables {
		var found bool
		if err := conn.QueryRow(ctx, "SELECT to_regclass($1) IS NOT NULL", table).Scan(&found); err != nil {
			t.Fatal(err)
		}
		if found {
			t.Fatalf("table %s exists: the interrupted step did not roll back", table)
		}
	}
}
