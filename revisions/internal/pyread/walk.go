package pyread

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// blockMode says how the statements of a block run when Python imports the
// module.
type blockMode uint8

const (
	// followed: once, in order, as module level does; retort follows them.
	followed blockMode = iota
	// conditional: maybe, or several times (if, for, while, with, match, a
	// try that catches more than ImportError): what they change is unknown.
	conditional
	// skipped: not at import (a function or class body), or not under the
	// reading's assumption (the handler of a try read as succeeding).
	skipped
)

// pyBlock is an indented block being read: the indentation of its header,
// how its statements run, the header's keyword and line (for messages), and
// the try block it is the body of, if it is read as succeeding.
type pyBlock struct {
	indent int
	mode   blockMode
	kw     string
	line   int
	try    *tryBlock
}

// walker reads the logical lines in order, keeping the open blocks.
type walker struct {
	m      *pyModule
	lines  []pyLine
	blocks []pyBlock
	// clauses maps the line of an except, else or finally header that
	// belongs to a try read as succeeding to how its body runs.
	clauses map[int]pyBlock
}

// walk reads every statement.
func (m *pyModule) walk(lines []pyLine) {
	w := &walker{m: m, lines: lines, clauses: map[int]pyBlock{}}
	for i, ln := range lines {
		for len(w.blocks) > 0 && w.blocks[len(w.blocks)-1].indent >= ln.indent {
			w.blocks = w.blocks[:len(w.blocks)-1]
		}
		w.enter()
		if kw := pyHeaderKeyword(ln.toks); kw != "" {
			if w.header(i, kw) {
				continue
			}
		}
		w.statements(ln.toks)
	}
}

// enter sets the module's try blocks to those of the current context.
func (w *walker) enter() {
	w.m.tries = w.m.tries[:0]
	for _, b := range w.blocks {
		if b.try != nil && !slices.Contains(w.m.tries, b.try) {
			w.m.tries = append(w.m.tries, b.try)
		}
	}
}

// context is the innermost open block, or module level.
func (w *walker) context() pyBlock {
	if len(w.blocks) == 0 {
		return pyBlock{mode: followed}
	}
	return w.blocks[len(w.blocks)-1]
}

// header reads the header of a compound statement on line i (up to its
// colon) and the body written on the same line, if any. It reports false
// when there is no colon (not valid Python; the line is then read as a
// statement).
func (w *walker) header(i int, kw string) bool {
	ln := w.lines[i]
	colon := pyIndexTop(ln.toks, func(t pyToken) bool { return t.is(":") })
	if colon < 0 {
		return false
	}
	head, body := ln.toks[:colon], ln.toks[colon+1:]
	ctx := w.context()
	block := pyBlock{indent: ln.indent, mode: ctx.mode, kw: kw, line: head[0].line, try: ctx.try}
	if ctx.mode != skipped {
		w.m.headerChanges(kw, head, w.where(head, ctx))
	}
	switch {
	case ctx.mode == skipped || kw == "def" || kw == "class":
		block.mode = skipped
	case kw == "try" && ctx.mode == followed:
		if t, ok := w.tryClauses(i); ok {
			block.try = t
		} else {
			block.mode = conditional
		}
	case kw == "except" || kw == "else" || kw == "finally":
		if c, ok := w.clauses[ln.toks[0].line]; ok {
			block.mode, block.try = c.mode, c.try
		} else {
			block.mode = conditional
		}
	default:
		block.mode = conditional
	}
	w.blocks = append(w.blocks, block)
	w.enter()
	w.statements(body)
	if len(body) > 0 {
		w.blocks = w.blocks[:len(w.blocks)-1]
		w.enter()
	}
	return true
}

// tryClauses looks at the clauses of the try statement on line i. When its
// every handler catches ImportError (or there is none), its body is read as
// running to the end (an installed application has its packages): it
// returns the try block its body relies on, and records how each clause's
// body runs — the handlers' not at all, else's as the body, finally's as
// the try statement itself. Otherwise it reports false.
func (w *walker) tryClauses(i int) (*tryBlock, bool) {
	indent := w.lines[i].indent
	var handlers, elses, finals []int
	for _, ln := range w.lines[i+1:] {
		if ln.indent > indent {
			continue
		}
		kw := pyHeaderKeyword(ln.toks)
		if ln.indent < indent || (kw != "except" && kw != "else" && kw != "finally") {
			break
		}
		switch l := ln.toks[0].line; kw {
		case "except":
			if !catchesOnlyImportError(ln.toks) {
				return nil, false
			}
			handlers = append(handlers, l)
		case "else":
			elses = append(elses, l)
		default:
			finals = append(finals, l)
		}
	}
	outer := w.context().try
	body := outer
	if len(handlers) > 0 {
		// Without a handler (try/finally) the body runs or the import
		// fails: there is nothing to assume.
		body = &tryBlock{line: w.lines[i].toks[0].line}
	}
	for _, l := range handlers {
		w.clauses[l] = pyBlock{mode: skipped}
	}
	for _, l := range elses {
		w.clauses[l] = pyBlock{mode: followed, try: body}
	}
	for _, l := range finals {
		w.clauses[l] = pyBlock{mode: followed, try: outer}
	}
	return body, true
}

