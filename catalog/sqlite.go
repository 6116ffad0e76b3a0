package catalog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver the engine uses

	"retort/engine"
	"retort/schema"
)

// sqliteConn reads a SQLite database file.
type sqliteConn struct {
	path string
	// db is nil for a read-only look at a file that does not exist.
	db   *sql.DB
	skip Skip
}

// openSQLite opens the file at path, creating it unless o.ReadOnly.
func openSQLite(ctx context.Context, path string, o Options) (*sqliteConn, error) {
	c := &sqliteConn{path: path, skip: o.Skip}
	if o.ReadOnly {
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return c, nil
		} else if err != nil {
			return nil, err
		}
	}
	db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	if o.ReadOnly {
		_, err = db.ExecContext(ctx, "PRAGMA query_only = ON")
	} else {
		err = db.PingContext(ctx)
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	c.db = db
	return c, nil
}

func (c *sqliteConn) Dialect() string { return engine.DialectSQLite }

func (c *sqliteConn) Close() error {
	if c.db == nil {
		return nil
	}
	return c.db.Close()
}

// ServerVersion is the SQLite library's version.
func (c *sqliteConn) ServerVersion(ctx context.Context) (string, error) { return SQLiteVersion(ctx) }

func (c *sqliteConn) Identity(context.Context) (string, error) { return fileIdentity(c.path) }

func (c *sqliteConn) wrap(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("reading %s: %w", c.path, err)
}

// own reports the tables no snapshot shows: SQLite's (sqlite_sequence,
// sqlite_stat1...) and retort's.
func (c *sqliteConn) own(table string) bool {
	return strings.HasPrefix(strings.ToLower(table), "sqlite_") ||
		c.skip.VersionTable != "" && (table == c.skip.VersionTable || table == auditTable)
}

// master is one row of sqlite_master.
type master struct {
	kind, name, table, sql string
}

// masterRows reads sqlite_master, without SQLite's own objects (the
// indexes of constraints, named sqlite_autoindex_*, are read as the
// constraints) and retort's.
func (c *sqliteConn) masterRows(ctx context.Context, q queryer) ([]master, error) {
	rows, err := q.QueryContext(ctx, `SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []master
	for rows.Next() {
		var m master
		if err := rows.Scan(&m.kind, &m.name, &m.table, &m.sql); err != nil {
			return nil, err
		}
		if !c.own(m.name) && !c.own(m.table) {
			out = append(out, m)
		}
	}
	return out, rows.Err()
}

// Schema reads sqlite_master and each table's pragmas, in one read
// transaction.
func (c *sqliteConn) Schema(ctx context.Context) (*schema.Snapshot, error) {
	snap := &schema.Snapshot{Dialect: engine.DialectSQLite}
	if c.db == nil {
		return snap, nil
	}
	tx, err := c.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, c.wrap(err)
	}
	defer tx.Rollback()
	r := &sqliteReader{tx: tx}
	ms, err := c.masterRows(ctx, tx)
	if err == nil {
		err = r.read(ctx, ms)
	}
	if err != nil {
		return nil, c.wrap(err)
	}
	snap.Objects = r.objects
	snap.Sort()
	return snap, nil
}

// Rows reads every table's rows as JSON objects whose keys are the
// columns in name order (a BLOB as its hex), so that a row's text does not
// depend on the order of the columns.
func (c *sqliteConn) Rows(ctx context.Context, keep int) ([]TableRows, error) {
	if c.db == nil {
		return nil, nil
	}
	ms, err := c.masterRows(ctx, c.db)
	if err != nil {
		return nil, c.wrap(err)
	}
	var out []TableRows
	for _, m := range ms {
		if m.kind != "table" || virtualTable(m.sql) {
			continue
		}
		rows, err := c.tableRows(ctx, m.name)
		if err != nil {
			return nil, c.wrap(fmt.Errorf("the rows of %s: %w", m.name, err))
		}
		out = append(out, digest(sqliteIdent(m.name), rows, keep))
	}
	return out, nil
}

// virtualTable reports a CREATE VIRTUAL TABLE: its rows are those of its
// shadow tables, read as tables of their own.
func virtualTable(sql string) bool {
	ts := tokens(sql)
	return len(ts) > 1 && ts[1].is("virtual")
}

func (c *sqliteConn) tableRows(ctx context.Context, table string) ([]string, error) {
	cols, err := queryStrings(ctx, c.db, `SELECT name FROM pragma_table_info(?) ORDER BY name`, table)
	if err != nil {
		return nil, err
	}
	args := make([]string, len(cols))
	for i, col := range cols {
		q := quoteSQLite(col)
		args[i] = fmt.Sprintf("%s, CASE WHEN typeof(%s) = 'blob' THEN hex(%s) ELSE %s END", quoteLiteral(col), q, q, q)
	}
	return queryStrings(ctx, c.db, `SELECT json_object(`+strings.Join(args, ", ")+`) FROM `+quoteSQLite(table))
}

// quoteSQLite always quotes a name, for the statements retort builds.
func quoteSQLite(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// queryer is what runs a query: the database or a transaction.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// queryStrings returns the first column of every row.
func queryStrings(ctx context.Context, q queryer, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Exec runs the script's statements one by one.
func (c *sqliteConn) Exec(ctx context.Context, path, script string) error {
	if c.db == nil {
		return fmt.Errorf("%s: the database is read-only", c.path)
	}
	return execScript(path, script, func(sql string) error {
		_, err := c.db.ExecContext(ctx, sql)
		return err
	})
}
