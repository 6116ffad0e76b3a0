package sqlsplit

import (
	"fmt"
	"strings"
)

// LexError is a problem that would make Split guess where statements end.
type LexError struct {
	// Line is the 1-based line where the offending construct starts.
	Line int
	// Offset is the byte offset where it starts.
	Offset int
	// Msg says what is wrong, e.g. "unterminated quoted string".
	Msg string
}

func (e *LexError) Error() string {
	return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
}

// Check reports what would make Split guess: an unterminated quote,
// E'...' string, dollar quote, quoted identifier or block comment, and
// failing those a parenthesis or a BEGIN ... END body still open at the end
// of the script (everything after it would merge into one statement). The
// error is a *LexError whose Line is where the construct starts. A lexical
// error is reported first, because it usually causes the others.
func Check(script string) error {
	var sp splitter
	sp.run(script, false)
	switch {
	case sp.lex.err != nil:
		return sp.lex.err
	case sp.block > 0:
		// Reported before an open parenthesis: BEGIN and CASE count only
		// outside parentheses, so when both are open the body came first.
		word := strings.ToUpper(sp.blockWord)
		return &LexError{Line: lineAt(script, sp.blockOpen), Offset: sp.blockOpen,
			Msg: word + " without a matching END: the rest of the script would be one statement"}
	case sp.paren > 0:
		return &LexError{Line: lineAt(script, sp.parenOpen), Offset: sp.parenOpen,
			Msg: "unclosed parenthesis: the rest of the script would be one statement"}
	}
	return nil
}
