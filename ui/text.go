package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// ellipsis marks text cut to fit.
func (st *styles) ellipsis() string { return st.sym("…", "~") }

// fit truncates s (which may hold styles) to w columns, marking the cut,
// and pads it with spaces to exactly w columns.
func (st *styles) fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	n := ansi.StringWidth(s)
	if n > w {
		s = ansi.Truncate(s, w, st.ellipsis())
		n = ansi.StringWidth(s)
	}
	if n < w {
		s += strings.Repeat(" ", w-n)
	}
	return s
}

// cut truncates plain text to w columns, marking the cut.
func (st *styles) cut(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, st.ellipsis())
}

// pad cuts plain text to w columns and pads it with spaces to exactly w.
func (st *styles) pad(s string, w int) string {
	s = st.cut(s, w)
	if n := ansi.StringWidth(s); n < w {
		s += strings.Repeat(" ", w-n)
	}
	return s
}
