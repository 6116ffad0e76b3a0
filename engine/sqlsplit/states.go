package sqlsplit

import "strings"

// lexAny looks at the first byte of a token and picks the state that lexes
// it. It returns nil at the end of the input, which stops the machine.
func lexAny(l *lexer) stateFn {
	if l.pos >= len(l.src) {
		return nil
	}
	c := l.src[l.pos]
	switch {
	case isSpace(c):
		return lexSpace
	case c == '-' && l.peek(1) == '-':
		return lexLineComment
	case c == '/' && l.peek(1) == '*':
		return lexBlockComment
	case c == '\'':
		return l.quoted(1, '\'', false, String, "unterminated quoted string")
	case c == '"':
		return l.quoted(1, '"', false, QuotedIdent, "unterminated quoted identifier")
	case c == '`':
		return l.quoted(1, '`', false, QuotedIdent, "unterminated quoted identifier")
	case c == '$':
		return lexDollar
	case isDigit(c) || c == '.' && isDigit(l.peek(1)):
		return lexNumber
	case isIdentStart(c):
		return lexWord
	case c == '?' && isDigit(l.peek(1)):
		return lexNumberedParam
	case c == ':':
		return lexColon
	case isOpChar(c):
		return lexOperator
	case isPunct(c):
		l.pos++
		return l.emit(Punct)
	}
	l.pos++
	return l.emit(Other)
}

func lexSpace(l *lexer) stateFn {
	for l.pos < len(l.src) && isSpace(l.src[l.pos]) {
		l.pos++
	}
	return l.emit(Space)
}

// lexLineComment lexes -- up to, not including, the line break. Like
// PostgreSQL, a carriage return ends the comment too.
func lexLineComment(l *lexer) stateFn {
	if i := strings.IndexAny(l.src[l.pos:], "\n\r"); i >= 0 {
		l.pos += i
	} else {
		l.pos = len(l.src)
	}
	return l.emit(Comment)
}

// lexBlockComment lexes a /* */ comment. They nest in PostgreSQL, so
// /* a /* b */ c */ is one comment.
func lexBlockComment(l *lexer) stateFn {
	depth := 0
	for l.pos < len(l.src) {
		switch {
		case l.src[l.pos] == '/' && l.peek(1) == '*':
			depth++
			l.pos += 2
		case l.src[l.pos] == '*' && l.peek(1) == '/':
			depth--
			l.pos += 2
			if depth == 0 {
				return l.emit(Comment)
			}
		default:
			l.pos++
		}
	}
	return l.unterminated(Comment, "unterminated /* comment")
}

// quoted skips an opening delimiter of n bytes and sets up lexQuotedBody
// for text closed by quote.
func (l *lexer) quoted(n int, quote byte, escapes bool, kind TokenKind, what string) stateFn {
	l.pos += n
	l.quote, l.escapes, l.kind, l.what = quote, escapes, kind, what
	return lexQuotedBody
}

// lexQuotedBody lexes up to the closing quote. A doubled quote stands for
// itself; in E'...' strings a backslash escapes the next byte, so E'it\'s'
// is one string.
func lexQuotedBody(l *lexer) stateFn {
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch {
		case c == '\\' && l.escapes:
			l.pos = min(l.pos+2, len(l.src))
		case c == l.quote && l.peek(1) == l.quote:
			l.pos += 2
		case c == l.quote:
			l.pos++
			if l.escapes && l.continueString() {
				continue
			}
			return l.emit(l.kind)
		default:
			l.pos++
		}
	}
	return l.unterminated(l.kind, l.what)
}

// continueString implements PostgreSQL's quote continuation for E strings:
// 'a'<newline>'b' is one string, and the second part is lexed with the
// escapes of the first, so E'x'\n'it\'s' must stay one token. Between the
// parts may stand blanks, at least one line break and -- comments. If a
// continuation follows, continueString moves past its opening quote.
// (Continuation of the other string forms changes nothing in how they lex,
// so they are left as separate tokens.)
func (l *lexer) continueString() bool {
	s, i := l.src, l.pos
	for i < len(s) && isHorizSpace(s[i]) {
		i++
	}
	if i >= len(s) || s[i] != '\n' && s[i] != '\r' {
		return false
	}
	for i < len(s) {
		switch {
		case isSpace(s[i]):
			i++
		case s[i] == '-' && i+1 < len(s) && s[i+1] == '-':
			end := strings.IndexAny(s[i:], "\n\r")
			if end < 0 {
				return false
			}
			i += end
		case s[i] == '\'':
			l.pos = i + 1
			return true
		default:
			return false
		}
	}
	return false
}

