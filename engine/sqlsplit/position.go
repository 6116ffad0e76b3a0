package sqlsplit

import (
	"strings"
	"unicode/utf8"
)

// Position maps a 1-based character position inside a statement, as
// PostgreSQL reports it in an error's Position field (characters, not
// bytes, counted in the statement text that was sent, st.SQL), to the
// 1-based line and column, in characters, of the script st came from.
// A position past the end (PostgreSQL's "at end of input" is one past the
// last character) maps to just after the statement's last character; one
// below 1 maps to its first. A Statement that is not from script is
// clamped to script rather than trusted.
func Position(script string, st Statement, pos int) (line, col int) {
	b := 0 // byte offset in st.SQL of character number pos
	for n := 1; n < pos && b < len(st.SQL); n++ {
		_, w := utf8.DecodeRuneInString(st.SQL[b:])
		b += w
	}
	start := min(max(st.Offset, 0), len(script))
	at := min(start+b, len(script))
	// The line is counted in script, not from st.Line, so that line and
	// column agree even for a Statement that does not come from script.
	lineStart := strings.LastIndexByte(script[:at], '\n') + 1
	return lineAt(script, at), utf8.RuneCountInString(script[lineStart:at]) + 1
}
