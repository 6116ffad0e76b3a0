package ui

import (
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"retort/ui/confirm"
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
		if d.m.actions.modal.Phase() != confirm.PhaseConfirm {
			t.Fatalf("%s on %s: phase %d, want the plan", c.key, c.rev, d.m.actions.modal.Phase())
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

// TestModalKeyBursts: keys typed faster than the program reads them (key
// repeat) arrive as one message of several runes. The modal takes them as
// text only where it has a text input, the typed id of a downgrade;
// anywhere else they are the keys they were, one by one.
func TestModalKeyBursts(t *testing.T) {
	url := "sqlite:" + filepath.Join(t.TempDir(), "app.db")
	db := openDB(t, url)
	upgradeTo(t, db, fixture("linear"), "2b0000000002")
	d := newDriver(t, Config{Dirs: []string{fixture("linear")}, DB: db}, 100, 30)

	// An upgrade's confirmation: nn cancels it (the second n goes to the
	// main screen, where it offers to start a branch on 3c, not a head),
	// yy runs it.
	d.selectRev("3c0000000003")
	d.update(msgOf[planReadyMsg](t, d.press("u")))
	d.burst("nn", false)
	if d.m.mode() != modePrompt || !strings.Contains(d.m.author.label, "new branch from 3c0000000003") || !logHas(d.m, "cancelled: nothing ran") {
		t.Fatalf("nn in an upgrade's confirmation: mode %d, want it cancelled and the second n's prompt", d.m.mode())
	}
	d.press("esc")
	d.update(msgOf[planReadyMsg](t, d.press("u")))
	run := d.burst("yy", false)
	if d.m.actions.run == nil {
		t.Fatalf("yy in an upgrade's confirmation did not run it (phase %d)", d.m.actions.modal.Phase())
	}
	d.finishRun(run)
	requireRows(t, url, "3c0000000003")
	_, read := d.m.readState()
	d.update(msgOf[stateLoadedMsg](t, read))

	// The outcome: qq closes it, and the second q quits.
	if d.m.actions.modal.Phase() != confirm.PhaseDone {
		t.Fatalf("after the run the modal is in phase %d", d.m.actions.modal.Phase())
	}
	msgOf[tea.QuitMsg](t, d.burst("qq", false))
	if d.m.mode() != modeNormal {
		t.Fatalf("qq on the run's outcome left mode %d", d.m.mode())
	}

	// A preview, and a refusal: q closes them, and the key after it moves
	// the cursor.
	for _, c := range []struct {
		key, on, burst, then string
		phase                confirm.Phase
	}{
		{"p", "4d0000000004", "qj", "3c0000000003", confirm.PhaseConfirm},
		{"U", "3c0000000003", "qk", "4d0000000004", confirm.PhaseRefused},
	} {
		d.selectRev(c.on)
		d.update(msgOf[planReadyMsg](t, d.press(c.key)))
		if d.m.actions.modal.Phase() != c.phase {
			t.Fatalf("%s: phase %d, want %d", c.key, d.m.actions.modal.Phase(), c.phase)
		}
		d.burst(c.burst, false)
		if rev := d.m.loaded.hist.Rev(d.m.panes.history().Cursor()); d.m.mode() != modeNormal || rev.ID != c.then {
			t.Fatalf("%s in the modal of %s: mode %d, cursor on %s; want it closed and the cursor on %s", c.burst, c.key, d.m.mode(), rev.ID, c.then)
		}
	}

	// A guarded downgrade: its typed id takes a burst whole.
	d.selectRev("2b0000000002")
	d.update(msgOf[planReadyMsg](t, d.press("D")))
	d.burst("2b00", false)
	d.burst("yy", false)
	if got := d.m.actions.modal.Typed().Value(); got != "2b00yy" || d.m.actions.run != nil {
		t.Fatalf("bursts typed into the id: %q (running %v), want 2b00yy and nothing running", got, d.m.actions.run != nil)
	}
}

// TestEscThenKeys: esc and the keys typed right after it can arrive as one
// message, the keys marked alt. Outside a text input that is esc, then the
// keys; in one, the keys are text.
func TestEscThenKeys(t *testing.T) {
	d := newDriver(t, Config{Dirs: []string{fixture("linear")}}, 100, 30)
	d.selectRev("4d0000000004") // the search stays: ] and [ move between its matches
	d.burst("jj", true)
	if d.m.search.query != "" || d.m.panes.history().Cursor() != 2 {
		t.Fatalf("esc jj: search %q, cursor %d; want the search cleared and the cursor two rows down", d.m.search.query, d.m.panes.history().Cursor())
	}
	d.burst("k", true)
	if d.m.panes.history().Cursor() != 1 {
		t.Fatalf("esc k: cursor %d, want 1", d.m.panes.history().Cursor())
	}
	d.press("?")
	d.burst("k", true)
	if d.m.mode() != modeNormal || d.m.panes.history().Cursor() != 0 {
		t.Fatalf("esc k on the help screen: mode %d, cursor %d; want it closed and the cursor on 0", d.m.mode(), d.m.panes.history().Cursor())
	}
	d.press("/")
	d.burst("3c", true)
	if d.m.mode() != modeSearch || d.m.search.input.Value() != "3c" {
		t.Fatalf("alt+3c in the search box: mode %d, text %q; want it typed", d.m.mode(), d.m.search.input.Value())
	}
}
