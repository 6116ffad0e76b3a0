package models

import "strings"

// Direction says what a step does.
type Direction int

const (
	// Upgrade runs a revision's upgrade section.
	Upgrade Direction = iota
	// Downgrade runs a revision's downgrade section.
	Downgrade
	// Stamp changes the version rows without running anything.
	Stamp
)

func (d Direction) String() string {
	switch d {
	case Downgrade:
		return "downgrade"
	case Stamp:
		return "stamp_revision"
	default:
		return "upgrade"
	}
}

// OpKind is the kind of change a step makes to the version table.
type OpKind int

const (
	// OpInsert adds the row To.
	OpInsert OpKind = iota
	// OpDelete removes the row From.
	OpDelete
	// OpUpdate replaces the row From by To.
	OpUpdate
)

// VersionOp is one change to the version table, in the order it is made.
type VersionOp struct {
	Kind     OpKind
	From, To string
}

// Step is one migration step: a revision applied in one direction (or a
// stamp), with the version-table changes that go with it.
type Step struct {
	Direction Direction
	// Revision is the revision run by an upgrade or downgrade step; nil for a
	// stamp step.
	Revision *Revision
	// From and To are the revisions the step moves from and to, exactly as
	// Alembic's `-- Running upgrade a, b -> c` line names them (parents
	// without depends_on; empty means base).
	From, To []string
	// Ops are the version-table changes of the step, in order.
	Ops []VersionOp
	// Before and After are the version rows (sorted) before and after the
	// step. The engine refuses to run the step unless the table holds Before.
	Before, After []string
}

// ShortLog is Alembic's `upgrade a, b -> c` description of the step.
func (s Step) ShortLog() string {
	return s.Direction.String() + " " + strings.Join(s.From, ", ") + " -> " + strings.Join(s.To, ", ")
}

// Plan is an ordered list of steps that takes the version table from Start to
// Final.
type Plan struct {
	// Command is "upgrade", "downgrade" or "stamp".
	Command string
	// Target is the target as the user typed it.
	Target string
	// Purge empties the version table before the first step (stamp --purge).
	Purge bool
	// Start and Final are the version rows (sorted) before the first step and
	// after the last.
	Start, Final []string
	Steps        []Step
}

// Empty reports whether the plan changes nothing.
func (p *Plan) Empty() bool { return len(p.Steps) == 0 && !p.Purge }
