package pyread

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"retort/revisions/internal/ident"
)

// The module-level names Alembic reads from a revision file, as indexes.
const (
	pyRevision     = int(Revision)
	pyDownRevision = int(DownRevision)
	pyBranchLabels = int(BranchLabels)
	pyDependsOn    = int(DependsOn)
	pyVarCount     = int(numFields)
)

func pyVarIndex(name string) int {
	for i, n := range pyVarNames {
		if n == name {
			return i
		}
	}
	return -1
}

// Read reads an Alembic revision file for the values Alembic takes from it,
// without running Python.
//
// Only literal module-level assignments count, as Alembic would see them if
// no other code changed them: `None`, strings, and tuples or lists of
// strings. Code that changes one of the names at import time is reported in
// File.Warnings; anything that is not a literal is an error.
func Read(src []byte) *File {
	text, err := pySourceText(src)
	if err != nil {
		return &File{Errors: []*Error{err}}
	}
	lines, err := lexPython(text)
	if err != nil {
		return &File{Errors: []*Error{err}}
	}
	m := &pyModule{src: text}
	m.readDocstring(lines)
	m.walk(lines)
	f := &File{}
	m.fill(f)
	slices.SortStableFunc(m.errs, func(a, b *Error) int { return a.Line - b.Line })
	f.Errors = m.errs
	return f
}

// pyModule collects what the module-level statements say about the four
// names, in source order.
type pyModule struct {
	src     string
	doc     string
	hasDoc  bool
	seq     int // number of the statement being read, to order writes
	vars    [pyVarCount]pyVar
	errs    []*Error
	decoder pyDecoder
}

// pyVar is what is known of one of the four names.
type pyVar struct {
	set    bool // a plain module-level assignment was seen
	seq    int  // the statement of the last such assignment
	line   int
	value  pyValue
	err    *Error    // the last assignment's value is not a literal
	broken bool      // the last assignment's value has a syntax error, already reported
	writes []pyWrite // other statements that change the name when Python imports the file
}

type pyWrite struct{ seq, line int }

// pyBlock is an indented block being read: the indentation of its header,
// and whether it is (inside) a function or class body, which import does not
// run or whose names are not module names.
type pyBlock struct {
	indent int
	inDef  bool
}

// walk reads every statement. Plain assignments at column 0 give the values;
// any other change to one of the names is recorded as a write.
func (m *pyModule) walk(lines []pyLine) {
	var blocks []pyBlock
	for _, ln := range lines {
		for len(blocks) > 0 && blocks[len(blocks)-1].indent >= ln.indent {
			blocks = blocks[:len(blocks)-1]
		}
		inDef := len(blocks) > 0 && blocks[len(blocks)-1].inDef
		nested := len(blocks) > 0 || ln.indent > 0
		if kw := pyHeaderKeyword(ln.toks); kw != "" {
			if body, ok := m.header(kw, ln.toks, inDef); ok {
				bodyInDef := inDef || kw == "def" || kw == "class"
				if len(body) == 0 {
					blocks = append(blocks, pyBlock{indent: ln.indent, inDef: bodyInDef})
				}
				m.statements(body, true, bodyInDef)
				continue
			}
		}
		m.statements(ln.toks, nested, inDef)
	}
}

// header reads the header of a compound statement (up to its colon) and
// returns the body written on the same line, if any. ok is false when there
// is no colon (not valid Python; the line is then read as a statement).
func (m *pyModule) header(kw string, toks []pyToken, inDef bool) (body []pyToken, ok bool) {
	colon := pyIndexTop(toks, func(t pyToken) bool { return t.is(":") })
	if colon < 0 {
		return nil, false
	}
	head := toks[:colon]
	if !inDef {
		m.seq++
		m.headerWrites(kw, head)
	}
	return toks[colon+1:], true
}

