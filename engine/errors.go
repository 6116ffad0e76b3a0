package engine

import (
	"errors"
	"fmt"
	"strings"

	"retort/models"
)

// Sentinel errors; the errors Apply returns wrap them where they apply.
var (
	// ErrBusy: the DB is running a plan; it serves one caller at a time,
	// and callers wait only behind a read, never behind a run.
	ErrBusy = errors.New("the database connection is busy with a run")
	// ErrLockTimeout: the lock was not acquired within the lock timeout.
	ErrLockTimeout = errors.New("timed out waiting for the migration lock")
	// ErrStaleRows: the version table is not where the plan expected.
	ErrStaleRows = errors.New("version table changed behind the plan's back")
	// ErrVersionRow: an UPDATE or DELETE of a version row did not hit
	// exactly one row.
	ErrVersionRow = errors.New("version row not found")
	// ErrRefused: the plan cannot be run by this engine (a revision without
	// a downgrade section, an Alembic .py revision).
	ErrRefused = errors.New("plan refused")
	// ErrCancelled: the run was cancelled; the current step rolled back.
	ErrCancelled = errors.New("run cancelled")
	// ErrCommitUnknown: the COMMIT of a step failed in a way that leaves
	// its outcome unknown (the connection was lost) and the version table
	// could not tell: the step may or may not have been applied. Callers
	// must not say it rolled back.
	ErrCommitUnknown = errors.New("the outcome of the step's COMMIT is unknown")
)

// StaleError says the version rows differ from what the step expected.
type StaleError struct {
	Have, Want []string
}

func (e *StaleError) Error() string {
	return fmt.Sprintf("version table changed behind the plan's back: it holds [%s], the plan expected [%s]; reload and plan again",
		strings.Join(e.Have, ", "), strings.Join(e.Want, ", "))
}

// Unwrap lets errors.Is(err, ErrStaleRows) match.
func (e *StaleError) Unwrap() error { return ErrStaleRows }

// PartialError is what Apply returns when a run stops before its end: the
// steps that committed (and stay committed), the step that failed or was
// about to run, and, for a failed statement, the database's account of it.
type PartialError struct {
	// Committed are the steps that committed, in order.
	Committed []models.Step
	// Failed is the step that failed (rolled back, or whose COMMIT has an
	// unknown outcome: Err wraps ErrCommitUnknown) or, for a run that
	// stopped between steps, the first step that did not run (nil when
	// none was left). A run stops between steps when it is cancelled
	// there, and when a step's COMMIT reported an error but the version
	// table showed it committed: that step is the last of Committed.
	Failed *models.Step
	// Failure describes the failure as plain data; nil when the run
	// stopped between steps: Failed then never ran and did not fail.
	Failure *models.Failure
	// Err is the cause.
	Err error
}

func (e *PartialError) Error() string {
	var b strings.Builder
	if e.Failed != nil {
		fmt.Fprintf(&b, "%s: %v", describeStep(e.Failed), e.Err)
	} else {
		b.WriteString(e.Err.Error())
	}
	if e.Failure != nil && e.Failure.Ran > 0 {
		fmt.Fprintf(&b, " (%d statement(s) of this non-transactional step had already run and stay applied; the version table was not changed)", e.Failure.Ran)
	}
	if len(e.Committed) == 0 {
		b.WriteString("; no step committed")
		return b.String()
	}
	fmt.Fprintf(&b, "; %d step(s) committed before it: ", len(e.Committed))
	for i := range e.Committed {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(e.Committed[i].ShortLog())
	}
	return b.String()
}

func (e *PartialError) Unwrap() error { return e.Err }

// describeStep names a step for messages: `upgrade a -> b (path)`.
func describeStep(s *models.Step) string {
	if s.Revision != nil && s.Revision.Path != "" {
		return s.ShortLog() + " (" + s.Revision.Path + ")"
	}
	return s.ShortLog()
}
