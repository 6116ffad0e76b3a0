package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"retort/models"
)

// executor executes the bodies of one kind of revision file (one
// models.Format). The engine writes everything around a body once (the lock,
// the step's transaction, the version-row check before the body, the version
// changes, the audit row and the COMMIT after it, the events, the
// cancellation, the COMMIT-outcome check) and asks an executor only to run
// what the revision itself says.
//
// sqlExecutor runs the statements of a .sql revision on the DB's own
// connection. The executor of Alembic's .py revisions plugs in the same way
// (a file of its own, listed in newExecutors when an option asks for it):
//
//   - prepare resolves the revision's module and refuses, before anything
//     runs, what cannot run (no Python, no downgrade());
//   - session starts the project's Python once per run (at the first .py
//     step), checks that its connection reaches the database the DB holds
//     the lock on, and returns a session over the pipe to it (see session):
//     the template then begins the step's transaction, reads and checks the
//     version rows, runs the body, and writes the version changes, the audit
//     row and the COMMIT all on Python's connection, one transaction, while
//     retort's own connections hold none;
//   - body.run asks Python to call the revision's upgrade() or downgrade()
//     through Alembic's runtime (MigrationContext and Operations, or the
//     project's env.py), in the transaction already open, and streams back
//     each statement SQLAlchemy sends, notices, log records and print lines
//     as events (through stepEvents), and a failure as a models.Failure
//     (exception, the revision's file and line from the traceback, the
//     database error). A cancelled ctx makes Python stop after the current
//     statement. An autocommit_block() commits what ran before it and runs
//     in autocommit, as a `Transaction: none` step does: run counts what
//     committed so in Failure.Ran, and the step's end (version changes,
//     guards, audit row) runs in the transaction Alembic opens after the
//     block;
//   - release stops the Python process at the end of the run;
//   - body.preview lists the SQL of Alembic's offline mode, or a comment
//     saying why a step has none.
type executor interface {
	// prepare checks step s, before anything of the plan runs, and returns
	// what runs its body. It does no I/O.
	prepare(s *models.Step) (body, error)
	// session returns the session the bodies run on during a run on db,
	// opening it at the first step that needs it; the same session for
	// every step of the run.
	session(ctx context.Context, db *DB) (session, error)
	// release ends what session opened, at the end of the run, with a
	// context that is not cancelled.
	release(ctx context.Context) error
}

// body is one step's revision body, ready to run.
type body interface {
	// transactional: the body runs inside the step's transaction, between
	// the version-row check and the step's end. Otherwise (`Transaction:
	// none`) it runs in autocommit after a check of the rows, and the
	// step's end is a transaction of its own once the body succeeded.
	transactional() bool
	// run executes the body on sess. It checks ctx before each statement;
	// a statement that has started runs to its end, under a context that
	// is never cancelled, so that the session survives a cancellation. It
	// reports each statement and notice through ev, and returns how many
	// statements ran and, on failure, the database's account of it, with
	// in Failure.Ran the statements that ran outside the step's
	// transaction and stay applied.
	run(ctx context.Context, sess session, ev stepEvents) (ran int, f *models.Failure, err error)
	// preview lists what the body would run, as a preview shows it:
	// statements (with their file and line) or comments.
	preview() []PreviewItem
}

// newExecutors are the executors of a run or a preview on dialect d, by the
// format of revision they run: .sql revisions always, others as the options
// add them.
func newExecutors(d dialect, cfg config) map[models.Format]executor {
	ex := map[models.Format]executor{models.FormatSQL: &sqlExecutor{d: d}}
	for f, mk := range cfg.executors {
		ex[f] = mk()
	}
	return ex
}

// stepEvents reports what a step's body does, as events of that step.
type stepEvents struct {
	em    *emitter
	index int
	step  *models.Step
}

// statement reports a statement that ran: its text, its line in the
// revision file, how long it took and the rows it affected (-1: unknown).
func (e stepEvents) statement(sql string, line int, d time.Duration, rows int64) {
	e.em.emit(models.Event{Kind: models.EventStatement, Index: e.index, Step: e.step,
		SQL: sql, Line: line, Duration: d, Rows: rows})
}

