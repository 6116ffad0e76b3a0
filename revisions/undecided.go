package revisions

import "errors"

// UndecidedError is the error of a value of a `.py` revision file that
// retort cannot decide without running Python: not a literal, or changed by
// code it does not follow (a call, an `if` block, a loop). It comes inside a
// *FileError naming the file and line. Running the module in the project's
// Python, as Alembic does, would settle it: the value is not wrong, only
// unknown.
type UndecidedError struct {
	// Field is the name: "revision", "down_revision", "branch_labels" or
	// "depends_on".
	Field string
	// Reason is the whole message, naming the field and what retort found.
	Reason string
}

func (e *UndecidedError) Error() string { return e.Reason }

// Undecided lists the values that could not be decided without running
// Python among the problems of err — Load's error, or a revision's Problem:
// each a *FileError whose Err is an *UndecidedError, in the order of err.
// A file whose revision id is undecided is in Load's error only (it is not
// in the graph); one whose other values are undecided is also in the graph,
// marked unreadable.
func Undecided(err error) []*FileError {
	var out []*FileError
	var walk func(error)
	walk = func(err error) {
		var fe *FileError
		switch e := err.(type) {
		case *FileError:
			fe = e
		case interface{ Unwrap() []error }:
			for _, inner := range e.Unwrap() {
				walk(inner)
			}
			return
		case interface{ Unwrap() error }:
			walk(e.Unwrap())
			return
		default:
			return
		}
		var u *UndecidedError
		if errors.As(fe.Err, &u) {
			out = append(out, fe)
		}
	}
	walk(err)
	return out
}
