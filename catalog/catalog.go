// Package catalog reads a database's schema from its catalog into a
// schema.Snapshot, and its rows into per-table digests, on a connection of
// its own (not the engine's): PostgreSQL's pg_catalog through pgx, SQLite's
// sqlite_master and pragmas through the modernc driver.
//
// retort's own tables are left out: the version table, the audit table
// (retort_log) beside it, and SQLite's internal tables (sqlite_sequence,
// sqlite_stat*). So are, on PostgreSQL, the system schemas and what
// belongs to an extension (the extension itself is listed), and owners:
// the same schema built by another role is the same schema.
//
// What is read on PostgreSQL: schemas, extensions, enums, domains,
// composite and range types, tables (partitioning, inheritance, options,
// row-level security), columns (type, collation, default, nullability,
// identity, generated), primary keys, foreign keys, unique, check and
// exclusion constraints, indexes, triggers, rules, policies, extended
// statistics, views, materialized views, sequences (not their position),
// functions, procedures and aggregates, comments, and privileges that
// differ from the defaults. On SQLite: tables (WITHOUT ROWID, STRICT,
// AUTOINCREMENT), columns, primary keys, foreign keys, unique and check
// constraints, indexes, views and triggers.
package catalog

import (
	"context"
	"fmt"
	"strings"

	"retort/engine"
	"retort/schema"
)

// Skip names retort's own tables in a database, which no snapshot shows:
// the version table (Schema "" is the connection's default) and the audit
// table beside it. When Schema is set, the schema itself is left out too.
type Skip struct {
	Schema, VersionTable string
}

// Conn is a connection that reads one database's catalog and rows.
type Conn interface {
	// Dialect is "postgresql" or "sqlite".
	Dialect() string
	// ServerVersion is PostgreSQL's server_version, or the SQLite
	// library's version.
	ServerVersion(ctx context.Context) (string, error)
	// Identity names the database itself, the same for every URL that
	// reaches it: PostgreSQL's system identifier and database oid, a
	// SQLite file's device and inode.
	Identity(ctx context.Context) (string, error)
	// Schema reads the schema.
	Schema(ctx context.Context) (*schema.Snapshot, error)
	// Rows reads every table's rows (see TableRows), keeping the text of
	// at most keep rows per table.
	Rows(ctx context.Context, keep int) ([]TableRows, error)
	// Exec runs a script of statements (a scratch database's seed), named
	// path in errors, which give the line of the failing statement.
	Exec(ctx context.Context, path, script string) error
	// Clear drops everything in the database: only for a scratch
	// database, given to use and to be emptied again.
	Clear(ctx context.Context) error
	Close() error
}

// Options are how Open connects.
type Options struct {
	// Skip are retort's own tables.
	Skip Skip
	// ReadOnly makes the connection refuse to write (the live database of
	// `diff --live`): PostgreSQL's default_transaction_read_only, SQLite's
	// query_only. A SQLite file that does not exist reads as an empty
	// database and is not created.
	ReadOnly bool
}

// Open connects to the database at url, a URL as engine.Open takes it.
func Open(ctx context.Context, url string, o Options) (Conn, error) {
	dialect, err := engine.DialectOf(url)
	if err != nil {
		return nil, err
	}
	if dialect == engine.DialectSQLite {
		path, ok := engine.SQLiteFile(url)
		if !ok {
			return nil, fmt.Errorf("%s: an in-memory SQLite database cannot be read from another connection", engine.MaskURL(url))
		}
		return conn(openSQLite(ctx, path, o))
	}
	dsn, err := PostgresDSN(url)
	if err != nil {
		return nil, err
	}
	return conn(openPostgres(ctx, dsn, engine.MaskURL(url), o))
}

// conn is c as a Conn, nil (not a Conn holding a nil pointer, which a
// caller's Close would dereference) when opening it failed.
func conn[C Conn](c C, err error) (Conn, error) {
	if err != nil {
		return nil, err
	}
	return c, nil
}

// ReadSchema reads the schema of the database at url, on a connection
// opened and closed for it.
func ReadSchema(ctx context.Context, url string, o Options) (*schema.Snapshot, error) {
	c, err := Open(ctx, url, o)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	return c.Schema(ctx)
}

// PostgresDSN turns a PostgreSQL URL in any form engine.Open takes
// (SQLAlchemy's postgresql+psycopg2:// too) into one pgx reads.
func PostgresDSN(url string) (string, error) {
	scheme, rest, ok := strings.Cut(url, ":")
	if !ok || !strings.HasPrefix(rest, "//") {
		return "", fmt.Errorf("database URL %q: expected postgresql://user@host/db", engine.MaskURL(url))
	}
	if s, _, _ := strings.Cut(strings.ToLower(scheme), "+"); s != "postgres" && s != "postgresql" {
		return "", fmt.Errorf("database URL %q is not a PostgreSQL URL", engine.MaskURL(url))
	}
	return "postgresql:" + rest, nil
}

// auditTable is the name of retort's audit table, beside the version table.
const auditTable = engine.DefaultAuditTable

// TableRows is what a table holds, as a rehearsal compares it: how many
// rows, a digest of them all, and their text. A row's text names every
// column with its value (JSON, keys in a fixed order), so that it does not
// depend on the order of the columns.
type TableRows struct {
	Table string `json:"table"`
	Count int    `json:"count"`
	// Digest is the sha256 of the sorted row texts.
	Digest string `json:"digest"`
	// Rows are the row texts, sorted; nil when the table has more rows
	// than were to be kept.
	Rows []string `json:"rows,omitempty"`
}
