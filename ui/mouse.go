package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"retort/ui/pane"
)

// handleMouse gives a mouse event to what is under the pointer: the help
// screen and the action modal scroll with the wheel, a modal a pane opened
// gets the event; on the main screen a click
// focuses the pane under it, and the pane gets the event, its coordinates
// counted from its first inner cell (the History pane selects the row
// clicked, and the wheel scrolls any pane without moving the selection).
func (m Model) handleMouse(msg tea.MouseMsg) (tea.Model, tea.Cmd) {
	switch m.mode() {
	case modeHelp:
		return m.helpScroll(msg), nil
	case modeModal:
		if !m.actions.open {
			b := m.layout().body
			msg.X, msg.Y = msg.X-b.X-1-b.Padding(), msg.Y-b.Y-1
			var cmd tea.Cmd
			m.modal, cmd = updateModal(m.modal, msg)
			return m, cmd
		}
		if step := pane.WheelStep(msg); step != 0 {
			m.actions.modal = m.actions.modal.ScrollBy(step)
		}
		return m, nil
	case modeNormal:
	default:
		return m, nil
	}
	l := m.layout()
	for k, r := range l.rects {
		if !l.shown[k] || !r.Contains(msg.X, msg.Y) {
			continue
		}
		if msg.Action == tea.MouseActionPress && msg.Button == tea.MouseButtonLeft {
			m = m.focusPane(k)
		}
		msg.X, msg.Y = msg.X-r.X-1-r.Padding(), msg.Y-r.Y-1
		var cmd tea.Cmd
		m.panes, cmd = m.panes.update(k, msg, m.session())
		return m, cmd
	}
	return m, nil
}

// helpKey handles a key on the help screen: it scrolls, or closes it. (A
// burst of typed keys reaches it one key at a time, see handleBurst, so the
// keys after the one that closed the screen go to the main screen.)
func (m Model) helpKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if key.Matches(msg, m.keys.help.Close) {
		m.help = m.help.close()
		return m, nil
	}
	return m.helpScroll(msg), nil
}

// helpScroll scrolls the help screen.
func (m Model) helpScroll(msg tea.Msg) Model {
	w, h := m.layout().body.Inner()
	m.help = m.help.scroll(msg, m.keys.help.scroll, m.ctx.Styles, helpGroups(m.keys, m.panes.list), w, h)
	return m
}
