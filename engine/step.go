package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"retort/engine/step"
	"retort/models"
)

// auditSavepoint guards ensureAudit's creation or change of the audit
// table: if it cannot be made, the run goes on without the log.
const auditSavepoint = "retort_audit"

// txStep runs step i in one transaction: version-row check, statements,
// version changes, audit row, commit. A step whose audit row could not be
// written was rolled back whole; it runs once more, without the log.
func (r *run) txStep(ctx context.Context, i int) error {
	err := r.txAttempt(ctx, i)
	if r.auditRowFailed(context.WithoutCancel(ctx), i, err) {
		return r.txAttempt(ctx, i)
	}
	return err
}

// txAttempt is one run of step i's transaction. It returns an
// *auditRowError, with the transaction still to roll back and nothing
// reported, when only the audit row failed.
func (r *run) txAttempt(ctx context.Context, i int) error {
	s := &r.plan.Steps[i]
	bg := context.WithoutCancel(ctx)
	started := time.Now()
	r.em.emit(models.Event{Kind: models.EventStepStarted, Index: i, Step: s})
	if err := r.useSession(bg, i); err != nil {
		return r.fail(bg, i, started, nil, nil, err)
	}
	rows, err := r.beginStep(bg, i, s)
	if err != nil {
		return r.fail(bg, i, started, rows, nil, err)
	}
	if !sameRows(rows, s.Before) {
		return r.fail(bg, i, started, rows, nil, &StaleError{Have: rows, Want: s.Before})
	}
	if _, f, err := r.body(ctx, i); err != nil {
		return r.fail(bg, i, started, rows, f, err)
	}
	// A cancellation during the last statement still rolls the step back.
	if err := ctx.Err(); err != nil {
		return r.fail(bg, i, started, rows, nil, fmt.Errorf("%w; the step was rolled back: %w", ErrCancelled, err))
	}
	if err := r.finish(bg, i, started, rows); err != nil {
		if isAuditRowError(err) {
			return err
		}
		return r.fail(bg, i, started, rows, nil, err)
	}
	r.em.emit(models.Event{Kind: models.EventStepDone, Index: i, Step: s, Duration: time.Since(started)})
	return nil
}

// noTxStep runs step i of a `Transaction: none` revision: its statements in
// autocommit, then, only when all of them succeeded, the version changes and
// the audit row in a small transaction of their own. A failure says how many
// statements had run (they stay applied).
func (r *run) noTxStep(ctx context.Context, i int) error {
	s := &r.plan.Steps[i]
	bg := context.WithoutCancel(ctx)
	started := time.Now()
	r.em.emit(models.Event{Kind: models.EventStepStarted, Index: i, Step: s})
	if err := r.useSession(bg, i); err != nil {
		return r.fail(bg, i, started, nil, nil, err)
	}
	rows, err := r.db.queryRowsOn(bg, r.cur)
	if err != nil {
		return r.fail(bg, i, started, nil, nil, err)
	}
	if !sameRows(rows, s.Before) {
		return r.fail(bg, i, started, rows, nil, &StaleError{Have: rows, Want: s.Before})
	}
	ran, f, err := r.body(ctx, i)
	if err != nil {
		return r.fail(bg, i, started, rows, f, err)
	}
	// At most twice: a failed audit row turns the log off.
	for {
		rows, err = r.beginStep(bg, i, s)
		if err == nil && !sameRows(rows, s.Before) {
			err = &StaleError{Have: rows, Want: s.Before}
		}
		if err == nil {
			err = r.finish(bg, i, started, rows)
		}
		if !r.auditRowFailed(bg, i, err) {
			break
		}
	}
	if err != nil {
		f := &models.Failure{Message: err.Error(), Path: s.Revision.Path, Ran: ran}
		return r.fail(bg, i, started, rows, f, err)
	}
	r.em.emit(models.Event{Kind: models.EventStepDone, Index: i, Step: s, Duration: time.Since(started)})
	return nil
}

// body runs step i's body on the current session; a stamp has none.
func (r *run) body(ctx context.Context, i int) (int, *models.Failure, error) {
	b := r.bodies[i]
	if b == nil {
		return 0, nil, nil
	}
	// One stepEvents per run, pointed at each step in turn: handing the
	// body a fresh value would cost an allocation per step.
	r.events = stepEvents{em: r.em, index: i, step: &r.plan.Steps[i]}
	return b.Run(ctx, r.cur.Session, &r.events)
}

// fail rolls the step back, records it in the audit log (in a transaction
// of its own), tells the listener and builds the run's error. A COMMIT whose
// outcome is unknown is settled by failedCommit instead.
func (r *run) fail(bg context.Context, i int, started time.Time, rows []string, f *models.Failure, err error) error {
	r.rollback(bg)
	var ce *commitError
	if errors.As(err, &ce) {
		return r.failedCommit(bg, i, started, rows, f, ce)
	}
	return r.rolledBack(bg, r.cur, i, started, rows, f, err)
}

// rolledBack reports a step that is known to have rolled back, writing its
// audit row on c.
func (r *run) rolledBack(bg context.Context, c step.Session, i int, started time.Time, rows []string, f *models.Failure, err error) error {
	s := &r.plan.Steps[i]
	if f == nil {
		f = &models.Failure{Message: err.Error()}
		if s.Revision != nil {
			f.Path = s.Revision.Path
		}
	}
	outcome := OutcomeFailed
	if errors.Is(err, ErrCancelled) {
		outcome = OutcomeCancelled
	}
	rec := r.auditRecord(s, rows, rows, started, outcome)
	rec.Error = err.Error()
	r.auditAlone(bg, c, i, rec)
	r.em.emit(models.Event{Kind: models.EventStepFailed, Index: i, Step: s, SQL: f.Statement, Line: f.Line,
		Duration: time.Since(started), Failure: f, Err: err})
	return r.partial(s, f, err)
}
