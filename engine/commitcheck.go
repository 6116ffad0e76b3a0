package engine

import (
	"context"
	"fmt"
	"strings"
	"time"

	"retort/engine/internal/secret"
	"retort/engine/step"
	"retort/models"
)

// commitError is a COMMIT that failed in a way that leaves its outcome
// unknown: the connection was lost after the COMMIT was sent, or the server
// ended the session. The step may have committed or not.
type commitError struct{ err error }

func (e *commitError) Error() string { return "committing: " + e.err.Error() }
func (e *commitError) Unwrap() error { return e.err }

// commitCheckTimeout bounds the connection and the query that settle the
// outcome of a lost COMMIT.
const commitCheckTimeout = 10 * time.Second

// failedCommit settles the outcome of step i after a COMMIT that failed
// without saying whether it ran, by reading the version table again (on a
// new connection on PostgreSQL, where the DB's own may be gone): holding the
// step's After rows it committed, holding its Before rows it did not, and
// otherwise nobody can tell. The run stops in every case:
//
//   - committed: the step is reported done and among the committed ones;
//     the PartialError names the next step, which never ran, as Failed,
//     with a nil Failure, as for a run cancelled between steps (Failed is
//     nil when it was the last step);
//   - rolled back: reported like any failed step, its audit row written on
//     the checking connection;
//   - unknown: the error wraps ErrCommitUnknown, and the step is neither
//     claimed to have rolled back nor logged as failed.
func (r *run) failedCommit(bg context.Context, i int, started time.Time, before []string, f *models.Failure, ce *commitError) error {
	s := &r.plan.Steps[i]
	db := r.db
	what := "the COMMIT of step " + s.ShortLog()
	check, rows, rerr := r.recheckRows(bg)
	if check != nil {
		defer check.Close(bg)
	}
	switch {
	case rerr == nil && sameRows(rows, s.After) && !sameRows(rows, s.Before):
		return r.committedAnyway(i, started, what, rows, ce)
	case rerr == nil && sameRows(rows, s.Before):
		err := db.wrap(ce.err, "%s failed; the version table %s still holds [%s]: the step rolled back", what, db.version.SQL(), strings.Join(rows, ", "))
		if f != nil {
			f.Message = err.Error()
		}
		return r.rolledBack(bg, check, i, started, before, f, err)
	}
	state := "it holds [" + strings.Join(rows, ", ") + "]"
	if rerr != nil {
		state = "it could not be read: " + secret.Text(rerr.Error(), db.secrets)
	}
	err := fmt.Errorf("%w: %s failed (%w): the step may or may not have been applied; check the version table %s (%s)",
		ErrCommitUnknown, what, secret.Error(ce.err, db.secrets), db.version.SQL(), state)
	if f == nil {
		f = &models.Failure{}
		if s.Revision != nil {
			f.Path = s.Revision.Path
		}
	}
	f.Message = err.Error()
	r.em.emit(models.Event{Kind: models.EventStepFailed, Index: i, Step: s, Duration: time.Since(started), Failure: f, Err: err})
	return r.partial(s, f, err)
}

// committedAnyway reports step i, whose COMMIT reported an error but whose
// rows the version table holds, as done, and stops the run before the next
// step.
func (r *run) committedAnyway(i int, started time.Time, what string, rows []string, ce *commitError) error {
	s := &r.plan.Steps[i]
	r.em.emit(models.Event{Kind: models.EventStepDone, Index: i, Step: s, Duration: time.Since(started)})
	r.committed = append(r.committed, *s)
	var next *models.Step
	stop := "the run stopped after it"
	if i+1 < len(r.plan.Steps) {
		next, stop = &r.plan.Steps[i+1], "the run stopped before this step"
	}
	err := fmt.Errorf("%s reported an error (%w), but the version table %s holds its rows [%s]: that step committed; %s",
		what, secret.Error(ce.err, r.db.secrets), r.db.version.SQL(), strings.Join(rows, ", "), stop)
	return r.partial(next, nil, err)
}

// recheckRows opens the connection that settles a lost COMMIT (nil when it
// could not be opened) and reads the version rows on it.
func (r *run) recheckRows(bg context.Context) (step.Session, []string, error) {
	ctx, cancel := context.WithTimeout(bg, commitCheckTimeout)
	defer cancel()
	c, err := r.cur.Checking(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("connecting again: %w", err)
	}
	rows, err := r.db.queryRowsOn(ctx, c)
	return c, rows, err
}
