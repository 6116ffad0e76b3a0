package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"retort/engine"
	"retort/engine/pgtest"
	"retort/ui/confirm"
)

// unreachableURL names a port nothing listens on: connecting is refused.
const unreachableURL = "postgres://retort@127.0.0.1:1/nowhere?connect_timeout=5"

// TestOpensWhileTheDatabaseIsUnreachable: the UI opens on the files while
// the database cannot be reached, says so in the status bar (the keys work
// from the first frame: the cursor moves, an action says why it cannot
// run), retries in the background, and works once the database answers.
func TestOpensWhileTheDatabaseIsUnreachable(t *testing.T) {
	url := pgtest.NewDatabase(t)
	var reachable atomic.Bool
	var opened atomic.Pointer[engine.DB]
	t.Cleanup(func() {
		if db := opened.Load(); db != nil {
			_ = db.Close()
		}
	})
	open := func(ctx context.Context) (Engine, error) {
		target := unreachableURL
		if reachable.Load() {
			target = url
		}
		db, err := engine.Open(ctx, target)
		if err != nil {
			return nil, err
		}
		opened.Store(db)
		return db, nil
	}
	s := startUI(t, Config{Dirs: []string{fixture("linear")}, Open: open, DBName: engine.MaskURL(url), Retry: 50 * time.Millisecond}, 120, 36)
	m := s.waitModel("the database unreachable", func(m Model) bool {
		return m.loaded.hist != nil && strings.Contains(statusLine(m), "database unreachable")
	})
	if !strings.Contains(statusLine(m), "retort_test_") {
		t.Errorf("the status bar does not name the database: %q", statusLine(m))
	}
	if !logHas(m, "127.0.0.1") {
		t.Errorf("the log does not say why the database cannot be opened:\n%s", m.panes.log().Text())
	}
	s.press("j")
	s.waitModel("the cursor to move", func(m Model) bool { return m.panes.history().Cursor() == 1 })
	s.press("u")
	m = s.waitModel("the refusal", func(m Model) bool { return m.notice.text != "" })
	if m.mode() != modeNormal || !strings.Contains(m.notice.text, "unreachable") {
		t.Fatalf("u while the database is unreachable: mode %d, notice %q", m.mode(), m.notice.text)
	}

	reachable.Store(true)
	m = s.waitModel("the database read", func(m Model) bool { return settled(m) && m.loaded.db != nil })
	if line := statusLine(m); strings.Contains(line, "unreachable") || !strings.Contains(line, "4 pending") || !strings.Contains(line, "lock free") {
		t.Fatalf("once reachable the status bar says %q", line)
	}
	s.press("U")
	s.waitModel("the plan", modalAt(confirm.PhaseConfirm))
	s.press("enter")
	s.waitModel("the run", modalAt(confirm.PhaseDone))
	requireRows(t, url, "3c0000000003")
}

// TestMissingSQLiteFile: a SQLite file that does not exist (a mistyped
// path) is said in the status bar, with what a run will do, until a run
// creates it.
func TestMissingSQLiteFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mistyped.db")
	url := "sqlite:" + path
	s := startUI(t, Config{Dirs: []string{fixture("linear")}, DB: openDB(t, url), DBFile: path}, 120, 36)
	m := s.settle()
	// The status bar names the file, and says it is not there (in full
	// where the width allows); the log says it in full.
	if line := statusLine(m); !strings.Contains(line, "mistyped.db") || !strings.Contains(line, "current base (no file yet)") &&
		!strings.Contains(line, "current base (mistyped.db does not exist: a run will create it)") {
		t.Fatalf("the status bar says %q", line)
	}
	if !logHas(m, path+" does not exist: the database is empty, and a run will create the file") {
		t.Fatalf("the log does not say the file is missing:\n%s", m.panes.log().Text())
	}
	wide := newDriver(t, Config{Dirs: []string{fixture("linear")}, DB: openDB(t, url), DBFile: path}, 200, 24)
	if line := statusLine(wide.m); !strings.Contains(line, "current base (mistyped.db does not exist: a run will create it)") {
		t.Fatalf("at 200 columns the status bar says %q", line)
	}
	s.selectRev("1a0000000001")
	s.press("u")
	s.waitModel("the plan", modalAt(confirm.PhaseConfirm))
	s.press("enter")
	s.waitModel("the run", modalAt(confirm.PhaseDone))
	s.press("esc")
	m = s.waitModel("the rows", stateRows("1a0000000001"))
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
	if line := statusLine(m); strings.Contains(line, "does not exist") || strings.Contains(line, "no file yet") {
		t.Fatalf("after the run created the file the status bar says %q", line)
	}
}
