package ui

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// A binding added to the main screen (the echo pane's x, which has the
// focus) is live there and nowhere else: not in the modal (a preview, the
// typed id of a downgrade), not on the help screen, not in the search box
// or the prompt, where x is text. ctrl+c is live in every mode.
func TestMainScreenKeysNotLiveElsewhere(t *testing.T) {
	db := openDB(t, "sqlite:"+filepath.Join(t.TempDir(), "app.db"))
	upgradeTo(t, db, fixture("linear"), "2b0000000002")
	d := newDriverPanes(t, Config{Dirs: []string{fixture("linear")}, DB: db}, withEcho(), 120, 40)
	_, k := d.m.echo()
	d.m = d.m.focusPane(k)
	d.press("x")
	if got := echoKeys(d.m); !slices.Equal(got, []string{"x"}) || !strings.Contains(d.m.footerView(), "x echo back") {
		t.Fatalf("on the main screen the pane got %q, footer %q; want x, and x in the footer", got, d.m.footerView())
	}
	modes := []struct {
		name string
		open func()
		want mode
		// text is where x goes as text, "" where it is no key at all.
		text func() string
	}{
		{"the preview modal", func() { d.update(msgOf[planReadyMsg](t, d.press("p"))) }, modeModal, nil},
		{"the typed id of a downgrade", func() { d.selectRev("1a0000000001"); d.update(msgOf[planReadyMsg](t, d.press("D"))) },
			modeModal, func() string { return d.m.actions.modal.Typed().Value() }},
		{"the help screen", func() { d.press("?") }, modeHelp, nil},
		{"the search box", func() { d.press("/") }, modeSearch, func() string { return d.m.search.input.Value() }},
		{"the prompt of n", func() { d.selectRev("4d0000000004"); d.press("n") }, modePrompt, func() string { return d.m.author.input.Value() }},
	}
	for _, c := range modes {
		d.m = d.m.focusPane(k)
		c.open()
		if d.m.mode() != c.want {
			t.Fatalf("%s: mode %d, want %d", c.name, d.m.mode(), c.want)
		}
		before := len(echoKeys(d.m))
		d.press("x")
		if got := echoKeys(d.m); len(got) != before {
			t.Errorf("%s: x reached the pane (it got %q)", c.name, got)
		}
		if footer := d.m.footerView(); strings.Contains(footer, "echo back") {
			t.Errorf("%s: the footer offers x: %q", c.name, footer)
		}
		if c.text != nil && !strings.HasSuffix(c.text(), "x") {
			t.Errorf("%s: x was not typed as text: %q", c.name, c.text())
		}
		if d.m.mode() != c.want {
			t.Errorf("%s: x left the mode (%d)", c.name, d.m.mode())
		}
		msgOf[tea.QuitMsg](t, d.press("ctrl+c"))
		d.press("esc")
		if d.m.mode() != modeNormal {
			t.Fatalf("%s: esc left mode %d", c.name, d.m.mode())
		}
	}
}

// Keys pressed before the files are read do nothing, and break nothing.
func TestKeysBeforeTheFilesAreRead(t *testing.T) {
	var m tea.Model = New(Config{Dirs: []string{fixture("linear")}, Now: fixedNow})
	m, _ = m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	for _, k := range []string{"esc", "j", "enter", "space", "c", "h", "/", "esc", "]", "u", "D", "n", "m", "e", "tab", "j", "z", "L", "tab", "tab", "z"} {
		m, _ = m.Update(keyMsg(k))
	}
	m, _ = m.Update(tea.MouseMsg{X: 5, Y: 5, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress})
	view := m.View()
	checkFrame(t, "before the files are read", 100, 30, view)
	if !strings.Contains(view, "reading the versions directory") {
		t.Fatalf("the screen before the files are read:\n%s", view)
	}
}
