package ui

import (
	tea "github.com/charmbracelet/bubbletea"

	"retort/ui/pane"
	"retort/visible"
)

// loaded is what was read: the history from the files and the state from
// the database, and why either could not be read.
type loaded struct {
	hist *pane.History
	// loadErr: the files have problems (the history holds what could be
	// read).
	loadErr error
	db      *pane.State
	// stateErr: the database could not be read.
	stateErr string
	// fileMissing: the SQLite file does not exist (yet).
	fileMissing bool
	// selectAfterLoad is a revision to select once the history reloads (one
	// that `n` or `m` just wrote).
	selectAfterLoad string
}

// stepDone is the state once a step of a run committed: the version rows
// it left (the drift and the audit log are read again when the run ends).
func (l loaded) stepDone(rows []string) loaded {
	if l.db == nil || l.hist == nil {
		return l
	}
	l.db = pane.NewState(l.hist.G, rows, l.db.Drift, l.db.Audit)
	return l
}

// currentRows are the rows of the version table's revisions, top to bottom.
func (l loaded) currentRows() []int {
	if l.db == nil {
		return nil
	}
	var rows []int
	for r, e := range l.hist.Entries {
		if e.Rev >= 0 && l.db.Current[e.Rev] {
			rows = append(rows, r)
		}
	}
	return rows
}

// noCurrent says why c has no current revision to go to (noDB: why there
// is no database, "" when there is one).
func (l loaded) noCurrent(noDB string) string {
	switch {
	case noDB != "":
		return "no current revision: " + noDB
	case l.db == nil && l.stateErr != "":
		return "current revision unknown: the database could not be read (see the log)"
	case l.db == nil:
		return "current revision not known yet: the database is being read"
	case len(l.db.Rows) == 0:
		return "no current revision: the version table is empty"
	}
	return "no current revision in the History: no file defines the version table's " + pane.ShortIDs(l.db.Rows)
}

// cannotAuthor says why n and m cannot write a revision now, "" when they
// can: like `retort revision` and `retort merge`, only into a history that
// loaded cleanly, since a broken file may hide a head or reuse an id.
func (l loaded) cannotAuthor() string {
	if l.loadErr == nil {
		return ""
	}
	// The CLI's message (loadForAuthoring), on one line for the footer;
	// the log already lists every problem.
	return visible.Line("fix the versions directory before adding a revision: " + errText(l.loadErr))
}

// session is what the panes show (the History pane fills in the
// selection: see paneSet.publish).
func (m Model) session() pane.Session {
	return pane.Session{Engine: m.cfg.DB, Hist: m.loaded.hist, DB: m.loaded.db, Selected: m.panes.selected(),
		Query: m.search.query, Matches: m.search.matches, Running: m.actions.running()}
}

// publish hands every pane the session, and the open modal too.
func (m Model) publish() (Model, tea.Cmd) {
	var cmd, modal tea.Cmd
	m.panes, cmd = m.panes.publish(m.session())
	if m.modal != nil {
		m.modal, modal = updateModal(m.modal, pane.SessionMsg{Session: m.session()})
	}
	return m, tea.Batch(cmd, modal)
}

// broadcast gives msg to every pane, and to the open modal: the answers of
// the commands they started, which each takes when it is its own.
func (m Model) broadcast(msg tea.Msg) (Model, tea.Cmd) {
	var cmd, modal tea.Cmd
	m.panes, cmd = m.panes.broadcast(msg, m.session())
	if m.modal != nil {
		m.modal, modal = updateModal(m.modal, msg)
	}
	return m, tea.Batch(cmd, modal)
}

// logf adds a line to the session log.
func (m Model) logf(kind pane.LogKind, text string) Model {
	m.panes = m.panes.logf(m.cfg.Now(), kind, text)
	return m
}

// say shows a notice in the footer (and logs it) for a few seconds. The
// text is shown through package visible: it may name a file, or quote an
// error that does.
func (m Model) say(kind pane.LogKind, text string) (Model, tea.Cmd) {
	text = visible.Line(text)
	var cmd tea.Cmd
	m.notice, cmd = m.notice.show(m.ctx.Styles, kind, text)
	return m.logf(kind, text), cmd
}
