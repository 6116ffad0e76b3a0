package sqlsplit

import "strings"

// lexer is a state machine in the style of text/template's lexer (and
// tern's sqlsplit): each state function lexes one kind of token, emits it
// and returns the state to run next. The caller pulls tokens one at a time
// with next, so Split never holds the token list of a whole script.
type lexer struct {
	src   string
	start int // offset of the token being lexed
	pos   int // offset of the next byte to read
	state stateFn

	tok   Token // the token emitted last
	ready bool  // tok has not been handed out yet

	// err is the unterminated construct the input ends in, if any. There
	// can be only one: such a construct runs to the end of the input.
	err *LexError

	// Parameters of the quoted-text state, set by the state that saw the
	// opening delimiter.
	quote   byte      // closing quote character
	escapes bool      // backslash escapes the next byte (E'...')
	kind    TokenKind // kind of the token being lexed
	what    string    // what the construct is called in an error
	tag     string    // dollar-quote delimiter, both $ included

	// plainWords emits every unquoted word as Ident. The splitter compares
	// words itself and skips the keyword lookup, a third of its time.
	plainWords bool
}

type stateFn func(*lexer) stateFn

func newLexer(src string) *lexer {
	return &lexer{src: src, state: lexAny}
}

// next returns the next token, or false at the end of the input.
func (l *lexer) next() (Token, bool) {
	for !l.ready {
		if l.state == nil {
			return Token{}, false
		}
		l.state = l.state(l)
	}
	l.ready = false
	return l.tok, true
}

// emit hands out src[start:pos] as a token of kind k and returns to lexAny.
func (l *lexer) emit(k TokenKind) stateFn {
	l.tok = Token{Kind: k, Text: l.src[l.start:l.pos], Offset: l.start}
	l.ready = true
	l.start = l.pos
	return lexAny
}

// unterminated records that the token being lexed runs to the end of the
// input without its closing delimiter, and emits it as it is.
func (l *lexer) unterminated(k TokenKind, msg string) stateFn {
	l.pos = len(l.src)
	if l.err == nil {
		l.err = &LexError{Line: lineAt(l.src, l.start), Offset: l.start, Msg: msg}
	}
	return l.emit(k)
}

// peek returns the byte i bytes after pos, or 0 past the end.
func (l *lexer) peek(i int) byte {
	if l.pos+i < len(l.src) {
		return l.src[l.pos+i]
	}
	return 0
}

// Tokens lexes text (a statement or a whole script) into tokens whose Texts
// concatenate back to text exactly. An unterminated string, quoted
// identifier or comment becomes one token running to the end of text; Check
// reports it.
func Tokens(text string) []Token {
	// Most tokens are a few bytes long; this guess avoids most regrowth.
	toks := make([]Token, 0, len(text)/4+1)
	l := newLexer(text)
	for {
		t, ok := l.next()
		if !ok {
			return toks
		}
		toks = append(toks, t)
	}
}

// lineAt returns the 1-based line of the byte at offset.
func lineAt(src string, offset int) int {
	offset = min(max(offset, 0), len(src))
	return 1 + strings.Count(src[:offset], "\n")
}