func (m *pyModule) statements(toks []pyToken, nested, inDef bool) {
	if inDef {
		return
	}
	for _, stmt := range pySplitTop(toks, func(t pyToken) bool { return t.is(";") }) {
		m.statement(stmt, nested)
	}
}

// statement reads one simple statement. Only a plain `name = value` or
// `name: annotation = value` at module level (not nested in a block) gives
// a value; everything else that binds or mutates a name is a write.
func (m *pyModule) statement(stmt []pyToken, nested bool) {
	if len(stmt) == 0 {
		return
	}
	m.seq++
	parts := pySplitAssignment(stmt)
	if len(parts) < 2 {
		m.exprWrites(stmt)
		return
	}
	value := parts[len(parts)-1]
	for _, target := range parts[:len(parts)-1] {
		if i := pyPlainTarget(target, len(parts) == 2); i >= 0 && !nested {
			m.assign(i, target[0], value)
			continue
		}
		m.namesWritten(target)
		m.exprWrites(target) // globals()["depends_on"] = ...
	}
	m.exprWrites(value)
}

// pyPlainTarget returns which of the four names target assigns, or -1.
func pyPlainTarget(target []pyToken, annotationAllowed bool) int {
	if len(target) == 0 || target[0].kind != pyName {
		return -1
	}
	if len(target) == 1 || (annotationAllowed && target[1].is(":")) {
		return pyVarIndex(target[0].text)
	}
	return -1
}

// assign records a module-level assignment: like Python, the last one wins.
func (m *pyModule) assign(i int, name pyToken, value []pyToken) {
	v := &m.vars[i]
	*v = pyVar{set: true, seq: m.seq, line: name.line, writes: v.writes}
	if len(value) == 0 {
		v.err = errorf(name.line, "%s: missing value after '='", name.text)
		return
	}
	val, p := m.literal(value)
	switch {
	case p == nil:
		v.value = val
	case p.err != nil:
		m.errs = append(m.errs, p.err)
		v.broken = true
	default:
		v.err = errorf(p.line, "%s: expected %s, found %s", name.text, pyExpectation(i), p.found)
	}
}

func pyExpectation(i int) string {
	if i == pyRevision {
		return "a string"
	}
	return "None, a string, or a tuple/list of strings"
}

func (m *pyModule) write(i, line int) {
	m.vars[i].writes = append(m.vars[i].writes, pyWrite{seq: m.seq, line: line})
}

// pyVarAt returns which of the four names toks[i] is, or -1; `x.revision` is
// an attribute, not the module's name.
func pyVarAt(toks []pyToken, i int) int {
	if toks[i].kind != pyName || (i > 0 && toks[i-1].is(".")) {
		return -1
	}
	return pyVarIndex(toks[i].text)
}

// namesWritten records every one of the names in toks as written (an
// assignment target, a `del`).
func (m *pyModule) namesWritten(toks []pyToken) {
	for i := range toks {
		if v := pyVarAt(toks, i); v >= 0 {
			m.write(v, toks[i].line)
		}
	}
}

// Methods that change a list or set in place.
var pyMutators = [...]string{
	"append", "extend", "insert", "remove", "pop", "clear", "sort", "reverse",
	"add", "update", "discard", "difference_update", "intersection_update",
	"symmetric_difference_update", "__iadd__", "__setitem__", "__delitem__",
}

var pyAugAssign = [...]string{"+=", "-=", "*=", "/=", "//=", "%=", "@=", "&=", "|=", "^=", ">>=", "<<=", "**="}

// Names through which code can set a module global by its name as a string.
var pyDynamic = [...]string{"globals", "vars", "locals", "setattr", "exec", "eval"}

