// Package input is a one-line text input: the search box, the message
// prompts and the typed confirmation of a downgrade.
package input

import (
	"strings"
	"unicode"

	tea "github.com/charmbracelet/bubbletea"

	"retort/ui/seg"
	"retort/ui/theme"
)

// Model is a one-line text input. (bubbles/textinput would pull in a
// clipboard module the project does not depend on; this needs far less.)
type Model struct {
	value []rune
	pos   int
	limit int
}

// New is an empty input that takes at most limit runes (0: no limit).
func New(limit int) Model { return Model{limit: limit} }

// Value is the text typed.
func (m Model) Value() string { return string(m.value) }

// Pos is the cursor's position, in runes.
func (m Model) Pos() int { return m.pos }

// Update edits the text: printable runes (pasted text too) insert, and the
// usual line-editing keys move and delete. Keys it does not use are left to
// the caller.
func (m Model) Update(msg tea.KeyMsg) (Model, bool) {
	switch msg.Type {
	case tea.KeyRunes, tea.KeySpace:
		return m.Insert(msg.Runes), true
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

// Insert types runes at the cursor; those that are not printable are left
// out.
func (m Model) Insert(rs []rune) Model {
	var keep []rune
	for _, r := range rs {
		if unicode.IsPrint(r) {
			keep = append(keep, r)
		}
	}
	if m.limit > 0 && len(m.value)+len(keep) > m.limit {
		keep = keep[:max(0, m.limit-len(m.value))]
	}
	v := make([]rune, 0, len(m.value)+len(keep))
	v = append(v, m.value[:m.pos]...)
	v = append(v, keep...)
	v = append(v, m.value[m.pos:]...)
	m.value, m.pos = v, m.pos+len(keep)
	return m
}

// View draws the text with the cursor: an underscore at the end, the
// character under it reversed elsewhere (so it shows without colour at the
// end, where it almost always is).
func (m Model) View(st *theme.Styles) string {
	var b strings.Builder
	for _, s := range m.Segs(st) {
		if s.Style != nil {
			b.WriteString(st.Paint(s.Style, s.Text))
		} else {
			b.WriteString(s.Text)
		}
	}
	return b.String()
}

// Segs is View as segments, for a line that may wrap (the typed id of a
// downgrade): seg.Wrap breaks plain text, and would cut the cursor's
// escape sequences in two if they were in the text.
func (m Model) Segs(st *theme.Styles) []seg.Seg {
	if m.pos >= len(m.value) {
		return []seg.Seg{{Text: string(m.value) + "_"}}
	}
	return []seg.Seg{
		{Text: string(m.value[:m.pos])},
		{Style: &st.Cursor, Text: string(m.value[m.pos]), Solid: true},
		{Text: string(m.value[m.pos+1:])},
	}
}
