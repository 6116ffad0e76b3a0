package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"retort/engine/internal/tables"
	"retort/engine/step"
	"retort/models"
)

// Apply runs a plan: it takes the lock, then runs each step in its own
// transaction (statements, version-table changes, audit row), refusing a
// step when the version table does not hold the step's Before rows. sink
// (may be nil) receives every event, the last being EventRunDone; the run
// waits for it, so a sink must not block (Start queues the events of a run
// for a reader instead).
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
	execs := newExecutors(db.dialect, db.cfg, db)
	bodies, err := preparePlan(plan, execs)
	if err != nil {
		return err
	}
	if err := db.enter(ctx, true); err != nil {
		return err
	}
	defer db.gate.Leave()
	if err := db.acquireLock(ctx, em); err != nil {
		return err
	}
	defer func() {
		if uerr := db.releaseLock(ctx); uerr != nil && err == nil {
			err = uerr
		}
	}()
	sel, _, err := tables.Render(db.version.SelectRows(), db.conn.Placeholder())
	if err != nil {
		return err
	}
	own := &openSession{Session: db.conn, cache: newStmtCache(db.conn.Placeholder())}
	r := &run{db: db, plan: plan, bodies: bodies, execs: execs, em: em, audit: db.cfg.audit, selectSQL: sel,
		guards: db.dialect.guards(), own: own, cur: own, opened: map[models.Format]*openSession{}}
	defer func() { err = errors.Join(err, r.release(ctx)) }()
	return r.run(ctx)
}

// run is the state of one Apply.
type run struct {
	db   *DB
	plan *models.Plan
	// bodies are each step's body, as preparePlan prepared them (nil for
	// a stamp), and execs the executors that prepared them.
	bodies []step.Body
	execs  map[models.Format]step.Executor
	em     *emitter
	// committed are the steps that committed so far.
	committed []models.Step
	// prepared: the first transaction (which creates the tables and
	// purges) has committed.
	prepared bool
	// audit: still writing the audit log (it is dropped for the rest of
	// the run when it cannot be written).
	audit     bool
	selectSQL string
	// guards are the dialect's, nil when a step's end is checked after
	// its batch.
	guards batchGuards
	// own is the DB's connection as a session, cur the session of the step
	// being run, opened the sessions of the executors, by format.
	own, cur *openSession
	opened   map[models.Format]*openSession
	// events reports what the current step's body does.
	events stepEvents
}

// openSession is a session a run uses, with the statements built for it.
type openSession struct {
	step.Session
	cache *stmtCache
}

func (r *run) run(ctx context.Context) error {
	steps := r.plan.Steps
	if err := r.openSessions(ctx); err != nil {
		return err
	}
	// A run without steps, or whose first step runs outside a
	// transaction, creates the tables in a transaction of its own.
	if len(steps) == 0 || !transactional(r.bodies[0]) {
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
		if transactional(r.bodies[i]) {
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

// useSession makes the session of step i the current one, opening it at
// the first step of its kind: the DB's connection for a stamp, the
// executor's for a revision.
func (r *run) useSession(ctx context.Context, i int) error {
	r.cur = r.own
	s := &r.plan.Steps[i]
	if r.bodies[i] == nil {
		return nil
	}
	f := s.Revision.Format
	if o, ok := r.opened[f]; ok {
		r.cur = o
		return nil
	}
	sess, err := r.execs[f].Session(ctx)
	if err != nil {
		return fmt.Errorf("opening the session of %s: %w", s.Revision.Path, err)
	}
	o := r.own
	if sess != r.own.Session {
		o = &openSession{Session: sess, cache: newStmtCache(sess.Placeholder())}
	}
	r.opened[f], r.cur = o, o
	return nil
}

// openSessions opens, before the first step, the session of every kind of
// revision the plan runs (the project's Python for a .py revision), so that
// a session that cannot be opened, or that refuses the database (its
// connection reaching another one), refuses the run before anything of it
// ran, instead of stopping it halfway through a plan that mixes .sql and
// .py revisions.
func (r *run) openSessions(ctx context.Context) error {
	defer func() { r.cur = r.own }()
	for i := range r.plan.Steps {
		if r.bodies[i] == nil {
			continue
		}
		if err := r.useSession(ctx, i); err != nil {
			if ctx.Err() != nil {
				return r.partial(&r.plan.Steps[i], nil, fmt.Errorf("%w before anything ran: %w", ErrCancelled, err))
			}
			return fmt.Errorf("%w before anything ran: %w", ErrRefused, err)
		}
	}
	return nil
}

// release ends the sessions the executors opened for the run.
func (r *run) release(ctx context.Context) error {
	bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), unlockTimeout)
	defer cancel()
	var errs []error
	for f := range r.opened {
		if err := r.execs[f].Release(bg); err != nil {
			errs = append(errs, fmt.Errorf("ending the %s session: %w", f, err))
		}
	}
	return errors.Join(errs...)
}

// prepareAlone is the first transaction when no step carries it: it creates
// the tables, purges if asked, and for a plan without steps checks that the
// table holds the plan's Start rows. It runs on the first step's session.
func (r *run) prepareAlone(ctx context.Context) error {
	var first *models.Step
	if len(r.plan.Steps) > 0 {
		first = &r.plan.Steps[0]
	}
	if err := ctx.Err(); err != nil {
		return r.partial(first, nil, fmt.Errorf("%w before anything ran: %w", ErrCancelled, err))
	}
	bg := context.WithoutCancel(ctx)
	var err error
	if first != nil {
		err = r.useSession(bg, 0)
	}
	var rows []string
	if err == nil {
		rows, err = r.beginFirst(bg, 0, first)
	}
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

// beginStep starts a step's transaction on the current session and reads
// the version rows; the first transaction of a run also creates the
// tables.
func (r *run) beginStep(bg context.Context, i int, s *models.Step) ([]string, error) {
	if !r.prepared {
		return r.beginFirst(bg, i, s)
	}
	rows, err := r.cur.Begin(bg, r.selectSQL)
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
	db, c := r.db, r.cur
	if _, err := c.Begin(bg, ""); err != nil {
		return nil, db.wrap(err, "starting the transaction")
	}
	ok, err := tableExists(bg, db.dialect, c, db.version.Ref)
	if err != nil {
		return nil, db.wrap(err, "looking for the version table %s", db.version.SQL())
	}
	if !ok {
		if _, err := c.Exec(bg, db.version.CreateSQL()); err != nil {
			return nil, db.wrap(err, "creating the version table %s", db.version.SQL())
		}
	}
	if r.audit {
		if err := r.ensureAudit(bg, c, i, s); err != nil {
			return nil, err
		}
	}
	if r.plan.Purge {
		sql, args, err := tables.Render(db.version.DeleteAll(), c.Placeholder())
		if err == nil {
			_, err = c.Exec(bg, sql, args...)
		}
		if err != nil {
			return nil, db.wrap(err, "purging the version table %s", db.version.SQL())
		}
	}
	return db.queryRowsOn(bg, c)
}

func (r *run) commit(bg context.Context) error {
	if _, err := r.cur.Exec(bg, "COMMIT"); err != nil {
		return r.db.wrap(err, "committing")
	}
	r.prepared = true
	return nil
}

// rollback ends whatever transaction is open on the current session. Its
// error is of no use: after a failure the connection may be gone, and the
// server then rolls back.
func (r *run) rollback(bg context.Context) {
	_, _ = r.cur.Exec(bg, "ROLLBACK")
}
