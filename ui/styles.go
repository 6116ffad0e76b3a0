package ui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"

	"retort/lanes"
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
	id, label, labelOwn, badge, drift, dim, bold lipgloss.Style
	keyword, str, comment, number                lipgloss.Style
	destructive, errText, okText, warn           lipgloss.Style
	border, borderFocus, title, titleFocus       lipgloss.Style
	statusBar, footer, key                       lipgloss.Style

	// painters style one line of text by concatenation (see paint); built
	// once with the styles and only read afterwards.
	painters map[*lipgloss.Style]painter
}

// painter is a style's escape sequences before and after the text.
type painter struct{ open, close string }

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
		labelOwn:    s().Foreground(lipgloss.Color("6")).Bold(true).Underline(true),
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
	st.painters = map[*lipgloss.Style]painter{}
	for _, p := range []*lipgloss.Style{
		&st.applied, &st.pending, &st.current, &st.ancestry, &st.missing, &st.cursor,
		&st.id, &st.label, &st.badge, &st.drift, &st.dim, &st.bold,
		&st.keyword, &st.str, &st.comment, &st.number, &st.destructive, &st.errText, &st.okText, &st.warn,
		&st.border, &st.borderFocus, &st.title, &st.titleFocus, &st.statusBar, &st.footer, &st.key,
	} {
		// Underlined styles are drawn rune by rune by lipgloss (spaces
		// apart): they keep Render.
		if p.GetUnderline() {
			continue
		}
		const mark = "\x01"
		out := p.Render(mark)
		if k := strings.Index(out, mark); k >= 0 && strings.Count(out, mark) == 1 {
			st.painters[p] = painter{open: out[:k], close: out[k+len(mark):]}
		}
	}
	return st
}

// paint renders text in style s: for text on one line, the style's escape
// sequences around it, which is what lipgloss's Render produces for these
// styles (no width, padding, border or alignment) at a fraction of its cost
// (Render splits, measures and pads, and was most of a frame's time); other
// styles and text go through Render.
func (st *styles) paint(s *lipgloss.Style, text string) string {
	if text == "" {
		return ""
	}
	p, ok := st.painters[s]
	if !ok || strings.ContainsAny(text, "\n\t") {
		return s.Render(text)
	}
	if p.open == "" && p.close == "" {
		return text
	}
	return p.open + text + p.close
}

// sym returns the Unicode or the ASCII form of a symbol used in text.
func (st *styles) sym(unicode, ascii string) string {
	if st.ascii {
		return ascii
	}
	return unicode
}
