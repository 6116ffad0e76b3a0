// Package models holds retort's plain data types: revisions, the revision
// graph, plans and their steps, and the events the engine streams. It does no
// I/O and owns no algorithm; package revisions builds and reads these values.
package models

// Format says which kind of file a revision was read from.
type Format int

const (
	// FormatSQL is retort's own `.sql` revision file.
	FormatSQL Format = iota
	// FormatPython is an Alembic `.py` revision file, read for its
	// identifiers only; its upgrade and downgrade are Python code.
	FormatPython
)

func (f Format) String() string {
	if f == FormatPython {
		return "alembic"
	}
	return "sql"
}

// Section is one direction of a revision: the SQL between `-- +upgrade` (or
// `-- +downgrade`) and the next section marker.
type Section struct {
	// Present is false when the file has no such section. A revision without
	// a downgrade section cannot be downgraded.
	Present bool
	// SQL is the section's text, exactly as in the file (comments included).
	SQL string
	// Line is the 1-based line of the file where SQL begins, so that a
	// statement's position inside SQL maps back to a line of the file.
	Line int
}

// Revision is one revision file.
type Revision struct {
	// ID is the revision identifier (`Revision ID:` / `revision = ...`).
	ID string
	// Parents are the revisions this one revises (`Revises:` /
	// `down_revision`), in declared order. Empty for a base.
	Parents []string
	// DependsOn lists `Depends On:` / `depends_on` entries as written: full
	// revision ids or branch labels.
	DependsOn []string
	// BranchLabels are the labels this file declares (not the ones it
	// inherits from its ancestors; see Graph.EffectiveLabels).
	BranchLabels []string
	// Message is the one-line description (`Message:` / the docstring's
	// first line).
	Message string
	// Doc is the description `alembic show` prints under a revision: for a
	// `.py` file its whole docstring, stripped (Alembic's Script.longdoc,
	// whose first paragraph `alembic history` prints); for a `.sql` file its
	// message, a blank line and its other header lines without the `-- `,
	// the docstring Alembic's template writes.
	Doc string
	// CreateDate is the `Create Date` header, as written (may be empty).
	CreateDate string
	// Path is the file the revision was read from.
	Path string
	// Line is the 1-based line of the `Revision ID` declaration in Path;
	// ParentsLine, DependsOnLine and LabelsLine those of the `Revises`,
	// `Depends On` and `Branch Labels` declarations (0 when absent), so that
	// graph errors can point at the line to fix.
	Line, ParentsLine, DependsOnLine, LabelsLine int
	// Format is the kind of file.
	Format Format
	// Upgrade and Downgrade are the SQL sections of a `.sql` revision.
	// They are empty (not Present) for a `.py` revision.
	Upgrade, Downgrade Section
	// Transactional is false for `-- Transaction: none` revisions, whose
	// statements run outside a transaction.
	Transactional bool
	// Checksum is the hex sha256 of the file's bytes as read, used to detect
	// a file changed after it was applied (drift).
	Checksum string
	// Warnings are non-fatal observations about the file (for example a
	// `.py` file whose depends_on is read as if an import succeeds).
	Warnings []string
	// Problem, when not nil, says why the file could not be read whole: its
	// id is known, but one of its values is not (a `.py` value retort cannot
	// decide without Python, a header it cannot read) or is invalid (an id
	// or a branch label with a control character). The revision is kept in
	// the graph, so that its children keep their parent and a browser can
	// mark it, with what could be read (an unknown down_revision leaves it
	// without parents); no plan is made while a revision has a Problem. It
	// is a *revisions.FileError naming the file and line, or several joined.
	Problem error
}

// Unreadable reports whether the revision's file could not be read whole
// (see Problem).
func (r *Revision) Unreadable() bool { return r.Problem != nil }

// IsMerge reports whether the revision has more than one parent.
func (r *Revision) IsMerge() bool { return len(r.Parents) > 1 }

// IsBase reports whether the revision has no parent.
func (r *Revision) IsBase() bool { return len(r.Parents) == 0 }

// ShortID is the first 12 characters of the id, for display.
func (r *Revision) ShortID() string { return ShortID(r.ID) }

// ShortID shortens a revision id to at most 12 characters for display.
func ShortID(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}
