package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	sq "github.com/Masterminds/squirrel"

	"retort/engine/internal/tables"
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
	stmts := r.stmts[i]
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

// finish makes the step's version changes, writes its audit row and
// commits, once the table holds exactly the step's After rows and every
// UPDATE and DELETE hit exactly one row. On PostgreSQL this is one round
// trip: the changes are pipelined with a guard that fails unless the rows
// are right, then COMMIT, which the server skips once a statement failed;
// each UPDATE and DELETE is a checkedOp that fails unless it hit one row,
// so that a miss aborts the transaction before the COMMIT. The guard rides
// in the audit row's INSERT when there is one (a statement less per step).
// Elsewhere the counts are checked here, and the step committed only then
// (afterBatch).
//
// The audit row has no savepoint of its own: a savepoint per step cost
// about 5% of a long run. When the row fails, the whole transaction is lost
// with it, and finish returns an *auditRowError for the caller to run the
// step again without the log.
func (r *run) finish(bg context.Context, i int, started time.Time, before []string) error {
	s := &r.plan.Steps[i]
	b, err := r.finishBatch(s, started, before)
	if err != nil {
		return err
	}
	affected, failed, err := r.db.conn.execBatch(bg, b.stmts)
	if err != nil && b.commit >= 0 && !r.db.conn.rolledBack(err) {
		// The COMMIT was sent; whether it ran is unknown.
		return &commitError{err: err}
	}
	if b.commit < 0 {
		for k, op := range s.Ops {
			if k < len(affected) && op.Kind != models.OpInsert && affected[k] != 1 {
				return opMismatch(r.db.version.Name, op, affected[k])
			}
		}
	}
	switch {
	case err == nil:
		return r.afterBatch(bg, s, b.commit >= 0)
	case failed < len(s.Ops):
		if found, ok := checkedOpFound(err); ok {
			return opMismatch(r.db.version.Name, s.Ops[failed], found)
		}
		return r.db.wrap(err, "changing the version table %s (%s)", r.db.version.SQL(), describeOp(s.Ops[failed]))
	case failed == b.guard && guardFailed(err):
		return staleAfter(s)
	case failed == b.audit:
		return &auditRowError{err: err}
	}
	return r.db.wrap(err, "committing")
}

// finishing is the batch that ends a step, and where in it the guard, the
// audit row and the COMMIT are (-1: not there).
type finishing struct {
	stmts                []stmt
	guard, audit, commit int
}

// finishBatch lays out the end of step s: its version changes, then the
// audit row, the guard and COMMIT as far as they apply.
func (r *run) finishBatch(s *models.Step, started time.Time, before []string) (finishing, error) {
	b := finishing{guard: -1, audit: -1, commit: -1}
	var err error
	if b.stmts, err = r.versionChanges(s); err != nil {
		return b, err
	}
	pipelined := r.db.conn.pipelined()
	if r.audit {
		ins, err := r.auditRow(s, started, before, pipelined)
		if err != nil {
			return b, err
		}
		b.audit = len(b.stmts)
		if pipelined {
			b.guard = b.audit
		}
		b.stmts = append(b.stmts, ins)
	}
	if !pipelined {
		return b, nil
	}
	if b.guard < 0 {
		guard, err := r.cache.get(fmt.Sprintf("guard/%d", len(s.After)), tables.GuardArgs(s.After), func() (sq.Sqlizer, error) {
			return pgGuard(r.db.version, s.After), nil
		})
		if err != nil {
			return b, err
		}
		b.guard = len(b.stmts)
		b.stmts = append(b.stmts, guard)
	}
	b.commit = len(b.stmts)
	b.stmts = append(b.stmts, stmt{sql: "COMMIT"})
	return b, nil
}

