package e2e

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"retort/engine"
	"retort/engine/pgtest"
)

// The library example's first two revisions and the head.
const (
	libraryBase   = "6104eb2df7b3"
	librarySecond = "ac3724483461"
	libraryHead   = "dd2e9516bcc5"
)

// versionRows reads the version table of url.
func versionRows(t *testing.T, url string) []string {
	t.Helper()
	ctx := context.Background()
	db, err := engine.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func wantRows(t *testing.T, url string, want ...string) {
	t.Helper()
	if got := versionRows(t, url); !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
		t.Fatalf("version rows %q, want %q", got, want)
	}
}

// TestTUIEndToEnd runs the built binary in tmux against a real PostgreSQL,
// as a user would: open the example history, move to the base revision,
// upgrade step by step, then downgrade through the guarded confirmation, and
// read the screen for the log pane and the current-revision marker.
func TestTUIEndToEnd(t *testing.T) {
	bin := buildRetort(t)
	url := pgtest.NewDatabase(t)
	dir, err := filepath.Abs("../examples/library")
	if err != nil {
		t.Fatal(err)
	}
	s := startTmux(t, t.TempDir(), 120, 36, nil, bin, "--dir", dir, "--db", url)
	s.waitText("current base (no version rows)", "add the patron locale")

	// G moves to the oldest revision; u upgrades one step toward it.
	s.keys("G")
	s.keys("u")
	s.waitText("Press enter (or y) to run")
	s.keys("Enter")
	s.waitText("current " + libraryBase[:8])
	wantRows(t, url, libraryBase)
	s.keys("Escape")
	scr := s.waitFor("the log pane to show the step", func(scr string) bool {
		return paneLine(scr, "│", "INSERT INTO libraries") != "" && paneLine(scr, "│", "run done") != ""
	})
	if l := paneLine(scr, "┃", libraryBase[:8]); !strings.Contains(l, "◉") || !strings.Contains(l, "current") {
		t.Errorf("the base revision's row does not carry the current marker ◉:\n%s", scr)
	}

	// The selection is applied, so u goes one step toward the head.
	s.keys("u")
	s.waitText("Press enter (or y) to run")
	s.keys("y")
	s.waitText("current " + librarySecond[:8])
	wantRows(t, url, librarySecond)
	s.keys("Escape")
	scr = s.waitFor("the markers to move", func(scr string) bool {
		return strings.Contains(paneLine(scr, "┃", librarySecond[:8]), "◉")
	})
	if l := paneLine(scr, "┃", libraryBase[:8]); !strings.Contains(l, "●") {
		t.Errorf("the base revision's row should show it applied (●) once it is no longer current:\n%s", scr)
	}

	// d downgrades one step, guarded: a wrong id runs nothing.
	s.keys("d")
	s.waitText("Type " + libraryBase + " to downgrade")
	s.typeText("ffff")
	s.keys("Enter")
	s.waitText("is not " + libraryBase + ": nothing ran")
	wantRows(t, url, librarySecond)
	s.keys("BSpace", "BSpace", "BSpace", "BSpace")
	s.typeText(libraryBase)
	s.keys("Enter")
	s.waitText("current " + libraryBase[:8])
	wantRows(t, url, libraryBase)
	s.keys("Escape")
	s.waitFor("the log pane to show the downgrade", func(scr string) bool {
		return paneLine(scr, "│", "DROP TABLE") != ""
	})

	// esc before running leaves the database alone, even with the right
	// id typed; enter afterwards does not bring the plan back.
	s.keys("d")
	s.waitText("Type base to downgrade")
	s.typeText("base")
	s.keys("Escape")
	s.waitFor("the cancellation in the log", func(scr string) bool {
		return paneLine(scr, "│", "cancelled: nothing ran") != ""
	})
	s.keys("Enter")
	s.keys("y")
	// Keys are handled in order: once the help screen shows, enter and y
	// were handled, and neither opened a plan (the help would not show
	// over a modal).
	s.keys("?")
	s.waitText("Selection: the row under")
	s.keys("Escape")
	// The help screen names the panes too: wait for it to be gone, or q
	// would only close it.
	scr = s.waitFor("the help screen closed", func(scr string) bool {
		return !strings.Contains(scr, "Selection: the row under") && strings.Contains(scr, "current "+libraryBase[:8])
	})
	if l := paneLine(scr, "│", "DROP TABLE libraries"); l != "" {
		t.Errorf("the cancelled downgrade ran: %s", l)
	}
	wantRows(t, url, libraryBase)

	s.keys("q")
	s.waitText("[exited 0]")
}

// TestTUINoColor runs the binary in tmux with and without NO_COLOR and reads
// the screen with its attributes (capture-pane -e): with NO_COLOR there is
// no colour, bold or reverse at all, and the graph still shows its glyphs.
func TestTUINoColor(t *testing.T) {
	bin := buildRetort(t)
	dir, err := filepath.Abs("../examples/library")
	if err != nil {
		t.Fatal(err)
	}
	for _, noColor := range []bool{false, true} {
		// termenv takes a set CI for "not a terminal" and CLICOLOR=0 for
		// NO_COLOR, so both are unset: a CI machine sets CI, and with it
		// the check without NO_COLOR would fail and the one with it could
		// not.
		env := []string{"env", "-u", "CI", "-u", "CLICOLOR", "-u", "CLICOLOR_FORCE", "-u", "NO_COLOR"}
		if noColor {
			env = append(env, "NO_COLOR=1")
		}
		db := "sqlite:" + filepath.Join(t.TempDir(), "app.db")
		s := startTmux(t, t.TempDir(), 100, 30, nil, append(env, bin, "--dir", dir, "--db", db)...)
		s.waitText("add the patron locale", "lock free")
		scr := s.tmux("capture-pane", "-e", "-p", "-t", "retort")
		if got := strings.Contains(scr, "\x1b["); got == noColor {
			t.Errorf("NO_COLOR set: %v; escape sequences on the screen: %v:\n%q", noColor, got, scr)
		}
		if !strings.Contains(scr, "○") || !strings.Contains(scr, "▶") {
			t.Errorf("the graph's glyphs are missing:\n%s", scr)
		}
		s.keys("q")
		s.waitText("[exited 0]")
	}
}
