package review

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"retort/models"
	"retort/pgparse"
	"retort/schema"
	"retort/sqlfacts"
)

// Object is a database object as a review names it, the same whether read
// from a statement or from a schema difference: its kind (table, column,
// index, constraint, view, materialized view, sequence, function,
// procedure, trigger, type...), its name without the default schema
// (public, where unqualified names go), and for what belongs to a table
// (a column, a constraint, a trigger, a rule, a policy) the table.
type Object struct {
	Kind  string `json:"kind"`
	Name  string `json:"name"`
	Table string `json:"table,omitempty"`
}

// String is the object in words: "table loans", "column loans.due",
// "constraint loans_due_check on loans".
func (o Object) String() string {
	switch {
	case o.Table == "":
		return o.Kind + " " + o.Name
	case o.Kind == "column":
		return "column " + o.Table + "." + o.Name
	}
	return o.Kind + " " + o.Name + " on " + o.Table
}

func (o Object) key() string { return o.Kind + "\x00" + o.Table + "\x00" + o.Name }

// belongsToTable reports the kinds named within their table.
func belongsToTable(kind string) bool {
	switch kind {
	case "column", "constraint", "trigger", "rule", "policy":
		return true
	}
	return false
}

// newObject makes an Object, with the table only where it names it.
func newObject(kind, name, table string) Object {
	if !belongsToTable(kind) {
		table = ""
	}
	return Object{Kind: kind, Name: name, Table: table}
}

// fromStatements reads what a .sql revision's upgrade touches, statement by
// statement.
func fromStatements(p *pgparse.Parser, rev *models.Revision, rv Revision) (Revision, error) {
	up := rev.Upgrade
	if !up.Present {
		rv.Notes = append(rv.Notes, "no upgrade section: it changes nothing")
		rv.Source = SourceStatements
		return rv, nil
	}
	stmts, err := sqlfacts.Analyze(p, up.SQL)
	if err != nil {
		return rv, fmt.Errorf("reading %s: %w", rev.Path, err)
	}
	rv.Source = SourceStatements
	for _, st := range stmts {
		line := up.Line + st.Line - 1
		if st.Err != nil {
			var pe *sqlfacts.ParseError
			if errors.As(st.Err, &pe) {
				line = up.Line + pe.Line - 1
			}
			rv.Notes = append(rv.Notes, fmt.Sprintf("line %d: PostgreSQL's grammar does not read this statement (%v): what it touches is not listed", line, st.Err))
			continue
		}
		if st.Opaque {
			rv.Notes = append(rv.Notes, fmt.Sprintf("line %d: %s runs code retort cannot see into: what it touches inside is not listed", line, st.Tag))
		}
		for _, o := range st.Objects {
			rv.Touches = addTouch(rv.Touches, Touch{Object: factsObject(o), Change: string(o.Change), Line: line, Statement: st.SQL})
		}
	}
	return rv, nil
}

// factsObject names an object a statement touches.
func factsObject(o sqlfacts.Object) Object {
	kind := string(o.Kind)
	if o.Kind == sqlfacts.Relation {
		// A name the statement does not say the kind of (ALTER TABLE on
		// a view, for one): most often a table.
		kind = "table"
	}
	return newObject(kind, factsName(o.Name), factsName(o.Table))
}

// factsName is a name without the default schema.
func factsName(n sqlfacts.Name) string {
	if n.Schema == "" || n.Schema == "public" {
		return n.Name
	}
	return n.Schema + "." + n.Name
}

// addTouch adds t unless the same object, change and line are there.
func addTouch(ts []Touch, t Touch) []Touch {
	for _, x := range ts {
		if x.Object == t.Object && x.Change == t.Change && x.Line == t.Line {
			return ts
		}
	}
	return append(ts, t)
}

