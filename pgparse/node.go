package pgparse

import (
	"sort"
	"unicode"
)

// Node is a node of a parse tree. Fields are read by their names in
// libpg_query's JSON (PostgreSQL's struct fields: relname, subtype,
// contype, ...); a field that is absent reads as the zero value, which is
// also how libpg_query leaves out false, 0 and empty fields. Enums read
// as their names ("AT_AddColumn", "CONSTR_FOREIGN").
//
// A field whose type is a specific struct (an AlterTableStmt's relation,
// a RangeVar) holds that struct's fields directly; a field or list element
// that may hold any node holds it wrapped in its type's name ({"ColumnDef":
// {...}}), which Type unwraps.
type Node struct {
	typ string
	f   map[string]any
}

// wrap makes a Node of a JSON value: a wrapped node (one key, a type name
// starting with a capital) or a struct's fields. Anything else is the
// zero Node.
func wrap(v any) Node {
	m, ok := v.(map[string]any)
	if !ok {
		return Node{}
	}
	if len(m) == 1 {
		for k, inner := range m {
			if im, ok := inner.(map[string]any); ok && k != "" && unicode.IsUpper(rune(k[0])) {
				return Node{typ: k, f: im}
			}
		}
	}
	return Node{f: m}
}

// Valid reports whether the node exists.
func (n Node) Valid() bool { return n.f != nil }

// Type is the node's type name (AlterTableCmd, ColumnDef, A_Const, ...),
// "" for a struct held directly in a field.
func (n Node) Type() string { return n.typ }

// Is reports whether the node is of type typ.
func (n Node) Is(typ string) bool { return n.typ == typ }

// Field is the node held in field name (the zero Node if none).
func (n Node) Field(name string) Node { return wrap(n.f[name]) }

// Str is a string field.
func (n Node) Str(name string) string {
	s, _ := n.f[name].(string)
	return s
}

// Bool is a boolean field.
func (n Node) Bool(name string) bool {
	b, _ := n.f[name].(bool)
	return b
}

// Int is a numeric field.
func (n Node) Int(name string) int {
	f, _ := n.f[name].(float64)
	return int(f)
}

// Has reports whether field name is present (libpg_query leaves out
// empty fields).
func (n Node) Has(name string) bool {
	_, ok := n.f[name]
	return ok
}

// List is a list field's nodes.
func (n Node) List(name string) []Node {
	l, _ := n.f[name].([]any)
	out := make([]Node, len(l))
	for i, v := range l {
		out[i] = wrap(v)
	}
	return out
}

// Strings is a list field of String nodes (a qualified name such as
// ["pg_catalog", "int4"], a column list), as strings.
func (n Node) Strings(name string) []string {
	l := n.List(name)
	out := make([]string, 0, len(l))
	for _, s := range l {
		out = append(out, s.StringValue())
	}
	return out
}

// StringValue is the value of a String node ("" for another node).
func (n Node) StringValue() string {
	if n.typ != "String" {
		return ""
	}
	return n.Str("sval")
}

// Walk calls fn on n and on every node below it, depth first, until fn
// returns false for a node (whose children are then skipped).
func (n Node) Walk(fn func(Node) bool) {
	if !n.Valid() || !fn(n) {
		return
	}
	keys := make([]string, 0, len(n.f))
	for k := range n.f {
		keys = append(keys, k)
	}
	// Sorted, so that what a walk collects comes in the same order on
	// every run.
	sort.Strings(keys)
	for _, k := range keys {
		walkValue(n.f[k], fn)
	}
}

func walkValue(v any, fn func(Node) bool) {
	switch x := v.(type) {
	case map[string]any:
		wrap(x).Walk(fn)
	case []any:
		for _, e := range x {
			walkValue(e, fn)
		}
	}
}
