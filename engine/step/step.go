// Package step is the contract between the engine and what executes the
// body of a revision: the statements of a .sql revision, which the engine
// runs itself, and Alembic's runtime in the project's Python for a .py
// revision, which an executor of its own runs.
//
// The engine writes everything around a body once, for every kind of
// revision: the run lock, the step's transaction, the version-row check
// before the body, the version changes, the audit row and the COMMIT after
// it, the events, the cancellation, and the check of a COMMIT whose outcome
// was lost. An Executor only opens the Session the transaction runs on and
// runs what the revision itself says (Body).
//
// How the executor of Alembic's .py revisions plugs in (package
// engine/pyexec, registered with engine.WithExecutor for
// models.FormatPython):
//
//   - Prepare takes the step; whether the revision can run (its imports,
//     its downgrade()) is Alembic's to say when it runs it.
//   - Session starts the project's env.py in the project's Python (package
//     pyalembic's driver), once per run, before the run's first step (the
//     engine opens every session a plan needs before anything runs),
//     checks that its connection reaches the database the engine holds the
//     lock on (Database.Identity) with the engine's version table, and
//     returns a Session over the pipe to that process: each method is one
//     request, executed on env.py's connection, inside Alembic's own
//     transactions. Begin hands Alembic a migration step, which opens its
//     per-migration transaction (one per step, whatever env.py asks for);
//     the driver begins retort's there and serves the requests that follow
//     inside it; after COMMIT the step goes back to Alembic, which closes
//     it; ROLLBACK is raised through Alembic, and env.py runs again at the
//     next Begin. So the engine begins the step's transaction, reads and
//     checks the version
//     rows, runs the body, and writes the version changes, the audit row
//     (with Python's database user: UserSession) and the COMMIT all there:
//     one transaction of Python's connection, with no gap between the
//     check and the step, while the engine's own connections hold none.
//   - Body.Run asks Python to call the revision's upgrade() or downgrade()
//     through Alembic's runtime inside that transaction, and reports each
//     statement SQLAlchemy sends, notices, log records and print lines
//     through Events, and a failure as a models.Failure (exception, the
//     revision's file and line from the traceback, the database error). A
//     cancelled context makes Python stop before its next statement. An
//     autocommit_block() commits what ran before it and runs in autocommit,
//     as a `Transaction: none` step does: Run counts what committed so in
//     Failure.Ran, and the step's end (version changes, guards, audit row)
//     runs in the transaction Alembic opens after the block.
//   - Session.Checking settles a lost COMMIT on the engine's own connection
//     (Database.Checking), once Python's server session has ended.
//   - Release ends env.py's run at the end of the run.
//   - Body.Preview lists the SQL of Alembic's offline mode for the step, or
//     a comment saying why it has none; the engine writes the step's one
//     `-- Running upgrade a -> b` comment itself.
package step

import (
	"context"
	"time"

	sq "github.com/Masterminds/squirrel"

	"retort/models"
)

// Executor executes the bodies of one kind of revision file (one
// models.Format) for one run or preview.
type Executor interface {
	// Prepare checks step s, before anything of the plan runs, and returns
	// what runs its body. It does no I/O.
	Prepare(s *models.Step) (Body, error)
	// Session returns the session the bodies run on, opening it at the
	// first step that needs it: the same session for every step of the
	// run. A preview never calls it.
	Session(ctx context.Context) (Session, error)
	// Release ends what Session opened, at the end of the run, with a
	// context that is not cancelled.
	Release(ctx context.Context) error
}

// Database is what an executor knows of the database a run is on (nil for
// a preview, which has none).
type Database interface {
	// Dialect is "postgresql" or "sqlite".
	Dialect() string
	// Redacted is the database URL with its password masked.
	Redacted() string
	// VersionTable is the version table the engine reads and writes: its
	// schema ("" for the connection's default) and name.
	VersionTable() (schema, name string)
	// Identity reads which database the engine's connection reaches, for
	// an executor to check that its own connection reaches the same one
	// before a step runs on it: a run must never lock one database and
	// migrate another.
	Identity(ctx context.Context) (Identity, error)
	// Checking lends the engine's own connection to settle a COMMIT whose
	// outcome the executor's session lost (see Session.Checking): once the
	// server session that sent the COMMIT (PostgreSQL; nil elsewhere) has
	// ended, as the engine ends its own, it reads the version table and
	// writes the audit row of a step found rolled back. Closing it leaves
	// the connection open.
	Checking(ctx context.Context, sent *ServerSession) (Session, error)
}

