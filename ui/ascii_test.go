package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"

	"retort/engine"
	"retort/pgparse/pgparsetest"
	"retort/scratch"
)

// asciiScreens drives the UI with --ascii through every view, at 120x36
// and 80x24, and returns each screen by name: the main screen on every
// revision of the branches fixture (the Detail pane of each, a merge, a
// branch point, a base), the search box and the prompts, the help screen
// page by page, the action modal in each of its phases, the audit log and
// an entry of it, the notices, and the status bar's notices. The fixtures'
// texts are ASCII, so that anything else on a screen is drawn by the UI.
func asciiScreens(t *testing.T, w, h int) map[string]string {
	t.Helper()
	screens := map[string]string{}
	dir := copyHistory(t, "branches")
	path := filepath.Join(t.TempDir(), "app.db")
	url := "sqlite:" + path
	db := openDB(t, url)
	upgradeTo(t, db, dir, "4d0000000004")
	upgradeTo(t, db, dir, "6f0000000006")
	d := newDriver(t, Config{Dirs: []string{dir}, DB: db, ASCII: true, Parser: pgparsetest.New(t), Scratch: &scratch.Config{Live: url}}, w, h)
	shot := func(name string) { screens[name] = d.m.View() }

	for r := 0; r < d.m.loaded.hist.Len(); r++ {
		shot(fmt.Sprintf("main, row %d", r))
		d.press("j")
	}
	d.press("tab", "G")
	shot("Detail pane focused, at its end")
	d.press("tab", "tab")
	d.press("/")
	d.typeText("4d")
	shot("search box")
	d.press("enter", "n")
	shot("prompt of n on a head")
	d.press("esc")
	d.selectRev("2b0000000002")
	d.press("n")
	shot("prompt of n on a non-head")
	d.press("esc", "m")
	shot("notice: m without marks")

	for _, c := range []struct{ rev, key, name string }{
		{"7a0000000007", "u", "upgrade plan"},
		{"3c0000000003", "d", "guarded downgrade"},
		{"2b0000000002", "u", "refusal"},
		{"2b0000000002", "s", "stamp back down"},
		{"9c0000000009", "p", "preview"},
	} {
		d.selectRev(c.rev)
		d.update(msgOf[planReadyMsg](t, d.press(c.key)))
		shot(c.name)
		if d.m.actions.modal.Guard() != "" {
			d.typeText("x")
			d.press("enter")
			shot(c.name + ", wrong id")
		}
		d.press("esc")
	}
	d.selectRev("7a0000000007")
	d.update(msgOf[planReadyMsg](t, d.press("u")))
	run := d.press("y")
	shot("running")
	d.finishRun(run)
	shot("run done")
	d.press("esc")
	shot("log after a run")

	d.press("?")
	for k := 0; k < 10; k++ {
		shot(fmt.Sprintf("help, page %d", k))
		d.update(tea.KeyMsg{Type: tea.KeyPgDown})
	}
	d.press("esc")

	d.update(d.press("a")()) // the view reads the log
	shot("audit log")
	d.press("enter")
	shot("audit entry")
	d.press("esc", "/")
	d.typeText("files")
	shot("audit filter")
	d.press("esc", "esc")

	d.selectRev("8b0000000008")
	d.follow(d.press("M"), reviewOpen)
	shot("review")
	d.press("enter")
	shot("review, a revision's statements")
	d.press("esc", "esc")
	d.follow(d.press("R"), rehearsalDone)
	shot("rehearsal")
	d.press("esc")

	d.update(tea.WindowSizeMsg{Width: 12, Height: 4})
	shot("too small")
	return screens
}

// TestASCIIScreens: with --ascii, no screen of any view draws a character
// outside ASCII.
func TestASCIIScreens(t *testing.T) {
	for _, size := range [][2]int{{120, 36}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			screens := asciiScreens(t, size[0], size[1])
			for name, screen := range screens {
				requireASCII(t, name, screen)
			}
			// The views were reached.
			for name, want := range map[string]string{
				"guarded downgrade, wrong id": "nothing ran. Type 3c000000", "stamp back down": "no longer count",
				"refusal": "is below where", "running": "taking the migration lock", "run done": "committed",
				"audit log": "finished", "audit entry": "SQL that ran", "audit filter": "filter: files",
				"prompt of n on a non-head": "new branch from", "too small": "need 20x6",
				"review": "common ancestor 2b0000000002", "review, a revision's statements": "line 8: create table records_metadata", "rehearsal": "round-trip",
			} {
				if !strings.Contains(screens[name], want) {
					t.Errorf("the screen %q does not show %q:\n%s", name, want, screens[name])
				}
			}
		})
	}
}

// TestASCIIStatusNotices: the status bar's notices (files with problems,
// a database unreachable, a SQLite file that does not exist) are ASCII
// with --ascii.
func TestASCIIStatusNotices(t *testing.T) {
	dir := copyHistory(t, "linear")
	if err := os.WriteFile(filepath.Join(dir, "5e_broken.sql"), []byte("-- Revision ID: 5e0000000005\n-- Revises: ffff\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "missing.db")
	d := newDriver(t, Config{Dirs: []string{dir}, DB: openDB(t, "sqlite:"+missing), DBFile: missing, ASCII: true}, 200, 24)
	requireASCII(t, "file problems, missing SQLite file", d.m.View())
	if v := d.m.View(); !strings.Contains(v, "file problems") || !strings.Contains(v, "missing.db does not exist") {
		t.Fatalf("the notices are not shown:\n%s", v)
	}
	open := func(ctx context.Context) (Engine, error) { return engine.Open(ctx, unreachableURL) }
	u := newModel(Config{Dirs: []string{dir}, Open: open, DBName: unreachableURL, ASCII: true, Now: fixedNow}, defaultPanes())
	next, _ := u.Update(tea.WindowSizeMsg{Width: 200, Height: 24})
	next, _ = next.Update(openDBCmd(context.Background(), open)())
	if v := next.View(); !strings.Contains(v, "database unreachable") {
		t.Fatalf("the notice is not shown:\n%s", v)
	} else {
		requireASCII(t, "database unreachable", v)
	}
}

// requireASCII fails on each character of screen outside ASCII, once
// each, with the line it is in.
func requireASCII(t *testing.T, name, screen string) {
	t.Helper()
	seen := map[rune]bool{}
	for k, line := range strings.Split(screen, "\n") {
		for col, r := range line {
			if r >= utf8.RuneSelf && !seen[r] {
				seen[r] = true
				t.Errorf("%s: line %d, byte %d: %q in %q", name, k+1, col, r, line)
			}
		}
	}
}
