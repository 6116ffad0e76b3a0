package ui

import (
	tea "github.com/charmbracelet/bubbletea"

	"retort/visible"
)

// promptPurpose is what a message prompt is for.
type promptPurpose uint8

const (
	// promptNew: the message of a new revision on head.
	promptNew promptPurpose = iota
	// promptMerge: the message of a merge of heads.
	promptMerge
)

// promptModel asks, in the footer, for the one-line message of a revision
// that `n` or `m` will write.
type promptModel struct {
	purpose promptPurpose
	label   string
	input   inputModel
	// head is the revision `n` writes on; heads are the ones `m` merges.
	head  string
	heads []string
}

// promptOutcome is what a key did to the prompt.
type promptOutcome uint8

const (
	promptEditing promptOutcome = iota
	promptAccepted
	promptCancelled
)

func newPrompt(purpose promptPurpose, label string) promptModel {
	return promptModel{purpose: purpose, label: label, input: newInput(200)}
}

// Update edits the message; enter accepts it, esc cancels.
func (p promptModel) Update(msg tea.KeyMsg) (promptModel, promptOutcome) {
	switch msg.Type {
	case tea.KeyEnter:
		return p, promptAccepted
	case tea.KeyEsc:
		return p, promptCancelled
	}
	p.input, _ = p.input.Update(msg)
	return p, promptEditing
}

// promptKey handles a key typed into the prompt: on enter the revision file
// is written in a Cmd, and the history reloads when it is.
func (m Model) promptKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if msg.String() == "ctrl+c" {
		return m, tea.Quit
	}
	var out promptOutcome
	m.prompt, out = m.prompt.Update(msg)
	if out == promptEditing {
		return m, nil
	}
	m.mode = modeNormal
	m.keys.setEnabled(true)
	if out == promptCancelled {
		return m, nil
	}
	message := visible.Line(m.prompt.input.Value())
	now := m.cfg.Now()
	var cmd tea.Cmd
	if m.prompt.purpose == promptMerge {
		cmd = mergeCmd(m.hist.g, m.cfg.Dirs, m.prompt.heads, message, now)
	} else {
		cmd = newRevisionCmd(m.hist.g, m.cfg.Dirs, m.prompt.head, message, now)
	}
	m.loading++
	m, spin := m.spin()
	return m, tea.Batch(cmd, spin)
}
