package pyread

import (
	"slices"
	"strings"
	"unicode/utf8"
)

type pyValKind uint8

const (
	pyValNone pyValKind = iota + 1
	pyValStr
	pyValSeq
)

// pyValue is a literal value: None, a string, or a tuple or list of strings.
type pyValue struct {
	kind    pyValKind
	str     string
	bytes   bool
	items   []pyItem
	seqName string // "tuple" or "list"
	line    int
}

type pyItem struct {
	s    string
	line int
}

func (v pyValue) describe() string {
	switch v.kind {
	case pyValNone:
		return "None"
	case pyValSeq:
		return "a " + v.seqName
	}
	return "a string"
}

// pyProblem is a value retort cannot read: either not a literal (found says
// what it is instead) or, with err set, a literal Python refuses to compile.
// A constant of the wrong kind (None inside a tuple, True, a number) is
// certainly wrong; anything else (a name, a call, an expression) is what
// running Python could decide.
type pyProblem struct {
	line     int
	found    string
	err      *Error
	constant bool
}

// notLiteral is the problem of toks, which are not a literal retort reads.
func (m *pyModule) notLiteral(line int, toks []pyToken) *pyProblem {
	constant := len(toks) == 1 && (toks[0].kind == pyNumber || toks[0].isName("True") || toks[0].isName("False"))
	return &pyProblem{line: line, found: m.describe(toks), constant: constant}
}

// literal reads toks as one literal value.
func (m *pyModule) literal(toks []pyToken) (pyValue, *pyProblem) {
	if pyIndexTop(toks, func(t pyToken) bool { return t.is(",") }) >= 0 {
		// `x = "a", "b"` is a tuple without parentheses.
		elems := pySplitTop(toks, func(t pyToken) bool { return t.is(",") })
		return m.elements(elems, "tuple", toks)
	}
	v, n, p := m.atom(toks)
	if p != nil {
		return v, p
	}
	if n != len(toks) {
		return pyValue{}, m.notLiteral(toks[0].line, toks)
	}
	return v, nil
}

// atom reads the literal at the start of toks and returns how many tokens
// it took.
func (m *pyModule) atom(toks []pyToken) (pyValue, int, *pyProblem) {
	t := toks[0]
	switch {
	case t.isName("None"):
		return pyValue{kind: pyValNone, line: t.line}, 1, nil
	case t.kind == pyString:
		return m.strings(toks)
	case t.is("(") || t.is("["):
		return m.sequence(toks)
	}
	return pyValue{}, 0, m.notLiteral(t.line, toks)
}

// strings reads adjacent string literals, which Python concatenates.
func (m *pyModule) strings(toks []pyToken) (pyValue, int, *pyProblem) {
	n := 0
	for n < len(toks) && toks[n].kind == pyString {
		n++
	}
	for _, t := range toks[:n] {
		if t.isTemplate() {
			return pyValue{}, 0, m.notLiteral(t.line, toks)
		}
	}
	v := pyValue{kind: pyValStr, bytes: toks[0].isBytes(), line: toks[0].line}
	var b strings.Builder
	for _, t := range toks[:n] {
		if t.isBytes() != v.bytes {
			return pyValue{}, 0, &pyProblem{err: errorf(t.line, "cannot mix bytes and nonbytes literals")}
		}
		s, derr := m.decoder.decode(t)
		if derr != nil {
			return pyValue{}, 0, &pyProblem{err: errorf(t.line+derr.lineOffset, "invalid string literal: %s", derr.msg)}
		}
		b.WriteString(s)
	}
	v.str = b.String()
	return v, n, nil
}

// sequence reads a tuple or list of strings, or a parenthesized literal.
func (m *pyModule) sequence(toks []pyToken) (pyValue, int, *pyProblem) {
	end := pyMatchingBracket(toks, 0)
	if end < 0 {
		return pyValue{}, 0, m.notLiteral(toks[0].line, toks)
	}
	paren := toks[0].is("(")
	elems := pySplitTop(toks[1:end], func(t pyToken) bool { return t.is(",") })
	if paren && len(elems) == 1 && len(elems[0]) > 0 {
		v, p := m.literal(elems[0]) // (x) is just x
		return v, end + 1, p
	}
	seqName := "tuple"
	if !paren {
		seqName = "list"
	}
	v, p := m.elements(elems, seqName, toks[:end+1])
	return v, end + 1, p
}

// elements reads the comma-separated elements of a tuple or list, which
// must all be strings; whole is the tuple's or list's tokens.
func (m *pyModule) elements(elems [][]pyToken, seqName string, whole []pyToken) (pyValue, *pyProblem) {
	if last := len(elems) - 1; len(elems[last]) == 0 {
		elems = elems[:last] // a trailing comma, or nothing at all
	}
	v := pyValue{kind: pyValSeq, seqName: seqName, line: whole[0].line}
	for _, e := range elems {
		if len(e) == 0 {
			return pyValue{}, m.notLiteral(whole[0].line, whole)
		}
		item, p := m.literal(e)
		if p != nil {
			if p.err == nil {
				p.found += " inside the " + seqName
			}
			return pyValue{}, p
		}
		if item.kind != pyValStr {
			what := item.describe()
			if item.kind == pyValSeq {
				what = "a nested " + item.seqName
			}
			return pyValue{}, &pyProblem{line: item.line, found: what + " inside the " + seqName, constant: true}
		}
		v.items = append(v.items, pyItem{s: item.str, line: item.line})
	}
	return v, nil
}

// describe says in a few words what a non-literal value is.
func (m *pyModule) describe(toks []pyToken) string {
	if slices.ContainsFunc(toks, pyToken.isTemplate) && !slices.ContainsFunc(toks, func(t pyToken) bool { return t.kind != pyString }) {
		if slices.ContainsFunc(toks, func(t pyToken) bool { return strings.Contains(t.prefix, "t") }) {
			return "a t-string"
		}
		return "an f-string"
	}
	if len(toks) == 1 {
		switch t := toks[0]; t.kind {
		case pyName:
			if t.text == "True" || t.text == "False" {
				return t.text
			}
			return "the name " + t.text
		case pyNumber:
			return "the number " + t.text
		}
	}
	if n := pyDottedName(toks); n > 0 {
		name := m.src[toks[0].off:toks[n-1].end()]
		if n == len(toks) {
			return "the name " + name
		}
		if toks[n].is("(") && pyMatchingBracket(toks, n) == len(toks)-1 {
			return "a call to " + name + "()"
		}
	}
	if toks[0].is("{") && pyMatchingBracket(toks, 0) == len(toks)-1 {
		return "a set or dict"
	}
	return "an expression: " + m.snippet(toks)
}

// pyDottedName returns how many tokens of `a.b.c` start toks, or 0.
func pyDottedName(toks []pyToken) int {
	n := 0
	for n < len(toks) && toks[n].kind == pyName && !pyKeyword(toks[n].text) {
		n++
		if n+1 >= len(toks) || !toks[n].is(".") {
			return n
		}
		n++
	}
	return max(n-1, 0)
}

func pyKeyword(word string) bool {
	switch word {
	case "None", "True", "False", "and", "or", "not", "in", "is", "if", "else", "lambda", "await", "yield":
		return true
	}
	return false
}

// snippet is the source of toks on one line, shortened.
func (m *pyModule) snippet(toks []pyToken) string {
	s := strings.Join(strings.Fields(m.src[toks[0].off:toks[len(toks)-1].end()]), " ")
	const maxRunes = 60
	if utf8.RuneCountInString(s) > maxRunes {
		s = string([]rune(s)[:maxRunes-3]) + "..."
	}
	return s
}
