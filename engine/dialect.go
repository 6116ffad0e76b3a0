package engine

import (
	"context"

	sq "github.com/Masterminds/squirrel"

	"retort/engine/internal/tables"
)

// stmt is one statement with its arguments.
type stmt struct {
	sql  string
	args []any
}

// notice is a NOTICE or WARNING the database raised.
type notice struct {
	severity, message, detail, hint string
}

// dbConn is what the engine needs from the one dedicated connection of a DB.
// Transactions are plain BEGIN/COMMIT/ROLLBACK statements on it, so that a
// transaction is simply the connection's state and both drivers behave the
// same.
type dbConn interface {
	dialect() string
	placeholder() sq.PlaceholderFormat
	// pipelined: execBatch sends its statements in one round trip and
	// skips every statement after a failed one, so a batch may end with
	// COMMIT behind a guard query.
	pipelined() bool
	// exec runs one statement and returns the rows it affected.
	exec(ctx context.Context, sql string, args ...any) (int64, error)
	// execBatch runs statements in order (pipelined, one round trip, on
	// PostgreSQL), stopping at the first error. It returns the rows
	// affected by each statement that ran and the index of the failed one.
	execBatch(ctx context.Context, stmts []stmt) (affected []int64, failed int, err error)
	// query runs a query and calls each once per row with a Scan function.
	query(ctx context.Context, sql string, args []any, each func(scan func(dest ...any) error) error) error
	// begin starts a transaction and runs selectSQL (no arguments) in it,
	// returning the first column of its rows: one round trip on PostgreSQL.
	begin(ctx context.Context, selectSQL string) ([]string, error)
	// runScript runs one statement of a revision file as it is written
	// (PostgreSQL's simple protocol) and returns the rows it affected and
	// the notices it raised.
	runScript(ctx context.Context, sql string) (int64, []notice, error)
	// tableExists reports whether the table exists (schema "": visible on
	// the search path).
	tableExists(ctx context.Context, t tables.Ref) (bool, error)
	// columns lists the columns of the table, none when it does not exist
	// (schema "" as for tableExists).
	columns(ctx context.Context, t tables.Ref) ([]string, error)
	// whoami returns the database user and the schema unqualified names
	// resolve to ("" where the database has no such notion).
	whoami(ctx context.Context) (user, schema string, err error)
	// rolledBack reports whether err, from a batch or a COMMIT, is known to
	// have rolled the transaction back; otherwise the COMMIT's outcome must
	// be checked.
	rolledBack(err error) bool
	// checking returns a connection to read the version table on after a
	// COMMIT whose outcome is unknown (a new one where the DB's own may be
	// lost); the caller closes it.
	checking(ctx context.Context) (dbConn, error)
	close(ctx context.Context) error
}

// locker is the run lock.
type locker interface {
	// tryLock takes the lock if it is free, without waiting.
	tryLock(ctx context.Context) (bool, error)
	// holder describes who holds the lock, "" when nobody does.
	holder(ctx context.Context) (string, error)
	unlock(ctx context.Context) error
}

// queryStrings returns the first column of every row.
func queryStrings(ctx context.Context, c dbConn, sql string, args ...any) ([]string, error) {
	var out []string
	err := c.query(ctx, sql, args, func(scan func(...any) error) error {
		var s string
		if err := scan(&s); err != nil {
			return err
		}
		out = append(out, s)
		return nil
	})
	return out, err
}
