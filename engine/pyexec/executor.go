// Package pyexec runs Alembic's .py revisions for the engine: it is the
// executor of models.FormatPython (engine.WithExecutor), on the project's
// Python through package pyalembic's driver, which runs Alembic's own
// runtime and the project's env.py.
//
// The engine decides and the driver executes. Before the run's first step
// the driver runs env.py and becomes a database session on env.py's
// connection (session). Each transaction the engine begins there runs
// inside one of Alembic's per-migration transactions: the engine reads and
// checks the version rows, the body calls the revision's upgrade() or
// downgrade() (body), and the engine writes the version changes, the audit
// row and the COMMIT, after which Alembic closes its step, with nothing
// left to commit (the driver begins and ends retort's transactions as SQL,
// which saves round trips). So the check, the body, the version changes
// and the audit row are one transaction of Python's connection, with no
// gap between the check and the step, while the engine's own connection
// holds only the run lock. Alembic's autocommit_block() keeps working: the
// transaction so far commits, the block runs in autocommit, and the step
// ends in a new transaction. Before the first step, the session is checked
// to reach the database the engine holds the lock on, with the version
// table the engine reads (Session).
//
// A preview renders each step through Alembic's offline mode instead
// (preview.go).
package pyexec

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"retort/engine"
	"retort/engine/step"
	"retort/models"
	"retort/pyalembic"
)

const (
	dialectPostgres = engine.DialectPostgres
	dialectSQLite   = engine.DialectSQLite
)

// DefaultRenderTimeout bounds a preview's rendering through Alembic's
// offline mode, which imports the project (an application factory, every
// revision of the plan).
const DefaultRenderTimeout = 2 * time.Minute

// Config says where the executor finds the project's Python.
type Config struct {
	// Python lends the project's Python for one run or preview: a started
	// driver whose interpreter has Alembic. done gives it back; broken:
	// it was stopped or died, and must not be lent again.
	Python func(ctx context.Context) (d *pyalembic.Driver, done func(broken bool), err error)
	// Project is how the driver reaches the project's migration
	// environment (its env.py, the database URL handed to it).
	Project pyalembic.Project
	// Warn reports what a preview leaves out (a revision Alembic's
	// offline mode cannot render, no usable Python); nil drops it.
	Warn func(msg string)
	// RenderTimeout bounds a preview's rendering (0: DefaultRenderTimeout).
	RenderTimeout time.Duration
}

// New returns the maker of the executor engine.WithExecutor takes for
// models.FormatPython.
func New(c Config) func(step.Database) step.Executor {
	return func(db step.Database) step.Executor { return &executor{cfg: c, db: db} }
}

// executor runs the .py steps of one run (db set) or preview (db nil).
type executor struct {
	cfg Config
	db  step.Database
	// bodies are the steps prepared, in the plan's order: a preview
	// renders them all at once.
	bodies []*body
	// sess is the run's session once opened, done gives its driver back.
	sess *session
	done func(broken bool)
	// rendered: the preview's rendering was asked for.
	rendered bool
}

// Prepare takes an upgrade or a downgrade of a .py revision. Whether the
// revision can run (its module imports, it has a downgrade()) is Alembic's
// to say when it runs it.
func (x *executor) Prepare(s *models.Step) (step.Body, error) {
	r := s.Revision
	if r.Format != models.FormatPython {
		return nil, fmt.Errorf("%s: revision %s is not an Alembic .py revision", r.Path, r.ID)
	}
	if s.Direction != models.Upgrade && s.Direction != models.Downgrade {
		return nil, fmt.Errorf("%s: a %s step has no body to run", r.Path, s.Direction)
	}
	b := &body{x: x, step: s}
	x.bodies = append(x.bodies, b)
	return b, nil
}

