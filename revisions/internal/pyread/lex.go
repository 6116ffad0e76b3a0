package pyread

// A Python tokenizer, complete enough to find the module-level statements of
// an Alembic revision file without running Python. It knows what can hide an
// assignment or fake one: comments, every kind of string literal (prefixes,
// triple quotes, escapes, f-strings with nested quotes as Python 3.12 allows),
// brackets spanning lines and backslash continuations. It does not check the
// grammar beyond that: Python would, and retort only needs the statements.

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/runenames"
)

type pyTokKind uint8

const (
	pyName pyTokKind = iota + 1
	pyNumber
	pyString
	pyOp
)

// pyToken is one token. For a string, text is the whole literal with its
// prefix and quotes; the body is decoded only when a value needs it.
type pyToken struct {
	kind   pyTokKind
	text   string
	line   int // 1-based line where the token starts
	off    int // byte offset in the normalized source
	prefix string
	quote  int // 1 or 3 for a string
}

// pyLine is one logical line: the tokens of one or more physical lines joined
// by open brackets or backslashes, and the column its first token starts at.
type pyLine struct {
	indent int
	toks   []pyToken
}

// maxPyNesting bounds how deeply brackets and f-string fields may nest, as
// Python's own tokenizer does, so that hostile input cannot make the reader
// slow or exhaust the stack.
const maxPyNesting = 200

type pyBracket struct {
	char byte
	line int
}

type pyLexer struct {
	src       string
	pos       int
	line      int
	lineStart int // offset of the current physical line
	brackets  []pyBracket
	lines     []pyLine
	cur       pyLine
	started   bool // the current logical line has begun
}

// lexPython splits normalized source (UTF-8, "\n" line ends, no BOM) into
// logical lines.
func lexPython(src string) ([]pyLine, *Error) {
	lx := &pyLexer{src: src, line: 1}
	if err := lx.run(); err != nil {
		return nil, err
	}
	return lx.lines, nil
}

func (lx *pyLexer) errorf(line int, format string, args ...any) *Error {
	return errorf(line, format, args...)
}

func (lx *pyLexer) run() *Error {
	for {
		lx.skipBlanks()
		if lx.pos >= len(lx.src) {
			return lx.finish()
		}
		c := lx.src[lx.pos]
		if !lx.started && c != '#' && c != '\n' {
			// Python measures a logical line's indentation on its first
			// physical line, even if that holds only a backslash.
			lx.cur.indent = lx.column()
			lx.started = true
		}
		var err *Error
		switch {
		case c == '#':
			lx.skipComment()
		case c == '\n':
			lx.newline()
			if len(lx.brackets) == 0 {
				lx.endLine()
			}
		case c == '\\':
			err = lx.continuation()
		case isPyIdentStart(c):
			err = lx.identOrString()
		case isPyDigit(c) || (c == '.' && lx.pos+1 < len(lx.src) && isPyDigit(lx.src[lx.pos+1])):
			lx.number()
		case c == '\'' || c == '"':
			err = lx.stringToken(lx.pos, "")
		default:
			err = lx.operator()
		}
		if err != nil {
			return err
		}
	}
}

func (lx *pyLexer) skipBlanks() {
	for lx.pos < len(lx.src) {
		switch lx.src[lx.pos] {
		case ' ', '\t', '\f':
			lx.pos++
		default:
			return
		}
	}
}

func (lx *pyLexer) skipComment() {
	for lx.pos < len(lx.src) && lx.src[lx.pos] != '\n' {
		lx.pos++
	}
}

// newline steps over a "\n" at lx.pos.
func (lx *pyLexer) newline() {
	lx.pos++
	lx.line++
	lx.lineStart = lx.pos
}

func (lx *pyLexer) endLine() {
	if len(lx.cur.toks) > 0 {
		lx.lines = append(lx.lines, lx.cur)
	}
	lx.cur = pyLine{}
	lx.started = false
}

// column is where lx.pos sits on its physical line, counting tabs to the
// next multiple of 8 and letting a form feed reset it, as Python does.
func (lx *pyLexer) column() int {
	col := 0
	for i := lx.lineStart; i < lx.pos && i < len(lx.src); i++ {
		switch lx.src[i] {
		case '\t':
			col = (col/8 + 1) * 8
		case '\f':
			col = 0
		default:
			col++
		}
	}
	return col
}

func (lx *pyLexer) finish() *Error {
	if n := len(lx.brackets); n > 0 {
		b := lx.brackets[n-1]
		return lx.errorf(b.line, "'%c' was never closed", b.char)
	}
	lx.endLine()
	return nil
}