// notices reports what the database raised during a statement.
func (e stepEvents) notices(ns []notice) { e.em.notices(e.index, e.step, ns) }

// preparePlan refuses, before anything runs, a plan that cannot be carried
// out to the end: a revision no executor runs (an Alembic .py revision, when
// no Python executor was configured), a body its executor refuses (a
// downgrade of a revision without a downgrade section, SQL that cannot be
// split with certainty), inconsistent version rows. Every problem is
// reported, joined. It returns each step's body, nil for a stamp.
func preparePlan(plan *models.Plan, ex map[models.Format]executor) ([]body, error) {
	if plan == nil {
		return nil, fmt.Errorf("%w: no plan", ErrRefused)
	}
	var errs []error
	bodies := make([]body, len(plan.Steps))
	for i := range plan.Steps {
		s := &plan.Steps[i]
		if err := checkRows(plan, i); err != nil {
			errs = append(errs, err)
		}
		if s.Revision == nil {
			if s.Direction != models.Stamp {
				errs = append(errs, fmt.Errorf("step %d (%s) has no revision", i+1, s.ShortLog()))
			}
			continue
		}
		var err error
		if bodies[i], err = prepareStep(s, ex); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%w before anything ran: %w", ErrRefused, errors.Join(errs...))
	}
	return bodies, nil
}

// prepareStep has the executor of the step's revision prepare it.
func prepareStep(s *models.Step, ex map[models.Format]executor) (body, error) {
	r := s.Revision
	x, ok := ex[r.Format]
	switch {
	case !ok && r.Format == models.FormatPython:
		return nil, fmt.Errorf("%s: revision %s is an Alembic Python revision; run it with Alembic (retort runs only .sql revisions)", r.Path, r.ID)
	case !ok:
		return nil, fmt.Errorf("%s: revision %s is a %s revision, which this engine cannot run", r.Path, r.ID, r.Format)
	}
	return x.prepare(s)
}

// transactional reports whether a step runs in one transaction: a stamp
// does, and a revision as its body says.
func transactional(b body) bool { return b == nil || b.transactional() }

// checkRows verifies that step i's version changes take its Before rows to
// its After rows and that it starts where the previous step ended, so that
// the audit log and the stale-row check can trust them.
func checkRows(plan *models.Plan, i int) error {
	s := &plan.Steps[i]
	if i > 0 && !sameRows(plan.Steps[i-1].After, s.Before) {
		return fmt.Errorf("step %d (%s) starts from [%s] but the step before it ends at [%s]", i+1, s.ShortLog(),
			strings.Join(s.Before, ", "), strings.Join(plan.Steps[i-1].After, ", "))
	}
	after, err := applyOps(s.Before, s.Ops)
	if err == nil && !sameRows(after, s.After) {
		err = fmt.Errorf("its version changes lead to [%s], not to [%s]", strings.Join(after, ", "), strings.Join(s.After, ", "))
	}
	if err != nil {
		return fmt.Errorf("step %d (%s): %w", i+1, s.ShortLog(), err)
	}
	return nil
}

// applyOps computes the rows the version changes leave, failing on a change
// that cannot apply (inserting a row that is there, updating or deleting one
// that is not).
func applyOps(before []string, ops []models.VersionOp) ([]string, error) {
	rows := map[string]bool{}
	for _, r := range before {
		rows[r] = true
	}
	for _, op := range ops {
		if op.Kind != models.OpInsert {
			if !rows[op.From] {
				return nil, fmt.Errorf("%s: row %s is not there", describeOp(op), op.From)
			}
			delete(rows, op.From)
		}
		if op.Kind != models.OpDelete {
			if rows[op.To] {
				return nil, fmt.Errorf("%s: row %s is already there", describeOp(op), op.To)
			}
			rows[op.To] = true
		}
	}
	out := make([]string, 0, len(rows))
	for r := range rows {
		out = append(out, r)
	}
	slices.Sort(out)
	return out, nil
}
