package pyexec

import (
	"context"
	"errors"
	"fmt"
	"time"

	"retort/engine"
	"retort/engine/step"
	"retort/models"
	"retort/pyalembic"
)

// body is one .py step: the revision's upgrade() or downgrade(), which the
// driver calls through Alembic's runtime in the transaction the engine
// began.
type body struct {
	x    *executor
	step *models.Step
	// offline is the step as Alembic's offline mode renders it (a preview),
	// or why it cannot be.
	offline *pyalembic.Offline
	// noSQL says why there is no rendering ("" when there is one).
	noSQL string
}

// Transactional: the body runs in the step's transaction, as Alembic's
// transaction_per_migration runs it. An autocommit_block() in it commits
// that transaction and opens another (see Run).
func (b *body) Transactional() bool { return true }

// Run has the driver call the revision's function, reporting what it does
// as it goes. A failure is the revision's exception: its type and message,
// the revision's line from the traceback, the database's error when there
// is one; in Failure.Ran the statements that stay applied, those that ran
// before or in an autocommit_block() (Alembic committed them).
func (b *body) Run(ctx context.Context, sess step.Session, ev step.Events) (int, *models.Failure, error) {
	s, ok := sess.(*session)
	if !ok {
		return 0, nil, fmt.Errorf("%s: the session is not the project's Python", b.step.Revision.Path)
	}
	held := s.held
	s.held = nil
	for _, e := range held {
		forward(ev, e)
	}
	r := b.step.Revision
	req := pyalembic.BodyRequest{Revision: r.ID, Path: r.Path, Direction: b.step.Direction.String()}
	var seen pyalembic.BodyResult // what the events told, should the driver die
	res, err := s.d.Body(ctx, req, func(e pyalembic.Event) {
		count(&seen, e)
		forward(ev, e)
	})
	if err == nil {
		return res.Ran, nil, nil
	}
	var pe *pyalembic.PyError
	if !errors.As(err, &pe) {
		res = seen
	}
	f, err := b.failure(s, res, err)
	return res.Ran, f, err
}

// count counts what a body ran from its events: the statements, and of
// them those that committed (before or in an autocommit_block()).
func count(c *pyalembic.BodyResult, e pyalembic.Event) {
	switch {
	case e.Kind == "statement":
		c.Ran++
		if e.Autocommit {
			c.Kept = c.Ran
		}
	case e.Kind == "autocommit" && e.Begin:
		c.Kept = c.Ran
	}
}

// forward passes an event of the driver on as the step's: statements as
// statements, and the rest as notices, which the log pane and the CLI
// show: the database's notices, the revision's logging records (their
// level, "logger: message") and printed lines (STDOUT, STDERR), and the
// bounds of an autocommit_block().
func forward(ev step.Events, e pyalembic.Event) {
	switch e.Kind {
	case "statement":
		ev.Statement(e.SQL, e.Line, time.Duration(e.DurationMS*float64(time.Millisecond)), e.Rows)
	case "notice":
		ev.Notices([]step.Notice{{Severity: e.Severity, Message: e.Text}})
	case "log":
		ev.Notices([]step.Notice{{Severity: e.Level, Message: e.Logger + ": " + e.Text}})
	case "output":
		sev := "STDOUT"
		if e.Stream == "stderr" {
			sev = "STDERR"
		}
		ev.Notices([]step.Notice{{Severity: sev, Message: e.Text}})
	case "autocommit":
		msg := "autocommit_block(): what the step ran so far is committed; the block runs outside its transaction"
		if !e.Begin {
			msg = "autocommit_block() ended: the rest of the step runs in a new transaction"
		}
		ev.Notices([]step.Notice{{Severity: "INFO", Message: msg}})
	}
}

// failure describes a body that failed, and the error the engine reports
// and classifies: a cancellation wraps engine.ErrCancelled, a database
// error the form the engine reads (see session.err).
func (b *body) failure(s *session, res pyalembic.BodyResult, err error) (*models.Failure, error) {
	path := b.step.Revision.Path
	var pe *pyalembic.PyError
	if !errors.As(err, &pe) {
		// The driver could not answer: its process died, or was stopped.
		f := &models.Failure{Message: err.Error(), Path: path, Ran: res.Kept}
		return f, fmt.Errorf("%s: %w", path, err)
	}
	f := &models.Failure{Message: pe.Type + ": " + pe.Message, Path: path, Line: pe.Line, Ran: res.Kept,
		SQLState: pe.SQLState, Detail: pe.Detail, Hint: pe.Hint, Statement: pe.Statement}
	where := path
	if pe.Line > 0 {
		where = fmt.Sprintf("%s:%d", path, pe.Line)
	}
	if pe.Cancelled {
		return f, fmt.Errorf("%w at %s: %s", engine.ErrCancelled, where, f.Message)
	}
	return f, fmt.Errorf("%s: %s: %w", where, pe.Type, s.err(withoutPlace(pe)))
}

// withoutPlace is the error without the file and line its message would
// repeat.
func withoutPlace(pe *pyalembic.PyError) error {
	c := *pe
	c.File, c.Line, c.Type = "", 0, ""
	return &c
}
