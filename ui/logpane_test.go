package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"retort/engine/pgtest"
	"retort/ui/confirm"
)

// logFileName is where `w` writes under the tests' fixed clock.
const logFileName = "retort-session-20261124-160211.log"

// TestWriteLog: w writes the whole session log, one tagged line per entry,
// into the configured directory, and says where.
func TestWriteLog(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "logs")
	s := startUI(t, Config{Dirs: []string{fixture("linear")}, LogDir: dir}, 100, 30)
	s.settle()
	s.press("c") // a notice, so that the log holds a warning too
	s.press("w")
	path := filepath.Join(dir, logFileName)
	m := s.waitModel("the log written", func(m Model) bool { return strings.Contains(m.notice.text, "session log written to "+path) })
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	for _, want := range []string{
		"2026-11-24 16:02:11.000  info    loaded 4 revisions from testdata/histories/linear\n",
		"2026-11-24 16:02:11.000  info    no current revision",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the written log lacks %q:\n%s", want, got)
		}
	}
	if n := strings.Count(got, "\n"); n != m.panes.log().Len()-1 {
		// The file was written before its own "written to" line was logged.
		t.Errorf("the file holds %d lines, the log %d entries before the notice:\n%s", n, m.panes.log().Len()-1, got)
	}
}

// TestWriteLogDefaultDir: without a configured directory the log goes to
// the user's state directory, never into the working directory (usually
// the project's repository).
func TestWriteLogDefaultDir(t *testing.T) {
	state, work := t.TempDir(), t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	dirs := []string{filepath.Join(mustAbs(t, "."), fixture("linear"))}
	t.Chdir(work)
	s := startUI(t, Config{Dirs: dirs}, 100, 30)
	s.settle()
	s.press("w")
	path := filepath.Join(state, "retort", logFileName)
	s.waitModel("the log written", func(m Model) bool { return strings.Contains(m.notice.text, "session log written to "+path) })
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(work); len(entries) != 0 {
		t.Fatalf("w wrote into the working directory: %v", entries)
	}
}

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	abs, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// TestLogShowsNoticesAndErrors runs, on PostgreSQL, a revision that raises
// a NOTICE and then one whose statement fails: the Log pane shows the
// notice, and the failure with its SQLSTATE, the server's hint, the file
// and line and the statement.
func TestLogShowsNoticesAndErrors(t *testing.T) {
	dir := t.TempDir()
	writeRevision(t, dir, "a10000000001", "", "say hello",
		"DO $$ BEGIN RAISE NOTICE 'hello from a1'; END $$;", "SELECT 1;")
	writeRevision(t, dir, "b20000000002", "a10000000001", "call a missing function",
		"CREATE TABLE shelves (id INTEGER PRIMARY KEY);\nSELECT no_such_function(1);", "DROP TABLE shelves;")
	url := pgtest.NewDatabase(t)
	s := startUI(t, Config{Dirs: []string{dir}, DB: openDB(t, url)}, 120, 40)
	s.settle()
	for _, id := range []string{"a10000000001", "b20000000002"} {
		s.selectRev(id)
		s.press("u")
		s.waitModel("the plan", modalAt(confirm.PhaseConfirm))
		s.press("enter")
		s.waitModel("the run to end", modalAt(confirm.PhaseDone))
		s.press("esc")
		s.settle()
	}
	m := s.waitModel("the rows a10000000001", stateRows("a10000000001"))
	requireRows(t, url, "a10000000001")
	requireTables(t, url, map[string]bool{"shelves": false})

	for _, want := range []string{
		"NOTICE  hello from a1",
		"failed, rolled back",
		"sqlstate  42883",
		"hint      No function matches the given name and argument types",
		"at        " + filepath.Join(dir, "b20000000002_call_a_missing_function.sql") + ":8",
		"statement SELECT no_such_function(1)",
	} {
		if !logHas(m, want) {
			t.Errorf("the log lacks %q:\n%s", want, m.panes.log().Text())
		}
	}
	// The pane follows the newest lines: grown (L L), it shows the notice
	// and the whole failure.
	s.press("L", "L")
	m = s.waitModel("the Log pane grown", func(m Model) bool { return m.screen.logSize == 2 })
	for _, want := range []string{"NOTICE  hello from a1", "sqlstate  42883", "hint      No function matches", "run stopped"} {
		if !containsLine(m.panes.log().View(), want) {
			t.Errorf("the Log pane does not show %q:\n%s", want, strings.Join(m.panes.log().View(), "\n"))
		}
	}
}

// writeRevision writes a .sql revision file.
func writeRevision(t *testing.T, dir, id, parent, message, up, down string) {
	t.Helper()
	text := "-- Revision ID: " + id + "\n-- Revises: " + parent + "\n-- Create Date: 2026-01-05 09:00:00\n-- Message: " + message +
		"\n\n-- +upgrade\n" + up + "\n\n-- +downgrade\n" + down + "\n"
	name := id + "_" + strings.ReplaceAll(message, " ", "_") + ".sql"
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
