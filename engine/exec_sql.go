package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"retort/engine/sqlsplit"
	"retort/engine/step"
	"retort/models"
)

// sqlExecutor runs the statements of .sql revisions, one by one as the
// lexer splits them, on the DB's own connection (db nil for a preview).
type sqlExecutor struct {
	d  dialect
	db *DB
}

// scriptSession is a session that runs a revision's statements as they are
// written: the DB's connection.
type scriptSession interface {
	runScript(ctx context.Context, sql string) (int64, []step.Notice, error)
}

// Prepare checks the section the step runs and splits it into statements,
// once for the whole run.
func (x *sqlExecutor) Prepare(s *models.Step) (step.Body, error) {
	r := s.Revision
	sec := r.Upgrade
	if s.Direction == models.Downgrade {
		sec = r.Downgrade
	}
	if !sec.Present {
		return nil, fmt.Errorf("%s: revision %s has no -- +%s section: it cannot be %sd", r.Path, r.ID, s.Direction, s.Direction)
	}
	var lexErr *sqlsplit.LexError
	if err := sqlsplit.Check(sec.SQL); errors.As(err, &lexErr) {
		return nil, fmt.Errorf("%s:%d: %s (in the %s section of revision %s)", r.Path, sec.Line+lexErr.Line-1, lexErr.Msg, s.Direction, r.ID)
	} else if err != nil {
		return nil, fmt.Errorf("%s: revision %s: %w", r.Path, r.ID, err)
	}
	b := &sqlBody{d: x.d, step: s, sec: sec, stmts: sqlsplit.Split(sec.SQL)}
	if r.Transactional {
		return b, checkNoTxControl(r, sec, b.stmts)
	}
	return b, nil
}

// Session: .sql revisions run on the DB's own connection, the one the run
// started with (opened again at its start if it was lost).
func (x *sqlExecutor) Session(context.Context) (step.Session, error) { return x.db.conn, nil }

func (x *sqlExecutor) Release(context.Context) error { return nil }

// checkNoTxControl refuses transaction control in a section that runs in the
// step's transaction: a COMMIT there would make half a step permanent, and
// PREPARE TRANSACTION would hand the step's changes to a prepared
// transaction that outlives it.
func checkNoTxControl(r *models.Revision, sec models.Section, stmts []sqlsplit.Statement) error {
	for _, st := range stmts {
		if what, ok := sqlsplit.TransactionControl(st.SQL); ok {
			return fmt.Errorf("%s:%d: %s would end the step's transaction; retort runs each revision in one transaction (write `-- Transaction: none` in the header to manage transactions yourself)",
				r.Path, sec.Line+st.Line-1, what)
		}
	}
	return nil
}

// sqlBody is the section of a .sql revision a step runs.
type sqlBody struct {
	d     dialect
	step  *models.Step
	sec   models.Section
	stmts []sqlsplit.Statement
}

func (b *sqlBody) Transactional() bool { return b.step.Revision.Transactional }

// run runs the statements one by one, reporting each with the notices it
// raised.
func (b *sqlBody) Run(ctx context.Context, sess step.Session, ev step.Events) (int, *models.Failure, error) {
	c, ok := sess.(scriptSession)
	if !ok {
		return 0, nil, fmt.Errorf("the session of %s cannot run SQL statements", b.step.Revision.Path)
	}
	bg := context.WithoutCancel(ctx)
	path := b.step.Revision.Path
	for k, st := range b.stmts {
		line := b.sec.Line + st.Line - 1
		if err := ctx.Err(); err != nil {
			f := &models.Failure{Message: "cancelled", Path: path, Line: line, Statement: st.SQL}
			b.ran(f, k)
			return k, f, fmt.Errorf("%w before %s:%d: %w", ErrCancelled, path, line, err)
		}
		t0 := time.Now()
		n, notices, err := c.runScript(bg, st.SQL)
		if err != nil {
			ev.Notices(notices)
			f := b.failure(st, err)
			b.ran(f, k)
			return k, f, fmt.Errorf("%s:%d: %w", f.Path, f.Line, err)
		}
		ev.Statement(st.SQL, line, time.Since(t0), n)
		ev.Notices(notices)
	}
	return len(b.stmts), nil, nil
}

// ran records in f the statements that stay applied: those that ran before
// statement k, outside a transaction.
func (b *sqlBody) ran(f *models.Failure, k int) {
	if !b.Transactional() {
		f.Ran = k
	}
}

// failure describes a failed statement as plain data: what the database
// said and where, in the revision file, the statement (or, when the
// database gives a position, the offending token) is.
func (b *sqlBody) failure(st sqlsplit.Statement, err error) *models.Failure {
	f := &models.Failure{
		Message:   err.Error(),
		Statement: st.SQL,
		Path:      b.step.Revision.Path,
		Line:      b.sec.Line + st.Line - 1,
	}
	if d, ok := b.d.failure(err); ok {
		f.SQLState, f.Message, f.Detail, f.Hint = d.sqlState, d.message, d.detail, d.hint
		if d.position > 0 {
			line, _ := sqlsplit.Position(b.sec.SQL, st, d.position)
			f.Line = b.sec.Line + line - 1
		}
	}
	return f
}

// Preview lists the statements with their lines in the file, as they are
// executed one by one.
func (b *sqlBody) Preview() []step.Line {
	out := make([]step.Line, 0, len(b.stmts))
	for _, st := range b.stmts {
		out = append(out, step.Line{Text: st.SQL, Path: b.step.Revision.Path, Line: b.sec.Line + st.Line - 1})
	}
	return out
}
