package ui

import (
	"slices"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"retort/ui/detail"
	"retort/ui/history"
	"retort/ui/logpane"
	"retort/ui/pane"
)

// defaultPanes are the screen's panes, in tab order. A new pane is a type
// (see package pane) and a line here: where it goes, the blank columns
// inside its border, and its constructor.
func defaultPanes() []paneSpec {
	return []paneSpec{
		listed(placeMain, 0, history.New),
		listed(placeSide, 1, detail.New),
		listed(placeBottom, 1, logpane.New),
	}
}

// paneSpec lists a pane: where it goes, its padding (the History pane's
// gutter keeps its text off the border; text panes keep a blank column)
// and how to make it.
type paneSpec struct {
	place place
	pad   int
	build func(*pane.Context) pane.Pane
}

// listed is a pane's line in the list.
func listed[P pane.Pane](at place, pad int, build func(*pane.Context) P) paneSpec {
	return paneSpec{place: at, pad: pad, build: func(c *pane.Context) pane.Pane { return build(c) }}
}

// paneSet are the panes, in the order listed. It is copied on write: the
// copies of a model share it.
type paneSet struct {
	specs []paneSpec
	list  []pane.Pane
}

// newPaneSet makes the panes listed in specs, the first one focused.
func newPaneSet(c *pane.Context, specs []paneSpec) paneSet {
	ps := paneSet{specs: specs, list: make([]pane.Pane, len(specs))}
	for k, sp := range specs {
		ps.list[k] = sp.build(c)
	}
	return ps.focus(-1, 0)
}

// with is the set with pane k replaced by p.
func (ps paneSet) with(k int, p pane.Pane) paneSet {
	if k < 0 || k >= len(ps.list) {
		return ps
	}
	ps.list = slices.Clone(ps.list)
	ps.list[k] = p
	return ps
}

// at is pane k, nil when there is none.
func (ps paneSet) at(k int) pane.Pane {
	if k < 0 || k >= len(ps.list) {
		return nil
	}
	return ps.list[k]
}

// send gives msg to pane k.
func (ps paneSet) send(k int, msg tea.Msg) (paneSet, tea.Cmd) {
	p := ps.at(k)
	if p == nil {
		return ps, nil
	}
	p, cmd := p.Update(msg)
	return ps.with(k, p), cmd
}

// sendAll gives msg to every pane, in order.
func (ps paneSet) sendAll(msg tea.Msg) (paneSet, tea.Cmd) {
	ps.list = slices.Clone(ps.list)
	cmds := make([]tea.Cmd, len(ps.list))
	for k, p := range ps.list {
		ps.list[k], cmds[k] = p.Update(msg)
	}
	return ps, tea.Batch(cmds...)
}

// publish hands every pane the session s. The History pane, which owns the
// selection, takes it first, so that the others get the row it settles on
// (a reload keeps the cursor on its revision, wherever that moved).
func (ps paneSet) publish(s pane.Session) (paneSet, tea.Cmd) {
	_, k := find[history.Model](ps)
	var first, rest tea.Cmd
	ps, first = ps.send(k, pane.SessionMsg{Session: s})
	s.Selected = ps.selected()
	ps, rest = ps.sendAll(pane.SessionMsg{Session: s})
	return ps, tea.Batch(first, rest)
}

// update gives msg to pane k, and the session s to every pane when that
// moved the selection.
func (ps paneSet) update(k int, msg tea.Msg, s pane.Session) (paneSet, tea.Cmd) {
	before := ps.selected()
	ps, cmd := ps.send(k, msg)
	return ps.follow(before, cmd, s)
}

// broadcast gives msg to every pane (the answers of the commands they
// started, which each takes when it is its own), and the session s to
// every pane when that moved the selection.
func (ps paneSet) broadcast(msg tea.Msg, s pane.Session) (paneSet, tea.Cmd) {
	before := ps.selected()
	ps, cmd := ps.sendAll(msg)
	return ps.follow(before, cmd, s)
}

// moveCursor replaces the History pane after its cursor moved, and hands
// every pane the session s when the selection is another.
func (ps paneSet) moveCursor(h history.Model, s pane.Session) (paneSet, tea.Cmd) {
	before := ps.selected()
	return ps.withHistory(h).follow(before, nil, s)
}

// follow publishes s when the selection is no longer before.
func (ps paneSet) follow(before int, cmd tea.Cmd, s pane.Session) (paneSet, tea.Cmd) {
	if ps.selected() == before {
		return ps, cmd
	}
	ps, pub := ps.publish(s)
	return ps, tea.Batch(cmd, pub)
}

// history is the History pane (the zero one when none is listed).
func (ps paneSet) history() history.Model {
	h, _ := find[history.Model](ps)
	return h
}

// withHistory replaces the History pane.
func (ps paneSet) withHistory(h history.Model) paneSet { return put(ps, h) }

// selected is the History cursor's row: the revision the actions act on
// (-1 for none).
func (ps paneSet) selected() int { return ps.history().Selected() }

// log is the Log pane (the zero one when none is listed).
func (ps paneSet) log() logpane.Model {
	l, _ := find[logpane.Model](ps)
	return l
}

// logf adds a line to the session log, at time t.
func (ps paneSet) logf(t time.Time, kind pane.LogKind, text string) paneSet {
	if _, k := find[logpane.Model](ps); k >= 0 {
		return ps.with(k, ps.log().Add(t, kind, text))
	}
	return ps
}

// focus moves the focus from pane from to pane to.
func (ps paneSet) focus(from, to int) paneSet {
	if p := ps.at(from); p != nil {
		ps = ps.with(from, p.SetFocus(false))
	}
	if p := ps.at(to); p != nil {
		ps = ps.with(to, p.SetFocus(true))
	}
	return ps
}

// sized gives every pane shown its size in l.
func (ps paneSet) sized(l screenLayout) paneSet {
	ps.list = slices.Clone(ps.list)
	for k, p := range ps.list {
		if l.shown[k] {
			ps.list[k] = p.SetSize(l.rects[k].Inner())
		}
	}
	return ps
}

// find is the first pane of type P and its position (-1 when there is
// none: the zero P).
func find[P pane.Pane](ps paneSet) (P, int) {
	for k, p := range ps.list {
		if t, ok := p.(P); ok {
			return t, k
		}
	}
	var zero P
	return zero, -1
}

// put replaces the first pane of P's type with p.
func put[P pane.Pane](ps paneSet, p P) paneSet {
	_, k := find[P](ps)
	return ps.with(k, p)
}
