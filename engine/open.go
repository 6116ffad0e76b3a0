package engine

import (
	"context"
	"fmt"
	"os"
	"os/user"

	"github.com/jackc/pgx/v5"

	"retort/engine/internal/tables"
)

// DB is one database retort works on, through one dedicated connection that
// holds the run lock and runs every step.
type DB struct {
	// gate is held by a run for its whole length and by a read for its
	// query; see connGate.
	gate    connGate
	cfg     config
	conn    dbConn
	lock    locker
	version tables.Version
	audit   tables.Audit
	// redacted is the URL with its password masked; secrets are the forms
	// of the password that must never be shown.
	redacted string
	secrets  []string
	// who ran the migrations, for the audit log.
	ident identity
}

// identity is who runs retort, as the audit log records it.
type identity struct {
	dbUser, osUser, host string
}

// Open connects to the database at url: `postgres://` or `postgresql://`
// (SQLAlchemy's `postgresql+driver://` too) through pgx, or `sqlite:PATH`,
// `sqlite:///relative.db`, `sqlite:////absolute.db` through the pure-Go
// SQLite driver. Nothing is written: the version table is created by the
// first run, and so is a SQLite file that does not exist yet (reading it
// reports no version rows).
func Open(ctx context.Context, url string, opts ...Option) (*DB, error) {
	cfg := newConfig(opts)
	secrets := secretsOf(url)
	db := &DB{
		cfg:      cfg,
		version:  tables.Version{Ref: tables.Ref{Schema: cfg.schema, Name: cfg.table}},
		audit:    tables.Audit{Ref: tables.Ref{Schema: cfg.schema, Name: DefaultAuditTable}, VersionTable: cfg.table},
		redacted: MaskURL(url),
		secrets:  secrets,
	}
	if err := db.version.Check(); err != nil {
		return nil, fmt.Errorf("version table: %w", err)
	}
	t, err := parseURL(url)
	if err != nil {
		return nil, maskError(err, secrets)
	}
	db.ident = localIdentity()
	switch t.dialect {
	case DialectPostgres:
		err = db.openPostgres(ctx, t.dsn)
	default:
		err = db.openSQLite(ctx, t.dsn)
	}
	if err != nil {
		return nil, err
	}
	return db, nil
}

func (db *DB) openPostgres(ctx context.Context, dsn string) error {
	cfg, err := parsePostgres(dsn, db.cfg.applicationName)
	if err != nil {
		return db.wrap(err, "connecting to %s", db.redacted)
	}
	return db.connectPostgres(ctx, cfg)
}

// connectPostgres opens the DB's connection, at Open and again after the
// connection was lost.
func (db *DB) connectPostgres(ctx context.Context, cfg *pgx.ConnConfig) error {
	c, err := connectPostgres(ctx, cfg)
	if err != nil {
		return db.wrap(err, "connecting to %s", db.redacted)
	}
	// Let the server notice within a second that retort died (killed,
	// machine gone) while a statement runs, roll the step back and free
	// the lock, instead of finishing a long statement for nobody.
	// PostgreSQL 14+ on Linux, macOS and the BSDs; elsewhere the setting
	// is refused and the server notices at the end of the statement.
	_, _ = c.exec(ctx, "SET client_connection_check_interval = 1000")
	db.conn = c
	db.ident.dbUser = c.user
	db.lock = &pgLocker{c: c, table: db.version.Ref}
	return nil
}

func (db *DB) openSQLite(ctx context.Context, path string) error {
	c, err := openSQLite(ctx, path)
	if err != nil {
		return db.wrap(err, "opening %s", db.redacted)
	}
	db.conn = c
	if path == "" {
		db.lock = memoryLocker{}
	} else {
		db.lock = newFileLocker(path, db.cfg.applicationName, db.ident.host)
	}
	return nil
}

// localIdentity is the OS user and host running retort.
func localIdentity() identity {
	id := identity{osUser: os.Getenv("USER")}
	if u, err := user.Current(); err == nil {
		id.osUser = u.Username
	}
	id.host, _ = os.Hostname()
	return id
}

// Close closes the connection.
func (db *DB) Close() error {
	db.gate.enterAlways()
	defer db.gate.leave()
	return db.wrap(db.conn.close(context.Background()), "closing %s", db.redacted)
}

// Redacted is the database URL with its password masked.
func (db *DB) Redacted() string { return db.redacted }

// Dialect is "postgresql" or "sqlite".
func (db *DB) Dialect() string { return db.conn.dialect() }

// wrap adds context to a database error, with the password masked. It
// returns nil for a nil error.
func (db *DB) wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf(format+": %w", append(args, maskError(err, db.secrets))...)
}