// versionChanges are the statements of the step's version-table changes:
// checkedOps where a COMMIT rides in the same batch.
func (r *run) versionChanges(s *models.Step) ([]stmt, error) {
	out := make([]stmt, 0, len(s.Ops)+5)
	checked := r.db.conn.pipelined()
	for _, op := range s.Ops {
		key, build := tables.OpKey(op), func() (sq.Sqlizer, error) { return r.db.version.Op(op, false) }
		if checked {
			key, build = "checked/"+key, func() (sq.Sqlizer, error) { return pgCheckedOp(r.db.version, op) }
		}
		st, err := r.cache.get(key, tables.OpArgs(op), build)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

// auditRow is the INSERT of the step's audit row. guarded, the row's
// values go through the guard (an error unless the version table holds the
// step's After rows), which the server computes after the version changes:
// they ran in the statements before it.
func (r *run) auditRow(s *models.Step, started time.Time, before []string, guarded bool) (stmt, error) {
	db := r.db
	args := db.auditRow(s, before, s.After, started, OutcomeOK).Values()
	if !guarded {
		return r.cache.get("audit", args, func() (sq.Sqlizer, error) {
			return db.audit.Insert(args), nil
		})
	}
	vals := args
	args = tables.GuardedValues(args, tables.GuardArgs(s.After))
	return r.cache.get(fmt.Sprintf("audit/guard/%d", len(s.After)), args, func() (sq.Sqlizer, error) {
		return db.audit.InsertGuarded(vals, pgGuard(db.version, s.After))
	})
}

// auditRowError is a step whose audit row could not be written: its
// transaction is aborted, and nothing of it committed.
type auditRowError struct{ err error }

func (e *auditRowError) Error() string { return "writing the audit row: " + e.err.Error() }
func (e *auditRowError) Unwrap() error { return e.err }

func isAuditRowError(err error) bool {
	var ae *auditRowError
	return errors.As(err, &ae)
}

// auditRowFailed reports whether err is a failed audit row. The step must
// not fail for it: the transaction is rolled back, the log is off for the
// rest of the run, the listener is told, and the caller runs the step's
// transaction once more.
func (r *run) auditRowFailed(bg context.Context, i int, err error) bool {
	var ae *auditRowError
	if !errors.As(err, &ae) {
		return false
	}
	r.rollback(bg)
	r.audit = false
	s := &r.plan.Steps[i]
	again := "the step was rolled back and runs again without it"
	if !transactional(s) {
		again = "the step's version change was rolled back and runs again without it (its statements stay applied)"
	}
	r.em.warn(i, s, "the audit log "+r.db.audit.SQL()+" could not be written, it is off for the rest of this run; "+
		again+": "+maskText(ae.err.Error(), r.db.secrets))
	return true
}

// afterBatch completes a batch that went through. A pipelined batch has
// committed already; otherwise the rows are checked here and the step
// committed.
//
// The next step's BEGIN and version-row read could ride in the committing
// batch and save another round trip, but the read would then happen before
// the listener has seen this step commit, and a change made in between
// would only be caught after the next step's statements ran; the read stays
// at the start of the step it checks.
func (r *run) afterBatch(bg context.Context, s *models.Step, committed bool) error {
	if committed {
		r.prepared = true
		return nil
	}
	rows, err := r.db.queryRows(bg)
	if err != nil {
		return err
	}
	if !sameRows(rows, s.After) {
		return staleAfter(s)
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

// staleAfter is the failure of a step whose version changes each hit their
// row but did not leave the table at the step's After rows.
func staleAfter(s *models.Step) error {
	return fmt.Errorf("%w: after the step's changes the version table does not hold [%s]; reload and plan again",
		ErrStaleRows, strings.Join(s.After, ", "))
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
	rec := r.db.auditRow(s, rows, rows, started, outcome)
	rec.Error = err.Error()
	r.auditAlone(bg, c, i, rec)
	r.em.emit(models.Event{Kind: models.EventStepFailed, Index: i, Step: s, SQL: f.Statement, Line: f.Line,
		Duration: time.Since(started), Failure: f, Err: err})
	return r.partial(s, f, err)
}