// exprWrites records the writes an expression or a simple statement other
// than an assignment makes: augmented assignments, in-place methods, `del`,
// imports, `as` targets, `:=`, and `globals()[...]`-like access.
func (m *pyModule) exprWrites(toks []pyToken) {
	if len(toks) == 0 {
		return
	}
	switch {
	case toks[0].isName("del"):
		m.namesWritten(toks[1:])
		return
	case toks[0].isName("import") || toks[0].isName("from"):
		m.importWrites(toks)
		return
	}
	dynamic := slices.ContainsFunc(toks, func(t pyToken) bool {
		return t.kind == pyName && slices.Contains(pyDynamic[:], t.text)
	})
	depth := 0
	for i, t := range toks {
		depth += pyBracketDelta(t)
		if dynamic && t.kind == pyString {
			for v, name := range pyVarNames {
				if pyContainsWord(t.text, name) {
					m.write(v, t.line)
				}
			}
		}
		if v := pyVarAt(toks, i); v >= 0 && isPyWriteUse(toks, i, depth, dynamic) {
			m.write(v, t.line)
		}
	}
}

// pyContainsWord reports whether name appears in s as a whole identifier
// ("revision" is not in "down_revision").
func pyContainsWord(s, name string) bool {
	for i := 0; ; {
		k := strings.Index(s[i:], name)
		if k < 0 {
			return false
		}
		start, end := i+k, i+k+len(name)
		before := start > 0 && (isPyIdentStart(s[start-1]) || isPyDigit(s[start-1]))
		after := end < len(s) && (isPyIdentStart(s[end]) || isPyDigit(s[end]))
		if !before && !after {
			return true
		}
		i = start + 1
	}
}

// isPyWriteUse reports whether the name at toks[i] is changed by its use.
func isPyWriteUse(toks []pyToken, i, depth int, dynamic bool) bool {
	if i > 0 && toks[i-1].isName("as") {
		return true
	}
	if i+1 >= len(toks) {
		return false
	}
	next := toks[i+1]
	switch {
	case next.kind == pyOp && (slices.Contains(pyAugAssign[:], next.text) || next.text == ":="):
		return true
	case next.is(".") && i+3 < len(toks) && toks[i+3].is("("):
		return slices.Contains(pyMutators[:], toks[i+2].text)
	case dynamic && depth > 0 && next.is("="):
		return true // globals().update(depends_on=...)
	}
	return false
}

// importWrites records names an import binds: `import x as depends_on`,
// `from m import depends_on`.
func (m *pyModule) importWrites(toks []pyToken) {
	start := 1
	if toks[0].isName("from") {
		k := pyIndexTop(toks, func(t pyToken) bool { return t.isName("import") })
		if k < 0 {
			return
		}
		start = k + 1
	}
	names := toks[start:]
	if len(names) >= 2 && names[0].is("(") && names[len(names)-1].is(")") {
		names = names[1 : len(names)-1]
	}
	for _, item := range pySplitTop(names, func(t pyToken) bool { return t.is(",") }) {
		if len(item) == 0 {
			continue
		}
		bound := item[0]
		if k := slices.IndexFunc(item, func(t pyToken) bool { return t.isName("as") }); k >= 0 && k+1 < len(item) {
			bound = item[k+1]
		}
		if v := pyVarIndex(bound.text); v >= 0 && bound.kind == pyName {
			m.write(v, bound.line)
		}
	}
}

// headerWrites records the writes of a compound statement's header: loop
// targets, a def or class name, `as` targets and whatever its expressions do.
func (m *pyModule) headerWrites(kw string, head []pyToken) {
	k := slices.IndexFunc(head, func(t pyToken) bool { return t.isName(kw) })
	switch kw {
	case "for":
		in := pyIndexTop(head, func(t pyToken) bool { return t.isName("in") })
		if in > k {
			m.namesWritten(head[k+1 : in])
		}
	case "def", "class":
		if k+1 < len(head) {
			if v := pyVarAt(head, k+1); v >= 0 {
				m.write(v, head[k+1].line)
			}
		}
	}
	m.exprWrites(head)
}

