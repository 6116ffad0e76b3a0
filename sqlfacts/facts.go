// Package sqlfacts says what each statement of a revision does in
// PostgreSQL: the objects it touches (tables, columns, indexes,
// constraints, views, sequences, functions, triggers, types, schemas) and
// how (created, altered, dropped, renamed, written, used), the lock it
// takes and on what, and whether it rewrites or scans a table. It reads
// the statements with PostgreSQL's own grammar (package pgparse), one
// statement at a time as package sqlsplit splits them, so that every fact
// comes with the statement's line.
//
// The lock levels are PostgreSQL 15's (AlterTableGetLockLevel and the
// commands' own relation_open calls in the server's source, as the
// documentation's "Explicit Locking" chapter lists them); the package's
// tests check them, statement kind by statement kind, against pg_locks on
// a real server, and the rewrites against the table's relfilenode and the
// scans against pg_stat_xact_user_tables.
//
// What a statement does inside a function body, a DO block or a procedure
// call cannot be seen: such statements say so (Statement.Opaque).
package sqlfacts

import (
	"strings"

	"retort/pgparse"
)

// LockMode is one of PostgreSQL's table lock modes, weakest first.
type LockMode int

// The table lock modes, in PostgreSQL's order of strength.
const (
	NoLock LockMode = iota
	AccessShare
	RowShare
	RowExclusive
	ShareUpdateExclusive
	Share
	ShareRowExclusive
	Exclusive
	AccessExclusive
)

// String is the mode as the LOCK command spells it ("ACCESS EXCLUSIVE").
func (m LockMode) String() string {
	switch m {
	case NoLock:
		return ""
	case AccessShare:
		return "ACCESS SHARE"
	case RowShare:
		return "ROW SHARE"
	case RowExclusive:
		return "ROW EXCLUSIVE"
	case ShareUpdateExclusive:
		return "SHARE UPDATE EXCLUSIVE"
	case Share:
		return "SHARE"
	case ShareRowExclusive:
		return "SHARE ROW EXCLUSIVE"
	case Exclusive:
		return "EXCLUSIVE"
	case AccessExclusive:
		return "ACCESS EXCLUSIVE"
	}
	return "unknown"
}

