package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// handleKey routes a key to whatever has the keyboard.
func (m Model) handleKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if msg.Type == tea.KeyRunes && !msg.Paste && !m.typing() {
		switch {
		case msg.Alt:
			return m.handleEscThen(msg)
		case isBurst(msg):
			return m.handleBurst(msg)
		}
	}
	switch m.mode {
	case modeModal:
		return m.modalKey(msg)
	case modeSearch:
		return m.searchKey(msg)
	case modePrompt:
		return m.promptKey(msg)
	case modeHelp:
		return m.helpKey(msg)
	}
	if m, cmd, ok := m.globalKey(msg); ok {
		return m, cmd
	}
	if m, cmd, ok := m.actionKey(msg); ok {
		return m, cmd
	}
	if m, cmd, ok := m.jumpKey(msg); ok {
		return m, cmd
	}
	return m.paneKey(msg)
}

// isBurst reports a KeyMsg holding several typed runes. bubbletea v1 reads
// whatever the terminal has buffered as one message, so keys typed faster
// than it reads (key repeat under load, `tmux send-keys j j j`) arrive as
// "jjj", which no binding matches. A bracketed paste is text, not keys.
func isBurst(msg tea.KeyMsg) bool {
	return msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste
}

// typing reports whether a text input has the keyboard (search, prompt, the
// typed id of a downgrade), where runes are text and a burst is inserted
// whole. The modal's other phases (an upgrade's or a stamp's one-key
// confirmation, a preview, a refusal, a run, its outcome) take keys.
func (m Model) typing() bool {
	switch m.mode {
	case modeSearch, modePrompt:
		return true
	case modeModal:
		return m.modal.typing()
	}
	return false
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

// globalKey handles the keys that work from any pane.
func (m Model) globalKey(msg tea.KeyMsg) (Model, tea.Cmd, bool) {
	k := m.keys.global
	switch {
	case key.Matches(msg, k.Interrupt):
		return m, tea.Quit, true
	case key.Matches(msg, k.Quit):
		return m, tea.Quit, true
	case key.Matches(msg, k.Help):
		m.mode = modeHelp
	case key.Matches(msg, k.Tab):
		m.focus = (m.focus + 1) % paneCount
		if m.zoom {
			m = m.relayout()
		}
	case key.Matches(msg, k.GrowLog):
		m.logSize = (m.logSize + 1) % len(logHeights)
		m = m.relayout()
	case key.Matches(msg, k.Zoom):
		m.zoom = !m.zoom
		m = m.relayout()
	case key.Matches(msg, k.Escape):
		m.search = searchModel{}
		m.graph = m.graph.clearFocus()
	default:
		return m, nil, false
	}
	return m, nil, true
}

// jumpKey handles the keys that move the History cursor from any pane.
func (m Model) jumpKey(msg tea.KeyMsg) (Model, tea.Cmd, bool) {
	if m.hist.len() == 0 {
		return m, nil, false
	}
	g, s := m.keys.graph, m.keys.search
	switch {
	case key.Matches(msg, s.Start):
		m.search = m.search.start(m.graph.cursor)
		m.mode = modeSearch
		m.keys.setEnabled(false)
		return m, nil, true
	case key.Matches(msg, s.Next), key.Matches(msg, s.Prev):
		if len(m.search.matches) == 0 {
			mm, cmd := m.say(logInfo, "no search: press / to search ids, labels and messages")
			return mm, cmd, true
		}
		if key.Matches(msg, s.Next) {
			m.graph, _ = m.graph.nextOf(m.search.matches)
		} else {
			m.graph, _ = m.graph.prevOf(m.search.matches)
		}
	case key.Matches(msg, g.Current):
		var ok bool
		if m.graph, ok = m.graph.nextOf(m.currentRows()); !ok {
			mm, cmd := m.say(logInfo, m.noCurrent())
			return mm, cmd, true
		}
	case key.Matches(msg, g.Heads):
		m.graph, _ = m.graph.nextOf(m.hist.heads)
	case key.Matches(msg, g.Focus) && m.focus == paneHistory:
		m.graph = m.graph.toggleFocus()
		return m, nil, true
	case key.Matches(msg, g.Mark) && m.focus == paneHistory:
		var why string
		if m.graph, why = m.graph.toggleMark(); why != "" {
			mm, cmd := m.say(logWarn, why)
			return mm, cmd, true
		}
		return m, nil, true
	default:
		return m, nil, false
	}
	mm, cmd := m.cursorMoved()
	return mm, cmd, true
}

// noCurrent says why c has no current revision to go to.
func (m Model) noCurrent() string {
	switch {
	case m.cfg.DB == nil:
		return "no current revision: no database (start retort with --db to see one)"
	case m.db == nil && m.stateErr != "":
		return "current revision unknown: the database could not be read (see the log)"
	case m.db == nil:
		return "current revision not known yet: the database is being read"
	case len(m.db.rows) == 0:
		return "no current revision: the version table is empty"
	}
	return "no current revision in the History: no file defines the version table's " + shortIDs(m.db.rows)
}

// currentRows are the rows of the version table's revisions, top to bottom.
func (m Model) currentRows() []int {
	if m.db == nil {
		return nil
	}
	var rows []int
	for r, e := range m.hist.entries {
		if e.Rev >= 0 && m.db.current[e.Rev] {
			rows = append(rows, r)
		}
	}
	return rows
}

// paneKey gives the key to the focused pane.
func (m Model) paneKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch m.focus {
	case paneHistory:
		before := m.graph.cursor
		m.graph, _ = m.graph.Update(msg)
		if m.graph.cursor != before {
			return m.cursorMoved()
		}
	case paneDetail:
		m.detail, _ = m.detail.Update(msg)
	case paneLog:
		m.log, _ = m.log.Update(msg)
	}
	return m, nil
}

