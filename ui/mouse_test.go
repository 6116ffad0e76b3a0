package ui

import (
	"path/filepath"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// mouse sends a mouse event at the middle of pane p's inner area, or at its
// inner row y when y >= 0.
func (d *driver) mouse(p pane, y int, button tea.MouseButton) {
	d.t.Helper()
	m := d.m
	r := computeLayout(m.width, m.height, m.logSize, m.zoom, m.focus).panes[p]
	if y < 0 {
		y = (r.h - 2) / 2
	}
	d.update(tea.MouseMsg{X: r.x + r.w/2, Y: r.y + 1 + y, Button: button, Action: tea.MouseActionPress})
}

func (d *driver) wheel(p pane, b tea.MouseButton) { d.t.Helper(); d.mouse(p, -1, b) }

// TestWheelScrollsHistory: the wheel over History scrolls the rows three at
// a time and leaves the selection alone, as lazygit's does, even once the
// selected row is out of sight; the next cursor key brings it back.
func TestWheelScrollsHistory(t *testing.T) {
	d := newDriver(t, Config{Dirs: []string{library}}, 80, 24)
	d.press("j")
	selected, detail := d.m.graph.cursor, d.m.detail.key
	d.wheel(paneHistory, tea.MouseButtonWheelDown)
	if g := d.m.graph; g.top != wheelLines || g.cursor != selected {
		t.Fatalf("one notch down: top %d (want %d), cursor %d (want %d)", g.top, wheelLines, g.cursor, selected)
	}
	last := d.m.hist.len() - d.m.graph.height
	for range 20 {
		d.wheel(paneHistory, tea.MouseButtonWheelDown)
	}
	if g := d.m.graph; g.top != last || g.cursor != selected || d.m.detail.key != detail {
		t.Fatalf("scrolled to the end: top %d (want %d), cursor %d (want %d), detail changed %v",
			g.top, last, g.cursor, selected, d.m.detail.key != detail)
	}
	if containsLine(d.m.graph.View(), d.m.hist.rev(selected).ID[:8]) {
		t.Fatal("the selected row is still drawn after scrolling it out of view")
	}
	d.wheel(paneHistory, tea.MouseButtonWheelUp)
	if g := d.m.graph; g.top != last-wheelLines || g.cursor != selected {
		t.Fatalf("one notch up: top %d (want %d), cursor %d", g.top, last-wheelLines, g.cursor)
	}
	d.press("j")
	d.requireCursor("j after scrolling the selection out of view", selected+1)
	for range 20 {
		d.wheel(paneHistory, tea.MouseButtonWheelUp)
	}
	if g := d.m.graph; g.top != 0 || g.cursor != selected+1 {
		t.Fatalf("scrolled to the top: top %d, cursor %d (want %d)", g.top, g.cursor, selected+1)
	}
}

// TestWheelScrollsPaneUnderPointer: the wheel scrolls the pane it is over,
// whichever pane has the focus, and nothing else.
func TestWheelScrollsPaneUnderPointer(t *testing.T) {
	d := newDriver(t, Config{Dirs: []string{library}}, 80, 40)
	for k := range 40 {
		d.m.log = d.m.log.add(fixedNow(), logInfo, "line "+itoa(k))
	}
	d.press("G")
	top, cursor, logOff := d.m.graph.top, d.m.graph.cursor, d.m.log.offset
	d.wheel(paneDetail, tea.MouseButtonWheelDown)
	if d.m.detail.offset != wheelLines || d.m.graph.top != top || d.m.graph.cursor != cursor || d.m.log.offset != logOff {
		t.Fatalf("wheel over Detail: detail offset %d (want %d), graph top %d→%d, cursor %d→%d, log %d→%d",
			d.m.detail.offset, wheelLines, top, d.m.graph.top, cursor, d.m.graph.cursor, logOff, d.m.log.offset)
	}
	d.wheel(paneLog, tea.MouseButtonWheelUp)
	if d.m.log.offset != logOff-wheelLines || d.m.log.follow || d.m.detail.offset != wheelLines {
		t.Fatalf("wheel over Log: log offset %d (want %d), follow %v, detail offset %d",
			d.m.log.offset, logOff-wheelLines, d.m.log.follow, d.m.detail.offset)
	}
	if d.m.focus != paneHistory {
		t.Fatalf("the wheel moved the focus to %s", paneNames[d.m.focus])
	}
}

// TestClickSelectsAndFocuses: a click on a History row selects it; a click
// on another pane focuses it.
func TestClickSelectsAndFocuses(t *testing.T) {
	d := newDriver(t, Config{Dirs: []string{library}}, 80, 24)
	d.wheel(paneHistory, tea.MouseButtonWheelDown)
	d.mouse(paneHistory, 2, tea.MouseButtonLeft)
	d.requireCursor("a click on the third row shown", wheelLines+2)
	d.mouse(paneLog, 0, tea.MouseButtonLeft)
	if d.m.focus != paneLog || d.m.graph.cursor != wheelLines+2 {
		t.Fatalf("a click on Log: focus %s, cursor %d", paneNames[d.m.focus], d.m.graph.cursor)
	}
	d.mouse(paneHistory, 0, tea.MouseButtonLeft)
	if d.m.focus != paneHistory {
		t.Fatalf("a click on History focused %s", paneNames[d.m.focus])
	}
	d.requireCursor("a click on the first row shown", wheelLines)
}

// TestWheelScrollsModal: the wheel scrolls the modal's steps and SQL as
// far as it scrolls a pane, wheelLines a notch.
func TestWheelScrollsModal(t *testing.T) {
	url := "sqlite:" + filepath.Join(t.TempDir(), "app.db")
	db := openDB(t, url)
	upgradeTo(t, db, fixture("linear"), "head")
	d := newDriver(t, Config{Dirs: []string{fixture("linear")}, DB: db}, 80, 16)
	d.selectRev("1a0000000001")
	d.update(msgOf[planReadyMsg](t, d.press("D")))
	if c := d.m.modal; c.phase != phaseConfirm || len(c.wrapped)-c.bodyHeight() < 2*wheelLines {
		t.Fatalf("phase %d, %d lines in %d: the test needs a plan that scrolls", c.phase, len(c.wrapped), c.bodyHeight())
	}
	d.update(tea.MouseMsg{X: 10, Y: 5, Button: tea.MouseButtonWheelDown, Action: tea.MouseActionPress})
	d.update(tea.MouseMsg{X: 10, Y: 5, Button: tea.MouseButtonWheelDown, Action: tea.MouseActionPress})
	if got := d.m.modal.offset; got != 2*wheelLines {
		t.Fatalf("two notches down scrolled the modal to %d, want %d", got, 2*wheelLines)
	}
	d.update(tea.MouseMsg{X: 10, Y: 5, Button: tea.MouseButtonWheelUp, Action: tea.MouseActionPress})
	if got := d.m.modal.offset; got != wheelLines {
		t.Fatalf("a notch up scrolled the modal to %d, want %d", got, wheelLines)
	}
}
