package pyread

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"retort/revisions/internal/ident"
)

func pyVarIndex(name string) int {
	return slices.Index(pyVarNames[:], name)
}

// Read reads an Alembic revision file for the values Alembic takes from it,
// without running Python.
//
// The module-level statements are read in order, as Python runs them when
// Alembic imports the file, following what they do to None, strings, and
// tuples and lists of strings: assignments of literals and of other names
// (a list is shared by the names bound to it), `+=`, `.append()` and
// `.extend()`. The body of a `try:` whose handlers catch only ImportError
// is read as running to the end, with a warning: an installed application
// has its packages. A value that other code computes or changes (a call, an
// `if` block, a loop...) is an error of type *Undecided, which running
// Python could settle; anything else wrong is a plain error.
func Read(src []byte) *File {
	text, err := pySourceText(src)
	if err != nil {
		return &File{Errors: []*Error{err}}
	}
	lines, err := lexPython(text)
	if err != nil {
		return &File{Errors: []*Error{err}}
	}
	m := &pyModule{src: text, env: map[string]*binding{}}
	m.readDocstring(lines)
	m.walk(lines)
	f := &File{}
	m.fill(f)
	slices.SortStableFunc(m.errs, func(a, b *Error) int { return a.Line - b.Line })
	f.Errors = m.errs
	return f
}

