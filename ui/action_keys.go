package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"retort/models"
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
	case matchesAny(msg, a.Reload, a.New, a.Merge, a.Edit) && m.run != nil:
		// Each of these ends in a reload, which must not replace the graph
		// under a run (nor the editor take the screen from its progress).
		m, cmd = m.say(logWarn, runInProgress)
	case key.Matches(msg, a.Reload):
		m, cmd = m.reload("reloading the versions directory and the version table")
	case key.Matches(msg, a.New):
		m, cmd = m.startNew()
	case key.Matches(msg, a.Merge):
		m, cmd = m.startMerge()
	case key.Matches(msg, a.Edit):
		m, cmd = m.startEdit()
	case key.Matches(msg, a.WriteLog):
		cmd = writeLogCmd(m.cfg.LogDir, m.cfg.Now(), m.log.text())
	default:
		return m, nil, false
	}
	return m, cmd, true
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

// actionTitles name the actions in the modal's title.
var actionTitles = [...]string{
	actUpgradeOne:   "Upgrade one step",
	actUpgradeTo:    "Upgrade to",
	actDowngradeOne: "Downgrade one step",
	actDowngradeTo:  "Downgrade to",
	actStamp:        "Stamp",
	actPreview:      "Preview",
}

// startAction opens the modal and plans the action in a Cmd. Nothing runs
// until the plan is shown and confirmed.
func (m Model) startAction(kind actionKind) (Model, tea.Cmd) {
	if why := m.cannotAct(kind); why != "" {
		return m.say(logWarn, why)
	}
	rev := m.hist.rev(m.graph.selected())
	if rev == nil {
		return m.say(logWarn, "the selected row is a missing revision: select a revision")
	}
	m.reqSeq++
	req := actionReq{kind: kind, g: m.hist.g, rev: m.hist.g.Index[rev.ID], id: rev.ID, seq: m.reqSeq}
	title := actionTitles[kind] + " · " + visible.Line(rev.ShortID()) + m.st.sym(" · ", " | ") + m.dbName()
	m.modal = newConfirm(m.st, req, title)
	m = m.relayout()
	m.mode = modeModal
	m.keys.setEnabled(false)
	m.planning++
	cmd := planCmd(m.db.rows, m.db.applied, req, m.dialect(), m.cfg.EngineOptions)
	m, spin := m.spin()
	return m, tea.Batch(cmd, spin)
}

// cannotAct says why an action cannot start now, "" when it can.
func (m Model) cannotAct(kind actionKind) string {
	switch {
	case m.hist.len() == 0:
		return "no revisions loaded"
	case m.cfg.DB == nil:
		return "no database: start retort with --db to act on one"
	case m.run != nil:
		return runInProgress
	case m.loading > 0:
		// The graph is about to be replaced: a plan of the old one could
		// name revisions that are gone or SQL that was edited since.
		return "the revision files are being reloaded: try again when the load ends"
	case m.db == nil:
		return "the database state is not known yet (see the log)"
	case m.loadErr != nil && kind != actPreview:
		return "the revision files have problems (see the log): fix them and press r"
	}
	return ""
}

// dialect is the database's dialect, for DryRun.
func (m Model) dialect() string {
	if m.cfg.DB == nil {
		return ""
	}
	return m.cfg.DB.Dialect()
}

// dbName is the database as shown: password masked.
func (m Model) dbName() string {
	if m.cfg.DB == nil {
		return "no database"
	}
	return visible.Line(m.cfg.DB.Redacted())
}

// reload reads the files again (and then the version table).
func (m Model) reload(why string) (Model, tea.Cmd) {
	m.loading++
	m.log = m.log.add(m.cfg.Now(), logInfo, why)
	m, spin := m.spin()
	return m, tea.Batch(loadGraphCmd(m.cfg.Dirs), spin)
}

// cannotAuthor says why n and m cannot write a revision now, "" when they
// can: like `retort revision` and `retort merge`, only into a history that
// loaded cleanly, since a broken file may hide a head or reuse an id.
func (m Model) cannotAuthor() string {
	if m.loadErr == nil {
		return ""
	}
	// The CLI's message (loadForAuthoring), on one line for the footer;
	// the log already lists every problem.
	return visible.Line("fix the versions directory before adding a revision: " + errText(m.loadErr))
}

// startNew asks for the message of a new revision on the selected head.
func (m Model) startNew() (Model, tea.Cmd) {
	if why := m.cannotAuthor(); why != "" {
		return m.say(logErr, why)
	}
	if m.hist.len() == 0 {
		return m.say(logWarn, "no revisions loaded: write the first one with `retort revision`")
	}
	r := m.graph.selected()
	rev := m.hist.rev(r)
	if rev == nil || !m.hist.g.IsHead(m.hist.g.Index[rev.ID]) {
		return m.say(logWarn, "n writes a revision on a head: select a head first (h cycles through them)")
	}
	m.prompt = newPrompt(promptNew, "message of the new revision on "+visible.Line(rev.ShortID())+":")
	m.prompt.head = rev.ID
	return m.openPrompt(), nil
}

// startMerge asks for the message of a merge of the marked heads.
func (m Model) startMerge() (Model, tea.Cmd) {
	if why := m.cannotAuthor(); why != "" {
		return m.say(logErr, why)
	}
	if m.hist.len() == 0 {
		return m.say(logWarn, "no revisions loaded")
	}
	heads := m.graph.markedIDs()
	if len(heads) < 2 {
		return m.say(logWarn, "mark at least two heads with space first, then press m")
	}
	m.prompt = newPrompt(promptMerge, "message of the merge of "+shortIDs(heads)+":")
	m.prompt.heads = heads
	m.prompt.input = m.prompt.input.insert([]rune("merge " + strings.Join(shortList(heads), " and ")))
	return m.openPrompt(), nil
}

func shortList(ids []string) []string {
	out := make([]string, len(ids))
	for k, id := range ids {
		out[k] = visible.Line(models.ShortID(id))
	}
	return out
}

func (m Model) openPrompt() Model {
	m.mode = modePrompt
	m.keys.setEnabled(false)
	return m
}

// startEdit opens the selected revision's file in the editor.
func (m Model) startEdit() (Model, tea.Cmd) {
	rev := m.hist.rev(m.graph.selected())
	if rev == nil {
		return m.say(logWarn, "no file to edit: select a revision")
	}
	m.log = m.log.add(m.cfg.Now(), logInfo, "editing "+m.hist.displayPath(rev.Path)+" with "+m.cfg.Editor)
	return m, editCmd(m.cfg.Editor, rev.Path)
}