// fromSchema reads what a .py revision touches from the difference its
// upgrade makes to the schema, when a scratch database can say.
func fromSchema(ctx context.Context, g *models.Graph, i int, rv Revision, s Schemas) (Revision, error) {
	if s == nil {
		rv.Notes = append(rv.Notes, "not analysed: an Alembic revision is read from the schema it builds, "+
			"which needs a scratch database, and none is configured")
		return rv, nil
	}
	groups, err := s.Changes(ctx, g, i)
	if err != nil {
		if ctx.Err() != nil {
			return rv, ctx.Err()
		}
		rv.Notes = append(rv.Notes, "not analysed: its schema difference could not be built in a scratch database: "+firstOf(err))
		return rv, nil
	}
	rv.Source = SourceSchema
	for _, gr := range groups {
		rv.Touches = append(rv.Touches, groupTouches(gr)...)
	}
	return rv, nil
}

// groupTouches are the touches of one group of a schema difference: each
// object that changed, and the table (view, type) it belongs to, altered,
// unless that is created or dropped with it.
func groupTouches(gr schema.Group) []Touch {
	var out []Touch
	ownerChanged := false
	for _, c := range gr.Changes {
		if c.Object.Table == "" {
			ownerChanged = true
		}
	}
	for _, c := range gr.Changes {
		text := strings.TrimRight(schema.DiffText([]schema.Group{{Owner: gr.Owner, Kind: gr.Kind, Changes: []schema.Change{c}}}), "\n")
		kind, ok := objectKind(c.Object.Kind)
		if ok {
			name := c.Object.Name
			if name == "" {
				name = "= " + c.Object.Def // a constraint SQLite keeps no name for
			}
			o := newObject(kind, schemaName(name, kind), schemaName(c.Object.Table, ""))
			out = addTouch(out, Touch{Object: o, Change: opChange(c.Op), Statement: text})
		}
		if c.Object.Table != "" && !ownerChanged {
			if kind, ok := objectKind(gr.Kind); ok {
				owner := newObject(kind, schemaName(gr.Owner, kind), "")
				out = addTouch(out, Touch{Object: owner, Change: string(sqlfacts.Alter), Statement: text})
			}
		}
	}
	return out
}

// objectKind is the kind a review names a schema object by; ok is false
// for what is no object of its own (a comment, privileges: the object
// they are on is altered).
func objectKind(k schema.Kind) (string, bool) {
	switch k {
	case schema.KindPrimaryKey, schema.KindForeignKey, schema.KindUnique, schema.KindCheck, schema.KindExclusion:
		return "constraint", true
	case schema.KindEnum, schema.KindDomain:
		return "type", true
	case schema.KindAggregate:
		return "function", true
	case schema.KindComment, schema.KindPrivileges:
		return "", false
	}
	return string(k), true
}

// opChange is the change a schema difference's op makes.
func opChange(op schema.Op) string {
	switch op {
	case schema.Added:
		return string(sqlfacts.Create)
	case schema.Removed:
		return string(sqlfacts.Drop)
	}
	return string(sqlfacts.Alter)
}

// schemaName is a name as package schema writes it (quoted where SQL must
// quote it, qualified by its schema on PostgreSQL, a function with its
// argument types) as a statement's parse names it: unquoted, without the
// default schema, a function without its arguments.
func schemaName(name, kind string) string {
	if kind == "function" || kind == "procedure" {
		if k := strings.IndexByte(name, '('); k >= 0 {
			name = name[:k]
		}
	}
	parts := splitQualified(name)
	if len(parts) == 2 && parts[0] == "public" {
		parts = parts[1:]
	}
	return strings.Join(parts, ".")
}

// splitQualified splits a name at the dots outside double quotes and
// unquotes each part.
func splitQualified(name string) []string {
	var parts []string
	var b strings.Builder
	quoted := false
	for k := 0; k < len(name); k++ {
		c := name[k]
		switch {
		case c == '"' && quoted && k+1 < len(name) && name[k+1] == '"':
			b.WriteByte('"')
			k++
		case c == '"':
			quoted = !quoted
		case c == '.' && !quoted:
			parts = append(parts, b.String())
			b.Reset()
		default:
			b.WriteByte(c)
		}
	}
	return append(parts, b.String())
}

// firstOf is an error's first line, marked when more follow (a plan
// refused names every revision on the path it cannot run).
func firstOf(err error) string {
	first, rest, more := strings.Cut(err.Error(), "\n")
	if more {
		return first + fmt.Sprintf(" (and %s more)", plural(strings.Count(rest, "\n")+1, "line"))
	}
	return first
}