// Session starts the project's env.py in the driver, once per run, and
// checks that its connection reaches the database the engine holds the
// lock on, with the same version table.
func (x *executor) Session(ctx context.Context) (step.Session, error) {
	if x.sess != nil {
		return x.sess, nil
	}
	if x.db == nil {
		return nil, errors.New("a preview has no session")
	}
	if x.cfg.Python == nil {
		return nil, errors.New("no Python is configured to run Alembic's .py revisions")
	}
	d, done, err := x.cfg.Python(ctx)
	if err != nil {
		return nil, err
	}
	s := &session{d: d, db: x.db, dialect: x.db.Dialect()}
	ready, err := d.Run(ctx, x.cfg.Project, s.hold)
	if err != nil {
		done(broken(ctx, err))
		return nil, fmt.Errorf("starting the project's env.py: %w", err)
	}
	if err := x.check(ctx, ready); err != nil {
		ferr := d.Finish(context.WithoutCancel(ctx))
		done(ferr != nil)
		return nil, err
	}
	s.user, s.backend = ready.Identity.User, ready.Identity.Backend
	x.sess, x.done = s, done
	return s, nil
}

// broken tells whether a failed request left the driver unusable: it
// exited, or was stopped when ctx ended.
func broken(ctx context.Context, err error) bool {
	return errors.Is(err, pyalembic.ErrExited) || ctx.Err() != nil
}

// Release ends env.py's run and gives the driver back. A driver that
// died is not an error here: the step it broke said so.
func (x *executor) Release(ctx context.Context) error {
	if x.sess == nil {
		return nil
	}
	err := x.sess.d.Finish(ctx)
	x.done(err != nil && broken(ctx, err))
	x.sess = nil
	if errors.Is(err, pyalembic.ErrExited) {
		return nil
	}
	return err
}

// check refuses a session whose connection is not on the engine's
// database, or whose Alembic context names another version table: the run
// would lock one database (or table) and migrate another. retort cannot
// adopt env.py's version table at this point: the plan was made from the
// rows of its own.
func (x *executor) check(ctx context.Context, r *pyalembic.Ready) error {
	schema, name := x.db.VersionTable()
	if r.VersionTable != name || r.VersionTableSchema != schema {
		return fmt.Errorf("the project's env.py configures Alembic's version table %s, but retort reads and writes %s: "+
			"give retort the same table (--version-table and --version-schema, or version_table and version_schema in retort.toml)",
			tableName(r.VersionTableSchema, r.VersionTable), tableName(schema, name))
	}
	want, err := x.db.Identity(ctx)
	if err != nil {
		return err
	}
	got := r.Identity
	same := got.Dialect == want.Dialect
	if same && want.Dialect == dialectPostgres {
		same = got.Database == want.Database && got.SystemIdentifier == want.SystemIdentifier
	}
	if same && want.Dialect == dialectSQLite {
		if same, err = sameFile(want.Path, got.Path); err != nil {
			return err
		}
	}
	if !same {
		return fmt.Errorf("the project's env.py connects to %s, not to the database retort holds the lock on (%s, %s): "+
			"retort never locks one database and migrates another; make env.py use the URL retort hands it as sqlalchemy.url, "+
			"or give retort the database env.py connects to (--db)", describe(got.Dialect, got.Database, got.SystemIdentifier, got.Path),
			x.db.Redacted(), describe(want.Dialect, want.Database, want.SystemIdentifier, want.Path))
	}
	return nil
}

// sameFile compares two SQLite database files by device and inode.
func sameFile(engines, pythons string) (bool, error) {
	if engines == "" || pythons == "" {
		return false, nil // an in-memory database is its connection's alone
	}
	a, err := os.Stat(engines)
	if errors.Is(err, os.ErrNotExist) {
		// retort creates its file at its first write; env.py's
		// connection, which exists by now, is another one.
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("the database file retort holds the lock on: %w", err)
	}
	b, err := os.Stat(pythons)
	if err != nil {
		return false, fmt.Errorf("the database file env.py connects to: %w", err)
	}
	return os.SameFile(a, b), nil
}

// describe names the database a connection reaches, in messages.
func describe(dialect, database, system, path string) string {
	switch dialect {
	case dialectPostgres:
		return fmt.Sprintf("PostgreSQL database %q of the cluster %s", database, system)
	case dialectSQLite:
		if path == "" {
			return "an in-memory SQLite database"
		}
		return "the SQLite file " + path
	}
	return "a " + dialect + " database"
}

func tableName(schema, name string) string {
	if schema == "" {
		return name
	}
	return schema + "." + name
}
