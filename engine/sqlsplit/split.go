package sqlsplit

import "strings"

// Statement is one statement of a script.
type Statement struct {
	// SQL is the statement's text from its first token (leading whitespace
	// and comments dropped) to the end of its last token, without the
	// terminating ';' or whatever whitespace and comments precede it.
	// Comments inside the statement are kept.
	SQL string
	// Offset is the byte offset of SQL's first byte in the script.
	Offset int
	// Line is the 1-based line of the script where SQL starts. For a
	// section of a revision file, the file's line is Section.Line+Line-1.
	Line int
}

// Split returns the statements of a script, in order. Empty statements
// (only whitespace and comments, or `;;`) are dropped. Split never fails:
// an unterminated construct runs to the end of the script and ends up in the
// last statement; call Check first to reject such scripts.
func Split(script string) []Statement {
	var sp splitter
	sp.run(script, true)
	return sp.out
}

// stmtKind says what the splitter has learnt about the statement from its
// first words; only CREATE FUNCTION/PROCEDURE and CREATE TRIGGER have bodies
// whose semicolons do not end them.
type stmtKind int

const (
	kindStart    stmtKind = iota // no word seen yet
	kindCreate                   // CREATE [OR REPLACE] [TEMP] [CONSTRAINT]
	kindPlain                    // anything else: ends at a top-level ';'
	kindFunction                 // CREATE FUNCTION or PROCEDURE
	kindTrigger                  // CREATE TRIGGER
)

// splitter walks the tokens of a script and cuts statements at the ';'
// tokens outside parentheses and bodies.
type splitter struct {
	src  string
	line int // line of the token being fed
	out  []Statement
	lex  *lexer

	// The statement being read; start is -1 before its first token.
	start, startLine, end int
	kind                  stmtKind
	prev                  Token // the previous significant token

	paren, parenOpen int // parenthesis depth, offset of the outermost open one
	block, blockOpen int // BEGIN/CASE ... END depth, offset of the outermost open one
	blockWord        string
}

// run splits src, appending statements to out when collect is set. Check
// runs it without collecting to learn the state the script ends in.
func (s *splitter) run(src string, collect bool) {
	s.src, s.line, s.lex = src, 1, newLexer(src)
	s.lex.plainWords = true
	s.reset()
	for {
		t, ok := s.lex.next()
		if !ok {
			break
		}
		if t.isPunct(";") && s.paren == 0 && s.block == 0 {
			s.flush(collect)
		} else if t.significant() {
			s.feed(t)
		}
		if t.Kind == Space || t.Kind == Comment || t.Kind == String || t.Kind == QuotedIdent {
			s.line += strings.Count(t.Text, "\n")
		}
	}
	// An open parenthesis or body at the end is Check's to report; the
	// text still forms the last statement.
	s.flush(collect)
}

func (s *splitter) reset() {
	s.start, s.kind, s.prev = -1, kindStart, Token{}
}

// flush ends the statement being read, if it has any token.
func (s *splitter) flush(collect bool) {
	if s.start >= 0 && collect {
		s.out = append(s.out, Statement{SQL: s.src[s.start:s.end], Offset: s.start, Line: s.startLine})
	}
	s.reset()
}

// feed takes one significant token that does not end the statement.
func (s *splitter) feed(t Token) {
	if s.start < 0 {
		s.start, s.startLine = t.Offset, s.line
	}
	s.end = t.Offset + len(t.Text)
	s.classify(t)
	switch {
	case t.isPunct("("):
		if s.paren == 0 {
			s.parenOpen = t.Offset
		}
		s.paren++
	case t.isPunct(")"):
		// A stray ')' is the server's to report; do not let it hide a ';'.
		s.paren = max(s.paren-1, 0)
	case t.isAnyWord() && s.paren == 0 && !s.prev.isPunct(".") &&
		(s.kind == kindFunction || s.kind == kindTrigger):
		s.nest(t)
	}
	s.prev = t
}

// classify reads the statement's first words to learn its kind:
// CREATE [OR REPLACE] [TEMP|TEMPORARY] [CONSTRAINT] FUNCTION|PROCEDURE|TRIGGER.
func (s *splitter) classify(t Token) {
	switch s.kind {
	case kindStart:
		s.kind = kindPlain
		if t.isWord("create") {
			s.kind = kindCreate
		}
	case kindCreate:
		switch {
		case t.isWord("or"), t.isWord("replace"), t.isWord("temp"), t.isWord("temporary"), t.isWord("constraint"):
		case t.isWord("function"), t.isWord("procedure"):
			s.kind = kindFunction
		case t.isWord("trigger"):
			s.kind = kindTrigger
		default:
			s.kind = kindPlain
		}
	}
}

// nest counts BEGIN and CASE against END inside a function or trigger
// statement, psql's heuristic: a BEGIN ATOMIC or trigger body, and the CASE
// expressions in it, all close with END. An END with nothing open (END IF
// cannot occur outside a quoted body) is ignored.
func (s *splitter) nest(t Token) {
	switch {
	case t.isWord("begin"), t.isWord("case"):
		if s.block == 0 {
			s.blockOpen, s.blockWord = t.Offset, t.Text
		}
		s.block++
	case t.isWord("end"):
		s.block = max(s.block-1, 0)
	}
}
