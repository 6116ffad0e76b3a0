// Package rehearse rehearses revisions in a scratch database: for each,
// upgrade to what it needs (its parents and dependencies), run the sample
// rows of a seed, read the schema and every table's rows, upgrade the
// revision, downgrade it, read them again and compare (sequence positions,
// which a rehearsal advances, are not part of a schema), then upgrade it
// again and compare that schema with the first upgrade's.
//
// Revisions run through the engine (package scratch), so a revision of any
// format the engine has an executor for is rehearsed the same way. The
// result is plain data (Result, Outcome) for the CLI and the UI.
package rehearse

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"retort/catalog"
	"retort/engine"
	"retort/models"
	"retort/revisions"
	"retort/schema"
	"retort/scratch"
)

// DefaultKeep is how many rows per table a rehearsal keeps the text of, to
// show the rows a downgrade lost or added.
const DefaultKeep = 10000

// Seed is a script of sample rows, run before a revision's upgrade.
type Seed struct {
	Path, SQL string
}

// Options tune a rehearsal.
type Options struct {
	// Seeds are run before the upgrade of the revision whose id keys them.
	Seeds map[string]Seed
	// Keep bounds the rows per table whose text is kept (DefaultKeep when
	// 0).
	Keep int
	// OnOutcome receives each revision's outcome as soon as it is known;
	// nil ignores them.
	OnOutcome func(Outcome)
	// Events receives the events of the runs in the scratch database; nil
	// ignores them.
	Events func(models.Event)
}

// state is what the scratch database holds at one moment.
type state struct {
	schema *schema.Snapshot
	rows   []catalog.TableRows
}

// rehearsal is one Run.
type rehearsal struct {
	g    *models.Graph
	db   *scratch.DB
	opts Options
	// fresh: nothing ran in db since it was made or reset.
	fresh bool
	// last is db's state, while nothing ran since it was read.
	last *state
	// broken are the revisions whose upgrade failed: what needs them is
	// not rehearsed.
	broken map[int]bool
}

// Run rehearses the revisions at positions revs of g, in that order, in one
// scratch database made from cfg. An error is trouble (the scratch
// database could not be made or read, ctx ended); a revision that does not
// round-trip is an Outcome.
func Run(ctx context.Context, g *models.Graph, cfg scratch.Config, revs []int, opts Options) (res *Result, err error) {
	if opts.Keep == 0 {
		opts.Keep = DefaultKeep
	}
	db, err := scratch.Open(ctx, cfg)
	if err != nil {
		return nil, err
	}
	r := &rehearsal{g: g, db: db, opts: opts, fresh: true, broken: map[int]bool{}}
	res = &Result{Dialect: db.Dialect()}
	defer func() { err = errors.Join(err, db.Close()) }()
	for _, i := range revs {
		o, err := r.one(ctx, i)
		if err != nil {
			return res, err
		}
		res.Outcomes = append(res.Outcomes, o)
		if opts.OnOutcome != nil {
			opts.OnOutcome(o)
		}
	}
	return res, nil
}

// All are the positions of every revision of g, oldest first (each after
// what it needs), for --all.
func All(g *models.Graph) []int {
	out := slices.Clone(g.History)
	slices.Reverse(out)
	return out
}

// one rehearses revision i.
func (r *rehearsal) one(ctx context.Context, i int) (Outcome, error) {
	rev := r.g.Revisions[i]
	o := Outcome{Revision: rev.ID, Message: rev.Message, Path: rev.Path}
	start := time.Now()
	err := r.steps(ctx, i, &o)
	o.Duration = time.Since(start)
	return o, err
}

// stop ends a rehearsal with status s at phase p, for err: of a failed
// step, the cause and the database's account of it (the plan around it is
// the rehearsal's own).
func stop(o *Outcome, s Status, p Phase, err error) {
	o.Status, o.Phase, o.Error = s, p, err.Error()
	var pe *engine.PartialError
	if errors.As(err, &pe) {
		o.Failure = pe.Failure
		if pe.Err != nil {
			o.Error = pe.Err.Error()
		}
	}
}

// stopped is why a revision was not rehearsed: the phase that failed.
type stopped struct {
	phase Phase
	err   error
}

// steps runs the rehearsal of revision i into o. Its error is trouble.
func (r *rehearsal) steps(ctx context.Context, i int, o *Outcome) error {
	for _, j := range r.g.Down[i] {
		if r.broken[j] {
			stop(o, NotRehearsed, PhaseNeeds, fmt.Errorf("it needs %s, which could not be upgraded", r.g.Revisions[j].ID))
			r.broken[i] = true
			return nil
		}
	}
	p, why, err := r.prepare(ctx, i)
	if err != nil {
		return err
	}
	if why != nil {
		stop(o, NotRehearsed, why.phase, why.err)
		r.broken[i] = true
		return ctx.Err()
	}
	before, err := r.state(ctx, true)
	if err != nil {
		return err
	}
	if err := r.apply(ctx, p.up); err != nil {
		status := Failed
		if errors.Is(err, engine.ErrRefused) {
			// Refused before it ran (no executor for its format):
			// not a revision that failed, one that cannot be rehearsed.
			status = NotRehearsed
		}
		stop(o, status, PhaseUpgrade, err)
		r.broken[i] = true
		return ctx.Err()
	}
	first, err := r.state(ctx, false)
	if err != nil {
		return err
	}
	if p.downErr != nil {
		stop(o, Failed, PhaseDown, p.downErr)
		return nil
	}
	if err := r.apply(ctx, p.down); err != nil {
		stop(o, Failed, PhaseDown, err)
		return ctx.Err()
	}
	after, err := r.state(ctx, true)
	if err != nil {
		return err
	}
	o.Schema = schema.Compare(before.schema, after.schema)
	o.Rows = compareRows(before.rows, after.rows)
	if err := r.upgradeAgain(ctx, i); err != nil {
		stop(o, Failed, PhaseAgain, err)
		r.broken[i] = true
		return ctx.Err()
	}
	second, err := r.state(ctx, true)
	if err != nil {
		return err
	}
	o.Again = schema.Compare(first.schema, second.schema)
	o.Status = RoundTrip
	if len(o.Schema)+len(o.Rows)+len(o.Again) > 0 {
		o.Status = Differs
	}
	return nil
}

