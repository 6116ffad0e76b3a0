package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"retort/cli/settings"
	"retort/pyalembic"
)

// The project's Python: which interpreter (python), which Flask application
// (app), and the settings retort takes from them when nothing else sets
// them. Python is started only when a value needs it: the versions
// directories when no flag, environment, retort.toml or alembic.ini names
// them and ./migrations is not a versions directory (an Invenio instance, a
// Flask-Migrate application named by --app or FLASK_APP), or the database
// when an application is configured and nothing else names it. `heads`,
// `history` and plans of .sql revisions in any other project never start
// it.

// inspectTimeout bounds the creation of the project's application, which
// imports the whole project (Invenio's takes seconds).
const inspectTimeout = 2 * time.Minute

// pythonState is what one invocation learned from the project's Python.
type pythonState struct {
	driver *pyalembic.Driver
	// hello is the driver's answer to Hello, once checked.
	hello *pyalembic.Hello
	// app is the application the driver created, nil before.
	app *pyalembic.App
	// dirsDone, dbDone: settleDirs and settleDB ran, with these errors
	// (`retort config` reports them after the settings instead of
	// failing before them).
	dirsDone, dbDone bool
	dirsErr, dbErr   error
}

// nothing about the interpreter (pythonChecked does).
func (a *app) python(ctx context.Context) (*pyalembic.Driver, error) {
	if a.py.driver != nil {
		return a.py.driver, nil
	}
	if a.cfg.Python == "" {
		return nil, fmt.Errorf("no Python for this project: %w; name one with --python or `python` in retort.toml", a.cfg.PythonErr)
	}
	d, err := pyalembic.Start(ctx, pyalembic.Options{Python: a.cfg.Python, Dir: "."})
	if err != nil {
		return nil, fmt.Errorf("%w (python: %s)", err, a.cfg.Source[settings.KeyPython])
	}
	a.py.driver = d
	return d, nil
}

// pythonChecked is the project's Python, checked to have Alembic: the
// error says how to get it.
func (a *app) pythonChecked(ctx context.Context) (*pyalembic.Driver, pyalembic.Hello, error) {
	d, err := a.python(ctx)
	if err != nil {
		return nil, pyalembic.Hello{}, err
	}
	if a.py.hello == nil {
		h, err := d.Hello(ctx)
		if err != nil {
			return nil, h, fmt.Errorf("%w (python: %s)", err, a.cfg.Source[settings.KeyPython])
		}
		a.py.hello = &h
	}
	return d, *a.py.hello, nil
}

// closePython ends the project's Python, if it was started.
func (a *app) closePython() {
	if a.py.driver != nil {
		a.py.driver.Close()
		a.py.driver = nil
	}
}

// pythonProject is how the driver reaches the project's migration
// environment, for the steps it runs.
func (a *app) pythonProject() pyalembic.Project {
	s := a.cfg
	locations := make([]string, len(s.Dirs))
	for i, d := range s.Dirs {
		locations[i] = settings.AbsPath(d)
	}
	return pyalembic.Project{
		Ini:                s.AlembicIni,
		ScriptLocation:     s.ScriptLocation,
		VersionLocations:   locations,
		URL:                pyalembic.SQLAlchemyURL(s.DB),
		App:                s.App,
		VersionTable:       s.VersionTable,
		VersionTableSchema: s.VersionSchema,
		NoEnv:              s.Invenio,
	}
}

