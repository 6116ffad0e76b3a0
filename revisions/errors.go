package revisions

import (
	"errors"
	"fmt"
)

// FileError is a problem with one revision file, located by path and line.
// Line is 0 when the problem is with the file as a whole.
type FileError struct {
	Path string
	Line int
	Err  error
}

func (e *FileError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", e.Path, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Path, e.Err)
}

func (e *FileError) Unwrap() error { return e.Err }

// fileErrorf builds a FileError with a formatted message.
func fileErrorf(path string, line int, format string, args ...any) *FileError {
	return &FileError{Path: path, Line: line, Err: fmt.Errorf(format, args...)}
}

// Sentinel classes of errors. Every error the resolver and the planners return
// wraps exactly one of them, so callers (and the conformance tests) can tell
// the classes apart with errors.Is while the message stays Alembic's.
var (
	// ErrInvalidGraph: the versions directory has problems (duplicates,
	// missing parents, cycles, bad headers...).
	ErrInvalidGraph = errors.New("invalid revision graph")
	// ErrNotFound: an identifier names no revision or branch, an ambiguous
	// prefix, or a revision outside the requested branch.
	ErrNotFound = errors.New("revision not found")
	// ErrMultipleHeads: `head` (or `label@head`, `head-1`...) is ambiguous.
	ErrMultipleHeads = errors.New("multiple heads")
	// ErrAmbiguousWalk: a relative walk met a branch point or a merge.
	ErrAmbiguousWalk = errors.New("ambiguous walk")
	// ErrRelative: a relative target did not produce the migrations asked.
	ErrRelative = errors.New("relative revision out of range")
	// ErrOverlap: requested revisions are ancestors of each other.
	ErrOverlap = errors.New("overlapping revisions")
	// ErrBadDowngradeTarget: the downgrade target is not below the current
	// heads.
	ErrBadDowngradeTarget = errors.New("invalid downgrade target")
	// ErrRange: a FROM:TO range where none is allowed, or a bad range.
	ErrRange = errors.New("invalid range")
	// ErrRefused: a request Alembic would run in an order that depends on
	// the physical order of the version table, or would crash on. retort
	// refuses it and explains why.
	ErrRefused = errors.New("refused")
	// ErrNoDowngrade: a revision in a downgrade plan has no downgrade
	// section.
	ErrNoDowngrade = errors.New("revision cannot be downgraded")
	// ErrInconsistentRows: the version rows are not a valid state of the
	// graph (a row unknown to the graph, or a row and its ancestor).
	ErrInconsistentRows = errors.New("inconsistent version rows")
	// ErrUnreadable: a plan was asked while a revision's file could not be
	// read whole (Revision.Problem).
	ErrUnreadable = errors.New("unreadable revision")
)

// CommandError is an error whose message is the one Alembic's CLI prints
// after `FAILED: `, carrying the class it belongs to and, where Alembic hides
// the real reason behind a generic message, that reason as Detail (for a
// program or a UI to show; the CLI prints only Alembic's line).
type CommandError struct {
	Class   error
	Message string
	Detail  string
	// Candidates are the revisions an ambiguous prefix matches, in load
	// order: the CLI lists them on a second line.
	Candidates []string
}

func (e *CommandError) Error() string { return e.Message }

// Unwrap lets errors.Is match the class.
func (e *CommandError) Unwrap() error { return e.Class }

func cmdErr(class error, format string, args ...any) *CommandError {
	return &CommandError{Class: class, Message: fmt.Sprintf(format, args...)}
}

// withDetail sets the hidden reason of a command error.
func (e *CommandError) withDetail(format string, args ...any) *CommandError {
	e.Detail = fmt.Sprintf(format, args...)
	return e
}
