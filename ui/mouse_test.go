package ui

import (
	"path/filepath"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"retort/ui/confirm"
	"retort/ui/pane"
)

// mouse sends a mouse event at the middle of pane p's inner area, or at its
// inner row y when y >= 0.
func (d *driver) mouse(p int, y int, button tea.MouseButton) {
	d.t.Helper()
	r := d.m.layout().rects[p]
	if y < 0 {
		y = (r.H - 2) / 2
	}
	d.update(tea.MouseMsg{X: r.X + r.W/2, Y: r.Y + 1 + y, Button: button, Action: tea.MouseActionPress})
}

func (d *driver) wheel(p int, b tea.MouseButton) { d.t.Helper(); d.mouse(p, -1, b) }

// TestWheelScrollsHistory: the wheel over History scrolls the rows three at
// a time and leaves the selection alone, as lazygit's does, even once the
// selected row is out of sight; the next cursor key brings it back.
func TestWheelScrollsHistory(t *testing.T) {
	d := newDriver(t, Config{Dirs: []string{library}}, 80, 24)
	d.press("j")
	selected, detail := d.m.panes.history().Cursor(), d.m.detailPane().Key()
	d.wheel(paneHistory, tea.MouseButtonWheelDown)
	if g := d.m.panes.history(); g.Top() != pane.WheelLines || g.Cursor() != selected {
		t.Fatalf("one notch down: top %d (want %d), cursor %d (want %d)", g.Top(), pane.WheelLines, g.Cursor(), selected)
	}
	last := d.m.loaded.hist.Len() - d.m.panes.history().Height
	for range 20 {
		d.wheel(paneHistory, tea.MouseButtonWheelDown)
	}
	if g := d.m.panes.history(); g.Top() != last || g.Cursor() != selected || d.m.detailPane().Key() != detail {
		t.Fatalf("scrolled to the end: top %d (want %d), cursor %d (want %d), detail changed %v",
			g.Top(), last, g.Cursor(), selected, d.m.detailPane().Key() != detail)
	}
	if containsLine(d.m.panes.history().View(), d.m.loaded.hist.Rev(selected).ID[:8]) {
		t.Fatal("the selected row is still drawn after scrolling it out of view")
	}
	d.wheel(paneHistory, tea.MouseButtonWheelUp)
	if g := d.m.panes.history(); g.Top() != last-pane.WheelLines || g.Cursor() != selected {
		t.Fatalf("one notch up: top %d (want %d), cursor %d", g.Top(), last-pane.WheelLines, g.Cursor())
	}
	d.press("j")
	d.requireCursor("j after scrolling the selection out of view", selected+1)
	for range 20 {
		d.wheel(paneHistory, tea.MouseButtonWheelUp)
	}
	if g := d.m.panes.history(); g.Top() != 0 || g.Cursor() != selected+1 {
		t.Fatalf("scrolled to the top: top %d, cursor %d (want %d)", g.Top(), g.Cursor(), selected+1)
	}
}

// TestWheelScrollsPaneUnderPointer: the wheel scrolls the pane it is over,
// whichever pane has the focus, and nothing else.
func TestWheelScrollsPaneUnderPointer(t *testing.T) {
	d := newDriver(t, Config{Dirs: []string{library}}, 80, 40)
	for k := range 40 {
		d.m = d.m.logf(pane.LogInfo, "line "+itoa(k))
	}
	d.press("G")
	top, cursor, logOff := d.m.panes.history().Top(), d.m.panes.history().Cursor(), d.m.panes.log().Offset()
	d.wheel(paneDetail, tea.MouseButtonWheelDown)
	if d.m.detailPane().Offset() != pane.WheelLines || d.m.panes.history().Top() != top || d.m.panes.history().Cursor() != cursor || d.m.panes.log().Offset() != logOff {
		t.Fatalf("wheel over Detail: detail offset %d (want %d), graph top %d→%d, cursor %d→%d, log %d→%d",
			d.m.detailPane().Offset(), pane.WheelLines, top, d.m.panes.history().Top(), cursor, d.m.panes.history().Cursor(), logOff, d.m.panes.log().Offset())
	}
	d.wheel(paneLog, tea.MouseButtonWheelUp)
	if d.m.panes.log().Offset() != logOff-pane.WheelLines || d.m.panes.log().Follow() || d.m.detailPane().Offset() != pane.WheelLines {
		t.Fatalf("wheel over Log: log offset %d (want %d), follow %v, detail offset %d",
			d.m.panes.log().Offset(), logOff-pane.WheelLines, d.m.panes.log().Follow(), d.m.detailPane().Offset())
	}
	if d.m.screen.focus != paneHistory {
		t.Fatalf("the wheel moved the focus to %s", d.m.paneName(d.m.screen.focus))
	}
}

// TestClickSelectsAndFocuses: a click on a History row selects it; a click
// on another pane focuses it.
func TestClickSelectsAndFocuses(t *testing.T) {
	d := newDriver(t, Config{Dirs: []string{library}}, 80, 24)
	d.wheel(paneHistory, tea.MouseButtonWheelDown)
	d.mouse(paneHistory, 2, tea.MouseButtonLeft)
	d.requireCursor("a click on the third row shown", pane.WheelLines+2)
	d.mouse(paneLog, 0, tea.MouseButtonLeft)
	if d.m.screen.focus != paneLog || d.m.panes.history().Cursor() != pane.WheelLines+2 {
		t.Fatalf("a click on Log: focus %s, cursor %d", d.m.paneName(d.m.screen.focus), d.m.panes.history().Cursor())
	}
	d.mouse(paneHistory, 0, tea.MouseButtonLeft)
	if d.m.screen.focus != paneHistory {
		t.Fatalf("a click on History focused %s", d.m.paneName(d.m.screen.focus))
	}
	d.requireCursor("a click on the first row shown", pane.WheelLines)
}

// TestWheelScrollsModal: the wheel scrolls the modal's steps and SQL as
// far as it scrolls a pane, pane.WheelLines a notch.
func TestWheelScrollsModal(t *testing.T) {
	url := "sqlite:" + filepath.Join(t.TempDir(), "app.db")
	db := openDB(t, url)
	upgradeTo(t, db, fixture("linear"), "head")
	d := newDriver(t, Config{Dirs: []string{fixture("linear")}, DB: db}, 80, 16)
	d.selectRev("1a0000000001")
	d.update(msgOf[planReadyMsg](t, d.press("D")))
	if c := d.m.actions.modal; c.Phase() != confirm.PhaseConfirm || len(c.Wrapped())-c.BodyHeight() < 2*pane.WheelLines {
		t.Fatalf("phase %d, %d lines in %d: the test needs a plan that scrolls", c.Phase(), len(c.Wrapped()), c.BodyHeight())
	}
	d.update(tea.MouseMsg{X: 10, Y: 5, Button: tea.MouseButtonWheelDown, Action: tea.MouseActionPress})
	d.update(tea.MouseMsg{X: 10, Y: 5, Button: tea.MouseButtonWheelDown, Action: tea.MouseActionPress})
	if got := d.m.actions.modal.Offset(); got != 2*pane.WheelLines {
		t.Fatalf("two notches down scrolled the modal to %d, want %d", got, 2*pane.WheelLines)
	}
	d.update(tea.MouseMsg{X: 10, Y: 5, Button: tea.MouseButtonWheelUp, Action: tea.MouseActionPress})
	if got := d.m.actions.modal.Offset(); got != pane.WheelLines {
		t.Fatalf("a notch up scrolled the modal to %d, want %d", got, pane.WheelLines)
	}
}