func (lx *pyLexer) continuation() *Error {
	switch {
	case lx.pos+1 >= len(lx.src):
		return lx.errorf(lx.line, "unexpected end of file after a line continuation character '\\'")
	case lx.src[lx.pos+1] != '\n':
		return lx.errorf(lx.line, "unexpected character after a line continuation character '\\'")
	}
	lx.pos++
	lx.newline()
	return nil
}

func (lx *pyLexer) add(kind pyTokKind, start, line int) {
	lx.cur.toks = append(lx.cur.toks, pyToken{kind: kind, text: lx.src[start:lx.pos], line: line, off: start})
}

// identEnd returns the end of the identifier starting at i. Any non-ASCII
// character counts as an identifier character: Python would reject the ones
// that are not, and they cannot hide a statement.
func (lx *pyLexer) identEnd(i int) int {
	for i < len(lx.src) {
		c := lx.src[i]
		if c >= utf8.RuneSelf {
			_, size := utf8.DecodeRuneInString(lx.src[i:])
			i += size
			continue
		}
		if !isPyIdentStart(c) && !isPyDigit(c) {
			break
		}
		i++
	}
	return i
}

func (lx *pyLexer) identOrString() *Error {
	start := lx.pos
	end := lx.identEnd(start)
	word := lx.src[start:end]
	if end < len(lx.src) && (lx.src[end] == '\'' || lx.src[end] == '"') && isPyStringPrefix(word) {
		lx.pos = end
		return lx.stringToken(start, word)
	}
	lx.pos = end
	lx.add(pyName, start, lx.line)
	return nil
}

// number consumes a numeric literal loosely: its value never matters, only
// that it is not a name.
func (lx *pyLexer) number() {
	start := lx.pos
	hex := strings.HasPrefix(lx.src[start:], "0x") || strings.HasPrefix(lx.src[start:], "0X")
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		switch {
		case isPyDigit(c) || isPyIdentStart(c) || c == '.':
			lx.pos++
		case (c == '+' || c == '-') && !hex && (lx.src[lx.pos-1] == 'e' || lx.src[lx.pos-1] == 'E'):
			lx.pos++
		default:
			lx.add(pyNumber, start, lx.line)
			return
		}
	}
	lx.add(pyNumber, start, lx.line)
}

// Operators longer than one character, longest first. Only "=" against the
// others matters to the reader, but a split "==" would look like an
// assignment.
var pyLongOps = [...]string{
	"**=", "//=", ">>=", "<<=", "...",
	"**", "//", ">>", "<<", "<=", ">=", "==", "!=", "->", ":=",
	"+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=",
}

func (lx *pyLexer) operator() *Error {
	start := lx.pos
	rest := lx.src[start:]
	for _, op := range pyLongOps {
		if strings.HasPrefix(rest, op) {
			lx.pos += len(op)
			lx.add(pyOp, start, lx.line)
			return nil
		}
	}
	c := rest[0]
	if c == 0 {
		return lx.errorf(lx.line, "the file contains a NUL byte")
	}
	lx.pos++
	switch c {
	case '(', '[', '{':
		if len(lx.brackets) >= maxPyNesting {
			return lx.errorf(lx.line, "too many nested parentheses")
		}
		lx.brackets = append(lx.brackets, pyBracket{char: c, line: lx.line})
	case ')', ']', '}':
		if err := lx.closeBracket(c); err != nil {
			return err
		}
	}
	lx.add(pyOp, start, lx.line)
	return nil
}

func (lx *pyLexer) closeBracket(c byte) *Error {
	n := len(lx.brackets)
	if n == 0 {
		return lx.errorf(lx.line, "unmatched '%c'", c)
	}
	open := lx.brackets[n-1]
	if pyClosing(open.char) != c {
		if open.line == lx.line {
			return lx.errorf(lx.line, "closing parenthesis '%c' does not match opening parenthesis '%c'", c, open.char)
		}
		return lx.errorf(lx.line, "closing parenthesis '%c' does not match opening parenthesis '%c' on line %d", c, open.char, open.line)
	}
	lx.brackets = lx.brackets[:n-1]
	return nil
}

func pyClosing(open byte) byte {
	switch open {
	case '(':
		return ')'
	case '[':
		return ']'
	}
	return '}'
}

