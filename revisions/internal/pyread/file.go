// Package pyread reads an Alembic revision file (a Python module) for the
// values Alembic takes from it — revision, down_revision, branch_labels,
// depends_on and the docstring — without running Python.
//
// It reports what the file says, where, and what it could not read, each
// problem at its line, and leaves naming the file to its caller. The ids
// and labels it reads follow package ident's rules.
package pyread

import "retort/revisions/internal/lineerr"

// Field is one of the module-level names Alembic reads.
type Field int

const (
	Revision Field = iota
	DownRevision
	BranchLabels
	DependsOn
	numFields
)

var pyVarNames = [numFields]string{"revision", "down_revision", "branch_labels", "depends_on"}

func (f Field) String() string { return pyVarNames[f] }

// File is what the reader found in a revision file.
type File struct {
	// Doc is the module docstring, stripped as Alembic strips it; Message
	// its first line; CreateDate the value of its `Create Date:` line.
	Doc, Message, CreateDate string
	// Values are the four fields, by Field.
	Values [numFields]Value
	// Warnings are observations that do not stop the file from being read.
	Warnings []string
	// Errors are every problem found, sorted by line. A field with an error
	// has no Items.
	Errors []*Error
}

// Value is what the file sets one field to.
type Value struct {
	// Set is true when the module assigns the name.
	Set bool
	// Line is the line of the assignment that gives the value (0 if none).
	Line int
	// Items are the identifiers: for revision, the id (even one the rules
	// on ids refuse, with an error: it names the file's revision); for the
	// others, the
	// strings of the tuple or list, or the one string (none for None, "" and
	// an empty tuple or list, which Alembic treats alike).
	Items []string
}

// Error is a problem at a line of the file (Line 0: the file as a whole).
// The caller, which knows the file, names it.
type Error = lineerr.Error

func errorf(line int, format string, args ...any) *Error {
	return lineerr.Errorf(line, format, args...)
}

// Undecided is the error of a value retort cannot decide without running
// Python: not a literal, or changed by code it does not follow. Running the
// module in the project's Python, as Alembic does, would settle it.
type Undecided struct {
	Field  Field
	Reason string // the whole message, naming the field
}

func (u *Undecided) Error() string { return u.Reason }