// inspect asks the project's Python what the project is, within
// inspectTimeout.
func (a *app) inspect(ctx context.Context, r pyalembic.InspectRequest) (pyalembic.Inspection, error) {
	d, err := a.python(ctx)
	if err != nil {
		return pyalembic.Inspection{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, inspectTimeout)
	defer cancel()
	insp, err := d.Inspect(ctx, r)
	if err != nil {
		a.closePython() // a driver stopped by the timeout is gone
		if errors.Is(err, context.DeadlineExceeded) {
			return insp, fmt.Errorf("asking %s what the project is (its entry points, its application) took longer than %v: %w", a.cfg.Python, inspectTimeout, err)
		}
		return insp, err
	}
	if insp.App != nil {
		a.py.app = insp.App
	}
	return insp, nil
}

// settleDirs takes the versions directories from the project's Python when
// nothing else names them and ./migrations is not a versions directory:
// Flask-Migrate's directory of the configured application, else an
// Invenio instance's version locations (and Invenio's default factory as
// the application). Without a configured application, a Python that
// cannot tell (none found, not startable, no invenio_db) leaves the
// default: a load never fails because of the Python found.
func (a *app) settleDirs(ctx context.Context) error {
	if a.py.dirsDone {
		return a.py.dirsErr
	}
	a.py.dirsDone = true
	a.py.dirsErr = a.detectLayout(ctx)
	return a.py.dirsErr
}

func (a *app) detectLayout(ctx context.Context) error {
	s := a.cfg
	if s.Source[settings.KeyDirs] != settings.SourceDefault || settings.IsVersionsDir(s.Dirs[0]) {
		return nil
	}
	found, err := a.layoutFromPython(ctx)
	if err != nil || found {
		return err
	}
	if _, err := os.Stat(filepath.Join(s.Dirs[0], "env.py")); err == nil {
		a.warn(fmt.Sprintf("%s holds an env.py: it is an Alembic script directory, not a versions directory; "+
			"name the Flask application that configures it (--app, FLASK_APP) or its versions directory (--dir %s)",
			s.Dirs[0], filepath.Join(s.Dirs[0], "versions")))
	}
	return nil
}

// layoutFromPython asks the project's Python for the versions directories;
// found tells whether it gave them.
func (a *app) layoutFromPython(ctx context.Context) (found bool, err error) {
	s := a.cfg
	if s.Python == "" && s.App == "" {
		return false, nil
	}
	insp, err := a.inspect(ctx, pyalembic.InspectRequest{App: s.App, Invenio: true})
	if err != nil {
		if s.App == "" {
			return false, nil
		}
		return false, fmt.Errorf("the application %s (%s) needs the project's Python: %w", s.App, s.Source[settings.KeyApp], err)
	}
	if insp.AppError != nil {
		return false, appError(s, insp.AppError)
	}
	if insp.InvenioError != nil {
		return false, fmt.Errorf("the project's Python %s (%s) has invenio_db, whose migrations cannot be read: %w", s.Python, s.Source[settings.KeyPython], insp.InvenioError)
	}
	switch {
	case insp.App != nil && insp.App.Migrate != nil:
		return true, a.useFlaskMigrate(insp.App)
	case insp.Invenio != nil:
		a.useInvenio(insp.Invenio)
		return true, nil
	}
	return false, nil
}

// useFlaskMigrate takes the versions directories from Flask-Migrate's
// directory, as Flask-Migrate configures Alembic: its alembic.ini, with
// the directory as script_location, so <directory>/versions unless the
// ini names version_locations.
func (a *app) useFlaskMigrate(app *pyalembic.App) error {
	s := a.cfg
	dir := displayPath(app.Migrate.Directory)
	from := fmt.Sprintf("Flask-Migrate's directory of the application %s (Python %s)", app.Import, s.Python)
	dirs := []string{filepath.Join(dir, "versions")}
	ini := filepath.Join(app.Migrate.Directory, settings.AlembicIniName)
	if _, err := os.Stat(ini); err == nil {
		l, err := settings.ReadAlembicIni(ini)
		if err != nil {
			return err
		}
		if v, ok := l[settings.KeyDirs]; ok && strings.HasSuffix(v.Source, " version_locations") {
			dirs, from = v.Value.([]string), v.Source
		}
		s.AlembicIni = ini
	}
	s.Dirs, s.Source[settings.KeyDirs] = dirs, from
	s.ScriptLocation = app.Migrate.Directory
	a.followDirs()
	return nil
}

// useInvenio takes an Invenio instance's version locations, and Invenio's
// default factory when no application is configured.
func (a *app) useInvenio(inv *pyalembic.Invenio) {
	s := a.cfg
	for _, l := range inv.Locations {
		switch {
		case l.Error != nil:
			a.warn(fmt.Sprintf("invenio_db.alembic entry point %s = %s: %v", l.Name, l.Value, l.Error))
		case l.Warning != "":
			a.warn(fmt.Sprintf("invenio_db.alembic entry point %s = %s: %s", l.Name, l.Value, l.Warning))
		case !l.Exists:
			a.warn(fmt.Sprintf("invenio_db.alembic entry point %s = %s: %s is not a directory; left out, as Alembic leaves it out", l.Name, l.Value, l.Path))
		}
	}
	dirs := inv.VersionLocations()
	for i, d := range dirs {
		dirs[i] = displayPath(d)
	}
	s.Dirs = dirs
	s.Source[settings.KeyDirs] = fmt.Sprintf("invenio_db.alembic entry points (Python %s, started because no flag, environment, retort.toml or alembic.ini names the versions directories)", s.Python)
	s.ScriptLocation = inv.ScriptLocation
	s.Invenio = true
	if s.App == "" {
		s.App = pyalembic.DefaultInvenioApp
		s.Source[settings.KeyApp] = fmt.Sprintf("default for Invenio (invenio_db in Python %s)", s.Python)
	}
	a.followDirs()
}

// followDirs keeps the default database beside the versions directory
// that replaced the default one.
func (a *app) followDirs() {
	if a.cfg.Source[settings.KeyDB] == settings.SourceDefault {
		a.cfg.DB = settings.DefaultDB(a.cfg.Dirs[0])
	}
}

// settleDB takes the database from the application when one is configured
// (or is Invenio's) and nothing else names the database: the URL of its
// Flask-SQLAlchemy engine, which is where its revisions' db.session
// connects.
func (a *app) settleDB(ctx context.Context) error {
	if a.py.dbDone {
		return a.py.dbErr
	}
	a.py.dbDone = true
	a.py.dbErr = a.dbFromApp(ctx)
	return a.py.dbErr
}

func (a *app) dbFromApp(ctx context.Context) error {
	s := a.cfg
	if err := a.settleDirs(ctx); err != nil {
		return err
	}
	if s.Source[settings.KeyDB] != settings.SourceDefault || s.App == "" {
		return nil
	}
	app := a.py.app
	if app == nil {
		insp, err := a.inspect(ctx, pyalembic.InspectRequest{App: s.App})
		if err != nil {
			return fmt.Errorf("the database of the application %s (%s) needs the project's Python: %w", s.App, s.Source[settings.KeyApp], err)
		}
		if insp.AppError != nil {
			return appError(s, insp.AppError)
		}
		app = insp.App
	}
	if app.URLError != nil {
		return fmt.Errorf("the database URL of the application %s: %w", s.App, app.URLError)
	}
	if app.URL == "" {
		return nil // no Flask-SQLAlchemy: the default stands
	}
	s.DB = app.URL
	what := "Flask-SQLAlchemy's engine of the application"
	if s.Invenio {
		what = "SQLALCHEMY_DATABASE_URI of the Invenio application"
	}
	s.Source[settings.KeyDB] = fmt.Sprintf("%s %s (Python %s)", what, s.App, s.Python)
	return nil
}

// appError is an application that could not be created, with Python's
// error and where the application and the interpreter were named.
func appError(s *settings.Settings, e *pyalembic.PyError) error {
	return fmt.Errorf("%s (app: %s; python: %s, %s)", e.Error(), s.Source[settings.KeyApp], s.Python, s.Source[settings.KeyPython])
}

// warn prints a warning on stderr, as retort's other warnings.
func (a *app) warn(msg string) { printf(a.stderr, "warning: %s\n", msg) }

// displayPath writes an absolute path from Python relative to the current
// directory when it is below it, as retort shows its paths.
func displayPath(p string) string {
	wd, err := os.Getwd()
	if err != nil {
		return p
	}
	if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return p
}
