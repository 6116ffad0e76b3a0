package pyread

import (
	"fmt"
	"slices"
)

// What a module-level name holds while the module is read, statement by
// statement as Python would run it. retort follows None, strings, and
// tuples and lists of strings: literals, names bound to them, `+=`,
// `.append()` and `.extend()`. Anything else makes the value unknown, with
// its cause, for Python to settle.

// object is a value retort follows. A list is shared by every name bound to
// it, as in Python: a change through one name shows through the others.
type object struct {
	val pyValue
	// unk, when set, is the first change to the list that retort does not
	// follow: what it holds is then unknown.
	unk *cause
	// tries are the try blocks read as succeeding that changed it.
	tries []*tryBlock
}

// binding is what a module-level name is bound to.
type binding struct {
	line int     // the statement that bound it
	obj  *object // the value, when retort follows it
	// unk, when set, is why the value is not known: code retort does not
	// follow bound or changed the name (obj is then stale or nil).
	unk *cause
	// onlyCode: no statement retort follows bound the name, only code it
	// does not follow.
	onlyCode bool
	// bad is a constant of the wrong kind (`revision = None`), an error for
	// one of the four fields; broken means the value's syntax error was
	// reported already.
	bad    *pyProblem
	broken bool
	// tries are the try blocks read as succeeding that bound it.
	tries []*tryBlock
}

// cause is why a value is unknown: a value that is not a literal (found),
// or a change retort does not follow.
type cause struct {
	line  int
	what  string // "a call to compute()", or "`del x` inside the if block on line 3"
	found bool
}

// tryBlock is a `try:` block whose only handlers catch ImportError, read as
// if its body runs to the end: an installed application has its packages.
type tryBlock struct {
	line    int
	imports []string // the import statements of its body, as written
}

// value is the value of a binding, with every try block it relies on.
func (b *binding) value() (*object, []*tryBlock) {
	tries := slices.Clone(b.tries)
	for _, t := range b.obj.tries {
		if !slices.Contains(tries, t) {
			tries = append(tries, t)
		}
	}
	return b.obj, tries
}

// unknown is why the binding's value is not known, or nil.
func (b *binding) unknown() *cause {
	if b.unk != nil {
		return b.unk
	}
	if b.obj != nil {
		return b.obj.unk
	}
	return nil
}

// bind binds name to b, a new binding (Python's `name = value`).
func (m *pyModule) bind(name string, b *binding) {
	m.env[name] = b
}

// eval reads the value of an assignment on line: a literal, or a name
// whose value retort follows. It never returns nil.
func (m *pyModule) eval(value []pyToken, line int) *binding {
	b := &binding{line: line, tries: slices.Clone(m.tries)}
	if len(value) == 1 && value[0].kind == pyName && !pyKeyword(value[0].text) {
		name := value[0].text
		src, ok := m.env[name]
		switch {
		case !ok:
			b.unk = &cause{line: line, what: "the name " + name, found: true}
		case src.unk != nil:
			b.unk = &cause{line: line, what: fmt.Sprintf("the name %s, %s", name, src.unk.describe()), found: true}
		case src.bad != nil || src.broken:
			b.bad, b.broken = src.bad, src.broken
		default:
			b.obj = src.obj // the same object: a list is shared, known or not
			b.tries = append(b.tries, src.tries...)
		}
		return b
	}
	val, p := m.literal(value)
	switch {
	case p == nil:
		b.obj = &object{val: val}
	case p.err != nil:
		m.errs = append(m.errs, p.err)
		b.broken = true
	case p.constant:
		b.bad = p
	default:
		b.unk = &cause{line: p.line, what: p.found, found: true}
	}
	return b
}

// describe says what a cause is, for the name bound through it.
func (c *cause) describe() string {
	if c.found {
		return fmt.Sprintf("which is %s (line %d)", c.what, c.line)
	}
	return fmt.Sprintf("which is changed on line %d by %s", c.line, c.what)
}

