package engine

import (
	"context"

	sq "github.com/Masterminds/squirrel"

	"retort/engine/internal/tables"
	"retort/engine/step"
	"retort/models"
)

// Dialect names, as Dialect returns them and DryRun accepts them.
const (
	DialectPostgres = "postgresql"
	DialectSQLite   = "sqlite"
)

// knownDialects are the databases retort speaks, in the order messages list
// them. A database is one file (postgres.go, sqlite.go) holding its dialect
// and its connection, listed here once; its run lock is a locker in a file
// of its own (lock_postgres.go, lock_file.go, lock_memory.go).
func knownDialects() []dialect { return []dialect{postgresDialect{}, sqliteDialect{}} }

// dialect is what the engine asks of one kind of database. Everything here
// is decided without a connection (a preview has none); open makes the
// connection, which does the rest (dbConn).
type dialect interface {
	// name is how Dialect names the database and DryRun takes it.
	name() string
	// schemes are the URL schemes of the database, lower-case, without
	// SQLAlchemy's +driver part; DryRun accepts them as names too.
	schemes() []string
	// urlForms are the URL form that messages suggest
	// ("postgres://user@host/db") and the scheme as they name it
	// ("postgres://").
	urlForms() (example, scheme string)
	// parse reads what follows the scheme and its colon in a database
	// URL into the dsn open takes. It names no URL in its errors: the
	// caller adds the URL, masked.
	parse(scheme, rest string) (dsn string, err error)
	// open connects to dsn: the DB's connection and its run lock. Its
	// errors name the URL as o.redacted.
	open(ctx context.Context, dsn string, o openOptions) (dbConn, locker, error)
	// guards says how a step finishes. Non-nil: the database can make a
	// statement fail on a condition, so the step's version changes check
	// themselves and its whole end (version changes, audit row, guard,
	// COMMIT) is one batch, one round trip; nil: the engine checks the
	// changed rows after the batch and commits only then.
	guards() batchGuards
	// auditTypes are the audit table's auto-increment primary key column
	// and timestamp type; addColumnIfNotExists: its ALTER TABLE has ADD
	// COLUMN IF NOT EXISTS.
	auditTypes() (idColumn, timestampType string)
	addColumnIfNotExists() bool
	// insertReturning: the version-row INSERT of a preview carries the
	// RETURNING clause SQLAlchemy emits on this database, as Alembic prints
	// it.
	insertReturning() bool
	// failure reads what the database said about a failed statement
	// beyond its message; ok is false when err carries nothing more.
	failure(err error) (f dbFailure, ok bool)
	// tableQuery and columnsQuery are catalog queries whose first column
	// is a name: table t (schema "": the one unqualified names find), and
	// its columns in order. Both find nothing when the table is missing.
	tableQuery(t tables.Ref) sq.Sqlizer
	columnsQuery(t tables.Ref) sq.Sqlizer
}

// openOptions are what a dialect opens a DB with.
type openOptions struct {
	// redacted is the URL with its password masked, for messages.
	redacted string
	// appName is the application name the database shows for the
	// connection and the lock holder.
	appName string
	// table is the version table, whose name keys the run lock.
	table tables.Ref
	// host is the machine running retort.
	host string
}

// dbFailure is what a database said about a failed statement.
type dbFailure struct {
	sqlState, message, detail, hint string
	// position is the 1-based character of the statement the error
	// points at, 0 for none.
	position int
}

// batchGuards are the statements with which a step's end checks itself in
// the batch that commits it: a failed check fails its statement, which
// aborts the transaction before the COMMIT queued behind it.
type batchGuards interface {
	// checkedOp is the statement of a version change that fails unless it
	// changed exactly one row (an INSERT cannot miss).
	checkedOp(v tables.Version, op models.VersionOp) (sq.Sqlizer, error)
	// rowsGuard returns 1 when the table holds exactly rows and fails
	// otherwise; its arguments are tables.GuardArgs(rows).
	rowsGuard(v tables.Version, rows []string) sq.Sqlizer
	// opFound reads the failure of a checkedOp: how many rows the change
	// found (-1: more than one).
	opFound(err error) (int64, bool)
	// guardFailed reads the failure of a rowsGuard.
	guardFailed(err error) bool
}

// dbConn is the one dedicated connection of a DB: the session of .sql
// revisions and stamps, which also runs the statements of .sql revisions.
type dbConn interface {
	step.Session
	// runScript runs one statement of a revision file as it is written
	// (PostgreSQL's simple protocol) and returns the rows it affected and
	// the notices it raised.
	runScript(ctx context.Context, sql string) (int64, []step.Notice, error)
	// user is the database user, for the audit log ("" where the database
	// has none).
	user() string
	// lost reports a connection that is known to be gone (a COMMIT lost
	// with the network, a server restart), to be opened again.
	lost() bool
	// identity reads which database the connection reaches.
	identity(ctx context.Context) (step.Identity, error)
	// lend lends the connection to an executor to settle a COMMIT its
	// session lost, once the server session that sent it (sent, nil for
	// none) has ended (see step.Database.Checking).
	lend(ctx context.Context, sent *step.ServerSession) (step.Session, error)
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
func queryStrings(ctx context.Context, c step.Session, sql string, args ...any) ([]string, error) {
	var out []string
	err := c.Query(ctx, sql, args, func(scan func(...any) error) error {
		var s string
		if err := scan(&s); err != nil {
			return err
		}
		out = append(out, s)
		return nil
	})
	return out, err
}

// names runs the catalog query q of dialect d on c.
func names(ctx context.Context, d dialect, c step.Session, q sq.Sqlizer) ([]string, error) {
	sql, args, err := tables.Render(q, c.Placeholder())
	if err != nil {
		return nil, err
	}
	return queryStrings(ctx, c, sql, args...)
}

// tableExists reports whether table t exists, as seen on c.
func tableExists(ctx context.Context, d dialect, c step.Session, t tables.Ref) (bool, error) {
	found, err := names(ctx, d, c, d.tableQuery(t))
	return len(found) > 0, err
}

// columns lists the columns of table t on c, none when it does not exist.
func columns(ctx context.Context, d dialect, c step.Session, t tables.Ref) ([]string, error) {
	return names(ctx, d, c, d.columnsQuery(t))
}