// PgLocksMode is the mode as pg_locks.mode shows it ("AccessExclusiveLock").
func (m LockMode) PgLocksMode() string {
	if m <= NoLock || m > AccessExclusive {
		return ""
	}
	var b strings.Builder
	for _, w := range strings.Fields(strings.ToLower(m.String())) {
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String() + "Lock"
}

// BlocksWrites reports whether the mode conflicts with ROW EXCLUSIVE, the
// lock INSERT, UPDATE and DELETE take: while it is held or awaited, writes
// to the table wait.
func (m LockMode) BlocksWrites() bool { return m >= Share }

// BlocksReads reports whether the mode conflicts with ACCESS SHARE, the
// lock of a plain SELECT.
func (m LockMode) BlocksReads() bool { return m == AccessExclusive }

// Name is a schema-qualified name; Schema is "" when the statement leaves
// it to the search path.
type Name struct {
	Schema, Name string
}

func (n Name) String() string {
	if n.Schema == "" {
		return n.Name
	}
	return n.Schema + "." + n.Name
}

// Same reports whether n and o may name the same object: the same name,
// and the same schema or one of them left to the search path.
func (n Name) Same(o Name) bool {
	return n.Name == o.Name && (n.Schema == o.Schema || n.Schema == "" || o.Schema == "")
}

// Kind is a kind of database object.
type Kind string

// The kinds of objects statements touch.
const (
	Table      Kind = "table"
	Column     Kind = "column"
	Index      Kind = "index"
	Constraint Kind = "constraint"
	View       Kind = "view"
	MatView    Kind = "materialized view"
	Sequence   Kind = "sequence"
	Function   Kind = "function"
	Procedure  Kind = "procedure"
	Trigger    Kind = "trigger"
	Type       Kind = "type"
	Schema     Kind = "schema"
	Extension  Kind = "extension"
	Rule       Kind = "rule"
	Policy     Kind = "policy"
	Relation   Kind = "relation" // a name whose kind the statement does not say
)

// Change is what a statement does to an object.
type Change string

// The changes.
const (
	Create Change = "create"
	Alter  Change = "alter"
	Drop   Change = "drop"
	Rename Change = "rename"
	Write  Change = "write" // rows inserted, updated, deleted, truncated, copied in
	Use    Change = "use"   // read, referenced or called; not changed
)

// Object is one object a statement touches.
type Object struct {
	Kind Kind
	// Name is the object's name; for a column, constraint, trigger, rule or
	// policy, Name.Name is its own name and Table the table it belongs to.
	Name  Name
	Table Name
	// NewName is the new name of a renamed object.
	NewName string
	Change  Change
}

// Describe is the object in words: "table loans", "column loans.due".
func (o Object) Describe() string {
	switch {
	case o.Kind == Column && o.Table.Name != "":
		return "column " + o.Table.String() + "." + o.Name.Name
	case o.Table.Name != "" && (o.Kind == Constraint || o.Kind == Trigger || o.Kind == Rule || o.Kind == Policy):
		return string(o.Kind) + " " + o.Name.Name + " on " + o.Table.String()
	}
	return string(o.Kind) + " " + o.Name.String()
}

// Lock is a lock a statement takes and holds until its transaction ends.
type Lock struct {
	Mode LockMode
	On   Name
	// For says which part of the statement needs it ("ADD COLUMN", "the
	// foreign key's referenced table"), for the reader.
	For string
}

// Effect is a table rewritten or scanned in full by a statement.
type Effect struct {
	Table Name
	// Why says what causes it ("ALTER COLUMN TYPE", "validating the check
	// constraint"); Unless, when set, the condition under which it does
	// not happen (a rewrite PostgreSQL skips for a binary-coercible type).
	Why, Unless string
}

// Setting is a run-time parameter a statement sets (SET, SET LOCAL,
// set_config).
type Setting struct {
	Name, Value string
	Local       bool
}

// Statement is what one statement of a section does.
type Statement struct {
	// SQL, Offset and Line are sqlsplit's: the statement's text, its byte
	// offset and 1-based line in the section.
	SQL          string
	Offset, Line int
	// Tag is the command ("ALTER TABLE", "CREATE INDEX"), or "" when the
	// statement did not parse.
	Tag string
	// Nodes are the statement's parse trees (one, unless the grammar read
	// what sqlsplit took for one statement as several).
	Nodes []pgparse.Node
	// Err is why the statement could not be read: a *ParseError.
	Err error

	Objects  []Object
	Locks    []Lock // the strongest lock per relation, in order of first mention
	Rewrites []Effect
	Scans    []Effect
	Settings []Setting
	// Concurrently: CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY,
	// DETACH PARTITION CONCURRENTLY. NoTransaction: the statement cannot
	// run inside a transaction block (those, VACUUM, CREATE DATABASE...).
	Concurrently, NoTransaction bool
	// IfExists is an IF EXISTS or IF NOT EXISTS guard on what the statement
	// creates or drops.
	IfExists bool
	// Cascade is DROP ... CASCADE (or TRUNCATE ... CASCADE).
	Cascade bool
	// Opaque: the statement runs code retort cannot see into (DO, CALL, a
	// SELECT of a function), or is a kind whose locks retort does not know.
	Opaque bool
}

// ParseError is a statement the grammar refused, with the line and column
// (in characters) in the section where it did.
type ParseError struct {
	Message      string
	Line, Column int
}

func (e *ParseError) Error() string { return e.Message }

// lock records that the statement takes mode on name, keeping the
// strongest mode per relation.
func (s *Statement) lock(mode LockMode, on Name, why string) {
	if on.Name == "" || mode == NoLock {
		return
	}
	for i := range s.Locks {
		if s.Locks[i].On == on {
			if mode > s.Locks[i].Mode {
				s.Locks[i].Mode, s.Locks[i].For = mode, why
			}
			return
		}
	}
	s.Locks = append(s.Locks, Lock{Mode: mode, On: on, For: why})
}

// touch records an object, once.
func (s *Statement) touch(o Object) {
	if o.Name.Name == "" {
		return
	}
	for _, x := range s.Objects {
		if x == o {
			return
		}
	}
	s.Objects = append(s.Objects, o)
}

func (s *Statement) rewrite(t Name, why, unless string) {
	s.Rewrites = append(s.Rewrites, Effect{Table: t, Why: why, Unless: unless})
}

func (s *Statement) scan(t Name, why string) {
	s.Scans = append(s.Scans, Effect{Table: t, Why: why})
}

// LockOn is the lock the statement takes on a relation, NoLock if none.
func (s *Statement) LockOn(n Name) LockMode {
	for _, l := range s.Locks {
		if l.On.Same(n) {
			return l.Mode
		}
	}
	return NoLock
}

// Strongest is the statement's strongest lock (the zero Lock if none).
func (s *Statement) Strongest() Lock {
	var best Lock
	for _, l := range s.Locks {
		if l.Mode > best.Mode {
			best = l
		}
	}
	return best
}
