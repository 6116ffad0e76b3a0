package engine

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"

	sq "github.com/Masterminds/squirrel"
	_ "modernc.org/sqlite" // the pure-Go SQLite driver, registered as "sqlite"

	"retort/engine/internal/tables"
	"retort/engine/step"
)

// sqliteDialect is SQLite, through the pure-Go modernc driver.
type sqliteDialect struct{}

func (sqliteDialect) name() string      { return DialectSQLite }
func (sqliteDialect) schemes() []string { return []string{"sqlite"} }
func (sqliteDialect) urlForms() (string, string) {
	return "sqlite:PATH", "sqlite:"
}

// parse takes `sqlite:PATH`, `sqlite:///relative.db`,
// `sqlite:////absolute.db` and `sqlite://` (in memory, as in SQLAlchemy):
// the dsn is the file's path, "" in memory.
func (sqliteDialect) parse(_, rest string) (string, error) {
	if strings.ContainsAny(rest, "?#") {
		return "", fmt.Errorf("query parameters are not supported in a SQLite URL")
	}
	switch {
	case strings.HasPrefix(rest, "///"):
		rest = rest[3:] // sqlite:///rel.db, sqlite:////abs.db
	case rest == "//":
		rest = ""
	case strings.HasPrefix(rest, "//"):
		return "", fmt.Errorf("a SQLite URL has no host: write sqlite:///relative.db or sqlite:////absolute.db")
	}
	if rest == ":memory:" {
		rest = ""
	}
	return rest, nil
}

// SQLiteFile returns the file a SQLite database URL names, as Open reads
// it; ok is false for any other URL, for an in-memory database and for a
// URL Open refuses (and reports).
func SQLiteFile(url string) (path string, ok bool) {
	t, err := parseURL(url)
	if err != nil || t.dialect.name() != DialectSQLite || t.dsn == "" {
		return "", false
	}
	return t.dsn, true
}

// open opens the database file (not creating it yet, see sqliteConn). Its
// lock is a flock on a file beside it; an in-memory database, which no
// other connection can see, needs none.
func (sqliteDialect) open(ctx context.Context, path string, o openOptions) (dbConn, locker, error) {
	c, err := openSQLite(ctx, path)
	if err != nil {
		return nil, nil, fmt.Errorf("opening %s: %w", o.redacted, err)
	}
	if path == "" {
		return c, memoryLocker{}, nil
	}
	return c, newFileLocker(path, o.appName, o.host), nil
}

// guards: none, SQLite's casts do not fail; the engine checks the rows.
func (sqliteDialect) guards() batchGuards { return nil }

// auditTypes: TIMESTAMP makes the modernc driver read the column back as a
// time.
func (sqliteDialect) auditTypes() (string, string) {
	return "id INTEGER PRIMARY KEY AUTOINCREMENT", "TIMESTAMP"
}

// addColumnIfNotExists: SQLite has no IF NOT EXISTS there, and needs none:
// its lock is per database file.
func (sqliteDialect) addColumnIfNotExists() bool      { return false }
func (sqliteDialect) insertReturning() bool           { return false }
func (sqliteDialect) failure(error) (dbFailure, bool) { return dbFailure{}, false }

func (sqliteDialect) tableQuery(t tables.Ref) sq.Sqlizer {
	master := "sqlite_master"
	if t.Schema != "" {
		master = tables.QuoteIdent(t.Schema) + "." + master
	}
	return sq.Select("name").From(master).Where(sq.Eq{"type": "table", "name": t.Name})
}

// columnsQuery lists the table's columns from pragma_table_info.
func (sqliteDialect) columnsQuery(t tables.Ref) sq.Sqlizer {
	schema := t.Schema
	if schema == "" {
		schema = "main"
	}
	return sq.Expr("SELECT name FROM pragma_table_info(?, ?) ORDER BY cid", t.Name, schema)
}

// sqliteBusyTimeoutMS is how long SQLite waits for another process's write
// lock on the database file (Alembic, or a reader) before failing.
const sqliteBusyTimeoutMS = "10000"

// sqliteConn is the one dedicated connection of a SQLite DB. Opening a
// SQLite file that does not exist creates it, so the connection is opened
// only once the file exists or something is to be written: reading a
// mistyped path reports an empty database and leaves no file behind, as
// reads never write.
type sqliteConn struct {
	path string
	db   *sql.DB
	conn *sql.Conn
}

// openSQLite opens the database file at path ("" for an in-memory
// database). A file that does not exist is not created here: see ensure.
func openSQLite(ctx context.Context, path string) (*sqliteConn, error) {
	c := &sqliteConn{path: path}
	if path != "" {
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return c, nil
		} else if err != nil {
			return nil, err
		}
	}
	return c, c.connect(ctx)
}

