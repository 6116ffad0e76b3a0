package engine

import (
	"context"
	"fmt"
	"slices"

	"retort/engine/internal/tables"
	"retort/engine/sqlsplit"
	"retort/models"
)

// Apply runs a plan: it takes the lock, then runs each step in its own
// transaction (statements, version-table changes, audit row), refusing a
// step when the version table does not hold the step's Before rows. sink
// (may be nil) receives every event, the last being EventRunDone.
//
// A plan that cannot be run to the end (an Alembic .py revision, a missing
// downgrade section, SQL that cannot be split with certainty, inconsistent
// rows) is refused before anything runs. When a step fails or the context is
// cancelled, the step rolls back and Apply returns a *PartialError listing
// the steps that committed. The context is checked between statements; a
// statement that has started runs to its end.
//
// Events about the run as a whole (the lock, EventRunDone) have Index -1.
// A DB runs one plan at a time: Apply returns ErrBusy while another runs
// on it. A read in progress on the DB (Current, LockHolder...) is waited
// for, until ctx ends.
func (db *DB) Apply(ctx context.Context, plan *models.Plan, sink func(models.Event)) error {
	total := 0
	if plan != nil {
		total = len(plan.Steps)
	}
	em := newEmitter(sink, total)
	err := db.apply(ctx, plan, em)
	em.emit(models.Event{Kind: models.EventRunDone, Index: -1, Err: err})
	return err
}

func (db *DB) apply(ctx context.Context, plan *models.Plan, em *emitter) (err error) {
	stmts, err := checkPlan(plan)
	if err != nil {
		return err
	}
	if err := db.enter(ctx, true); err != nil {
		return err
	}
	defer db.gate.leave()
	if err := db.acquireLock(ctx, em); err != nil {
		return err
	}
	defer func() {
		if uerr := db.releaseLock(ctx); uerr != nil && err == nil {
			err = uerr
		}
	}()
	sel, _, err := tables.Render(db.version.SelectRows(), db.conn.placeholder())
	if err != nil {
		return err
	}
	r := &run{db: db, plan: plan, stmts: stmts, em: em, audit: db.cfg.audit, selectSQL: sel, cache: newStmtCache(db.conn.placeholder())}
	return r.run(ctx)
}

// run is the state of one Apply.
type run struct {
	db   *DB
	plan *models.Plan
	// stmts are each step's statements, as checkPlan split them.
	stmts [][]sqlsplit.Statement
	em    *emitter
	// committed are the steps that committed so far.
	committed []models.Step
	// prepared: the first transaction (which creates the tables and
	// purges) has committed.
	prepared bool
	// audit: still writing the audit log (it is dropped for the rest of
	// the run when it cannot be written).
	audit     bool
	selectSQL string
	cache     *stmtCache
}

func (r *run) run(ctx context.Context) error {
	steps := r.plan.Steps
	// A run without steps, or whose first step runs outside a
	// transaction, creates the tables in a transaction of its own.
	if len(steps) == 0 || !transactional(&steps[0]) {
		if err := r.prepareAlone(ctx); err != nil {
			return err
		}
	}
	for i := range steps {
		s := &steps[i]
		if err := ctx.Err(); err != nil {
			return r.partial(s, nil, fmt.Errorf("%w before this step started: %w", ErrCancelled, err))
		}
		var err error
		if transactional(s) {
			err = r.txStep(ctx, i)
		} else {
			err = r.noTxStep(ctx, i)
		}
		if err != nil {
			return err
		}
		r.committed = append(r.committed, *s)
	}
	return nil
}

// prepareAlone is the first transaction when no step carries it: it creates
// the tables, purges if asked, and for a plan without steps checks that the
// table holds the plan's Start rows.
func (r *run) prepareAlone(ctx context.Context) error {
	var first *models.Step
	if len(r.plan.Steps) > 0 {
		first = &r.plan.Steps[0]
	}
	if err := ctx.Err(); err != nil {
		return r.partial(first, nil, fmt.Errorf("%w before anything ran: %w", ErrCancelled, err))
	}
	bg := context.WithoutCancel(ctx)
	rows, err := r.beginFirst(bg, 0, first)
	if err == nil && first == nil && !r.plan.Purge && !sameRows(rows, r.plan.Start) {
		err = &StaleError{Have: rows, Want: r.plan.Start}
	}
	if err == nil {
		err = r.commit(bg)
	}
	if err != nil {
		r.rollback(bg)
		return r.partial(first, nil, err)
	}
	return nil
}

// partial builds the error of a run that stopped at step s.
func (r *run) partial(s *models.Step, f *models.Failure, err error) *PartialError {
	return &PartialError{Committed: slices.Clone(r.committed), Failed: s, Failure: f, Err: err}
}

// beginStep starts a step's transaction and reads the version rows; the
// first transaction of a run also creates the tables.
func (r *run) beginStep(bg context.Context, i int, s *models.Step) ([]string, error) {
	if !r.prepared {
		return r.beginFirst(bg, i, s)
	}
	rows, err := r.db.conn.begin(bg, r.selectSQL)
	if err != nil {
		return nil, r.db.wrap(err, "starting the transaction")
	}
	slices.Sort(rows)
	return rows, nil
}

// beginFirst starts the run's first transaction: it creates the version
// table (and the audit table) when missing, purges the version rows when the
// plan asks, and reads them. Creating the table here, under the lock and in
// the transaction of the first step, means a failed first step leaves no
// trace.
func (r *run) beginFirst(bg context.Context, i int, s *models.Step) ([]string, error) {
	db := r.db
	if _, err := db.conn.begin(bg, ""); err != nil {
		return nil, db.wrap(err, "starting the transaction")
	}
	ok, err := db.conn.tableExists(bg, db.version.Ref)
	if err != nil {
		return nil, db.wrap(err, "looking for the version table %s", db.version.SQL())
	}
	if !ok {
		if _, err := db.conn.exec(bg, db.version.CreateSQL()); err != nil {
			return nil, db.wrap(err, "creating the version table %s", db.version.SQL())
		}
	}
	if r.audit {
		if err := r.ensureAudit(bg, db.conn, i, s); err != nil {
			return nil, err
		}
	}
	if r.plan.Purge {
		sql, args, err := tables.Render(db.version.DeleteAll(), db.conn.placeholder())
		if err == nil {
			_, err = db.conn.exec(bg, sql, args...)
		}
		if err != nil {
			return nil, db.wrap(err, "purging the version table %s", db.version.SQL())
		}
	}
	return db.queryRows(bg)
}

func (r *run) commit(bg context.Context) error {
	if _, err := r.db.conn.exec(bg, "COMMIT"); err != nil {
		return r.db.wrap(err, "committing")
	}
	r.prepared = true
	return nil
}

// rollback ends whatever transaction is open. Its error is of no use: after
// a failure the connection may be gone, and the server then rolls back.
func (r *run) rollback(bg context.Context) {
	_, _ = r.db.conn.exec(bg, "ROLLBACK")
}
