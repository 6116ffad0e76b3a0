// Package scratch makes the throwaway databases in which retort builds the
// schema at a revision and rehearses revisions, so that neither ever
// touches the live database.
//
// On SQLite a scratch database is a file in a temporary directory. On
// PostgreSQL it is a database retort creates on the configured server
// (the role needs CREATEDB) and drops when done; or, with Config.URL
// (--scratch), a database given to use, which must be empty, must not be
// the live database (compared by identity: the cluster's system identifier
// and the database's oid, a SQLite file's device and inode, never by URL)
// and is emptied again when done.
//
// Revisions run in it through the engine's public API (engine.Open, Apply),
// with the options the caller gives for the scratch's URL: the executor of
// Alembic's .py revisions, once there is one, is built for that URL, so
// that Python too reaches the scratch database and nothing else.
package scratch

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"retort/catalog"
	"retort/engine"
	"retort/models"
	"retort/schema"
)

// Config says where scratch databases are made.
type Config struct {
	// Live is the configured database's URL: its dialect is the
	// scratch's, and on PostgreSQL its server hosts the scratch database.
	Live string
	// URL is a database to use instead of creating one (--scratch).
	URL string
	// VersionTable is the version table's name (default
	// alembic_version); in the scratch it lives in the default schema.
	VersionTable string
	// Engine gives the engine options of a run in the scratch database
	// whose URL is url (beside those scratch sets itself: the version
	// table, no audit log).
	Engine func(url string) []engine.Option
}

// Server is where the scratch database is, as a cached snapshot depends
// on it.
type Server struct {
	Dialect string
	// Version is PostgreSQL's server_version or the SQLite library's.
	Version string
}

// Probe tells the dialect and version of the server a scratch database
// would be made on, without making it.
func Probe(ctx context.Context, cfg Config) (Server, error) {
	where := cfg.Live
	if cfg.URL != "" {
		where = cfg.URL
	}
	dialect, err := engine.DialectOf(where)
	if err != nil {
		return Server{}, err
	}
	if dialect == engine.DialectSQLite {
		v, err := catalog.SQLiteVersion(ctx)
		return Server{Dialect: dialect, Version: v}, err
	}
	c, err := catalog.Open(ctx, where, catalog.Options{ReadOnly: true})
	if err != nil {
		return Server{}, err
	}
	defer c.Close()
	v, err := c.ServerVersion(ctx)
	return Server{Dialect: dialect, Version: v}, err
}

// DB is a scratch database, open.
type DB struct {
	cfg     Config
	dialect string
	// url is the scratch's URL, as the engine opens it.
	url string
	// made is how the database was made, to remake and remove it; nil for
	// one given with Config.URL, which is emptied instead, once found
	// empty (accepted): a database refused is never touched.
	made     maker
	accepted bool
	// sameServer: PostgreSQL statements on what the whole server shares
	// (roles, tablespaces, databases) would reach the live database's
	// server: such revisions are refused.
	sameServer bool
	eng        *engine.DB
	cat        catalog.Conn
}

// maker makes and removes the scratch databases retort creates.
type maker interface {
	// create makes an empty database and returns its URL.
	create(ctx context.Context) (string, error)
	// remove removes it; close ends what create needed.
	remove(ctx context.Context) error
	close() error
}

// Open makes (or, with Config.URL, checks) a scratch database and connects
// to it.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	if cfg.VersionTable == "" {
		cfg.VersionTable = engine.DefaultVersionTable
	}
	d := &DB{cfg: cfg}
	var err error
	if cfg.URL != "" {
		err = d.useGiven(ctx)
	} else {
		err = d.makeNew(ctx)
	}
	if err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// makeNew creates a scratch database beside the live one.