// stringToken scans the string literal whose prefix starts at start and whose
// opening quote is at lx.pos, and adds it as one token.
func (lx *pyLexer) stringToken(start int, prefix string) *Error {
	line := lx.line
	quote, err := lx.scanString(prefix, 0)
	if err != nil {
		return err
	}
	lx.cur.toks = append(lx.cur.toks, pyToken{
		kind: pyString, text: lx.src[start:lx.pos], line: line, off: start,
		prefix: strings.ToLower(prefix), quote: quote,
	})
	return nil
}

// pyStrScan is what the body scanners need to know about the literal.
type pyStrScan struct {
	q         byte
	triple    bool
	raw       bool
	startLine int
	nest      int
}

func (s pyStrScan) closes(src string, i int) bool {
	if src[i] != s.q {
		return false
	}
	return !s.triple || (i+2 < len(src) && src[i+1] == s.q && src[i+2] == s.q)
}

// scanString scans a literal from its opening quote at lx.pos to just past
// its closing quote. It returns the quote length (1 or 3).
func (lx *pyLexer) scanString(prefix string, nest int) (int, *Error) {
	if nest > maxPyNesting {
		return 0, lx.errorf(lx.line, "strings nested too deeply")
	}
	lower := strings.ToLower(prefix)
	s := pyStrScan{q: lx.src[lx.pos], raw: strings.Contains(lower, "r"), startLine: lx.line, nest: nest}
	s.triple = strings.HasPrefix(lx.src[lx.pos:], strings.Repeat(string(s.q), 3))
	quote := 1
	if s.triple {
		quote = 3
	}
	lx.pos += quote
	var err *Error
	if strings.ContainsAny(lower, "ft") {
		err = lx.scanFBody(s)
	} else {
		err = lx.scanPlainBody(s)
	}
	return quote, err
}

func (lx *pyLexer) unterminated(s pyStrScan) *Error {
	if s.triple {
		return lx.errorf(s.startLine, "unterminated triple-quoted string literal (the file ends at line %d)", lx.line)
	}
	return lx.errorf(s.startLine, "unterminated string literal")
}

// escape steps over a backslash and the character it escapes; a raw string
// keeps both but the backslash still protects a quote from ending it.
func (lx *pyLexer) escape() {
	lx.pos++
	if lx.pos < len(lx.src) {
		if lx.src[lx.pos] == '\n' {
			lx.newline()
		} else {
			lx.pos++
		}
	}
}

func (lx *pyLexer) scanPlainBody(s pyStrScan) *Error {
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		switch {
		case c == '\\':
			lx.escape()
		case c == '\n':
			if !s.triple {
				return lx.unterminated(s)
			}
			lx.newline()
		case s.closes(lx.src, lx.pos):
			lx.pos += 1 + 2*pyBtoi(s.triple)
			return nil
		default:
			lx.pos++
		}
	}
	return lx.unterminated(s)
}

func pyBtoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// scanFBody scans the body of an f-string (or t-string): literal text with
// replacement fields in braces, where the expressions may hold strings of
// their own, even with the same quote (Python 3.12).
func (lx *pyLexer) scanFBody(s pyStrScan) *Error {
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		switch {
		case c == '\\':
			if !s.raw && strings.HasPrefix(lx.src[lx.pos:], `\N{`) {
				lx.skipNamedEscape(s)
				continue
			}
			lx.escape()
		case c == '\n':
			if !s.triple {
				return lx.unterminated(s)
			}
			lx.newline()
		case s.closes(lx.src, lx.pos):
			lx.pos += 1 + 2*pyBtoi(s.triple)
			return nil
		case c == '{' && lx.pos+1 < len(lx.src) && lx.src[lx.pos+1] == '{':
			lx.pos += 2
		case c == '{':
			lx.pos++
			// A field cut short by the closing quote (which Python rejects)
			// leaves it for this loop to end the string.
			if _, err := lx.scanFField(s); err != nil {
				return err
			}
		default:
			lx.pos++
		}
	}
	return lx.unterminated(s)
}

// skipNamedEscape steps over `\N{NAME}` in an f-string, whose braces are not
// a replacement field.
func (lx *pyLexer) skipNamedEscape(s pyStrScan) {
	lx.pos += 3
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		if c == '}' {
			lx.pos++
			return
		}
		if c == '\n' || s.closes(lx.src, lx.pos) {
			return
		}
		lx.pos++
	}
}