// pyHeaderKeyword returns the keyword of a compound statement's header, or
// "" if the line is simple statements.
func pyHeaderKeyword(toks []pyToken) string {
	t := toks[0]
	if t.kind != pyName {
		return ""
	}
	switch t.text {
	case "if", "elif", "else", "while", "for", "try", "except", "finally", "with", "def", "class":
		return t.text
	case "async":
		if len(toks) > 1 && (toks[1].isName("def") || toks[1].isName("for") || toks[1].isName("with")) {
			return toks[1].text
		}
	case "match", "case":
		// Soft keywords: `match = 1` or `match(x)` are not headers.
		if len(toks) > 1 && !isPyNameUse(toks[1]) && pyIndexTop(toks, func(t pyToken) bool { return t.is(":") }) > 0 {
			return t.text
		}
	}
	return ""
}

// isPyNameUse reports whether a token following a name makes it a plain
// name (an assignment target, an attribute, a call with a colon later...).
func isPyNameUse(next pyToken) bool {
	if next.kind != pyOp {
		return false
	}
	switch next.text {
	case "=", ".", ":", ",", ")", "]", "}", ";":
		return true
	}
	return slices.Contains(pyAugAssign[:], next.text)
}

// readDocstring takes the module docstring: the first statement, if it is
// nothing but a (non-bytes, non-f) string.
func (m *pyModule) readDocstring(lines []pyLine) {
	if len(lines) == 0 || lines[0].indent != 0 || pyHeaderKeyword(lines[0].toks) != "" {
		return
	}
	stmts := pySplitTop(lines[0].toks, func(t pyToken) bool { return t.is(";") })
	first := stmts[0]
	if len(first) == 0 || (first[0].kind != pyString && !first[0].is("(")) {
		return
	}
	v, p := m.literal(first)
	if p != nil {
		if p.err != nil {
			m.errs = append(m.errs, p.err)
		}
		return
	}
	if v.kind == pyValStr && !v.bytes {
		m.doc, m.hasDoc = v.str, true
	}
}

// fill sets the file's values from what was read, collecting errors.
func (m *pyModule) fill(f *File) {
	if m.hasDoc {
		f.Doc = pyTrim(m.doc)
		f.Message, f.CreateDate = pyDocFields(m.doc)
	}
	f.Values[Revision] = m.id()
	for _, k := range []Field{DownRevision, BranchLabels, DependsOn} {
		f.Values[k] = Value{Set: m.vars[k].set, Line: m.vars[k].line, Items: m.list(int(k))}
	}
	f.Warnings = m.warnings()
}

// id is the value of revision: one string, not empty.
func (m *pyModule) id() Value {
	v := &m.vars[pyRevision]
	if !v.set {
		m.errs = append(m.errs, errorf(0, `no "revision = ..." assignment at module level%s`, m.onlyInCode(pyRevision)))
		return Value{}
	}
	out := Value{Set: true, Line: v.line}
	switch {
	case v.broken:
	case v.err != nil:
		m.errs = append(m.errs, v.err)
	case v.value.kind != pyValStr:
		m.errs = append(m.errs, errorf(v.line, "revision: expected a string, found %s", v.value.describe()))
	case v.value.str == "":
		m.errs = append(m.errs, errorf(v.line, "revision: the revision id is empty"))
	case !utf8.ValidString(v.value.str):
		m.errs = append(m.errs, errorf(v.line, "revision: the bytes value is not UTF-8 text"))
	default:
		if err := ident.CheckID(v.value.str); err != nil {
			m.errs = append(m.errs, &Error{Line: v.line, Err: err})
		}
		out.Items = []string{v.value.str} // kept even if refused: it names the file's revision
	}
	return out
}

