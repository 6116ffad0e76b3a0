// Package schema is the shape of a database's schema as retort compares
// it: a Snapshot is a list of Objects (tables, columns, constraints,
// indexes, views, sequences, types, functions, triggers...), each with a
// kind, a stable name, the table it belongs to and a normalised definition,
// read from the catalog by package catalog. Two snapshots are compared
// object by object (Compare), and shown as one stable text form (Text) or
// as JSON.
//
// The package does no I/O: it is plain data and the algorithms on it, for
// the CLI (`retort schema`, `retort diff`, `retort rehearse`), the UI and
// the merge review, which names the objects a revision touches by their
// Kind and Key.
package schema

import (
	"cmp"
	"slices"
)

// Kind says what an object is. Its value is how the text form and JSON
// name it.
type Kind string

// The kinds of object, in the order the text form lists a table's.
const (
	KindSchema     Kind = "schema"
	KindExtension  Kind = "extension"
	KindEnum       Kind = "enum"
	KindDomain     Kind = "domain"
	KindType       Kind = "type" // composite and range types
	KindTable      Kind = "table"
	KindView       Kind = "view"
	KindMatView    Kind = "materialized view"
	KindFunction   Kind = "function"
	KindProcedure  Kind = "procedure"
	KindAggregate  Kind = "aggregate"
	KindColumn     Kind = "column"
	KindPrimaryKey Kind = "primary key"
	KindForeignKey Kind = "foreign key"
	KindUnique     Kind = "unique"
	KindCheck      Kind = "check"
	KindExclusion  Kind = "exclusion"
	KindIndex      Kind = "index"
	KindTrigger    Kind = "trigger"
	KindRule       Kind = "rule"
	KindPolicy     Kind = "policy"
	KindStatistics Kind = "statistics"
	KindSequence   Kind = "sequence"
	KindComment    Kind = "comment"
	KindPrivileges Kind = "privileges"
)

// rank is k's place among the kinds: top-level objects by what the others
// need (schemas and types before tables), sub-objects in the order a
// table's definition reads. An unknown kind sorts last.
func (k Kind) rank() int {
	order := [...]Kind{
		KindSchema, KindExtension, KindEnum, KindDomain, KindType, KindSequence, KindTable, KindView, KindMatView,
		KindFunction, KindProcedure, KindAggregate,
		KindColumn, KindPrimaryKey, KindForeignKey, KindUnique, KindCheck, KindExclusion, KindIndex, KindTrigger,
		KindRule, KindPolicy, KindStatistics, KindComment, KindPrivileges,
	}
	for i, x := range order {
		if x == k {
			return i
		}
	}
	return len(order)
}

// subRank is k's place among the objects of a group: a sequence owned by a
// table after the table's own definition.
func (k Kind) subRank() int {
	if k == KindSequence {
		return KindStatistics.rank()
	}
	return k.rank()
}

// Object is one thing in a schema.
type Object struct {
	Kind Kind `json:"kind"`
	// Name is the object's name as SQL writes it (quoted where it must
	// be): schema-qualified for what lives in a schema on PostgreSQL
	// ("public.loans", "public.touch()" with the argument types of a
	// function); unqualified for what belongs to a table (a column, a
	// constraint, an index, a trigger). Empty for a constraint SQLite
	// keeps no name for (see Key).
	Name string `json:"name,omitempty"`
	// Table is the object this one belongs to, by its Name: the table of a
	// column, constraint, index or trigger, the table owning a sequence,
	// the object a comment or privileges are on. Empty for a top-level
	// object.
	Table string `json:"table,omitempty"`
	// Def is the normalised definition, "" when the kind and name say it
	// all: a column's type, default and nullability, a constraint's or an
	// index's definition, a view's query. It may hold line breaks (views,
	// functions).
	Def string `json:"definition,omitempty"`
	// Position is a column's place in its table (1-based), 0 for other
	// objects. The text form lists columns in this order; Compare ignores
	// it, since ADD COLUMN can only append, and a downgrade that puts back
	// a dropped column cannot put it back in its place.
	Position int `json:"position,omitempty"`
}

// Key identifies the object within a snapshot: its kind, the object it
// belongs to and its name. Two snapshots' objects with the same Key are the
// same object, changed when their Defs differ. An object without a name (a
// constraint SQLite keeps none for) is known by its definition instead.
func (o Object) Key() string {
	id := o.Name
	if id == "" {
		id = "= " + o.Def
	}
	if o.Table == "" {
		return string(o.Kind) + " " + id
	}
	return string(o.Kind) + " " + o.Table + " " + id
}

// Owner is the name of the group the object is listed in: its Table, or
// its own Name for a top-level object.
func (o Object) Owner() string {
	if o.Table != "" {
		return o.Table
	}
	return o.Name
}

// Snapshot is a database's schema at one moment.
type Snapshot struct {
	// Dialect is "postgresql" or "sqlite".
	Dialect string `json:"dialect"`
	// Objects are in the order Sort leaves them.
	Objects []Object `json:"objects"`
}

// Sort puts the objects in their stable order: by group (the top-level
// object and what belongs to it), groups by kind then name; in a group the
// top-level object first, then columns by position, then the rest by kind
// and name.
func (s *Snapshot) Sort() {
	top := map[string]Kind{}
	for _, o := range s.Objects {
		if o.Table == "" {
			top[o.Name] = o.Kind
		}
	}
	slices.SortStableFunc(s.Objects, func(a, b Object) int {
		return compareObjects(a, b, top)
	})
}

// compareObjects orders two objects of a snapshot whose top-level objects'
// kinds are top.
func compareObjects(a, b Object, top map[string]Kind) int {
	ga, gb := groupKind(a, top), groupKind(b, top)
	if c := cmp.Or(cmp.Compare(ga.rank(), gb.rank()), cmp.Compare(a.Owner(), b.Owner())); c != 0 {
		return c
	}
	// The group's own object first.
	if c := cmp.Compare(boolInt(a.Table != ""), boolInt(b.Table != "")); c != 0 {
		return c
	}
	return cmp.Or(cmp.Compare(a.Kind.subRank(), b.Kind.subRank()), cmp.Compare(a.Position, b.Position),
		cmp.Compare(a.Name, b.Name), cmp.Compare(a.Def, b.Def))
}

// groupKind is the kind of the top-level object of o's group (its own for a
// top-level object; a table's for a group without one).
func groupKind(o Object, top map[string]Kind) Kind {
	if o.Table == "" {
		return o.Kind
	}
	if k, ok := top[o.Table]; ok {
		return k
	}
	return KindTable
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Find returns the object with the given key, if the snapshot has it.
func (s *Snapshot) Find(key string) (Object, bool) {
	for _, o := range s.Objects {
		if o.Key() == key {
			return o, true
		}
	}
	return Object{}, false
}

// Filter returns a copy of the snapshot without the objects drop reports,
// nor any object belonging to one of those (a dropped table's columns, its
// comment).
func (s *Snapshot) Filter(drop func(Object) bool) *Snapshot {
	gone := map[string]bool{}
	for _, o := range s.Objects {
		if drop(o) && o.Table == "" {
			gone[o.Name] = true
		}
	}
	out := &Snapshot{Dialect: s.Dialect}
	for _, o := range s.Objects {
		if drop(o) || gone[o.Table] {
			continue
		}
		out.Objects = append(out.Objects, o)
	}
	return out
}
