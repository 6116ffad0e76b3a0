package ui

import (
	"github.com/charmbracelet/lipgloss"

	"retort/ui/lanes"
)

// styles is the read-only look of the UI, built once and shared by pointer.
// Colours are the terminal's 16 ANSI colours, so they follow its theme and
// never need the background-colour query AdaptiveColor makes (which stalls
// in tmux). Every colour repeats something a glyph or a word already says:
// with NO_COLOR (lipgloss then renders plain text) nothing is lost.
type styles struct {
	glyphs lanes.Glyphs
	ascii  bool
	frame  boxChars

	applied, pending, current, ancestry, missing lipgloss.Style
	cursor                                       lipgloss.Style
	id, label, badge, drift, dim, bold           lipgloss.Style
	keyword, str, comment, number                lipgloss.Style
	destructive, errText, okText, warn           lipgloss.Style
	border, borderFocus, title, titleFocus       lipgloss.Style
	statusBar, footer, key                       lipgloss.Style
}

// boxChars are the characters of a pane's border.
type boxChars struct {
	tl, tr, bl, br, h, v string
}

func newStyles(ascii bool) *styles {
	s := lipgloss.NewStyle
	st := &styles{
		glyphs:      lanes.Unicode(),
		ascii:       ascii,
		frame:       boxChars{"╭", "╮", "╰", "╯", "─", "│"},
		applied:     s().Foreground(lipgloss.Color("2")).Faint(true),
		pending:     s(),
		current:     s().Bold(true),
		ancestry:    s().Foreground(lipgloss.Color("5")).Bold(true),
		missing:     s().Foreground(lipgloss.Color("1")),
		cursor:      s().Reverse(true),
		id:          s().Foreground(lipgloss.Color("3")),
		label:       s().Foreground(lipgloss.Color("6")),
		badge:       s().Foreground(lipgloss.Color("4")),
		drift:       s().Foreground(lipgloss.Color("1")).Bold(true),
		dim:         s().Faint(true),
		bold:        s().Bold(true),
		keyword:     s().Foreground(lipgloss.Color("4")).Bold(true),
		str:         s().Foreground(lipgloss.Color("2")),
		comment:     s().Faint(true),
		number:      s().Foreground(lipgloss.Color("5")),
		destructive: s().Foreground(lipgloss.Color("1")).Bold(true),
		errText:     s().Foreground(lipgloss.Color("1")),
		okText:      s().Foreground(lipgloss.Color("2")),
		warn:        s().Foreground(lipgloss.Color("3")),
		border:      s().Foreground(lipgloss.Color("8")),
		borderFocus: s().Foreground(lipgloss.Color("15")).Bold(true),
		title:       s(),
		titleFocus:  s().Bold(true),
		statusBar:   s().Reverse(true),
		footer:      s().Faint(true),
		key:         s().Bold(true),
	}
	if ascii {
		st.glyphs = lanes.ASCII()
		st.frame = boxChars{"+", "+", "+", "+", "-", "|"}
	}
	return st
}

// sym returns the Unicode or the ASCII form of a symbol used in text.
func (st *styles) sym(unicode, ascii string) string {
	if st.ascii {
		return ascii
	}
	return unicode
}