// lexDollar lexes what starts with $: a $1 parameter, a $$ or $tag$
// dollar-quoted string, or SQLite's $name parameter.
func lexDollar(l *lexer) stateFn {
	rest := l.src[l.pos+1:]
	if len(rest) > 0 && isDigit(rest[0]) {
		l.pos++
		return lexNumberedParam
	}
	n := 0
	if len(rest) > 0 && isIdentStart(rest[0]) {
		n = 1
		for n < len(rest) && isTagChar(rest[n]) {
			n++
		}
	}
	switch {
	case n < len(rest) && rest[n] == '$':
		l.tag = l.src[l.pos : l.pos+n+2]
		l.pos += len(l.tag)
		return lexDollarBody
	case n > 0:
		l.pos += 1 + n
		return l.emit(Param)
	}
	l.pos++
	return l.emit(Other)
}

// lexDollarBody lexes a dollar-quoted body up to its own delimiter; other
// tags inside it are plain text, which is what lets bodies nest.
func lexDollarBody(l *lexer) stateFn {
	if i := strings.Index(l.src[l.pos:], l.tag); i >= 0 {
		l.pos += i + len(l.tag)
		return l.emit(String)
	}
	return l.unterminated(String, "unterminated dollar-quoted string "+l.tag)
}

// lexNumberedParam lexes the digits of $1 or ?1; pos is past the sigil.
func lexNumberedParam(l *lexer) stateFn {
	if l.src[l.pos] == '?' {
		l.pos++
	}
	for l.pos < len(l.src) && isDigit(l.src[l.pos]) {
		l.pos++
	}
	return l.emit(Param)
}

// lexNumber lexes 42, 4.2, .42, 4e2, 1_000 and 0x2A / 0o52 / 0b101010.
func lexNumber(l *lexer) stateFn {
	if l.src[l.pos] == '0' && strings.IndexByte("xXoObB", l.peek(1)) >= 0 && isHexDigit(l.peek(2)) {
		l.pos += 2
		for l.pos < len(l.src) && (isHexDigit(l.src[l.pos]) || l.src[l.pos] == '_') {
			l.pos++
		}
		return l.emit(Number)
	}
	l.digits()
	// 1..2 is not a decimal point: PL/pgSQL ranges use ..
	if l.peek(0) == '.' && l.peek(1) != '.' {
		l.pos++
		l.digits()
	}
	if c := l.peek(0); c == 'e' || c == 'E' {
		exp := 1
		if s := l.peek(1); s == '+' || s == '-' {
			exp = 2
		}
		if isDigit(l.peek(exp)) {
			l.pos += exp
			l.digits()
		}
	}
	return l.emit(Number)
}

// digits skips decimal digits and the _ separators PostgreSQL 16 allows
// between them.
func (l *lexer) digits() {
	for l.pos < len(l.src) && (isDigit(l.src[l.pos]) || l.src[l.pos] == '_' && isDigit(l.peek(1))) {
		l.pos++
	}
}

// lexWord lexes an identifier or keyword, or a string whose prefix looks
// like one: E'...', B'...', X'...', N'...', U&'...' and U&"...".
func lexWord(l *lexer) stateFn {
	c, next := lowerASCII(l.src[l.pos]), l.peek(1)
	switch {
	case c == 'e' && next == '\'':
		return l.quoted(2, '\'', true, String, "unterminated E'...' string")
	case (c == 'b' || c == 'x' || c == 'n') && next == '\'':
		return l.quoted(2, '\'', false, String, "unterminated quoted string")
	case c == 'u' && next == '&' && l.peek(2) == '\'':
		return l.quoted(3, '\'', false, String, "unterminated U&'...' string")
	case c == 'u' && next == '&' && l.peek(2) == '"':
		return l.quoted(3, '"', false, QuotedIdent, "unterminated quoted identifier")
	}
	for l.pos < len(l.src) && isIdentChar(l.src[l.pos]) {
		l.pos++
	}
	if !l.plainWords && isKeyword(l.src[l.start:l.pos]) {
		return l.emit(Keyword)
	}
	return l.emit(Ident)
}

// lexColon lexes :: and := as operators, :name as a parameter (SQLite,
// psql variables) and a lone : as punctuation (array slices).
func lexColon(l *lexer) stateFn {
	switch next := l.peek(1); {
	case next == ':' || next == '=':
		l.pos += 2
		return l.emit(Operator)
	case isIdentStart(next):
		l.pos++
		for l.pos < len(l.src) && isIdentChar(l.src[l.pos]) {
			l.pos++
		}
		return l.emit(Param)
	}
	l.pos++
	return l.emit(Punct)
}

// lexOperator lexes a run of operator characters. As in PostgreSQL a run
// stops where a comment starts, so a=--x is a, =, and a comment.
func lexOperator(l *lexer) stateFn {
	l.pos++
	for l.pos < len(l.src) && isOpChar(l.src[l.pos]) {
		c, next := l.src[l.pos], l.peek(1)
		if c == '-' && next == '-' || c == '/' && next == '*' {
			break
		}
		l.pos++
	}
	return l.emit(Operator)
}
