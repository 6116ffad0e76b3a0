package ui

import (
	tea "github.com/charmbracelet/bubbletea"
)

// onLogWritten says where the session log went.
func (m Model) onLogWritten(msg logWrittenMsg) (tea.Model, tea.Cmd) {
	if msg.err != nil {
		return m.say(logErr, errText(msg.err))
	}
	return m.say(logOK, "session log written to "+msg.path)
}

// onRevisionWritten reloads the history after `n` or `m` wrote a file and
// selects the new revision once it is loaded.
func (m Model) onRevisionWritten(msg revisionWrittenMsg) (tea.Model, tea.Cmd) {
	m.loading = max(0, m.loading-1)
	if msg.err != nil {
		return m.say(logErr, errText(msg.err))
	}
	m.selectAfterLoad = msg.rev.ID
	m, say := m.say(logOK, "wrote "+m.hist.displayPath(msg.rev.Path))
	m, load := m.reload("reloading the versions directory")
	return m, tea.Batch(say, load)
}

// onEditorDone reloads after the editor exits: the file may have changed.
func (m Model) onEditorDone(msg editorDoneMsg) (tea.Model, tea.Cmd) {
	if msg.err != nil {
		m, say := m.say(logErr, errText(msg.err))
		m, load := m.reload("reloading the versions directory")
		return m, tea.Batch(say, load)
	}
	return m.reload("editor closed: reloading the versions directory")
}
