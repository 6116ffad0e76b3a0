package models

import "time"

// EventKind says what happened during a run.
type EventKind int

const (
	// EventLockWaiting: another runner holds the lock; Message says who.
	EventLockWaiting EventKind = iota
	// EventLockAcquired: this runner holds the lock.
	EventLockAcquired
	// EventStepStarted: Step is about to run. It comes twice for a step
	// whose audit-log row could not be written: after a WARNING notice
	// saying so, the step's rolled-back transaction runs once more.
	EventStepStarted
	// EventStatement: one statement of Step ran (SQL, Line, Duration, Rows).
	EventStatement
	// EventNotice: the database raised a NOTICE or WARNING (Severity,
	// Message, and Detail/Hint when given).
	EventNotice
	// EventStepDone: Step committed (Duration).
	EventStepDone
	// EventStepFailed: Step failed and was rolled back (Err, Failure).
	EventStepFailed
	// EventRunDone: the run ended; Err is nil when every step committed.
	EventRunDone
)

func (k EventKind) String() string {
	switch k {
	case EventLockWaiting:
		return "lock-waiting"
	case EventLockAcquired:
		return "lock-acquired"
	case EventStepStarted:
		return "step-started"
	case EventStatement:
		return "statement"
	case EventNotice:
		return "notice"
	case EventStepDone:
		return "step-done"
	case EventStepFailed:
		return "step-failed"
	case EventRunDone:
		return "run-done"
	}
	return "unknown"
}

// Event is one thing that happened while the engine ran a plan. Only the
// fields that make sense for Kind are set.
type Event struct {
	Kind EventKind
	Time time.Time
	// Index is the 0-based position of Step in the plan; Total is the number
	// of steps in the plan.
	Index, Total int
	Step         *Step
	// SQL is the statement (EventStatement, EventStepFailed), Line its
	// 1-based line in the revision file.
	SQL  string
	Line int
	// Duration of the statement or of the step.
	Duration time.Duration
	// Rows affected by the statement, -1 when the driver cannot tell.
	Rows int64
	// Severity (NOTICE, WARNING, ...), Message, Detail and Hint of a notice.
	Severity, Message, Detail, Hint string
	// Failure describes the database error of a failed step.
	Failure *Failure
	// Err is the error of a failed step or run.
	Err error
}

// Failure is what the database said about a failed statement, as plain data
// so that any listener can show it.
type Failure struct {
	SQLState string
	Message  string
	Detail   string
	Hint     string
	// Statement is the statement that failed, Path and Line where it is.
	Statement string
	Path      string
	Line      int
	// Ran are the statements of a `Transaction: none` step that had already
	// run (and stay applied) when the failure happened.
	Ran int
}