// scanFField scans a replacement field after its "{". It reports false when
// it stopped at the string's closing quote without finding the "}" (Python
// rejects that; the body scanner then ends the string there).
func (lx *pyLexer) scanFField(s pyStrScan) (bool, *Error) {
	if s.nest >= maxPyNesting {
		return false, lx.errorf(lx.line, "f-string nested too deeply")
	}
	inner := s
	inner.nest++
	depth := 0
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		switch {
		case c == '\n':
			lx.newline()
		case c == '\\':
			lx.escape()
		case c == '#' && s.triple:
			lx.skipComment()
		case c == '\'' || c == '"':
			if _, err := lx.scanString("", inner.nest); err != nil {
				return false, err
			}
		case isPyIdentStart(c):
			if err := lx.fieldIdent(inner.nest); err != nil {
				return false, err
			}
		case c == '(' || c == '[' || c == '{':
			depth++
			lx.pos++
		case c == ')' || c == ']':
			depth = max(depth-1, 0)
			lx.pos++
		case c == '}':
			lx.pos++
			if depth == 0 {
				return true, nil
			}
			depth--
		case c == ':' && depth == 0:
			lx.pos++
			return lx.scanFSpec(inner)
		default:
			lx.pos++
		}
	}
	return false, lx.unterminated(s)
}

// fieldIdent steps over a name inside a replacement field, or a string
// literal if the name is its prefix.
func (lx *pyLexer) fieldIdent(nest int) *Error {
	end := lx.identEnd(lx.pos)
	word := lx.src[lx.pos:end]
	lx.pos = end
	if end < len(lx.src) && (lx.src[end] == '\'' || lx.src[end] == '"') && isPyStringPrefix(word) {
		_, err := lx.scanString(word, nest)
		return err
	}
	return nil
}

// scanFSpec scans a format specification after the ":" of a field, up to
// and including the "}" that closes the field. The spec is literal text with
// nested fields.
func (lx *pyLexer) scanFSpec(s pyStrScan) (bool, *Error) {
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		switch {
		case s.closes(lx.src, lx.pos):
			return false, nil
		case c == '\n':
			if !s.triple {
				return false, lx.unterminated(s)
			}
			lx.newline()
		case c == '\\':
			lx.escape()
		case c == '{':
			lx.pos++
			closed, err := lx.scanFField(s)
			if err != nil || !closed {
				return false, err
			}
		case c == '}':
			lx.pos++
			return true, nil
		default:
			lx.pos++
		}
	}
	return false, lx.unterminated(s)
}

func isPyIdentStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= utf8.RuneSelf
}

func isPyDigit(c byte) bool { return c >= '0' && c <= '9' }

// isPyStringPrefix reports whether word, followed by a quote, starts a
// string literal (Python 3; "t" is 3.14's template string).
func isPyStringPrefix(word string) bool {
	switch strings.ToLower(word) {
	case "r", "u", "b", "f", "t", "br", "rb", "fr", "rf", "tr", "rt":
		return true
	}
	return false
}

// body is the text between a string token's quotes.
func (t pyToken) body() string {
	n := len(t.prefix) + t.quote
	return t.text[n : len(t.text)-t.quote]
}

func (t pyToken) isBytes() bool       { return strings.Contains(t.prefix, "b") }
func (t pyToken) isRaw() bool         { return strings.Contains(t.prefix, "r") }
func (t pyToken) isTemplate() bool    { return strings.ContainsAny(t.prefix, "ft") }
func (t pyToken) is(text string) bool { return t.kind == pyOp && t.text == text }
func (t pyToken) isName(name string) bool {
	return t.kind == pyName && t.text == name
}

// end is the offset just past the token.
func (t pyToken) end() int { return t.off + len(t.text) }

// pyDecodeError is a string literal Python refuses to compile, located by the
// number of lines from the literal's first line.
type pyDecodeError struct {
	lineOffset int
	msg        string
}

// pyDecoder decodes string literals. It builds the table of character
// names the first time a \N{...} escape needs it, and keeps it for the rest
// of the file.
type pyDecoder struct {
	names map[string]rune
}