func (d *DB) makeNew(ctx context.Context) error {
	dialect, err := engine.DialectOf(d.cfg.Live)
	if err != nil {
		return err
	}
	d.dialect = dialect
	if dialect == engine.DialectSQLite {
		dir, err := os.MkdirTemp("", "retort-scratch-")
		if err != nil {
			return fmt.Errorf("making a scratch database: %w", err)
		}
		d.made = &sqliteMaker{path: filepath.Join(dir, "scratch.db"), dir: dir}
	} else {
		m, err := newPGMaker(ctx, d.cfg.Live)
		if err != nil {
			return err
		}
		d.made, d.sameServer = m, true
	}
	if d.url, err = d.made.create(ctx); err != nil {
		return err
	}
	return d.connect(ctx)
}

// connect opens the engine's and the catalog's connections to the scratch.
func (d *DB) connect(ctx context.Context) error {
	var opts []engine.Option
	if d.cfg.Engine != nil {
		opts = append(opts, d.cfg.Engine(d.url)...)
	}
	opts = append(opts, engine.WithVersionTable("", d.cfg.VersionTable), engine.WithAudit(false))
	var err error
	if d.eng, err = engine.Open(ctx, d.url, opts...); err != nil {
		return fmt.Errorf("opening the scratch database: %w", err)
	}
	d.cat, err = catalog.Open(ctx, d.url, catalog.Options{Skip: catalog.Skip{VersionTable: d.cfg.VersionTable}})
	if err != nil {
		return fmt.Errorf("opening the scratch database: %w", err)
	}
	return nil
}

// disconnect closes both connections.
func (d *DB) disconnect() error {
	var errs []error
	if d.cat != nil {
		errs = append(errs, d.cat.Close())
		d.cat = nil
	}
	if d.eng != nil {
		errs = append(errs, d.eng.Close())
		d.eng = nil
	}
	return errors.Join(errs...)
}

// Dialect is the scratch's, "postgresql" or "sqlite".
func (d *DB) Dialect() string { return d.dialect }

// Redacted is the scratch's URL with its password masked.
func (d *DB) Redacted() string { return engine.MaskURL(d.url) }

// Apply runs a plan in the scratch database, as engine.DB.Apply does
// (sink may be nil).
func (d *DB) Apply(ctx context.Context, plan *models.Plan, sink func(models.Event)) error {
	if d.sameServer {
		if err := refuseServerWide(plan); err != nil {
			return err
		}
	}
	if sink == nil {
		sink = func(models.Event) {}
	}
	return d.eng.Apply(ctx, plan, sink)
}

// Rows are the scratch's version rows.
func (d *DB) Rows(ctx context.Context) ([]string, error) { return d.eng.Current(ctx) }

// Schema reads the scratch's schema.
func (d *DB) Schema(ctx context.Context) (*schema.Snapshot, error) { return d.cat.Schema(ctx) }

// Data reads the scratch's rows, keeping the text of at most keep rows
// per table.
func (d *DB) Data(ctx context.Context, keep int) ([]catalog.TableRows, error) {
	return d.cat.Rows(ctx, keep)
}

// Seed runs a script of sample rows (read from path) in the scratch.
func (d *DB) Seed(ctx context.Context, path, script string) error {
	return d.cat.Exec(ctx, path, script)
}

// Reset empties the scratch database: a new one where retort made it, the
// given one cleared.
func (d *DB) Reset(ctx context.Context) error {
	if d.made == nil {
		return d.clear(ctx)
	}
	if err := d.disconnect(); err != nil {
		return err
	}
	if err := d.made.remove(ctx); err != nil {
		return err
	}
	var err error
	if d.url, err = d.made.create(ctx); err != nil {
		return err
	}
	return d.connect(ctx)
}

// Close removes the scratch database retort made, or empties the given
// one, and closes every connection.
func (d *DB) Close() error {
	var errs []error
	ctx := context.Background()
	if d.accepted && d.cat != nil {
		errs = append(errs, d.clear(ctx))
	}
	errs = append(errs, d.disconnect())
	if d.made != nil {
		errs = append(errs, d.made.remove(ctx), d.made.close())
	}
	return errors.Join(errs...)
}
