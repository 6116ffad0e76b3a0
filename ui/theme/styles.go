// Package theme is the UI's look: its styles, the glyphs of the graph, the
// characters of the borders, and the helpers that fit styled text to a
// width. It is read-only once built and shared by pointer.
package theme

import (
	"strings"

	"github.com/charmbracelet/lipgloss"

	"retort/lanes"
)

// Styles is the read-only look of the UI, built once and shared by pointer.
// Colours are the terminal's 16 ANSI colours, so they follow its theme and
// never need the background-colour query AdaptiveColor makes (which stalls
// in tmux). Every colour repeats something a glyph or a word already says:
// with NO_COLOR (lipgloss then renders plain text) nothing is lost.
type Styles struct {
	Glyphs lanes.Glyphs
	ASCII  bool
	frame  boxChars

	Applied, Pending, Current, Ancestry, Missing lipgloss.Style
	Cursor                                       lipgloss.Style
	ID, Label, LabelOwn, Badge, Drift, Dim, Bold lipgloss.Style
	Keyword, Str, Comment, Number                lipgloss.Style
	Destructive, ErrText, OKText, Warn           lipgloss.Style
	Border, BorderFocus, Title, TitleFocus       lipgloss.Style
	StatusBar, Footer, Key                       lipgloss.Style

	// painters style one line of text by concatenation (see Paint); built
	// once with the styles and only read afterwards.
	painters map[*lipgloss.Style]painter
}

// painter is a style's escape sequences before and after the text.
type painter struct{ open, close string }

// boxChars are the characters of a pane's border.
type boxChars struct {
	tl, tr, bl, br, h, v string
}

// New builds the styles, with ASCII glyphs and borders when ascii is set.
func New(ascii bool) *Styles {
	s := lipgloss.NewStyle
	st := &Styles{
		Glyphs:      lanes.Unicode(),
		ASCII:       ascii,
		frame:       boxChars{"╭", "╮", "╰", "╯", "─", "│"},
		Applied:     s().Foreground(lipgloss.Color("2")).Faint(true),
		Pending:     s(),
		Current:     s().Bold(true),
		Ancestry:    s().Foreground(lipgloss.Color("5")).Bold(true),
		Missing:     s().Foreground(lipgloss.Color("1")),
		Cursor:      s().Reverse(true),
		ID:          s().Foreground(lipgloss.Color("3")),
		Label:       s().Foreground(lipgloss.Color("6")),
		LabelOwn:    s().Foreground(lipgloss.Color("6")).Bold(true).Underline(true),
		Badge:       s().Foreground(lipgloss.Color("4")),
		Drift:       s().Foreground(lipgloss.Color("1")).Bold(true),
		Dim:         s().Faint(true),
		Bold:        s().Bold(true),
		Keyword:     s().Foreground(lipgloss.Color("4")).Bold(true),
		Str:         s().Foreground(lipgloss.Color("2")),
		Comment:     s().Faint(true),
		Number:      s().Foreground(lipgloss.Color("5")),
		Destructive: s().Foreground(lipgloss.Color("1")).Bold(true),
		ErrText:     s().Foreground(lipgloss.Color("1")),
		OKText:      s().Foreground(lipgloss.Color("2")),
		Warn:        s().Foreground(lipgloss.Color("3")),
		Border:      s().Foreground(lipgloss.Color("8")),
		BorderFocus: s().Foreground(lipgloss.Color("15")).Bold(true),
		Title:       s(),
		TitleFocus:  s().Bold(true),
		StatusBar:   s().Reverse(true),
		Footer:      s().Faint(true),
		Key:         s().Bold(true),
	}
	if ascii {
		st.Glyphs = lanes.ASCII()
		st.frame = boxChars{"+", "+", "+", "+", "-", "|"}
	}
	st.painters = st.makePainters()
	return st
}

// makePainters finds each style's escape sequences, for Paint.
func (st *Styles) makePainters() map[*lipgloss.Style]painter {
	out := map[*lipgloss.Style]painter{}
	for _, p := range []*lipgloss.Style{
		&st.Applied, &st.Pending, &st.Current, &st.Ancestry, &st.Missing, &st.Cursor,
		&st.ID, &st.Label, &st.Badge, &st.Drift, &st.Dim, &st.Bold,
		&st.Keyword, &st.Str, &st.Comment, &st.Number, &st.Destructive, &st.ErrText, &st.OKText, &st.Warn,
		&st.Border, &st.BorderFocus, &st.Title, &st.TitleFocus, &st.StatusBar, &st.Footer, &st.Key,
	} {
		// Underlined styles are drawn rune by rune by lipgloss (spaces
		// apart): they keep Render.
		if p.GetUnderline() {
			continue
		}
		const mark = "\x01"
		r := p.Render(mark)
		if k := strings.Index(r, mark); k >= 0 && strings.Count(r, mark) == 1 {
			out[p] = painter{open: r[:k], close: r[k+len(mark):]}
		}
	}
	return out
}

// Paint renders text in style s: for text on one line, the style's escape
// sequences around it, which is what lipgloss's Render produces for these
// styles (no width, padding, border or alignment) at a fraction of its cost
// (Render splits, measures and pads, and was most of a frame's time); other
// styles and text go through Render.
func (st *Styles) Paint(s *lipgloss.Style, text string) string {
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

// Sym returns the Unicode or the ASCII form of a symbol used in text.
func (st *Styles) Sym(unicode, ascii string) string {
	if st.ASCII {
		return ascii
	}
	return unicode
}
