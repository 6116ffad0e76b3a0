package ui

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"retort/revisions"
	"retort/ui/pane"
)

// layout places the panes on the screen as it is.
func (m Model) layout() screenLayout { return computeLayout(m.screen, m.panes.specs) }

// relayout gives every pane, the modal and the help screen its size after
// a resize, a zoom or a change of the Log pane's size.
func (m Model) relayout() Model {
	if !m.screen.ready {
		return m
	}
	l := m.layout()
	m.panes = m.panes.sized(l)
	m.actions = m.actions.setSize(l.body.Inner())
	if m.modal != nil {
		m.modal = openModal(m.modal, l.body)
	}
	m.help.model.Width = m.screen.width - 1
	return m
}

// onGraph installs a loaded history. Problems in the files are logged (all
// of them) and kept: the graph can be browsed, but nothing runs until they
// are fixed.
func (m Model) onGraph(msg graphLoadedMsg) (tea.Model, tea.Cmd) {
	m.work.loading = max(0, m.work.loading-1)
	m.loaded.loadErr = msg.err
	if msg.hist == nil {
		return m.logf(pane.LogErr, "cannot read the versions directory: "+errText(msg.err)), nil
	}
	m.search = m.search.rebase(m.loaded.hist, msg.hist)
	m.loaded.hist, m.loaded.db = msg.hist, nil
	m, pub := m.publish()
	if r := msg.hist.Find(m.loaded.selectAfterLoad); r >= 0 {
		var moved tea.Cmd
		m.panes, moved = m.panes.moveCursor(m.panes.history().ScrollTo(r), m.session())
		pub = tea.Batch(pub, moved)
	}
	m.loaded.selectAfterLoad = ""
	m = m.logf(pane.LogInfo, fmt.Sprintf("loaded %s from %s", plural(msg.hist.G.Len(), "revision"), pane.JoinDirs(m.cfg.Dirs)))
	var dropped bool
	if m.actions, dropped = m.actions.dropStale(msg.hist); dropped {
		m = m.logf(pane.LogWarn, "the files were reloaded: the open plan was dropped, nothing ran")
	}
	if msg.err != nil {
		m = m.logf(pane.LogErr, errText(msg.err))
	}
	m, read := m.readState()
	return m, tea.Batch(read, pub)
}

// readState asks the database for its state (nothing without a database).
func (m Model) readState() (Model, tea.Cmd) {
	if m.cfg.DB == nil || m.loaded.hist == nil {
		return m, nil
	}
	m.work.reading++
	return m, readStateCmd(m.cfg.DB, m.loaded.hist.G, m.cfg.DBFile)
}

// onState installs the database state, or retries a read the engine refused
// because a run holds the connection.
func (m Model) onState(msg stateLoadedMsg) (tea.Model, tea.Cmd) {
	m.work.reading = max(0, m.work.reading-1)
	if isBusy(msg.err) {
		return m, retryStateCmd()
	}
	if msg.err != nil {
		m.loaded.stateErr = errText(msg.err)
		return m.logf(pane.LogErr, "reading the database: "+m.loaded.stateErr), nil
	}
	if msg.fileMissing && !m.loaded.fileMissing {
		m = m.logf(pane.LogWarn, m.cfg.DBFile+" does not exist: the database is empty, and a run will create the file (is the path right?)")
	}
	m.loaded.stateErr, m.loaded.fileMissing = "", msg.fileMissing
	if m.loaded.hist == nil {
		return m, nil
	}
	if _, err := revisions.Current(m.loaded.hist.G, msg.rows); err != nil {
		m = m.logf(pane.LogWarn, "the version table does not match the files: "+errText(err))
	}
	m.loaded.db = pane.NewState(m.loaded.hist.G, msg.rows, msg.drift, msg.audit)
	return m.publish()
}

// onLogWritten says where the session log went.
func (m Model) onLogWritten(msg logWrittenMsg) (tea.Model, tea.Cmd) {
	if msg.err != nil {
		return m.say(pane.LogErr, errText(msg.err))
	}
	return m.say(pane.LogOK, "session log written to "+msg.path)
}

// reload reads the files again (and then the version table).
func (m Model) reload(why string) (Model, tea.Cmd) {
	m.work.loading++
	m = m.logf(pane.LogInfo, why)
	m, spin := m.spin()
	return m, tea.Batch(loadGraphCmd(m.cfg.Dirs), spin)
}

// spin starts the spinner if it is not turning.
func (m Model) spin() (Model, tea.Cmd) {
	var cmd tea.Cmd
	m.status, cmd = m.status.spin()
	return m, cmd
}