// list returns the identifiers one of the list-valued names holds. A missing
// down_revision is an error (Alembic requires it); an empty string means
// none, as Alembic treats a false value.
func (m *pyModule) list(i int) []string {
	v := &m.vars[i]
	name := pyVarNames[i]
	switch {
	case !v.set:
		if i == pyDownRevision {
			m.errs = append(m.errs, errorf(0,
				`no "down_revision = ..." assignment at module level (a first revision says down_revision = None)%s`, m.onlyInCode(i)))
		}
		return nil
	case v.broken:
		return nil
	case v.err != nil:
		m.errs = append(m.errs, v.err)
		return nil
	}
	var items []pyItem
	switch v.value.kind {
	case pyValStr:
		if v.value.str == "" {
			return nil
		}
		items = []pyItem{{s: v.value.str, line: v.value.line}}
	case pyValSeq:
		items = v.value.items
	}
	var out []string
	for _, it := range items {
		switch {
		case it.s == "":
			m.errs = append(m.errs, errorf(it.line, "%s: empty string inside the %s", name, v.value.seqName))
		case !utf8.ValidString(it.s):
			m.errs = append(m.errs, errorf(it.line, "%s: the bytes value is not UTF-8 text", name))
		case i == pyBranchLabels && ident.CheckLabel(it.s) != nil:
			m.errs = append(m.errs, &Error{Line: it.line, Err: ident.CheckLabel(it.s)})
		default:
			out = append(out, it.s)
		}
	}
	return out
}

// onlyInCode explains a missing name that code sets inside a block.
func (m *pyModule) onlyInCode(i int) string {
	if w := m.vars[i].writes; len(w) > 0 {
		return fmt.Sprintf("; %s is only set by code on line %d, which retort does not run", pyVarNames[i], w[0].line)
	}
	return ""
}

// warnings reports names that code changes after (or instead of) their last
// literal assignment: Alembic would see the changed value, retort cannot.
func (m *pyModule) warnings() []string {
	var out []string
	for i := range m.vars {
		v := &m.vars[i]
		var lines []int
		for _, w := range v.writes {
			if !v.set || w.seq > v.seq {
				lines = append(lines, w.line)
			}
		}
		slices.Sort(lines)
		lines = slices.Compact(lines)
		if len(lines) == 0 {
			continue
		}
		where := pyLineList(lines)
		switch {
		case v.set && v.err == nil && !v.broken:
			out = append(out, fmt.Sprintf("%s is changed by code when Python imports the file (%s); retort read only the literal value on line %d",
				pyVarNames[i], where, v.line))
		case !v.set && (i == pyBranchLabels || i == pyDependsOn):
			out = append(out, fmt.Sprintf("%s is set only by code when Python imports the file (%s); retort read none",
				pyVarNames[i], where))
		}
	}
	return out
}

// pyLineList names the lines of a warning, the first few of them only.
func pyLineList(lines []int) string {
	const shown = 5
	var s []string
	for _, l := range lines[:min(len(lines), shown)] {
		s = append(s, fmt.Sprint(l))
	}
	if len(lines) > shown {
		s = append(s, fmt.Sprintf("and %d more", len(lines)-shown))
	}
	if len(lines) == 1 {
		return "line " + s[0]
	}
	return "lines " + strings.Join(s, ", ")
}

// pyDocFields returns the message (the docstring's first line, as Alembic
// strips the docstring) and the `Create Date:` line's value, if any.
func pyDocFields(doc string) (message, created string) {
	lines := pySplitLines(pyTrim(doc))
	if len(lines) > 0 {
		message = pyTrim(lines[0])
	}
	for _, l := range lines {
		if rest, ok := strings.CutPrefix(pyTrim(l), "Create Date:"); ok {
			return message, pyTrim(rest)
		}
	}
	return message, ""
}

// isPySpace is Python's str.isspace for one character.
func isPySpace(r rune) bool { return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f) }

func pyTrim(s string) string { return strings.TrimFunc(s, isPySpace) }

// pySplitLines splits at the line boundaries of Python's str.splitlines.
func pySplitLines(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		switch r {
		case '\n', '\r', '\v', '\f', 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029:
			return true
		}
		return false
	})
}

