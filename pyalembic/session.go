package pyalembic

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
)

// The session a run serves once Run answered: each transaction is one of
// Alembic's per-migration transactions on env.py's connection (driver.py's
// Session and Transaction). Begin opens one; "COMMIT" and "ROLLBACK" end it
// (Exec, or COMMIT last in a Batch). A database error comes back as a
// *PyError with the database's account of it (SQLState, Severity, ...).
// These requests are not cancelled with their context, which only bounds
// them: the caller's statements run to their end (see Body for the
// revision's own, which a cancellation stops).

// Begin begins a transaction and runs selectSQL in it ("" for none),
// returning the first column of its rows and the server session of the
// connection (PostgreSQL). After a ROLLBACK, env.py runs again, on a new
// connection, at the next Begin: on receives what it prints or logs.
func (d *Driver) Begin(ctx context.Context, selectSQL string, on func(Event)) ([]string, *Backend, error) {
	rep, err := d.request(ctx, map[string]any{"op": "begin", "select": selectSQL}, on, false)
	if err == nil && rep.Error != nil {
		err = rep.Error
	}
	if err != nil {
		return nil, nil, err
	}
	return rep.Values, rep.Backend, nil
}

// Exec runs one statement, with its arguments in the DBAPI's style, and
// returns the rows it affected.
func (d *Driver) Exec(ctx context.Context, sql string, args []any) (int64, error) {
	rep, err := d.session(ctx, map[string]any{"op": "exec", "sql": sql, "args": args})
	if err != nil {
		return 0, err
	}
	return rep.RowsAffected, nil
}

// Batch runs statements in order, stopping at the first error; it returns
// the rows each statement that ran affected and the index of the failed
// one (len(stmts) when none failed).
func (d *Driver) Batch(ctx context.Context, stmts []Stmt) ([]int64, int, error) {
	rep, err := d.request(ctx, map[string]any{"op": "batch", "stmts": stmts}, nil, false)
	if err != nil {
		return nil, 0, err
	}
	if rep.Error != nil {
		return rep.Affected, rep.Failed, rep.Error
	}
	return rep.Affected, rep.Failed, nil
}

// Query runs a query and returns its rows, numbers as json.Number.
func (d *Driver) Query(ctx context.Context, sql string, args []any) ([][]any, error) {
	rep, err := d.session(ctx, map[string]any{"op": "query", "sql": sql, "args": args})
	if err != nil {
		return nil, err
	}
	var rows [][]any
	dec := json.NewDecoder(bytes.NewReader(rep.Result))
	dec.UseNumber()
	if err := dec.Decode(&rows); err != nil {
		return nil, fmt.Errorf("reading the rows of %.200q: %w", sql, err)
	}
	return rows, nil
}

// Body calls the revision's upgrade() or downgrade() through Alembic's
// runtime in the transaction open, passing what it does to on (statements,
// notices, log records, printed lines). When ctx ends, the driver is asked
// to stop before the next statement; the body then fails with a
// cancelled *PyError.
func (d *Driver) Body(ctx context.Context, b BodyRequest, on func(Event)) (BodyResult, error) {
	req := map[string]any{"op": "body", "revision": b.Revision, "path": b.Path, "direction": b.Direction}
	rep, err := d.request(ctx, req, on, true)
	if err != nil {
		return BodyResult{}, err
	}
	res := BodyResult{Ran: rep.Ran, Kept: rep.Kept}
	if rep.Error != nil {
		return res, rep.Error
	}
	return res, nil
}

// session sends a request of the session and reads its reply.
func (d *Driver) session(ctx context.Context, req any) (reply, error) {
	rep, err := d.request(ctx, req, nil, false)
	if err != nil {
		return rep, err
	}
	if rep.Error != nil {
		return rep, rep.Error
	}
	return rep, nil
}
