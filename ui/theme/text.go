package theme

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Ellipsis marks text cut to fit.
func (st *Styles) Ellipsis() string { return st.Sym("…", "~") }

// Dots end the text of something under way: "reading…".
func (st *Styles) Dots() string { return st.Sym("…", "...") }

// Fit truncates s (which may hold styles) to w columns, marking the cut,
// and pads it with spaces to exactly w columns.
func (st *Styles) Fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	n := ansi.StringWidth(s)
	if n > w {
		s = ansi.Truncate(s, w, st.Ellipsis())
		n = ansi.StringWidth(s)
	}
	if n < w {
		s += strings.Repeat(" ", w-n)
	}
	return s
}

// Cut truncates plain text to w columns, marking the cut.
func (st *Styles) Cut(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, st.Ellipsis())
}

// Pad cuts plain text to w columns and pads it with spaces to exactly w.
func (st *Styles) Pad(s string, w int) string {
	s = st.Cut(s, w)
	if n := ansi.StringWidth(s); n < w {
		s += strings.Repeat(" ", w-n)
	}
	return s
}
