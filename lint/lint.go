// Package lint checks the statements of revisions against the rules DBAs
// apply before a migration runs on PostgreSQL: what would block reads or
// writes for long (an index built without CONCURRENTLY, a table rewritten
// or scanned under an ACCESS EXCLUSIVE lock, a step that may queue every
// query behind its lock with no lock_timeout), what would fail (a NOT NULL
// column added without a default, a statement PostgreSQL refuses), and
// style advice (squawk's and strong_migrations' best practices).
//
// Rules of LevelWarning fail a lint; rules of LevelAdvice are shown, and
// fail only a strict one. Each finding names its rule and says what to do.
// Facts come from package sqlfacts; a Catalog (a database) sharpens the
// rules that depend on the data: table sizes, the objects that use a
// column or a table, whether a function is volatile.
package lint

import (
	"context"
	"fmt"
	"time"

	"retort/models"
	"retort/pgparse"
	"retort/sqlfacts"
)

// Level is how much a finding matters.
type Level int

const (
	// LevelWarning findings fail a lint: the statement will block reads
	// or writes for long, or fail.
	LevelWarning Level = iota
	// LevelAdvice findings are style advice: shown, failing a lint only
	// with --strict.
	LevelAdvice
)

func (l Level) String() string {
	if l == LevelAdvice {
		return "advice"
	}
	return "warning"
}

// Finding is one rule that fires on one statement.
type Finding struct {
	Rule  string
	Level Level
	// Statement is the index of the statement in its step's Statements;
	// Line is the statement's line in the revision file.
	Statement, Line int
	// Message says what the statement does and what to do instead.
	Message string
}

// Step is a revision section to lint: a revision upgraded or downgraded.
type Step struct {
	Revision  *models.Revision
	Direction models.Direction
}

// StepResult is what lint found in one step.
type StepResult struct {
	Step
	// Linted is false when the step's SQL could not be linted (an Alembic
	// .py revision, a section that is missing), and Reason says why.
	Linted bool
	Reason string
	// Statements are the section's statements with their facts; a
	// statement's file line is Section.Line + Statement.Line - 1 (FileLine).
	Statements []sqlfacts.Statement
	Findings   []Finding
}

// FileLine is the line in the revision file of the statement i.
func (r *StepResult) FileLine(i int) int {
	return r.section().Line + r.Statements[i].Line - 1
}

func (r *StepResult) section() models.Section {
	if r.Direction == models.Downgrade {
		return r.Revision.Downgrade
	}
	return r.Revision.Upgrade
}

// Options are what lint knows beyond the steps.
type Options struct {
	// Parser is the grammar (required).
	Parser *pgparse.Parser
	// Catalog is the database the steps would run on, nil without one.
	Catalog Catalog
	// History are the revisions applied before the first step, in the
	// order they were applied (the rest of the graph, base first): the
	// objects they create are those a DROP may find in use.
	History []*models.Revision
	// LockTimeout is retort's own lock_timeout for the statements of a
	// step (not the wait for the migration lock); when set, steps need no
	// SET lock_timeout of their own.
	LockTimeout time.Duration
	// LargeRows is the estimated row count from which a table is large
	// for SET NOT NULL (default DefaultLargeRows).
	LargeRows float64
}

// DefaultLargeRows: a table with at least this many rows (by the
// planner's estimate) is large. Reading 100,000 rows takes tens of
// milliseconds to seconds depending on their width and the disks, while
// everything else waits on the table's ACCESS EXCLUSIVE lock.
const DefaultLargeRows = 100_000

// Result is what lint found in every step, in order.
type Result struct {
	Steps []StepResult
}

// Fails reports whether a finding fails the lint: any warning, and with
// strict any advice too.
func (r *Result) Fails(strict bool) bool {
	for _, s := range r.Steps {
		for _, f := range s.Findings {
			if f.Level == LevelWarning || strict {
				return true
			}
		}
	}
	return false
}

// Lint checks steps, in the order they would run: a table created by an
// earlier step is new to the later ones. The error is for trouble (the
// grammar cannot run, the catalog cannot be read), not for findings.
func Lint(ctx context.Context, steps []Step, o Options) (*Result, error) {
	if o.Parser == nil {
		return nil, fmt.Errorf("lint: no parser")
	}
	if o.LargeRows <= 0 {
		o.LargeRows = DefaultLargeRows
	}
	p := newPlan(ctx, o)
	res := &Result{}
	for _, st := range steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r, err := p.lintStep(st)
		if err != nil {
			return nil, err
		}
		res.Steps = append(res.Steps, r)
	}
	return res, nil
}

// PlanSteps are the steps of a plan to lint (a stamp runs nothing).
func PlanSteps(plan *models.Plan) []Step {
	var out []Step
	for _, s := range plan.Steps {
		if s.Direction != models.Stamp {
			out = append(out, Step{Revision: s.Revision, Direction: s.Direction})
		}
	}
	return out
}
