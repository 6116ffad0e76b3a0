package engine

import (
	"context"
	"fmt"
	"os"
	"os/user"

	"retort/engine/internal/gate"
	"retort/engine/internal/secret"
	"retort/engine/internal/tables"
)

// DB is one database retort works on, through one dedicated connection that
// holds the run lock and runs every step.
type DB struct {
	// gate is held by a run for its whole length and by a read for its
	// query.
	gate    gate.Gate
	cfg     config
	dialect dialect
	// dsn is what dialect opens, kept to open the connection again once
	// it is lost.
	dsn     string
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
	secrets := secret.Of(url)
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
		return nil, secret.Error(err, secrets)
	}
	db.dialect, db.dsn = t.dialect, t.dsn
	db.ident = localIdentity()
	if err := db.open(ctx); err != nil {
		return nil, err
	}
	return db, nil
}

// open opens the DB's connection and lock, at Open and again after the
// connection was lost.
func (db *DB) open(ctx context.Context) error {
	c, l, err := db.dialect.open(ctx, db.dsn, openOptions{redacted: db.redacted, appName: db.cfg.applicationName,
		table: db.version.Ref, host: db.ident.host})
	if err != nil {
		return secret.Error(err, db.secrets)
	}
	db.conn, db.lock, db.ident.dbUser = c, l, c.user()
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
	db.gate.EnterAlways()
	defer db.gate.Leave()
	return db.wrap(db.conn.Close(context.Background()), "closing %s", db.redacted)
}

// Redacted is the database URL with its password masked.
func (db *DB) Redacted() string { return db.redacted }

// Dialect is "postgresql" or "sqlite".
func (db *DB) Dialect() string { return db.dialect.name() }

// wrap adds context to a database error, with the password masked. It
// returns nil for a nil error.
func (db *DB) wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf(format+": %w", append(args, secret.Error(err, db.secrets))...)
}
