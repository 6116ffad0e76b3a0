package audit

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"retort/ui/input"
	"retort/ui/pane"
)

// Update takes the log as read, the session (a reloaded history changes
// the branches and the drift), the keys and the wheel.
func (m Model) Update(msg tea.Msg) (pane.Pane, tea.Cmd) {
	switch msg := msg.(type) {
	case loadedMsg:
		if msg.seq != m.seq {
			return m, nil
		}
		m.loading, m.err, m.entries = false, "", msg.entries
		if msg.err != nil {
			m.err = errText(msg.err)
		}
		return m.refilter(), nil
	case pane.SessionMsg:
		m.session = msg.Session
		if msg.Session.Engine != nil {
			m.engine = msg.Session.Engine
		}
		if m.entry >= 0 {
			m = m.showEntry(m.entry)
		}
		return m.refilter(), nil
	case tea.KeyMsg:
		switch {
		case m.typing:
			return m.filterKey(msg), nil
		case m.entry >= 0:
			return m.entryKey(msg), nil
		}
		return m.listKey(msg)
	case tea.MouseMsg:
		if step := pane.WheelStep(msg); step != 0 {
			if m.entry >= 0 {
				m.offset = pane.ClampOffset(m.offset+step, m.text.Len(), m.Height)
				return m, nil
			}
			return m.scrollTo(m.cursor + step), nil
		}
	}
	return m, nil
}

// listKey handles a key on the list.
func (m Model) listKey(msg tea.KeyMsg) (pane.Pane, tea.Cmd) {
	k, page := m.keys, max(1, m.rowsHeight()-1)
	switch {
	case key.Matches(msg, k.Up):
		return m.scrollTo(m.cursor - 1), nil
	case key.Matches(msg, k.Down):
		return m.scrollTo(m.cursor + 1), nil
	case key.Matches(msg, k.PageUp):
		return m.scrollTo(m.cursor - page), nil
	case key.Matches(msg, k.PageDown):
		return m.scrollTo(m.cursor + page), nil
	case key.Matches(msg, k.Top):
		return m.scrollTo(0), nil
	case key.Matches(msg, k.Bottom):
		return m.scrollTo(len(m.shown) - 1), nil
	case key.Matches(msg, k.Open):
		if m.cursor < len(m.shown) {
			return m.showEntry(m.shown[m.cursor]), nil
		}
	case key.Matches(msg, k.Filter):
		m.typing, m.filter = true, input.New(200).Insert([]rune(m.query))
	case key.Matches(msg, k.Outcome):
		m.outcome = (m.outcome + 1) % len(outcomes())
		return m.refilter(), nil
	case key.Matches(msg, k.Reload):
		m.seq++
		m.loading = true
		return m, m.read()
	case key.Matches(msg, k.Clear):
		if m.query != "" || m.outcome != 0 {
			m.query, m.outcome = "", 0
			return m.refilter(), nil
		}
		m.closed = true
	case key.Matches(msg, k.Close):
		m.closed = true
	}
	return m, nil
}

// filterKey edits the filter, which applies as it is typed: enter keeps
// it, esc puts back the one before.
func (m Model) filterKey(msg tea.KeyMsg) Model {
	switch {
	case key.Matches(msg, m.keys.Accept):
		m.typing, m.query = false, m.filter.Value()
		return m.refilter()
	case key.Matches(msg, m.keys.Cancel):
		m.typing = false
		return m.refilter()
	}
	m.filter, _ = m.filter.Update(msg)
	return m.refilter()
}

// entryKey scrolls an entry shown in full, or goes back to the list.
func (m Model) entryKey(msg tea.KeyMsg) Model {
	if key.Matches(msg, m.keys.Back) {
		m.entry = -1
		return m
	}
	scroll := pane.ScrollKeys{Up: m.keys.Up, Down: m.keys.Down, PageUp: m.keys.PageUp, PageDown: m.keys.PageDown,
		Top: m.keys.Top, Bottom: m.keys.Bottom}
	if off, ok := scroll.Scroll(msg, m.offset, m.text.Len(), m.Height); ok {
		m.offset = off
	}
	return m
}

// scrollTo moves the cursor to row r of the list (clamped) and brings it
// into view.
func (m Model) scrollTo(r int) Model {
	h := m.rowsHeight()
	m.cursor = max(0, min(r, len(m.shown)-1))
	if m.cursor < m.top {
		m.top = m.cursor
	}
	if h > 0 && m.cursor >= m.top+h {
		m.top = m.cursor - h + 1
	}
	m.top = max(0, min(m.top, len(m.shown)-h))
	return m
}

// refilter applies the filter (as typed, while it is) and the outcome,
// keeping the cursor on its entry when it is still shown.
func (m Model) refilter() Model {
	keep := -1
	if m.cursor < len(m.shown) {
		keep = m.shown[m.cursor]
	}
	q := m.query
	if m.typing {
		q = m.filter.Value()
	}
	f := newFilter(q, outcomes()[m.outcome], m.session.Hist, m.Now())
	m.shown = m.shown[:0:0]
	m.cursor = 0
	for i, e := range m.entries {
		if f.matches(e) {
			if i == keep {
				m.cursor = len(m.shown)
			}
			m.shown = append(m.shown, i)
		}
	}
	return m.scrollTo(m.cursor)
}
