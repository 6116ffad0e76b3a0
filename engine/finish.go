package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	sq "github.com/Masterminds/squirrel"

	"retort/engine/internal/secret"
	"retort/engine/internal/tables"
	"retort/engine/step"
	"retort/models"
)

// finish makes the step's version changes, writes its audit row and
// commits, once the table holds exactly the step's After rows and every
// UPDATE and DELETE hit exactly one row. With the dialect's guards
// (PostgreSQL) this is one round trip: the changes are pipelined with a
// guard that fails unless the rows are right, then COMMIT, which the server
// skips once a statement failed; each UPDATE and DELETE is a checkedOp that
// fails unless it hit one row, so that a miss aborts the transaction before
// the COMMIT. The guard rides in the audit row's INSERT when there is one (a
// statement less per step). Without guards (SQLite) the counts are checked
// here, and the step committed only then (afterBatch).
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
	affected, failed, err := r.cur.ExecBatch(bg, b.stmts)
	if err != nil && b.commit >= 0 && !r.cur.RolledBack(err) {
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
		if found, ok := r.opFound(err); ok {
			return opMismatch(r.db.version.Name, s.Ops[failed], found)
		}
		return r.db.wrap(err, "changing the version table %s (%s)", r.db.version.SQL(), describeOp(s.Ops[failed]))
	case failed == b.guard && r.guards.guardFailed(err):
		return staleAfter(s)
	case failed == b.audit:
		return &auditRowError{err: err}
	}
	return r.db.wrap(err, "committing")
}

// opFound reads the failure of a checked version change, when the dialect
// has guards.
func (r *run) opFound(err error) (int64, bool) {
	if r.guards == nil {
		return 0, false
	}
	return r.guards.opFound(err)
}

// finishing is the batch that ends a step, and where in it the guard, the
// audit row and the COMMIT are (-1: not there).
type finishing struct {
	stmts                []step.Stmt
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
	pipelined := r.guards != nil
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
		guard, err := r.cur.cache.get(fmt.Sprintf("guard/%d", len(s.After)), tables.GuardArgs(s.After), func() (sq.Sqlizer, error) {
			return r.guards.rowsGuard(r.db.version, s.After), nil
		})
		if err != nil {
			return b, err
		}
		b.guard = len(b.stmts)
		b.stmts = append(b.stmts, guard)
	}
	b.commit = len(b.stmts)
	b.stmts = append(b.stmts, step.Stmt{SQL: "COMMIT"})
	return b, nil
}

// versionChanges are the statements of the step's version-table changes:
// checkedOps where a COMMIT rides in the same batch.
func (r *run) versionChanges(s *models.Step) ([]step.Stmt, error) {
	out := make([]step.Stmt, 0, len(s.Ops)+5)
	for _, op := range s.Ops {
		key, build := tables.OpKey(op), func() (sq.Sqlizer, error) { return r.db.version.Op(op, false) }
		if r.guards != nil {
			key, build = "checked/"+key, func() (sq.Sqlizer, error) { return r.guards.checkedOp(r.db.version, op) }
		}
		st, err := r.cur.cache.get(key, tables.OpArgs(op), build)
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
func (r *run) auditRow(s *models.Step, started time.Time, before []string, guarded bool) (step.Stmt, error) {
	db := r.db
	args := r.auditRecord(s, before, s.After, started, OutcomeOK).Values()
	if !guarded {
		return r.cur.cache.get("audit", args, func() (sq.Sqlizer, error) {
			return db.audit.Insert(args), nil
		})
	}
	vals := args
	args = tables.GuardedValues(args, tables.GuardArgs(s.After))
	return r.cur.cache.get(fmt.Sprintf("audit/guard/%d", len(s.After)), args, func() (sq.Sqlizer, error) {
		return db.audit.InsertGuarded(vals, r.guards.rowsGuard(db.version, s.After))
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
	if !transactional(r.bodies[i]) {
		again = "the step's version change was rolled back and runs again without it (its statements stay applied)"
	}
	r.em.warn(i, s, "the audit log "+r.db.audit.SQL()+" could not be written, it is off for the rest of this run; "+
		again+": "+secret.Text(ae.err.Error(), r.db.secrets))
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
	rows, err := r.db.queryRowsOn(bg, r.cur)
	if err != nil {
		return err
	}
	if !sameRows(rows, s.After) {
		return staleAfter(s)
	}
	if _, err := r.cur.Exec(bg, "COMMIT"); err != nil {
		if r.cur.RolledBack(err) {
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
