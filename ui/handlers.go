package ui

import (
	"errors"
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"retort/models"
	"retort/revisions"
	"retort/visible"
)

// relayout gives every component its size after a resize, a zoom or a log
// size change.
func (m Model) relayout() Model {
	if !m.ready {
		return m
	}
	l := computeLayout(m.width, m.height, m.logSize, m.zoom, m.focus)
	if w, h := l.panes[paneHistory].inner(); l.shown[paneHistory] {
		m.graph = m.graph.setSize(w, h)
	}
	if w, h := l.panes[paneDetail].inner(); l.shown[paneDetail] {
		m.detail = m.detail.setSize(w, h)
	}
	if w, h := l.panes[paneLog].inner(); l.shown[paneLog] {
		m.log = m.log.setSize(w, h)
	}
	mw, mh := l.body.inner()
	m.modal = m.modal.setSize(mw, mh)
	m.help.Width = m.width - 1
	return m
}

// onGraph installs a loaded history. Problems in the files are logged (all
// of them) and kept: the graph can be browsed, but nothing runs until they
// are fixed.
func (m Model) onGraph(msg graphLoadedMsg) (tea.Model, tea.Cmd) {
	m.loading = max(0, m.loading-1)
	now := m.cfg.Now()
	m.loadErr = msg.err
	if msg.hist == nil {
		m.log = m.log.add(now, logErr, "cannot read the versions directory: "+errText(msg.err))
		return m, nil
	}
	m.search = m.search.rebase(m.hist, msg.hist)
	m.hist = msg.hist
	m.db = nil
	// The files may have changed (r, the editor): read .py sources again
	// (showing the text read before until then, so the Detail pane keeps
	// its length and its place), and rebuild the Detail pane even when its
	// key (revision id, state) is the same as before the reload.
	m.sources = staleSources(m.sources)
	m.detail.key = ""
	m.graph = m.graph.setHistory(msg.hist)
	if r := msg.hist.find(m.selectAfterLoad); r >= 0 {
		m.graph = m.graph.scrollTo(r)
	}
	m.selectAfterLoad = ""
	m.log = m.log.add(now, logInfo, fmt.Sprintf("loaded %s from %s", plural(msg.hist.g.Len(), "revision"), joinDirs(m.cfg.Dirs)))
	m = m.dropStalePlan()
	if msg.err != nil {
		m.log = m.log.add(now, logErr, errText(msg.err))
	}
	m = m.refreshDetail()
	return m, tea.Batch(m.readState(), m.loadSourceCmd())
}

// readState asks the database for its state (nothing without a database).
func (m *Model) readState() tea.Cmd {
	if m.cfg.DB == nil || m.hist == nil {
		return nil
	}
	m.reading++
	return readStateCmd(m.cfg.DB, m.hist.g)
}

// onState installs the database state, or retries a read the engine refused
// because a run holds the connection.
func (m Model) onState(msg stateLoadedMsg) (tea.Model, tea.Cmd) {
	m.reading = max(0, m.reading-1)
	if isBusy(msg.err) {
		return m, retryStateCmd()
	}
	if msg.err != nil {
		m.stateErr = errText(msg.err)
		m.log = m.log.add(m.cfg.Now(), logErr, "reading the database: "+m.stateErr)
		return m, nil
	}
	m.stateErr = ""
	if m.hist == nil {
		return m, nil
	}
	if _, err := revisions.Current(m.hist.g, msg.rows); err != nil {
		m.log = m.log.add(m.cfg.Now(), logWarn, "the version table does not match the files: "+errText(err))
	}
	m.db = newState(m.hist.g, msg.rows, msg.drift, msg.audit)
	m.graph = m.graph.setState(m.db)
	return m.refreshDetail(), nil
}

// onLock shows the lock holder and schedules the next poll.
func (m Model) onLock(msg lockMsg) (tea.Model, tea.Cmd) {
	next := lockTickCmd(m.cfg.LockPoll)
	if isBusy(msg.err) {
		return m, next // a run of ours holds the connection (and the lock)
	}
	m.lockKnown = true
	m.lockHolder, m.lockErr = msg.holder, ""
	if msg.err != nil {
		m.lockErr = errText(msg.err)
	}
	return m, next
}

// refreshDetail rebuilds the Detail pane for the cursor's row when what it
// shows changed.
func (m Model) refreshDetail() Model {
	if m.hist == nil {
		return m
	}
	key, title, lines := detailFor(m.st, m.hist, m.db, m.sources, m.graph.selected())
	if key == m.detail.key && key != "" {
		return m
	}
	m.detail = m.detail.setContent(key, title, lines)
	return m
}

// loadSourceCmd reads the selected .py revision's file, once per load of
// the history. A text read before the reload stays on screen until the new
// read arrives.
func (m Model) loadSourceCmd() tea.Cmd {
	rev := m.hist.rev(m.graph.selected())
	if rev == nil || rev.Format != models.FormatPython {
		return nil
	}
	src, ok := m.sources[rev.Path]
	if ok && !src.stale {
		return nil // read, or being read
	}
	src.stale = false
	m.sources[rev.Path] = src
	return readFileCmd(rev.Path)
}

// staleSources are the sources read so far, marked to be read again; a
// read still under way is dropped (and made again when needed).
func staleSources(old map[string]fileText) map[string]fileText {
	out := make(map[string]fileText, len(old))
	for path, src := range old {
		if src.loaded {
			src.stale = true
			out[path] = src
		}
	}
	return out
}

// say shows a notice in the footer (and logs it) for a few seconds. The
// text is shown through package visible: it may name a file, or quote an
// error that does.
func (m Model) say(kind logKind, text string) (Model, tea.Cmd) {
	text = visible.Line(text)
	m.noticeID++
	m.notice = text
	if kind == logErr {
		m.notice = m.st.errText.Render(m.st.sym("✕ ", "! ") + text)
	}
	m.log = m.log.add(m.cfg.Now(), kind, text)
	return m, noticeExpireCmd(m.noticeID)
}

// errText is an error's message, with Alembic's hidden reason when there is
// one.
func errText(err error) string {
	if err == nil {
		return ""
	}
	var ce *revisions.CommandError
	if errors.As(err, &ce) && ce.Detail != "" {
		return ce.Message + " (" + ce.Detail + ")"
	}
	return err.Error()
}
