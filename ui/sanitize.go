package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// clean makes text from a revision file (or a database message) safe to
// draw: escape sequences are removed (a file must not be able to move the
// cursor, retitle the window or hide text), tabs become spaces, and the
// remaining control characters and bidirectional overrides are dropped.
// Line breaks are kept.
func clean(s string) string {
	if isPlain(s) {
		return s
	}
	s = ansi.Strip(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteRune(r)
		case r == '\t':
			b.WriteString("    ")
		case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0:
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// cleanLine is clean for text shown on one line.
func cleanLine(s string) string {
	return strings.ReplaceAll(clean(strings.ReplaceAll(s, "\r\n", " ")), "\n", " ")
}

// isPlain reports whether s is printable ASCII (plus line breaks), which
// needs no cleaning: most revision text is.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 0x20 && c != '\n') || c >= 0x7f {
			return false
		}
	}
	return true
}