// connect opens the connection, creating the file if it is missing.
func (c *sqliteConn) connect(ctx context.Context) error {
	dsn := c.path
	if dsn == "" {
		dsn = ":memory:"
	}
	// modernc strips the query from a plain path and applies it.
	db, err := sql.Open("sqlite", dsn+"?_busy_timeout="+sqliteBusyTimeoutMS)
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(ctx)
	if err == nil {
		err = conn.PingContext(ctx)
	}
	if err != nil {
		db.Close()
		return err
	}
	c.db, c.conn = db, conn
	return nil
}

// ensure opens the connection before a statement, creating the file.
func (c *sqliteConn) ensure(ctx context.Context) error {
	if c.conn != nil {
		return nil
	}
	return c.connect(ctx)
}

// opened opens the connection for a read if the file exists by now
// (another process may have created it), and reports whether it is open.
func (c *sqliteConn) opened(ctx context.Context) (bool, error) {
	if c.conn != nil {
		return true, nil
	}
	if _, err := os.Stat(c.path); errors.Is(err, os.ErrNotExist) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	return true, c.connect(ctx)
}

func (c *sqliteConn) Placeholder() sq.PlaceholderFormat { return sq.Question }
func (c *sqliteConn) user() string                      { return "" }
func (c *sqliteConn) lost() bool                        { return false }

func (c *sqliteConn) Exec(ctx context.Context, sql string, args ...any) (int64, error) {
	if err := c.ensure(ctx); err != nil {
		return 0, err
	}
	res, err := c.conn.ExecContext(ctx, sql, args...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return -1, nil
	}
	return n, nil
}

func (c *sqliteConn) ExecBatch(ctx context.Context, stmts []step.Stmt) ([]int64, int, error) {
	affected := make([]int64, 0, len(stmts))
	for i, s := range stmts {
		n, err := c.Exec(ctx, s.SQL, s.Args...)
		if err != nil {
			return affected, i, err
		}
		affected = append(affected, n)
	}
	return affected, len(stmts), nil
}

// query reads nothing from a file that does not exist: it has no tables.
func (c *sqliteConn) Query(ctx context.Context, sql string, args []any, each func(scan func(...any) error) error) error {
	if ok, err := c.opened(ctx); !ok {
		return err
	}
	rows, err := c.conn.QueryContext(ctx, sql, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

// begin takes SQLite's write lock at once (BEGIN IMMEDIATE): a deferred
// transaction that reads first could fail to upgrade to a writer.
func (c *sqliteConn) Begin(ctx context.Context, selectSQL string) ([]string, error) {
	if _, err := c.Exec(ctx, "BEGIN IMMEDIATE"); err != nil {
		return nil, err
	}
	if selectSQL == "" {
		return nil, nil
	}
	return queryStrings(ctx, c, selectSQL)
}

func (c *sqliteConn) runScript(ctx context.Context, sql string) (int64, []step.Notice, error) {
	n, err := c.Exec(ctx, sql)
	return n, nil, err
}

// rolledBack: a failed COMMIT on SQLite is checked on the connection itself
// (see checking), which is cheap and exact.
func (c *sqliteConn) RolledBack(error) bool { return false }

// checking is the connection itself: after the ROLLBACK that follows a
// failed COMMIT, it reads what the file holds.
func (c *sqliteConn) Checking(context.Context) (step.Session, error) { return sqliteView{c}, nil }

// sqliteView is the DB's own SQLite connection lent for a check; closing it
// leaves the connection open.
type sqliteView struct{ *sqliteConn }

func (sqliteView) Close(context.Context) error { return nil }

// identity is the database file.
func (c *sqliteConn) identity(context.Context) (step.Identity, error) {
	return step.Identity{Dialect: DialectSQLite, Path: c.path}, nil
}

// lend lends the connection itself: the file tells what committed once the
// executor's session let go of it (its ROLLBACK, or its process gone).
func (c *sqliteConn) lend(context.Context, *step.ServerSession) (step.Session, error) {
	return sqliteView{c}, nil
}

func (c *sqliteConn) Close(context.Context) error {
	if c.conn == nil {
		return nil
	}
	err := c.conn.Close()
	if err2 := c.db.Close(); err == nil {
		err = err2
	}
	return err
}

// lockPath is the file whose flock excludes other runners on the database
// at path.
func lockPath(path string) string {
	return strings.TrimSuffix(path, "/") + ".retort-lock"
}
