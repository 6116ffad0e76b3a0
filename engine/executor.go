package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"retort/engine/step"
	"retort/models"
)

// newExecutors are the executors of a run on db (nil for a preview) in
// dialect d, by the format of revision they run: .sql revisions always,
// others as the options add them (WithExecutor).
func newExecutors(d dialect, cfg config, db *DB) map[models.Format]step.Executor {
	var on step.Database
	if db != nil {
		on = runDatabase{db}
	}
	ex := map[models.Format]step.Executor{models.FormatSQL: &sqlExecutor{d: d, db: db}}
	for f, mk := range cfg.executors {
		ex[f] = mk(on)
	}
	return ex
}

// stepEvents reports what a step's body does, as events of that step.
type stepEvents struct {
	em    *emitter
	index int
	step  *models.Step
}

// Statement reports a statement that ran.
func (e *stepEvents) Statement(sql string, line int, d time.Duration, rows int64) {
	e.em.emit(models.Event{Kind: models.EventStatement, Index: e.index, Step: e.step,
		SQL: sql, Line: line, Duration: d, Rows: rows})
}

// Notices reports what the database raised during a statement.
func (e *stepEvents) Notices(ns []step.Notice) { e.em.notices(e.index, e.step, ns) }

// preparePlan refuses, before anything runs, a plan that cannot be carried
// out to the end: a revision no executor runs (an Alembic .py revision, when
// no Python executor was configured), a body its executor refuses (a
// downgrade of a revision without a downgrade section, SQL that cannot be
// split with certainty), inconsistent version rows. Every problem is
// reported, joined. It returns each step's body, nil for a stamp.
func preparePlan(plan *models.Plan, ex map[models.Format]step.Executor) ([]step.Body, error) {
	if plan == nil {
		return nil, fmt.Errorf("%w: no plan", ErrRefused)
	}
	var errs []error
	bodies := make([]step.Body, len(plan.Steps))
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
func prepareStep(s *models.Step, ex map[models.Format]step.Executor) (step.Body, error) {
	r := s.Revision
	x, ok := ex[r.Format]
	switch {
	case !ok && r.Format == models.FormatPython:
		return nil, fmt.Errorf("%s: revision %s is an Alembic Python revision; run it with Alembic (retort runs only .sql revisions)", r.Path, r.ID)
	case !ok:
		return nil, fmt.Errorf("%s: revision %s is a %s revision, which this engine cannot run", r.Path, r.ID, r.Format)
	}
	return x.Prepare(s)
}

// transactional reports whether a step runs in one transaction: a stamp
// does, and a revision as its body says.
func transactional(b step.Body) bool { return b == nil || b.Transactional() }

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

// runDatabase is the DB as the executors of a run see it. The run holds
// the DB's gate; Identity and Checking use its connection while no step's
// transaction is open on it.
type runDatabase struct{ db *DB }

func (d runDatabase) Dialect() string  { return d.db.Dialect() }
func (d runDatabase) Redacted() string { return d.db.redacted }

func (d runDatabase) VersionTable() (string, string) {
	return d.db.version.Schema, d.db.version.Name
}

func (d runDatabase) Identity(ctx context.Context) (step.Identity, error) {
	id, err := d.db.conn.identity(ctx)
	return id, d.db.wrap(err, "%s", d.db.redacted)
}

func (d runDatabase) Checking(ctx context.Context, sent *step.ServerSession) (step.Session, error) {
	c, err := d.db.conn.lend(ctx, sent)
	return c, d.db.wrap(err, "settling a lost COMMIT on %s", d.db.redacted)
}