// pyModule is the state of a reading: what the module-level names hold,
// statement after statement, and the problems found.
type pyModule struct {
	src     string
	doc     string
	hasDoc  bool
	env     map[string]*binding
	tries   []*tryBlock // the try blocks read as succeeding around the statement
	errs    []*Error
	decoder pyDecoder
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

// fill sets the file's values from what the names hold at the end of the
// module, collecting errors and warnings.
func (m *pyModule) fill(f *File) {
	if m.hasDoc {
		f.Doc = pyTrim(m.doc)
		f.Message, f.CreateDate = pyDocFields(m.doc)
	}
	for k := range f.Values {
		f.Values[k] = m.field(Field(k), &f.Warnings)
	}
	f.Warnings = append(f.Warnings, m.falseValues(f)...)
}

// field is the value of one of the four names, or what is wrong with it.
func (m *pyModule) field(k Field, warnings *[]string) Value {
	b, ok := m.env[k.String()]
	switch {
	case !ok && (k == Revision || k == DownRevision):
		m.errs = append(m.errs, errorf(0, "%s", missing(k, "")))
		return Value{}
	case !ok:
		return Value{} // Alembic reads getattr(module, name, None)
	case b.broken:
		return Value{Set: true, Line: b.line}
	case b.bad != nil:
		m.errs = append(m.errs, errorf(b.bad.line, "%s: expected %s, found %s", k, expectation(k), b.bad.found))
		return Value{Set: true, Line: b.line}
	}
	if c := b.unknown(); c != nil {
		m.undecided(k, b, c)
		return Value{Set: !b.onlyCode, Line: b.line}
	}
	obj, tries := b.value()
	for _, t := range tries {
		*warnings = append(*warnings, assumption(k, t))
	}
	v := Value{Set: true, Line: b.line}
	if k == Revision {
		v.Items = m.id(obj.val, b.line)
	} else {
		v.Items = m.list(k, obj.val)
	}
	return v
}

// undecided reports a field whose value running Python could settle.
func (m *pyModule) undecided(k Field, b *binding, c *cause) {
	var msg string
	switch {
	case b.onlyCode && (k == Revision || k == DownRevision):
		msg = missing(k, fmt.Sprintf("; %s is only set by code retort cannot follow without running Python (line %d: %s)", k, c.line, c.what))
	case b.onlyCode:
		msg = fmt.Sprintf("%s is only set by code retort cannot follow without running Python (line %d: %s)", k, c.line, c.what)
	case c.found:
		msg = fmt.Sprintf("%s: expected %s, found %s", k, expectation(k), c.what)
	default:
		msg = fmt.Sprintf("%s: changed on line %d by %s, which retort cannot follow without running Python", k, c.line, c.what)
	}
	line := c.line
	if b.onlyCode && (k == Revision || k == DownRevision) {
		line = 0
	}
	m.errs = append(m.errs, &Error{Line: line, Err: &Undecided{Field: k, Reason: msg}})
}

func missing(k Field, why string) string {
	if k == Revision {
		return `no "revision = ..." assignment at module level` + why
	}
	return `no "down_revision = ..." assignment at module level (a first revision says down_revision = None)` + why
}

func expectation(k Field) string {
	if k == Revision {
		return "a string"
	}
	return "None, a string, or a tuple/list of strings"
}

// assumption is the warning for a field whose value relies on a try block
// read as succeeding.
func assumption(k Field, t *tryBlock) string {
	what := fmt.Sprintf("the try block on line %d raises no ImportError", t.line)
	if len(t.imports) > 0 {
		what = fmt.Sprintf("`%s` in the try block on line %d succeeds", strings.Join(t.imports, "; "), t.line)
	}
	return fmt.Sprintf("%s is read as if %s, as where the application's packages are installed; if it fails, Alembic reads another value", k, what)
}

// id is the value of revision: one string, not empty.
func (m *pyModule) id(v pyValue, line int) []string {
	switch {
	case v.kind != pyValStr:
		m.errs = append(m.errs, errorf(line, "revision: expected a string, found %s", v.describe()))
	case v.str == "":
		m.errs = append(m.errs, errorf(line, "revision: the revision id is empty"))
	case !utf8.ValidString(v.str):
		m.errs = append(m.errs, errorf(line, "revision: the bytes value is not UTF-8 text"))
	default:
		if err := ident.CheckID(v.str); err != nil {
			m.errs = append(m.errs, &Error{Line: line, Err: err})
		}
		return []string{v.str} // kept even if refused: it names the file's revision
	}
	return nil
}

// list returns the identifiers a list-valued field holds. An empty string
// means none, as Alembic tests the value's truth.
func (m *pyModule) list(k Field, v pyValue) []string {
	var items []pyItem
	switch v.kind {
	case pyValStr:
		if v.str == "" {
			return nil
		}
		items = []pyItem{{s: v.str, line: v.line}}
	case pyValSeq:
		items = v.items
	}
	var out []string
	for _, it := range items {
		switch {
		case it.s == "":
			m.errs = append(m.errs, errorf(it.line, "%s: empty string inside the %s", k, v.seqName))
		case !utf8.ValidString(it.s):
			m.errs = append(m.errs, errorf(it.line, "%s: the bytes value is not UTF-8 text", k))
		case k == BranchLabels && ident.CheckLabel(it.s) != nil:
			m.errs = append(m.errs, &Error{Line: it.line, Err: ident.CheckLabel(it.s)})
		default:
			out = append(out, it.s)
		}
	}
	return out
}

// falseValues warns where Alembic 1.8.1 reads an empty string other than as
// retort does: `branch_labels = ""` is a label named "" to it (printed as
// "()"), and `depends_on = ""` on a revision without down_revision makes it
// refuse the whole history.
func (m *pyModule) falseValues(f *File) []string {
	var out []string
	if m.isEmptyString(BranchLabels) {
		out = append(out, `branch_labels = "": Alembic 1.8.1 takes it as one label, the empty string, which it prints as "()" and no target can name; retort reads no label`)
	}
	if m.isEmptyString(DependsOn) && m.isFalse(DownRevision) {
		out = append(out, `depends_on = "" on a revision without down_revision: Alembic 1.8.1 then refuses to load the history ("Dependency cycle is detected"); retort reads no dependency (write depends_on = None)`)
	}
	return out
}

// isEmptyString reports whether field k holds the empty str (not bytes).
func (m *pyModule) isEmptyString(k Field) bool {
	v, ok := m.decided(k)
	return ok && v.kind == pyValStr && v.str == "" && !v.bytes
}

// isFalse reports whether field k holds None, an empty string or an empty
// tuple or list.
func (m *pyModule) isFalse(k Field) bool {
	v, ok := m.decided(k)
	return ok && (v.kind == pyValNone || (v.kind == pyValStr && v.str == "") || (v.kind == pyValSeq && len(v.items) == 0))
}

// decided is the value of field k, when it is known.
func (m *pyModule) decided(k Field) (pyValue, bool) {
	b, ok := m.env[k.String()]
	if !ok || b.obj == nil || b.unknown() != nil {
		return pyValue{}, false
	}
	return b.obj.val, true
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