// prepared are the plans of a revision's rehearsal, from what it needs.
type prepared struct {
	up *models.Plan
	// down is the revision's downgrade alone, or downErr why there is
	// none.
	down    *models.Plan
	downErr error
}

// prepare brings the scratch database to what revision i needs and runs
// its seed, and plans its upgrade and downgrade.
func (r *rehearsal) prepare(ctx context.Context, i int) (*prepared, *stopped, error) {
	id := r.g.Revisions[i].ID
	// Twice at most: when the downgrade would revert another branch first
	// (the revision's parent is a branch point whose other child is
	// applied), again in a database holding only what the revision needs.
	for attempt := 0; ; attempt++ {
		if why, err := r.needs(ctx, i); why != nil || err != nil {
			return nil, why, err
		}
		rows, err := r.db.Rows(ctx)
		if err != nil {
			return nil, nil, err
		}
		p := &prepared{}
		if p.up, err = revisions.Upgrade(r.g, rows, id); err != nil {
			return nil, &stopped{PhaseUpgrade, err}, nil
		}
		var other string
		p.down, other, p.downErr = r.downgradeAlone(i, p.up.Final)
		if (other == "" && p.downErr == nil) || r.fresh || attempt > 0 {
			if other != "" {
				p.downErr = fmt.Errorf("downgrading %s would revert %s first, in Alembic's order", id, other)
			}
			return p, r.seed(ctx, id), nil
		}
		if err := r.reset(ctx); err != nil {
			return nil, nil, err
		}
	}
}

// needs upgrades the scratch database to each revision i needs (its
// parents and dependencies).
func (r *rehearsal) needs(ctx context.Context, i int) (*stopped, error) {
	rows, err := r.db.Rows(ctx)
	if err != nil {
		return nil, err
	}
	for _, j := range r.g.Down[i] {
		plan, err := revisions.Upgrade(r.g, rows, r.g.Revisions[j].ID)
		if err != nil {
			return &stopped{PhaseNeeds, err}, nil
		}
		if !plan.Empty() {
			if err := r.apply(ctx, plan); err != nil {
				return &stopped{PhaseNeeds, err}, ctx.Err()
			}
		}
		rows = plan.Final
	}
	return nil, nil
}

// downgradeAlone is the plan that reverts revision i alone from rows:
// the first step of Alembic's downgrade to its first parent (to base for a
// base). other names the revision Alembic would revert first instead.
func (r *rehearsal) downgradeAlone(i int, rows []string) (plan *models.Plan, other string, err error) {
	rev := r.g.Revisions[i]
	target := "base"
	if len(rev.Parents) > 0 {
		target = rev.Parents[0]
	}
	full, err := revisions.Downgrade(r.g, rows, target)
	if err != nil {
		return nil, "", err
	}
	if len(full.Steps) == 0 {
		return nil, "", fmt.Errorf("downgrading to %s reverts nothing", target)
	}
	first := full.Steps[0]
	if first.Revision == nil || first.Revision.ID != rev.ID {
		return nil, first.ShortLog(), nil
	}
	return &models.Plan{Command: "downgrade", Target: target, Start: full.Start, Final: first.After, Steps: full.Steps[:1]}, "", nil
}

// upgradeAgain upgrades revision i once more after its downgrade.
func (r *rehearsal) upgradeAgain(ctx context.Context, i int) error {
	rows, err := r.db.Rows(ctx)
	if err != nil {
		return err
	}
	plan, err := revisions.Upgrade(r.g, rows, r.g.Revisions[i].ID)
	if err != nil {
		return err
	}
	return r.apply(ctx, plan)
}

// seed runs the sample rows of the revision, if it has some.
func (r *rehearsal) seed(ctx context.Context, id string) *stopped {
	s, ok := r.opts.Seeds[id]
	if !ok {
		return nil
	}
	r.fresh, r.last = false, nil
	if err := r.db.Seed(ctx, s.Path, s.SQL); err != nil {
		return &stopped{PhaseSeed, err}
	}
	return nil
}

// apply runs a plan in the scratch database.
func (r *rehearsal) apply(ctx context.Context, plan *models.Plan) error {
	r.fresh, r.last = false, nil
	return r.db.Apply(ctx, plan, r.opts.Events)
}

// reset empties the scratch database.
func (r *rehearsal) reset(ctx context.Context) error {
	r.fresh, r.last = true, nil
	return r.db.Reset(ctx)
}

// state reads the scratch database's schema, and its rows when rows is
// set, unless nothing ran since the last read.
func (r *rehearsal) state(ctx context.Context, rows bool) (*state, error) {
	if r.last != nil && (r.last.rows != nil || !rows) {
		return r.last, nil
	}
	snap, err := r.db.Schema(ctx)
	if err != nil {
		return nil, err
	}
	st := &state{schema: snap}
	if rows {
		if st.rows, err = r.db.Data(ctx, r.opts.Keep); err != nil {
			return nil, err
		}
		if st.rows == nil {
			st.rows = []catalog.TableRows{}
		}
	}
	r.last = st
	return st, nil
}