// catchesOnlyImportError reports whether an except header names only
// ImportError or ModuleNotFoundError (`except ImportError:`, `except
// (ImportError, ModuleNotFoundError) as e:`).
func catchesOnlyImportError(toks []pyToken) bool {
	colon := pyIndexTop(toks, func(t pyToken) bool { return t.is(":") })
	if colon < 0 {
		return false
	}
	types := toks[1:colon]
	if k := slices.IndexFunc(types, func(t pyToken) bool { return t.isName("as") }); k >= 0 {
		types = types[:k]
	}
	if len(types) >= 2 && types[0].is("(") && types[len(types)-1].is(")") {
		types = types[1 : len(types)-1]
	}
	n := 0
	for _, part := range pySplitTop(types, func(t pyToken) bool { return t.is(",") }) {
		if len(part) == 0 {
			continue
		}
		if len(part) != 1 || (!part[0].isName("ImportError") && !part[0].isName("ModuleNotFoundError")) {
			return false
		}
		n++
	}
	return n > 0
}

// statements reads the simple statements of a line in the current context.
func (w *walker) statements(toks []pyToken) {
	ctx := w.context()
	if ctx.mode == skipped || len(toks) == 0 {
		return
	}
	for _, stmt := range pySplitTop(toks, func(t pyToken) bool { return t.is(";") }) {
		if len(stmt) == 0 {
			continue
		}
		what := w.where(stmt, ctx)
		if ctx.mode == followed {
			w.m.statement(stmt, what)
		} else {
			w.m.changes(stmt, what)
		}
	}
}

// where describes a statement for messages: its source, and the block that
// makes it conditional, if any.
func (w *walker) where(stmt []pyToken, ctx pyBlock) string {
	s := "`" + w.m.snippet(stmt) + "`"
	if ctx.mode == conditional {
		s += fmt.Sprintf(" inside the %s block on line %d", ctx.kw, ctx.line)
	}
	return s
}

// statement reads one simple statement that runs once, in order: plain
// assignments, `+=`, `.append()` and `.extend()` are followed; any other
// change to a name makes it unknown.
func (m *pyModule) statement(stmt []pyToken, what string) {
	line := stmt[0].line
	parts := pySplitAssignment(stmt)
	if len(parts) < 2 {
		m.expression(stmt, what)
		return
	}
	value := parts[len(parts)-1]
	m.exprChanges(value, what)
	var b *binding
	for _, target := range parts[:len(parts)-1] {
		name, ok := pyPlainTarget(target, len(parts) == 2)
		if !ok {
			m.targetChanges(target, what)
			m.exprChanges(target, what) // globals()["depends_on"] = ...
			continue
		}
		if len(value) == 0 {
			if pyVarIndex(name) >= 0 {
				m.errs = append(m.errs, errorf(line, "%s: missing value after '='", name))
			}
			m.bind(name, &binding{line: line, broken: true})
			continue
		}
		if b == nil {
			b = m.eval(value, line)
		}
		m.bind(name, b) // `a = b = []`: one list for both names
	}
}

// expression reads a statement that is not an assignment.
func (m *pyModule) expression(stmt []pyToken, what string) {
	line := stmt[0].line
	switch {
	case stmt[0].isName("import") || stmt[0].isName("from"):
		if n := len(m.tries); n > 0 {
			m.tries[n-1].imports = append(m.tries[n-1].imports, m.snippet(stmt))
		}
	case len(stmt) >= 3 && stmt[0].kind == pyName && stmt[1].kind == pyOp && slices.Contains(pyAugAssign[:], stmt[1].text):
		m.exprChanges(stmt[2:], what)
		m.augment(stmt[0].text, stmt[1].text, stmt[2:], line, what)
		return
	case len(stmt) >= 5 && stmt[0].kind == pyName && stmt[1].is(".") && (stmt[2].isName("append") || stmt[2].isName("extend")) &&
		stmt[3].is("(") && pyMatchingBracket(stmt, 3) == len(stmt)-1:
		args := stmt[4 : len(stmt)-1]
		m.exprChanges(args, what)
		m.call(stmt[0].text, stmt[2].text, args, line, what)
		return
	}
	m.exprChanges(stmt, what)
}

