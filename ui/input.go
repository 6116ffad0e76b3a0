package ui

import (
	"strings"
	"unicode"

	tea "github.com/charmbracelet/bubbletea"
)

// inputModel is a one-line text input: the search box, the message prompts
// and the typed confirmation of a downgrade. (bubbles/textinput would pull
// in a clipboard module the project does not depend on; this needs far
// less.)
type inputModel struct {
	value []rune
	pos   int
	limit int
}

func newInput(limit int) inputModel { return inputModel{limit: limit} }

func (m inputModel) Value() string { return string(m.value) }

// Update edits the text: printable runes (pasted text too) insert, and the
// usual line-editing keys move and delete. Keys it does not use are left to
// the caller.
func (m inputModel) Update(msg tea.KeyMsg) (inputModel, bool) {
	switch msg.Type {
	case tea.KeyRunes, tea.KeySpace:
		return m.insert(msg.Runes), true
	case tea.KeyBackspace:
		if m.pos > 0 {
			m.value = append(m.value[:m.pos-1:m.pos-1], m.value[m.pos:]...)
			m.pos--
		}
	case tea.KeyDelete:
		if m.pos < len(m.value) {
			m.value = append(m.value[:m.pos:m.pos], m.value[m.pos+1:]...)
		}
	case tea.KeyLeft:
		m.pos = max(0, m.pos-1)
	case tea.KeyRight:
		m.pos = min(len(m.value), m.pos+1)
	case tea.KeyHome, tea.KeyCtrlA:
		m.pos = 0
	case tea.KeyEnd, tea.KeyCtrlE:
		m.pos = len(m.value)
	case tea.KeyCtrlU:
		m.value, m.pos = nil, 0
	case tea.KeyCtrlW:
		start := m.pos
		for start > 0 && m.value[start-1] == ' ' {
			start--
		}
		for start > 0 && m.value[start-1] != ' ' {
			start--
		}
		m.value = append(m.value[:start:start], m.value[m.pos:]...)
		m.pos = start
	default:
		return m, false
	}
	return m, true
}

func (m inputModel) insert(rs []rune) inputModel {
	var clean []rune
	for _, r := range rs {
		if unicode.IsPrint(r) {
			clean = append(clean, r)
		}
	}
	if m.limit > 0 && len(m.value)+len(clean) > m.limit {
		clean = clean[:max(0, m.limit-len(m.value))]
	}
	v := make([]rune, 0, len(m.value)+len(clean))
	v = append(v, m.value[:m.pos]...)
	v = append(v, clean...)
	v = append(v, m.value[m.pos:]...)
	m.value, m.pos = v, m.pos+len(clean)
	return m
}

// View draws the text with the cursor: an underscore at the end, the
// character under it reversed elsewhere (so it shows without colour at the
// end, where it almost always is).
func (m inputModel) View(st *styles) string {
	var b strings.Builder
	for _, s := range m.segs(st) {
		if s.st != nil {
			b.WriteString(st.paint(s.st, s.text))
		} else {
			b.WriteString(s.text)
		}
	}
	return b.String()
}

// segs is View as segments, for a line that may wrap (the typed id of a
// downgrade): wrapLines breaks plain text, and would cut the cursor's
// escape sequences in two if they were in the text.
func (m inputModel) segs(st *styles) []seg {
	if m.pos >= len(m.value) {
		return []seg{{text: string(m.value) + "_"}}
	}
	return []seg{
		{text: string(m.value[:m.pos])},
		{st: &st.cursor, text: string(m.value[m.pos]), solid: true},
		{text: string(m.value[m.pos+1:])},
	}
}