// Identity is which database a connection reaches.
type Identity struct {
	Dialect string
	// Database and SystemIdentifier: PostgreSQL's current_database() and
	// the cluster's system identifier (pg_control_system()).
	Database, SystemIdentifier string
	// Path is SQLite's database file ("" in memory).
	Path string
}

// ServerSession identifies a PostgreSQL server session: its pid and
// backend_start (nil when the server did not show it), the server's start
// (pg_postmaster_start_time()) and the address and port the session reached
// it at (host(inet_server_addr()) || ':' || inet_server_port(), "" on a
// Unix socket).
type ServerSession struct {
	PID           int32
	Started       *time.Time
	ServerStarted time.Time
	Addr          string
}

// UserSession is a Session connected as a database user of its own (the
// project's Python, connected as env.py says): the audit rows of the steps
// that run on it name that user.
type UserSession interface {
	Session
	// User is the session's database user ("" where the database has
	// none).
	User() string
}

// Body is one step's revision body, ready to run.
type Body interface {
	// Transactional: the body runs inside the step's transaction, between
	// the version-row check and the step's end. Otherwise (`Transaction:
	// none`) it runs in autocommit after a check of the rows, and the
	// step's end is a transaction of its own once the body succeeded.
	Transactional() bool
	// Run executes the body on sess. It checks ctx before each statement;
	// a statement that has started runs to its end, under a context that
	// is never cancelled, so that the session survives a cancellation. It
	// reports each statement and notice through ev, and returns how many
	// statements ran and, on failure, the database's account of it, with
	// in Failure.Ran the statements that ran outside the step's
	// transaction and stay applied.
	Run(ctx context.Context, sess Session, ev Events) (ran int, f *models.Failure, err error)
	// Preview lists what the body would run, as a preview shows it.
	Preview() []Line
}

// Line is one thing a preview shows of a body: a statement as it is
// executed (its text without the terminating ';', its file and 1-based
// line) or a comment (its text with its `-- `).
type Line struct {
	Comment    bool
	Text, Path string
	Line       int
}

// Events reports what a body does, as events of its step.
type Events interface {
	// Statement reports a statement that ran: its text, its line in the
	// revision file, how long it took and the rows it affected (-1:
	// unknown).
	Statement(sql string, line int, d time.Duration, rows int64)
	// Notices reports what the database raised during a statement.
	Notices(ns []Notice)
}

// Notice is a NOTICE or WARNING the database raised.
type Notice struct {
	Severity, Message, Detail, Hint string
}

// Stmt is one statement with its arguments.
type Stmt struct {
	SQL  string
	Args []any
}

// Session is a database connection a step's transaction runs on.
// Transactions are plain BEGIN/COMMIT/ROLLBACK statements, so that a
// transaction is simply the session's state.
//
// The engine's own connection is the session of .sql revisions and
// stamps. A session over a pipe to the project's Python renders the
// statements it is given with its own placeholder format (psycopg2's),
// executes a batch in order stopping at the first error, reports a
// PostgreSQL error as a *pgconn.PgError (SQLSTATE, message, detail, hint,
// position) so that the engine reads it as it reads pgx's, and settles a
// lost COMMIT (Checking) from the identity of its server session.
type Session interface {
	// Placeholder is the format of statement arguments.
	Placeholder() sq.PlaceholderFormat
	// Exec runs one statement and returns the rows it affected.
	Exec(ctx context.Context, sql string, args ...any) (int64, error)
	// ExecBatch runs statements in order (pipelined, one round trip, on
	// PostgreSQL), stopping at the first error. It returns the rows
	// affected by each statement that ran and the index of the failed one.
	ExecBatch(ctx context.Context, stmts []Stmt) (affected []int64, failed int, err error)
	// Query runs a query and calls each once per row with a Scan function.
	Query(ctx context.Context, sql string, args []any, each func(scan func(dest ...any) error) error) error
	// Begin starts a transaction and runs selectSQL (no arguments) in it,
	// returning the first column of its rows: one round trip on PostgreSQL.
	Begin(ctx context.Context, selectSQL string) ([]string, error)
	// RolledBack reports whether err, from a batch or a COMMIT, is known to
	// have rolled the transaction back; otherwise the COMMIT's outcome must
	// be checked.
	RolledBack(err error) bool
	// Checking returns a session to read the version table on after a
	// COMMIT whose outcome is unknown (a new connection where this one may
	// be lost), and to write the audit row of a step found rolled back;
	// the caller closes it.
	Checking(ctx context.Context) (Session, error)
	Close(ctx context.Context) error
}
