package scratch

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"retort/catalog"
	"retort/engine"
)

// ErrNoCreateDB is the refusal of a PostgreSQL server to let the role
// create the scratch database.
var ErrNoCreateDB = errors.New("the role may not create databases")

// sqliteMaker makes a scratch SQLite file in a temporary directory of its
// own, so that the lock file and journals beside it go with it.
type sqliteMaker struct {
	path, dir string
}

func (m *sqliteMaker) create(context.Context) (string, error) {
	if err := os.MkdirAll(m.dir, 0o700); err != nil {
		return "", fmt.Errorf("making a scratch database: %w", err)
	}
	return "sqlite:" + m.path, nil
}

func (m *sqliteMaker) remove(context.Context) error { return os.RemoveAll(m.dir) }
func (m *sqliteMaker) close() error                 { return nil }

// pgMaker creates scratch databases on the live database's server, through
// a connection to the live database that runs nothing in it (CREATE
// DATABASE and DROP DATABASE act on the server).
type pgMaker struct {
	admin    *pgx.Conn
	dsn      string
	base     *url.URL
	redacted string
	name     string
	// created: the database exists, to be dropped.
	created bool
	// force: DROP DATABASE ... WITH (FORCE), PostgreSQL 13 and later.
	force bool
}

func newPGMaker(ctx context.Context, live string) (*pgMaker, error) {
	dsn, err := catalog.PostgresDSN(live)
	if err != nil {
		return nil, err
	}
	base, err := url.Parse(dsn)
	if err != nil {
		return nil, fmt.Errorf("database URL %q: %w", engine.MaskURL(live), err)
	}
	m := &pgMaker{base: base, dsn: dsn, redacted: engine.MaskURL(live)}
	if m.admin, err = pgx.Connect(ctx, dsn); err != nil {
		return nil, fmt.Errorf("connecting to %s to create a scratch database: %w", m.redacted, err)
	}
	var version int
	if err := m.admin.QueryRow(ctx, `SELECT current_setting('server_version_num')::int`).Scan(&version); err != nil {
		m.close()
		return nil, fmt.Errorf("reading %s: %w", m.redacted, err)
	}
	m.force = version >= 130000
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	m.name = fmt.Sprintf("retort_scratch_%d_%s", os.Getpid(), hex.EncodeToString(b))
	return m, nil
}

// create makes the database; a role without CREATEDB is told what to do.
func (m *pgMaker) create(ctx context.Context) (string, error) {
	if _, err := m.admin.Exec(ctx, `CREATE DATABASE `+pgx.Identifier{m.name}.Sanitize()); err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "42501" {
			var role string
			_ = m.admin.QueryRow(ctx, `SELECT current_user`).Scan(&role)
			return "", fmt.Errorf("creating a scratch database on the server of %s: %w (%v): grant it with ALTER ROLE %s CREATEDB, or give an empty database to use with --scratch URL",
				m.redacted, ErrNoCreateDB, err, pgx.Identifier{role}.Sanitize())
		}
		return "", fmt.Errorf("creating a scratch database on the server of %s: %w", m.redacted, err)
	}
	m.created = true
	u := *m.base
	u.Path, u.RawPath = "/"+m.name, ""
	if q := u.Query(); q.Has("dbname") || q.Has("database") {
		q.Del("dbname")
		q.Del("database")
		u.RawQuery = q.Encode()
	}
	return u.String(), nil
}

// remove drops the database, connecting again if a cancelled statement
// cost the connection.
func (m *pgMaker) remove(ctx context.Context) error {
	if !m.created {
		return nil
	}
	if m.admin.IsClosed() {
		c, err := pgx.Connect(ctx, m.dsn)
		if err != nil {
			return fmt.Errorf("dropping the scratch database %s: %w", m.name, err)
		}
		m.admin = c
	}
	sql := `DROP DATABASE IF EXISTS ` + pgx.Identifier{m.name}.Sanitize()
	if m.force {
		sql += ` WITH (FORCE)`
	}
	if _, err := m.admin.Exec(ctx, sql); err != nil {
		return fmt.Errorf("dropping the scratch database %s: %w", m.name, err)
	}
	m.created = false
	return nil
}

func (m *pgMaker) close() error { return m.admin.Close(context.Background()) }
