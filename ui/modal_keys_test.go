package ui

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestModalKeysListedOnce opens the modal of a guarded downgrade, of an
// upgrade and of a preview: the modal keeps its prompt, and the keys are
// listed once, in the screen's footer, as they work in that phase.
func TestModalKeysListedOnce(t *testing.T) {
	url := "sqlite:" + filepath.Join(t.TempDir(), "app.db")
	db := openDB(t, url)
	upgradeTo(t, db, fixture("linear"), "3c0000000003")
	d := newDriver(t, Config{Dirs: []string{fixture("linear")}, DB: db}, 100, 30)
	cases := []struct {
		key, rev, prompt string
		footer           []string
	}{
		{"D", "2b0000000002", "Type 2b0000000002 to downgrade:", []string{"enter run", "esc cancel"}},
		{"U", "4d0000000004", "Press enter (or y) to run, esc to cancel.", []string{"enter/y run", "esc/n cancel"}},
		{"p", "4d0000000004", "A preview: nothing runs from here.", []string{"enter/esc close"}},
	}
	for _, c := range cases {
		d.selectRev(c.rev)
		d.update(msgOf[planReadyMsg](t, d.press(c.key)))
		if d.m.modal.phase != phaseConfirm {
			t.Fatalf("%s on %s: phase %d, want the plan", c.key, c.rev, d.m.modal.phase)
		}
		screen := d.m.View()
		lines := strings.Split(screen, "\n")
		footer := lines[len(lines)-1]
		if !strings.Contains(screen, c.prompt) {
			t.Fatalf("%s: the modal lost its prompt %q:\n%s", c.key, c.prompt, screen)
		}
		for _, hint := range append(c.footer, "↑/↓ scroll") {
			if n := strings.Count(screen, hint); n != 1 || !strings.Contains(footer, hint) {
				t.Fatalf("%s: %q appears %d times, footer %q; want once, in the footer:\n%s", c.key, hint, n, footer, screen)
			}
		}
		d.press("esc")
	}
}