// decode returns the value of a string token that is not an f-string. A
// bytes literal's value is returned as its raw bytes.
func (d *pyDecoder) decode(t pyToken) (string, *pyDecodeError) {
	body := t.body()
	if t.isBytes() {
		for i := 0; i < len(body); i++ {
			if body[i] >= utf8.RuneSelf {
				return "", &pyDecodeError{strings.Count(body[:i], "\n"), "bytes can only contain ASCII literal characters"}
			}
		}
	}
	if t.isRaw() || !strings.Contains(body, `\`) {
		return body, nil
	}
	var b strings.Builder
	for i := 0; i < len(body); {
		if body[i] != '\\' || i+1 >= len(body) {
			b.WriteByte(body[i])
			i++
			continue
		}
		n, msg := d.escape(&b, body, i, t.isBytes())
		if msg != "" {
			return "", &pyDecodeError{strings.Count(body[:i], "\n"), msg}
		}
		i += n
	}
	return b.String(), nil
}

// pySimpleEscapes maps the character after a backslash to the byte it
// stands for, for the one-character escapes.
var pySimpleEscapes = [...]struct{ c, v byte }{
	{'\\', '\\'}, {'\'', '\''}, {'"', '"'}, {'a', '\a'}, {'b', '\b'},
	{'f', '\f'}, {'n', '\n'}, {'r', '\r'}, {'t', '\t'}, {'v', '\v'},
}

// escape writes the value of the escape sequence starting with the
// backslash at s[i] and returns its length, or a message if Python rejects it.
func (d *pyDecoder) escape(b *strings.Builder, s string, i int, bytesLit bool) (int, string) {
	e := s[i+1]
	for _, se := range pySimpleEscapes {
		if se.c == e {
			b.WriteByte(se.v)
			return 2, ""
		}
	}
	switch {
	case e == '\n': // a backslash-newline continues the string
		return 2, ""
	case e >= '0' && e <= '7':
		n, v := 1, rune(e-'0')
		for n < 3 && i+1+n < len(s) && s[i+1+n] >= '0' && s[i+1+n] <= '7' {
			v = v*8 + rune(s[i+1+n]-'0')
			n++
		}
		pyWriteCode(b, v, bytesLit)
		return 1 + n, ""
	case e == 'x':
		return pyHexEscape(b, s, i, 2, bytesLit)
	case e == 'u' && !bytesLit:
		return pyHexEscape(b, s, i, 4, false)
	case e == 'U' && !bytesLit:
		return pyHexEscape(b, s, i, 8, false)
	case e == 'N' && !bytesLit:
		return d.namedEscape(b, s, i)
	}
	// An unknown escape keeps its backslash (Python only warns about it).
	b.WriteByte('\\')
	b.WriteByte(e)
	return 2, ""
}

// pyWriteCode writes code point v: a character in a str, a byte in a bytes
// literal (where Python keeps the low 8 bits of an octal escape over 0o377).
func pyWriteCode(b *strings.Builder, v rune, bytesLit bool) {
	if bytesLit {
		b.WriteByte(byte(v))
		return
	}
	b.WriteRune(v)
}

// pyHexEscape decodes \xhh, \uhhhh or \Uhhhhhhhh (digits hex digits).
func pyHexEscape(b *strings.Builder, s string, i, digits int, bytesLit bool) (int, string) {
	start := i + 2
	var v rune
	for k := 0; k < digits; k++ {
		if start+k >= len(s) {
			return 0, pyTruncatedEscape(s[i+1], digits)
		}
		d := pyHexDigit(s[start+k])
		if d < 0 {
			return 0, pyTruncatedEscape(s[i+1], digits)
		}
		v = v*16 + rune(d)
	}
	if v > utf8.MaxRune {
		return 0, "illegal Unicode character in \\U escape"
	}
	pyWriteCode(b, v, bytesLit)
	return 2 + digits, ""
}

func pyTruncatedEscape(kind byte, digits int) string {
	return "truncated \\" + string(kind) + strings.Repeat("X", digits) + " escape"
}

func pyHexDigit(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// namedEscape decodes \N{NAME}.
func (d *pyDecoder) namedEscape(b *strings.Builder, s string, i int) (int, string) {
	rest := s[i+2:]
	end := strings.IndexByte(rest, '}')
	if !strings.HasPrefix(rest, "{") || end < 2 {
		return 0, "malformed \\N character escape"
	}
	r, ok := d.lookupName(rest[1:end])
	if !ok {
		return 0, "unknown Unicode character name in \\N{" + rest[1:end] + "}"
	}
	b.WriteRune(r)
	return 2 + end + 1, ""
}

// Hangul syllable names are computed, not listed (Unicode 3.12, "Hangul
// Syllable Name Generation").
var (
	pyHangulL = [...]string{"G", "GG", "N", "D", "DD", "R", "M", "B", "BB", "S", "SS", "", "J", "JJ", "C", "K", "T", "P", "H"}
	pyHangulV = [...]string{"A", "AE", "YA", "YAE", "EO", "E", "YEO", "YE", "O", "WA", "WAE", "OE", "YO", "U", "WEO", "WE", "WI", "YU", "EU", "YI", "I"}
	pyHangulT = [...]string{"", "G", "GG", "GS", "N", "NJ", "NH", "D", "L", "LG", "LM", "LB", "LS", "LT", "LP", "LH", "M", "B", "BS", "S", "SS", "NG", "J", "C", "K", "T", "P", "H"}
)

// lookupName finds the character a \N{...} escape names, ignoring case as
// Python does. Name aliases are not known.
func (d *pyDecoder) lookupName(name string) (rune, bool) {
	name = strings.ToUpper(name)
	if hex, ok := strings.CutPrefix(name, "CJK UNIFIED IDEOGRAPH-"); ok {
		return pyCJKIdeograph(hex)
	}
	if syllable, ok := strings.CutPrefix(name, "HANGUL SYLLABLE "); ok {
		return pyHangulSyllable(syllable)
	}
	if d.names == nil {
		d.names = pyRuneNameTable()
	}
	r, ok := d.names[name]
	return r, ok
}

// pyRuneNameTable maps every listed character name to its character. Named
// characters live in planes 0 to 3 and in plane 14; ranges such as CJK
// ideographs have a placeholder "<...>" instead of a name.
func pyRuneNameTable() map[string]rune {
	names := make(map[string]rune, 1<<16)
	for _, span := range [...][2]rune{{0, 0xD7FF}, {0xE000, 0x3FFFF}, {0xE0000, 0xE0FFF}} {
		for r := span[0]; r <= span[1]; r++ {
			if n := runenames.Name(r); n != "" && n[0] != '<' {
				names[n] = r
			}
		}
	}
	return names
}

func pyCJKIdeograph(hex string) (rune, bool) {
	if len(hex) < 4 || len(hex) > 5 {
		return 0, false
	}
	var r rune
	for i := 0; i < len(hex); i++ {
		d := pyHexDigit(hex[i])
		if d < 0 {
			return 0, false
		}
		r = r*16 + rune(d)
	}
	return r, strings.HasPrefix(runenames.Name(r), "<CJK Ideograph")
}

func pyHangulSyllable(syllable string) (rune, bool) {
	for l, ln := range pyHangulL {
		for v, vn := range pyHangulV {
			for t, tn := range pyHangulT {
				if ln+vn+tn == syllable {
					return rune(0xAC00 + (l*len(pyHangulV)+v)*len(pyHangulT) + t), true
				}
			}
		}
	}
	return 0, false
}

// pyBracketDelta is +1 for an opening bracket token, -1 for a closing one.
func pyBracketDelta(t pyToken) int {
	if t.kind != pyOp || len(t.text) != 1 {
		return 0
	}
	switch t.text[0] {
	case '(', '[', '{':
		return 1
	case ')', ']', '}':
		return -1
	}
	return 0
}

// pyIndexTop returns the index of the first token outside brackets for which
// match is true, or -1.
func pyIndexTop(toks []pyToken, match func(pyToken) bool) int {
	depth := 0
	for i, t := range toks {
		if depth == 0 && match(t) {
			return i
		}
		depth += pyBracketDelta(t)
	}
	return -1
}

// pySplitTop splits toks at the tokens outside brackets for which sep is true.
func pySplitTop(toks []pyToken, sep func(pyToken) bool) [][]pyToken {
	var parts [][]pyToken
	depth, start := 0, 0
	for i, t := range toks {
		if depth == 0 && sep(t) {
			parts = append(parts, toks[start:i])
			start = i + 1
		}
		depth += pyBracketDelta(t)
	}
	return append(parts, toks[start:])
}

// pySplitAssignment splits a statement at its assignment "=" signs: targets,
// then the value. A lambda's default values are not assignments.
func pySplitAssignment(stmt []pyToken) [][]pyToken {
	lambda := pyIndexTop(stmt, func(t pyToken) bool { return t.isName("lambda") })
	head := stmt
	if lambda >= 0 {
		head = stmt[:lambda]
	}
	parts := pySplitTop(head, func(t pyToken) bool { return t.is("=") })
	last := len(parts) - 1
	parts[last] = stmt[len(head)-len(parts[last]):] // the value runs to the end
	return parts
}

// pyMatchingBracket returns the index of the bracket closing toks[open], or -1.
func pyMatchingBracket(toks []pyToken, open int) int {
	depth := 0
	for i := open; i < len(toks); i++ {
		depth += pyBracketDelta(toks[i])
		if depth == 0 {
			return i
		}
	}
	return -1
}
