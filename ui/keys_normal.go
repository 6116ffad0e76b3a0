package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"retort/ui/audit"
	"retort/ui/pane"
	"retort/visible"
)

// actionKey handles the keys that act on the selection: the database
// actions (which open the modal), reload, authoring, and writing the log.
func (m Model) actionKey(msg tea.KeyMsg) (Model, tea.Cmd, bool) {
	a := m.keys.actions
	kinds := []struct {
		b    key.Binding
		kind actionKind
	}{
		{a.UpOne, actUpgradeOne}, {a.UpTo, actUpgradeTo}, {a.DownOne, actDowngradeOne},
		{a.DownTo, actDowngradeTo}, {a.Stamp, actStamp}, {a.Preview, actPreview},
	}
	for _, k := range kinds {
		if key.Matches(msg, k.b) {
			mm, cmd := m.startAction(k.kind)
			return mm, cmd, true
		}
	}
	var cmd tea.Cmd
	switch {
	case matchesAny(msg, a.Reload, a.New, a.Merge, a.Edit) && m.actions.running():
		// Each of these ends in a reload, which must not replace the graph
		// under a run (nor the editor take the screen from its progress).
		m, cmd = m.say(pane.LogWarn, runInProgress)
	case key.Matches(msg, a.Reload):
		m, cmd = m.reload("reloading the versions directory and the version table")
	case key.Matches(msg, a.New):
		m, cmd = m.startAuthoring(m.author.startNew(m.loaded, m.panes.selected()))
	case key.Matches(msg, a.Merge):
		m, cmd = m.startAuthoring(m.author.startMerge(m.loaded, m.panes.history().MarkedIDs()))
	case key.Matches(msg, a.Edit):
		m, cmd = m.startEdit()
	case key.Matches(msg, a.WriteLog):
		cmd = writeLogCmd(m.cfg.LogDir, m.cfg.Now(), m.panes.log().Text())
	case key.Matches(msg, a.Audit):
		m, cmd = m.openAudit()
	default:
		return m, nil, false
	}
	return m, cmd, true
}

// openAudit opens the audit log's view, which reads the log itself. It
// opens at once, not through a command, so that the keys typed right after
// a (a filter) reach it.
func (m Model) openAudit() (Model, tea.Cmd) {
	if why := m.noDB(); why != "" {
		return m.say(pane.LogWarn, why)
	}
	return m.open(audit.New(m.ctx, m.session(), m.panes.history().IDWidth()))
}

// runInProgress is why a key that would reload or author is refused.
const runInProgress = "a run is in progress: wait for it to end (ctrl+c cancels it)"

func matchesAny(msg tea.KeyMsg, bs ...key.Binding) bool {
	for _, b := range bs {
		if key.Matches(msg, b) {
			return true
		}
	}
	return false
}

// jumpKey handles the keys that move the History cursor from any pane.
func (m Model) jumpKey(msg tea.KeyMsg) (Model, tea.Cmd, bool) {
	if m.loaded.hist.Len() == 0 {
		return m, nil, false
	}
	j, h := m.keys.jumps, m.panes.history()
	switch {
	case key.Matches(msg, j.Search):
		m.search = m.search.start(h.Cursor())
		mm, cmd := m.publish() // the last search's matches are gone
		return mm, cmd, true
	case key.Matches(msg, j.Next), key.Matches(msg, j.Prev):
		if len(m.search.matches) == 0 {
			mm, cmd := m.say(pane.LogInfo, "no search: press / to search ids, labels and messages")
			return mm, cmd, true
		}
		if key.Matches(msg, j.Next) {
			h, _ = h.NextOf(m.search.matches)
		} else {
			h, _ = h.PrevOf(m.search.matches)
		}
	case key.Matches(msg, j.Current):
		var ok bool
		if h, ok = h.NextOf(m.loaded.currentRows()); !ok {
			mm, cmd := m.say(pane.LogInfo, m.loaded.noCurrent(m.noDB()))
			return mm, cmd, true
		}
	case key.Matches(msg, j.Heads):
		h, _ = h.NextOf(m.loaded.hist.Heads)
	default:
		return m, nil, false
	}
	var cmd tea.Cmd
	m.panes, cmd = m.panes.moveCursor(h, m.session())
	return m, cmd, true
}

// actionTitle names an action in the modal's title.
func actionTitle(kind actionKind) string {
	switch kind {
	case actUpgradeOne:
		return "Upgrade one step"
	case actUpgradeTo:
		return "Upgrade to"
	case actDowngradeOne:
		return "Downgrade one step"
	case actDowngradeTo:
		return "Downgrade to"
	case actStamp:
		return "Stamp"
	}
	return "Preview"
}

// startAction opens the modal and plans the action in a Cmd. Nothing runs
// until the plan is shown and confirmed.
func (m Model) startAction(kind actionKind) (Model, tea.Cmd) {
	if why := m.loaded.cannotAct(kind, m.noDB(), m.actions.running(), m.work.loading > 0); why != "" {
		return m.say(pane.LogWarn, why)
	}
	h := m.loaded.hist
	rev := h.Rev(m.panes.selected())
	if rev == nil {
		return m.say(pane.LogWarn, "the selected row is a missing revision: select a revision")
	}
	st := m.ctx.Styles
	sep := st.Sym(" · ", " | ")
	title := actionTitle(kind) + sep + visible.Line(rev.ShortID())
	if (kind == actUpgradeOne || kind == actDowngradeOne) && len(m.loaded.db.Rows) > 1 {
		// Several version rows: u and d move the selection's branch.
		title = actionTitle(kind) + sep + "branch " + branchName(h.G, h.G.Index[rev.ID])
	}
	title += sep + dbName(m.cfg.DB)
	var req actionReq
	m.actions, req = m.actions.start(st, actionReq{kind: kind, g: h.G, rev: h.G.Index[rev.ID], id: rev.ID,
		idWidth: m.panes.history().IDWidth()}, title)
	m.work.planning++
	cmd := planCmd(m.cfg.DB, m.loaded.db.Rows, m.loaded.db.Applied, req)
	m, spin := m.spin()
	return m, tea.Batch(cmd, spin)
}

// cannotAct says why an action cannot start now, "" when it can: noDB,
// why there is no database to act on ("" when there is one); running, a
// run going on; loading, the files being read again.
func (l loaded) cannotAct(kind actionKind, noDB string, running, loading bool) string {
	switch {
	case l.hist.Len() == 0:
		return "no revisions loaded"
	case noDB != "":
		return noDB
	case running:
		return runInProgress
	case loading:
		// The graph is about to be replaced: a plan of the old one could
		// name revisions that are gone or SQL that was edited since.
		return "the revision files are being reloaded: try again when the load ends"
	case l.db == nil:
		return "the database state is not known yet (see the log)"
	case l.loadErr != nil && kind != actPreview:
		return "the revision files have problems (see the log): fix them and press r"
	}
	return ""
}

// dbName is the database as shown: password masked.
func dbName(e Engine) string {
	if e == nil {
		return "no database"
	}
	return visible.Line(e.Redacted())
}