// changes reads a statement that may run or not: every name it binds or
// changes is unknown from here on.
func (m *pyModule) changes(stmt []pyToken, what string) {
	parts := pySplitAssignment(stmt)
	for _, target := range parts[:len(parts)-1] {
		m.targetChanges(target, what)
	}
	for _, target := range parts[:len(parts)-1] {
		m.exprChanges(target, what)
	}
	m.exprChanges(parts[len(parts)-1], what)
}

// pyPlainTarget returns the name a plain assignment target binds (`name`,
// or `name: annotation` when annotationAllowed).
func pyPlainTarget(target []pyToken, annotationAllowed bool) (string, bool) {
	if len(target) == 0 || target[0].kind != pyName || pyKeyword(target[0].text) {
		return "", false
	}
	if len(target) == 1 || (annotationAllowed && target[1].is(":")) {
		return target[0].text, true
	}
	return "", false
}

// pyNameAt returns the module-level name toks[i] is, or "": `x.revision` is
// an attribute, not a module name.
func pyNameAt(toks []pyToken, i int) string {
	if toks[i].kind != pyName || (i > 0 && toks[i-1].is(".")) || pyKeyword(toks[i].text) {
		return ""
	}
	return toks[i].text
}

// targetChanges records the names an assignment target (or a `del`) binds
// or changes: `x, y = ...` binds x and y; `x[0] = ...` changes x in place.
func (m *pyModule) targetChanges(toks []pyToken, what string) {
	for i := range toks {
		if name := pyNameAt(toks, i); name != "" {
			inPlace := i+1 < len(toks) && (toks[i+1].is("[") || toks[i+1].is("."))
			m.change(name, toks[i].line, what, inPlace)
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

// exprChanges records the changes an expression or a simple statement other
// than an assignment makes: augmented assignments, in-place methods, `del`,
// imports, `as` targets, `:=`, and `globals()[...]`-like access.
func (m *pyModule) exprChanges(toks []pyToken, what string) {
	if len(toks) == 0 {
		return
	}
	switch {
	case toks[0].isName("del"):
		m.targetChanges(toks[1:], what)
		return
	case toks[0].isName("import") || toks[0].isName("from"):
		m.importChanges(toks, what)
		return
	}
	dynamic := slices.ContainsFunc(toks, func(t pyToken) bool {
		return t.kind == pyName && slices.Contains(pyDynamic[:], t.text)
	})
	depth := 0
	for i, t := range toks {
		depth += pyBracketDelta(t)
		if dynamic && t.kind == pyString {
			m.dynamicChanges(t, what)
		}
		if name := pyNameAt(toks, i); name != "" {
			if changed, inPlace := isPyWriteUse(toks, i, depth, dynamic); changed {
				m.change(name, t.line, what, inPlace)
			}
		}
	}
}

// dynamicChanges records as changed every name a string passed to
// globals(), exec() or the like mentions.
func (m *pyModule) dynamicChanges(t pyToken, what string) {
	names := slices.Collect(maps.Keys(m.env))
	for _, name := range pyVarNames {
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		if pyContainsWord(t.text, name) {
			m.change(name, t.line, what, false)
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

// isPyWriteUse reports whether the name at toks[i] is changed by its use,
// and whether in place.
func isPyWriteUse(toks []pyToken, i, depth int, dynamic bool) (changed, inPlace bool) {
	if i > 0 && toks[i-1].isName("as") {
		return true, false
	}
	if i+1 >= len(toks) {
		return false, false
	}
	next := toks[i+1]
	switch {
	case next.kind == pyOp && slices.Contains(pyAugAssign[:], next.text):
		return true, true
	case next.is(":="):
		return true, false
	case next.is(".") && i+3 < len(toks) && toks[i+3].is("("):
		return slices.Contains(pyMutators[:], toks[i+2].text), true
	case dynamic && depth > 0 && next.is("="):
		return true, false // globals().update(depends_on=...)
	}
	return false, false
}

// importChanges records the names an import binds: `import x as
// depends_on`, `from m import depends_on`, `import depends_on.sub`.
func (m *pyModule) importChanges(toks []pyToken, what string) {
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
		if bound.kind == pyName {
			m.change(bound.text, bound.line, what, false)
		}
	}
}

// headerChanges records the changes a compound statement's header makes:
// loop targets, a def or class name, `as` targets and whatever its
// expressions do.
func (m *pyModule) headerChanges(kw string, head []pyToken, what string) {
	k := slices.IndexFunc(head, func(t pyToken) bool { return t.isName(kw) })
	switch kw {
	case "for":
		in := pyIndexTop(head, func(t pyToken) bool { return t.isName("in") })
		if in > k {
			m.targetChanges(head[k+1:in], what)
		}
	case "def", "class":
		if k+1 < len(head) {
			if name := pyNameAt(head, k+1); name != "" {
				m.change(name, head[k+1].line, what, false)
			}
		}
	}
	m.exprChanges(head, what)
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
