package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"retort/ui/pane"
)

// mode is what has the keyboard.
type mode uint8

const (
	// modeNormal: the main screen; the focused pane gets the keys the
	// screen does not take.
	modeNormal mode = iota
	// modeSearch: the search box, a text field.
	modeSearch
	// modePrompt: the message of a new revision or a merge, a text field.
	modePrompt
	// modeModal: the action modal.
	modeModal
	// modeHelp: the help screen.
	modeHelp
)

// mode decides what has the keyboard, from what is open: the one place
// that does. A key is matched only against the bindings of its mode (see
// handleKey), so a binding of the main screen is never live in the modal,
// the help screen or a text field, and nothing is enabled or disabled by
// hand.
func (m Model) mode() mode {
	switch {
	case m.actions.open, m.modal != nil:
		return modeModal
	case m.help.open:
		return modeHelp
	case m.search.typing:
		return modeSearch
	case m.author.open:
		return modePrompt
	}
	return modeNormal
}

// typing reports whether a text field has the keyboard (search, prompt,
// the typed id of a downgrade), where runes are text and a burst is
// inserted whole. The modal's other phases (an upgrade's or a stamp's
// one-key confirmation, a preview, a refusal, a run, its outcome) take
// keys.
func (m Model) typing(md mode) bool {
	switch md {
	case modeSearch, modePrompt:
		return true
	case modeModal:
		if m.actions.open {
			return m.actions.modal.Typing()
		}
		return m.modal.Typing()
	}
	return false
}

// handleKey routes a key to what has the keyboard. ctrl+c is live in every
// mode: it cancels a run, or quits.
func (m Model) handleKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	md := m.mode()
	if key.Matches(msg, m.keys.interrupt) {
		return m.interrupt()
	}
	if msg.Type == tea.KeyRunes && !msg.Paste && !m.typing(md) {
		switch {
		case msg.Alt:
			return m.handleEscThen(msg)
		case isBurst(msg):
			return m.handleBurst(msg)
		}
	}
	switch md {
	case modeModal:
		return m.modalKey(msg)
	case modeSearch:
		return m.searchKey(msg)
	case modePrompt:
		return m.promptKey(msg)
	case modeHelp:
		return m.helpKey(msg)
	}
	return m.normalKey(msg)
}

// footerKeys are the keys the footer shows in mode md: the essential ones
// (shown whole, first when essentialFirst, else last) and as many of the
// others as fit. On the main screen the focused pane's own keys come
// first.
func (m Model) footerKeys(md mode) (essential, more []key.Binding, essentialFirst bool) {
	switch md {
	case modeModal:
		if m.actions.open {
			essential, more = m.actions.modal.ShortHelp()
			return essential, more, true
		}
		return m.modal.ShortHelp(), nil, true
	case modeHelp:
		return m.keys.helpScreenKeys(), m.keys.helpScrollKeys(), true
	}
	if p := m.panes.at(m.screen.focus); p != nil {
		more = append(more, p.ShortHelp()...)
	}
	return m.keys.footerFixed(), append(more, m.keys.footerMore()...), false
}

// isBurst reports a KeyMsg holding several typed runes. bubbletea v1 reads
// whatever the terminal has buffered as one message, so keys typed faster
// than it reads (key repeat under load, `tmux send-keys j j j`) arrive as
// "jjj", which no binding matches. A bracketed paste is text, not keys.
func isBurst(msg tea.KeyMsg) bool {
	return msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste
}

// handleEscThen handles runes marked alt outside a text input: bubbletea
// reads esc and the keys typed right after it as one message, alt+"jj"
// (there is no alt binding), so it is esc, then those keys.
func (m Model) handleEscThen(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	next, esc := m.Update(tea.KeyMsg{Type: tea.KeyEsc})
	next, keys := next.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: msg.Runes})
	return next, tea.Batch(esc, keys)
}

// handleBurst handles a burst of runes as the keys they were, in order. Each
// key goes through Update, so a key that opens an input (/ or n) hands the
// rest of the burst to it as text, and one that opens the help screen the
// rest to the help screen.
func (m Model) handleBurst(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	var next tea.Model = m
	cmds := make([]tea.Cmd, 0, len(msg.Runes))
	for _, r := range msg.Runes {
		k := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}}
		if r == ' ' {
			k = tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{r}}
		}
		var cmd tea.Cmd
		next, cmd = next.Update(k)
		cmds = append(cmds, cmd)
	}
	return next, tea.Batch(cmds...)
}

// normalKey handles a key on the main screen: the screen's keys, the
// actions, the jumps, and last the focused pane's own.
func (m Model) normalKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if m, cmd, ok := m.screenKey(msg); ok {
		return m, cmd
	}
	if m, cmd, ok := m.actionKey(msg); ok {
		return m, cmd
	}
	if m, cmd, ok := m.reviewKey(msg); ok {
		return m, cmd
	}
	if m, cmd, ok := m.jumpKey(msg); ok {
		return m, cmd
	}
	var cmd tea.Cmd
	m.panes, cmd = m.panes.update(m.screen.focus, msg, m.session())
	return m, cmd
}

// screenKey handles the keys that arrange the screen or leave it.
func (m Model) screenKey(msg tea.KeyMsg) (Model, tea.Cmd, bool) {
	k := m.keys.global
	switch {
	case key.Matches(msg, k.Quit):
		return m, tea.Quit, true
	case key.Matches(msg, k.Help):
		m.help = m.help.show()
	case key.Matches(msg, k.Tab):
		m = m.focusPane((m.screen.focus + 1) % max(1, len(m.panes.list)))
	case key.Matches(msg, k.GrowLog):
		m.screen.logSize = (m.screen.logSize + 1) % logSizes
		m = m.relayout()
	case key.Matches(msg, k.Zoom):
		m.screen.zoom = !m.screen.zoom
		m = m.relayout()
	case key.Matches(msg, k.Escape):
		m.search = search{}
		m.panes = m.panes.withHistory(m.panes.history().ClearFocus())
		mm, cmd := m.publish()
		return mm, cmd, true
	default:
		return m, nil, false
	}
	return m, nil, true
}

// focusPane gives the focus to pane k.
func (m Model) focusPane(k int) Model {
	if k == m.screen.focus || k < 0 || k >= len(m.panes.list) {
		return m
	}
	m.panes = m.panes.focus(m.screen.focus, k)
	m.screen.focus = k
	if m.screen.zoom {
		m = m.relayout()
	}
	return m
}

// interrupt is ctrl+c: it cancels a run (the engine stops after the
// statement that is running and rolls its step back), or quits.
func (m Model) interrupt() (tea.Model, tea.Cmd) {
	if !m.actions.running() {
		return m, tea.Quit
	}
	var ok bool
	if m.actions, ok = m.actions.interrupt(); ok {
		m = m.logf(pane.LogWarn, "cancelling after the current statement; the step will roll back")
	}
	return m, nil
}
