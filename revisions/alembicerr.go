package revisions

import (
	"fmt"
	"strings"
)

// The resolver raises the same kinds of errors as Alembic's RevisionMap, so
// that each command can turn them into the message Alembic's CLI prints
// (`ScriptDirectory._catch_revision_errors`), which depends on the command.

// resolutionError is Alembic's ResolutionError: the CLI shows only
// "Can't locate revision identified by '<argument>'"; msg is the real reason.
type resolutionError struct {
	msg, argument string
	candidates    []string // the ids an ambiguous prefix matches
}

func (e *resolutionError) Error() string { return e.msg }

// multipleHeadsError is Alembic's MultipleHeads.
type multipleHeadsError struct {
	heads    []string
	argument string
}

func (e *multipleHeadsError) Error() string {
	return fmt.Sprintf("Multiple heads are present for given argument '%s'; %s", e.argument, strings.Join(e.heads, ", "))
}

// rangeError is Alembic's RangeNotAncestorError.
type rangeError struct {
	lower, upper string
}

func (e *rangeError) Error() string {
	return fmt.Sprintf("Revision %s is not an ancestor of revision %s", e.lower, e.upper)
}

// revisionError is a plain Alembic RevisionError, whose message the CLI
// prints as is; class tells retort's callers what kind it is.
type revisionError struct {
	class error
	msg   string
}

func (e *revisionError) Error() string { return e.msg }

func revErr(class error, format string, args ...any) *revisionError {
	return &revisionError{class: class, msg: fmt.Sprintf(format, args...)}
}

// crashError marks a request on which Alembic itself crashes (an uncaught
// AssertionError or KeyError): retort refuses it with an explanation.
type crashError struct {
	where, why string
}

func (e *crashError) Error() string { return e.why }

func crash(where, format string, args ...any) *crashError {
	return &crashError{where: where, why: fmt.Sprintf(format, args...)}
}

// catchOpts are the per-command message templates of
// `_catch_revision_errors`.
type catchOpts struct {
	// ancestor replaces the RangeNotAncestorError message; %[1]s is the
	// start, %[2]s the end.
	ancestor string
	// ancestorClass is the class of that error (ErrRange by default).
	ancestorClass error
	// multipleHeads replaces the MultipleHeads message when not empty.
	multipleHeads string
	// start and end override the range's bounds and the head argument.
	start, end string
	hasStart   bool
	hasEnd     bool
}

const defaultMultipleHeads = "Multiple head revisions are present for given argument '%s'; please specify a specific target revision, '<branchname>@%s' to narrow to a specific head, or 'heads' for all heads"

const defaultAncestor = "Requested range %s:%s does not refer to ancestor/descendant revisions along the same branch"

// catch turns a resolver error into the *CommandError the CLI shows.
func catch(err error, o catchOpts) error {
	if err == nil {
		return nil
	}
	switch e := err.(type) {
	case *rangeError:
		start, end := e.lower, e.upper
		if o.hasStart {
			start = o.start
		}
		if o.hasEnd {
			end = o.end
		}
		tmpl := o.ancestor
		if tmpl == "" {
			tmpl = defaultAncestor
		}
		class := o.ancestorClass
		if class == nil {
			class = ErrRange
		}
		return (&CommandError{Class: class, Message: fmt.Sprintf(tmpl, start, end)}).withDetail("%s", e.Error())
	case *multipleHeadsError:
		arg := e.argument
		if o.hasEnd {
			arg = o.end
		}
		msg := fmt.Sprintf(defaultMultipleHeads, arg, arg)
		if o.multipleHeads != "" {
			msg = o.multipleHeads
		}
		return (&CommandError{Class: ErrMultipleHeads, Message: msg}).withDetail("%s", e.Error())
	case *resolutionError:
		ce := &CommandError{Class: ErrNotFound, Message: fmt.Sprintf("Can't locate revision identified by '%s'", e.argument), Candidates: e.candidates}
		return ce.withDetail("%s", e.msg)
	case *revisionError:
		return &CommandError{Class: e.class, Message: e.msg}
	case *crashError:
		return (&CommandError{Class: ErrRefused, Message: e.why}).withDetail("Alembic crashes on this request (AssertionError in %s()); retort refuses it", e.where)
	}
	return err
}
