// Package lineerr is the error of the revision file readers (pyread,
// sqlread): a problem at a line of a file. The readers are given bytes, not
// a path; package revisions names the file (revisions.FileError).
package lineerr

import "fmt"

// Error is a problem at a line of the file (Line 0: the file as a whole).
type Error struct {
	Line int
	Err  error
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %v", e.Line, e.Err)
	}
	return e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an Error with a formatted message.
func Errorf(line int, format string, args ...any) *Error {
	return &Error{Line: line, Err: fmt.Errorf(format, args...)}
}