// change records that code retort does not follow changes name (what
// says how): its value is unknown from here on. mutates says the change
// is made in place, so that a list it holds is changed for every name
// bound to it.
func (m *pyModule) change(name string, line int, what string, mutates bool) {
	c := &cause{line: line, what: what}
	b, ok := m.env[name]
	if !ok {
		m.env[name] = &binding{line: line, unk: c, onlyCode: true}
		return
	}
	switch {
	case mutates && b.unk == nil && b.obj != nil && b.obj.val.seqName == "list":
		// The list changes for every name bound to it.
		if b.obj.unk == nil {
			b.obj.unk = c
		}
	case b.unk == nil:
		b.unk = c
	}
}

// augment follows `name += value` on line: a list is extended in place,
// a tuple or a string gives a new value. op is the operator.
func (m *pyModule) augment(name, op string, value []pyToken, line int, what string) {
	b, ok := m.env[name]
	if !ok || op != "+=" || b.unknown() != nil || b.obj == nil {
		m.change(name, line, what, true)
		return
	}
	rhs := m.eval(value, line)
	if rhs.broken {
		return
	}
	if rhs.unknown() != nil || rhs.bad != nil || rhs.obj == nil {
		m.change(name, line, what, true)
		return
	}
	cur, add := b.obj.val, rhs.obj.val
	switch {
	case cur.seqName == "list" && add.kind == pyValSeq:
		b.obj.val.items = append(b.obj.val.items, add.items...)
		m.touched(b.obj)
	case cur.kind == pyValSeq && add.kind == pyValSeq && cur.seqName == add.seqName:
		m.bind(name, m.rebound(b, pyValue{kind: pyValSeq, seqName: "tuple", line: cur.line, items: slices.Concat(cur.items, add.items)}, line))
	case cur.kind == pyValStr && add.kind == pyValStr && cur.bytes == add.bytes:
		m.bind(name, m.rebound(b, pyValue{kind: pyValStr, str: cur.str + add.str, bytes: cur.bytes, line: cur.line}, line))
	case cur.seqName == "list" && add.kind == pyValStr:
		// Python adds the string's characters one by one.
		m.change(name, line, what, true)
	default:
		m.errs = append(m.errs, errorf(line, "%s raises TypeError when Python imports the file (%s += %s)", what, cur.describe(), add.describe()))
		m.bind(name, &binding{line: line, broken: true})
	}
}

// rebound is a new binding of name to val, made on line by a statement that
// read the old binding b.
func (m *pyModule) rebound(b *binding, val pyValue, line int) *binding {
	_, tries := b.value()
	for _, t := range m.tries {
		if !slices.Contains(tries, t) {
			tries = append(tries, t)
		}
	}
	return &binding{line: line, obj: &object{val: val}, tries: tries}
}

// touched records that obj was changed under the current try blocks.
func (m *pyModule) touched(obj *object) {
	for _, t := range m.tries {
		if !slices.Contains(obj.tries, t) {
			obj.tries = append(obj.tries, t)
		}
	}
}

// call follows `name.append(x)` and `name.extend(x)` on a list.
func (m *pyModule) call(name, method string, args []pyToken, line int, what string) {
	b, ok := m.env[name]
	parts := pySplitTop(args, func(t pyToken) bool { return t.is(",") })
	if !ok || b.unknown() != nil || b.obj == nil || len(parts) != 1 || len(parts[0]) == 0 {
		m.change(name, line, what, true)
		return
	}
	if b.obj.val.seqName != "list" {
		m.errs = append(m.errs, errorf(line, "%s raises AttributeError when Python imports the file (%s is %s)", what, name, b.obj.val.describe()))
		m.bind(name, &binding{line: line, broken: true})
		return
	}
	arg := m.eval(parts[0], line)
	switch {
	case arg.broken:
	case arg.unknown() != nil || arg.bad != nil || arg.obj == nil:
		m.change(name, line, what, true)
	case method == "append" && arg.obj.val.kind == pyValStr:
		b.obj.val.items = append(b.obj.val.items, pyItem{s: arg.obj.val.str, line: line})
		m.touched(b.obj)
	case method == "extend" && arg.obj.val.kind == pyValSeq:
		b.obj.val.items = append(b.obj.val.items, arg.obj.val.items...)
		m.touched(b.obj)
	default:
		// append(None), extend("abc"): not a list of strings.
		m.change(name, line, what, true)
	}
}
