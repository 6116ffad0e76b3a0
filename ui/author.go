package ui

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"retort/revisions"
	"retort/ui/input"
	"retort/ui/pane"
	"retort/ui/theme"
	"retort/visible"
)

// authoring is `n` and `m`: the prompt, in the footer, for the one-line
// message of the revision they write (a new one on the selected head, a
// merge of the marked heads).
type authoring struct {
	open  bool
	merge bool
	label string
	input input.Model
	// head is the revision `n` writes on, splice that it is not a head
	// (the new revision starts a branch there); heads are the ones `m`
	// merges.
	head   string
	splice bool
	heads  []string
}

// startNew asks for the message of a new revision on the revision at row
// r; why says why it cannot (with the kind of notice).
func (a authoring) startNew(l loaded, r int) (authoring, pane.LogKind, string) {
	if why := l.cannotAuthor(); why != "" {
		return a, pane.LogErr, why
	}
	if l.hist.Len() == 0 {
		return a, pane.LogWarn, "no revisions loaded: write the first one with `retort revision`"
	}
	rev := l.hist.Rev(r)
	if rev == nil {
		return a, pane.LogWarn, "n writes a revision on the selected one: select a revision, not a missing one"
	}
	id := visible.Line(rev.ShortID())
	if !l.hist.G.IsHead(l.hist.G.Index[rev.ID]) {
		// Alembic's --splice: the revision is said to start a branch
		// before anything is written.
		return authoring{open: true, label: id + " is not a head: message of a new branch from " + id + ":",
			input: input.New(200), head: rev.ID, splice: true}, 0, ""
	}
	return authoring{open: true, label: "message of the new revision on " + id + ":",
		input: input.New(200), head: rev.ID}, 0, ""
}

// startMerge asks for the message of a merge of the marked heads.
func (a authoring) startMerge(l loaded, heads []string) (authoring, pane.LogKind, string) {
	if why := l.cannotAuthor(); why != "" {
		return a, pane.LogErr, why
	}
	if l.hist.Len() == 0 {
		return a, pane.LogWarn, "no revisions loaded"
	}
	if len(heads) < 2 {
		return a, pane.LogWarn, "mark at least two heads with space first, then press m"
	}
	in := input.New(200).Insert([]rune("merge " + strings.Join(shortList(heads), " and ")))
	return authoring{open: true, merge: true, label: "message of the merge of " + pane.ShortIDs(heads) + ":",
		input: in, heads: heads}, 0, ""
}

// key edits the message: enter accepts it (write is the command that
// writes the revision), esc cancels; either closes the prompt.
func (a authoring) key(msg tea.KeyMsg, l loaded, c Config) (next authoring, write tea.Cmd) {
	switch msg.Type {
	case tea.KeyEsc:
		return authoring{}, nil
	case tea.KeyEnter:
		message := visible.Line(a.input.Value())
		if a.merge {
			return authoring{}, mergeCmd(l.hist.G, c.Dirs, a.heads, message, c.Now())
		}
		return authoring{}, newRevisionCmd(l.hist.G, c.Dirs, revisions.NewRevisionOptions{
			Message: message, Head: a.head, Splice: a.splice, Now: c.Now()})
	}
	a.input, _ = a.input.Update(msg)
	return a, nil
}

// view is the prompt in the footer, w columns wide.
func (a authoring) view(st *theme.Styles, w int) string {
	return st.Fit(" "+st.Bold.Render(a.label)+" "+a.input.View(st)+st.Dim.Render("   enter ok"+st.Sym(" · ", " | ")+"esc cancel"), w)
}

// startAuthoring opens the prompt of `n` or `m`, or says why it cannot.
func (m Model) startAuthoring(a authoring, kind pane.LogKind, why string) (Model, tea.Cmd) {
	if why != "" {
		return m.say(kind, why)
	}
	m.author = a
	return m, nil
}

// promptKey handles a key typed into the prompt: on enter the revision file
// is written in a Cmd, and the history reloads when it is.
func (m Model) promptKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	var write tea.Cmd
	m.author, write = m.author.key(msg, m.loaded, m.cfg)
	if write == nil {
		return m, nil
	}
	m.work.loading++
	m, spin := m.spin()
	return m, tea.Batch(write, spin)
}

// onRevisionWritten reloads the history after `n` or `m` wrote a file and
// selects the new revision once it is loaded.
func (m Model) onRevisionWritten(msg revisionWrittenMsg) (tea.Model, tea.Cmd) {
	m.work.loading = max(0, m.work.loading-1)
	if msg.err != nil {
		return m.say(pane.LogErr, errText(msg.err))
	}
	m.loaded.selectAfterLoad = msg.rev.ID
	m, say := m.say(pane.LogOK, "wrote "+m.loaded.hist.DisplayPath(msg.rev.Path))
	m, load := m.reload("reloading the versions directory")
	return m, tea.Batch(say, load)
}

// startEdit opens the selected revision's file in the editor.
func (m Model) startEdit() (Model, tea.Cmd) {
	rev := m.loaded.hist.Rev(m.panes.selected())
	if rev == nil {
		return m.say(pane.LogWarn, "no file to edit: select a revision")
	}
	m = m.logf(pane.LogInfo, "editing "+m.loaded.hist.DisplayPath(rev.Path)+" with "+m.cfg.Editor)
	return m, editCmd(m.cfg.Editor, rev.Path)
}

// onEditorDone reloads after the editor exits: the file may have changed.
func (m Model) onEditorDone(msg editorDoneMsg) (tea.Model, tea.Cmd) {
	if msg.err != nil {
		m, say := m.say(pane.LogErr, errText(msg.err))
		m, load := m.reload("reloading the versions directory")
		return m, tea.Batch(say, load)
	}
	return m.reload("editor closed: reloading the versions directory")
}
