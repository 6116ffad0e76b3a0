package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	sq "github.com/Masterminds/squirrel"

	"retort/engine/sqlsplit"
	"retort/models"
)

// auditSavepoint guards the audit row inside a step's transaction: if the
// row cannot be written, the step still commits.
const auditSavepoint = "retort_audit"

// txStep runs step i in one transaction: version-row check, statements,
// version changes, audit row, commit.
func (r *run) txStep(ctx context.Context, i int) error {
	s := &r.plan.Steps[i]
	bg := context.WithoutCancel(ctx)
	started := time.Now()
	r.em.emit(models.Event{Kind: models.EventStepStarted, Index: i, Step: s})
	rows, err := r.beginStep(bg, i, s)
	if err != nil {
		return r.fail(bg, i, started, rows, nil, err)
	}
	if !sameRows(rows, s.Before) {
		return r.fail(bg, i, started, rows, nil, &StaleError{Have: rows, Want: s.Before})
	}
	if _, f, err := r.statements(ctx, i, s); err != nil {
		return r.fail(bg, i, started, rows, f, err)
	}
	// A cancellation during the last statement still rolls the step back.
	if err := ctx.Err(); err != nil {
		return r.fail(bg, i, started, rows, nil, fmt.Errorf("%w; the step was rolled back: %w", ErrCancelled, err))
	}
	if err := r.finish(bg, i, started, rows); err != nil {
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
	rows, err := r.db.queryRows(bg)
	if err != nil {
		return r.fail(bg, i, started, nil, nil, err)
	}
	if !sameRows(rows, s.Before) {
		return r.fail(bg, i, started, rows, nil, &StaleError{Have: rows, Want: s.Before})
	}
	ran, f, err := r.statements(ctx, i, s)
	if err != nil {
		return r.fail(bg, i, started, rows, f, err)
	}
	rows, err = r.beginStep(bg, i, s)
	if err == nil && !sameRows(rows, s.Before) {
		err = &StaleError{Have: rows, Want: s.Before}
	}
	if err == nil {
		err = r.finish(bg, i, started, rows)
	}
	if err != nil {
		f := &models.Failure{Message: err.Error(), Path: s.Revision.Path, Ran: ran}
		return r.fail(bg, i, started, rows, f, err)
	}
	r.em.emit(models.Event{Kind: models.EventStepDone, Index: i, Step: s, Duration: time.Since(started)})
	return nil
}

// statements runs the step's statements one by one, emitting each with the
// notices it raised. The context is checked before each statement; the
// statements themselves run with a context that is never cancelled, so that
// a cancellation lets the current statement finish and keeps the
// connection. It returns how many statements ran and, on failure, the
// database's account of it.
func (r *run) statements(ctx context.Context, i int, s *models.Step) (int, *models.Failure, error) {
	sec, ok := section(s)
	if !ok {
		return 0, nil, nil
	}
	bg := context.WithoutCancel(ctx)
	stmts := sqlsplit.Split(sec.SQL)
	for k, st := range stmts {
		line := sec.Line + st.Line - 1
		if err := ctx.Err(); err != nil {
			f := &models.Failure{Message: "cancelled", Path: s.Revision.Path, Line: line, Statement: st.SQL}
			if !transactional(s) {
				f.Ran = k
			}
			return k, f, fmt.Errorf("%w before %s:%d: %w", ErrCancelled, s.Revision.Path, line, err)
		}
		t0 := time.Now()
		n, notices, err := r.db.conn.runScript(bg, st.SQL)
		if err != nil {
			r.em.notices(i, s, notices)
			f := statementFailure(s, sec, st, err)
			if !transactional(s) {
				f.Ran = k
			}
			return k, f, fmt.Errorf("%s:%d: %w", f.Path, f.Line, err)
		}
		r.em.emit(models.Event{Kind: models.EventStatement, Index: i, Step: s,
			SQL: st.SQL, Line: line, Duration: time.Since(t0), Rows: n})
		r.em.notices(i, s, notices)
	}
	return len(stmts), nil, nil
}

// finish makes the step's version changes, writes its audit row (in a
// savepoint) and commits, once the table holds exactly the step's After
// rows and every UPDATE and DELETE hit exactly one row. On PostgreSQL this
// is one round trip: the statements are pipelined with a guard query that
// fails unless the rows are right, then COMMIT, which the server skips once
// a statement failed; each UPDATE and DELETE is a checkedOp that fails
// unless it hit one row, so that a miss aborts the transaction before the
// COMMIT. Elsewhere the counts are checked here, and the step committed
// only then (afterBatch).
func (r *run) finish(bg context.Context, i int, started time.Time, before []string) error {
	s := &r.plan.Steps[i]
	batch, err := r.versionChanges(s)
	if err != nil {
		return err
	}
	nOps := len(batch)
	if batch, err = r.withAuditRow(batch, s, started, before); err != nil {
		return err
	}
	tail, err := r.commitTail(s)
	if err != nil {
		return err
	}
	tailAt := len(batch)
	affected, failed, err := r.db.conn.execBatch(bg, append(batch, tail...))
	if err != nil && len(tail) > 0 && !r.db.conn.rolledBack(err) {
		// The COMMIT was sent; whether it ran is unknown.
		return &commitError{err: err}
	}
	if len(tail) == 0 {
		for k, op := range s.Ops {
			if k < len(affected) && op.Kind != models.OpInsert && affected[k] != 1 {
				return r.db.version.opMismatch(op, affected[k])
			}
		}
	}
	switch {
	case err == nil:
		return r.afterBatch(bg, s, tail)
	case failed < nOps:
		if found, ok := checkedOpFound(err); ok {
			return r.db.version.opMismatch(s.Ops[failed], found)
		}
		return r.db.wrap(err, "changing the version table %s (%s)", r.db.version.sql(), describeOp(s.Ops[failed]))
	case failed >= tailAt:
		return tailError(r.db, s, failed-tailAt, err)
	}
	return r.withoutAuditRow(bg, i, tail, err)
}

// versionChanges are the statements of the step's version-table changes:
// checkedOps where a COMMIT rides in the same batch.
func (r *run) versionChanges(s *models.Step) ([]stmt, error) {
	out := make([]stmt, 0, len(s.Ops)+5)
	checked := r.db.conn.pipelined()
	for _, op := range s.Ops {
		key, build := opKey(op), func() (sq.Sqlizer, error) { return r.db.version.opSQL(op, false) }
		if checked {
			key, build = "checked/"+key, func() (sq.Sqlizer, error) { return r.db.version.checkedOp(op) }
		}
		st, err := r.cache.get(key, opArgs(op), build)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

// withAuditRow appends the step's audit row, inside a savepoint so that a
// failed insert can be undone without losing the step.
func (r *run) withAuditRow(batch []stmt, s *models.Step, started time.Time, before []string) ([]stmt, error) {
	if !r.audit {
		return batch, nil
	}
	db := r.db
	rec := db.audit.record(s, before, s.After, started, OutcomeOK)
	ins, err := r.cache.get("audit", auditValues(rec, db.ident, db.cfg.retortVersion), func() (sq.Sqlizer, error) {
		return db.audit.insert(rec, db.ident, db.cfg.retortVersion), nil
	})
	if err != nil {
		return nil, err
	}
	return append(batch, stmt{sql: "SAVEPOINT " + auditSavepoint}, ins, stmt{sql: "RELEASE SAVEPOINT " + auditSavepoint}), nil
}

// withoutAuditRow recovers from a failed audit row: the step must not fail
// for it. It undoes the row, stops writing the log for this run, says so,
// and finishes the step.
func (r *run) withoutAuditRow(bg context.Context, i int, tail []stmt, auditErr error) error {
	db, s := r.db, &r.plan.Steps[i]
	if _, err := db.conn.exec(bg, "ROLLBACK TO SAVEPOINT "+auditSavepoint); err != nil {
		return db.wrap(err, "recovering from a failed audit-log insert")
	}
	r.audit = false
	r.em.warn(i, s, "the audit log "+db.audit.sql()+" could not be written, it is off for the rest of this run: "+maskText(auditErr.Error(), db.secrets))
	if len(tail) > 0 {
		if _, failed, err := db.conn.execBatch(bg, tail); err != nil {
			if !db.conn.rolledBack(err) {
				return &commitError{err: err}
			}
			return tailError(db, s, failed, err)
		}
	}
	return r.afterBatch(bg, s, tail)
}

// commitTail is the end of a pipelined batch: the guard and COMMIT; nothing
// where statements are not pipelined.
//
// The next step's BEGIN and version-row read could ride in the same batch
// and save another round trip, but the read would then happen before the
// listener has seen this step commit, and a change made in between would
// only be caught after the next step's statements ran; the read stays at
// the start of the step it checks.
func (r *run) commitTail(s *models.Step) ([]stmt, error) {
	if !r.db.conn.pipelined() {
		return nil, nil
	}
	guard, err := r.cache.get(fmt.Sprintf("guard/%d", len(s.After)), guardArgs(s.After), func() (sq.Sqlizer, error) {
		return r.db.version.guard(s.After), nil
	})
	if err != nil {
		return nil, err
	}
	return []stmt{guard, {sql: "COMMIT"}}, nil
}

// afterBatch completes a batch that went through. A pipelined tail has
// committed already; otherwise the rows are checked here and the step
// committed.
func (r *run) afterBatch(bg context.Context, s *models.Step, tail []stmt) error {
	if len(tail) > 0 {
		r.prepared = true
		return nil
	}
	rows, err := r.db.queryRows(bg)
	if err != nil {
		return err
	}
	if !sameRows(rows, s.After) {
		return tailError(r.db, s, 0, nil)
	}
	if _, err := r.db.conn.exec(bg, "COMMIT"); err != nil {
		if r.db.conn.rolledBack(err) {
			return r.db.wrap(err, "committing")
		}
		return &commitError{err: err}
	}
	r.prepared = true
	return nil
}

// tailError explains a failure of the guard (k == 0) or of the COMMIT.
func tailError(db *DB, s *models.Step, k int, err error) error {
	if k == 0 {
		return fmt.Errorf("%w: after the step's changes the version table does not hold [%s]; reload and plan again",
			ErrStaleRows, strings.Join(s.After, ", "))
	}
	return db.wrap(err, "committing")
}

// describeOp names a version change in messages.
func describeOp(op models.VersionOp) string {
	switch op.Kind {
	case models.OpInsert:
		return "insert " + op.To
	case models.OpDelete:
		return "delete " + op.From
	}
	return "update " + op.From + " to " + op.To
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
	return r.rolledBack(bg, r.db.conn, i, started, rows, f, err)
}

// rolledBack reports a step that is known to have rolled back, writing its
// audit row on c.
func (r *run) rolledBack(bg context.Context, c dbConn, i int, started time.Time, rows []string, f *models.Failure, err error) error {
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
	rec := r.db.audit.record(s, rows, rows, started, outcome)
	rec.errorText = err.Error()
	r.auditAlone(bg, c, i, rec)
	r.em.emit(models.Event{Kind: models.EventStepFailed, Index: i, Step: s, SQL: f.Statement, Line: f.Line,
		Duration: time.Since(started), Failure: f, Err: err})
	return r.partial(s, f, err)
}