// cursorMoved updates the Detail pane for the new selection.
func (m Model) cursorMoved() (Model, tea.Cmd) {
	m = m.refreshDetail()
	return m, m.loadSourceCmd()
}

// searchKey handles a key typed into the search box.
func (m Model) searchKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if msg.String() == "ctrl+c" {
		return m, tea.Quit
	}
	var out searchOutcome
	m.search, out = m.search.Update(msg, m.hist)
	switch out {
	case searchAccepted, searchCancelled:
		m.mode = modeNormal
		m.keys.setEnabled(true)
		if out == searchCancelled {
			m.graph = m.graph.scrollTo(m.search.origin)
		}
	case searchNext:
		m.graph, _ = m.graph.nextOf(m.search.matches)
	case searchPrev:
		m.graph, _ = m.graph.prevOf(m.search.matches)
	case searchEdited:
		// Jump to the first match at or below where the search began.
		for _, r := range m.search.matches {
			if r >= m.search.origin {
				m.graph = m.graph.scrollTo(r)
				return m.cursorMoved()
			}
		}
		if len(m.search.matches) > 0 {
			m.graph = m.graph.scrollTo(m.search.matches[0])
		}
	}
	return m.cursorMoved()
}

// handleMouse scrolls the pane under the pointer; a click focuses a pane,
// and on a History row selects it. The wheel never moves the selection (see
// graphModel.wheel), so it needs no cursorMoved.
func (m Model) handleMouse(msg tea.MouseMsg) (tea.Model, tea.Cmd) {
	if m.mode == modeHelp {
		return m.helpMouse(msg)
	}
	if m.mode == modeModal {
		if step := wheelStep(msg); step != 0 {
			m.modal = m.modal.scrollBy(step)
		}
		return m, nil
	}
	if m.mode != modeNormal {
		return m, nil
	}
	l := computeLayout(m.width, m.height, m.logSize, m.zoom, m.focus)
	for p := range paneCount {
		r := l.panes[p]
		if !l.shown[p] || !r.contains(msg.X, msg.Y) {
			continue
		}
		if msg.Action == tea.MouseActionPress && msg.Button == tea.MouseButtonLeft {
			m.focus = p
			if p == paneHistory {
				m.graph = m.graph.clickRow(msg.Y - r.y - 1)
				return m.cursorMoved()
			}
			return m, nil
		}
		switch p {
		case paneHistory:
			m.graph = m.graph.wheel(msg)
		case paneDetail:
			m.detail, _ = m.detail.Update(msg)
		case paneLog:
			m.log, _ = m.log.Update(msg)
		}
	}
	return m, nil
}
