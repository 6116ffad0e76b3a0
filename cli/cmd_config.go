package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"retort/cli/settings"

	"github.com/spf13/cobra"

	"retort/engine"
	"retort/pyalembic"
	"retort/visible"
)

// config: the resolved settings and where each comes from.

// configEntry is one resolved setting in `retort config --json`.
type configEntry struct {
	Value  any    `json:"value"`
	Source string `json:"source"`
	// Check is what --check-python found (on python alone).
	Check *pythonCheck `json:"check,omitempty"`
}

// pythonCheck is what `config --check-python` reports of the project's
// Python, and of the application when one is configured.
type pythonCheck struct {
	Python     string `json:"python"`
	Executable string `json:"executable"`
	Alembic    string `json:"alembic"`
	SQLAlchemy string `json:"sqlalchemy"`
	// App and its Flask-Migrate directory and database (password
	// masked), when an application is configured.
	App        string `json:"app,omitempty"`
	AppMigrate string `json:"app_migrate,omitempty"`
	AppDB      string `json:"app_db,omitempty"`
}

// configValues lists the resolved settings in settings.Keys order, with the
// database password masked.
func configValues(s *settings.Settings) []struct {
	key   string
	value any
} {
	return []struct {
		key   string
		value any
	}{
		{settings.KeyDirs, s.Dirs},
		{settings.KeyDB, engine.MaskURL(s.DB)},
		{settings.KeyPython, s.Python},
		{settings.KeyApp, s.App},
		{settings.KeyVersionTable, s.VersionTable},
		{settings.KeyVersionSchema, s.VersionSchema},
		{settings.KeyLockTimeout, s.LockTimeout.String()},
		{settings.KeyAudit, s.Audit},
		{settings.KeyASCII, s.ASCII},
		{settings.KeyEditor, s.Editor},
	}
}

// configLong is the description `retort config --help` prints.
const configLong = `Print every setting retort runs with, one per line in retort.toml syntax,
each followed by where it came from:

  dirs = ["migrations"]                 # /srv/app/retort.toml
  db = "postgresql://app:xxxxx@db/app"  # environment DATABASE_URL
  version_table = "alembic_version"     # default

The first of these that sets a value wins: a flag (--dir, --db, ...), the
environment (DATABASE_URL, RETORT_DIR; VISUAL and EDITOR for the editor),
retort.toml (the --config file, else ./retort.toml; shown by absolute
path), ./alembic.ini ([alembic] script_location, version_locations and
sqlalchemy.url, as Alembic reads them, %(here)s included), the default.
The database password is masked. Paths are shown as retort uses them,
relative to the current directory (a relative path written in retort.toml
is relative to that file, one in alembic.ini to the current directory, as
in Alembic).

python is the project's Python, in which retort uses Alembic for .py
revisions: --python, else python in retort.toml, else
$VIRTUAL_ENV/bin/python, else a .venv or venv in the directory of
--config's file or the current directory (any directory with bin/python),
else python3 on PATH. app is the Flask application factory revisions run in
(Flask-Migrate, Invenio): --app, else app in retort.toml, else $FLASK_APP.

When nothing names the versions directories (no flag, environment,
retort.toml or alembic.ini) and ./migrations is not a versions directory,
retort asks that Python: Flask-Migrate's directory of the application
(its alembic.ini and env.py apply), or, when it has invenio_db, the
invenio_db.alembic entry points of an Invenio instance, with
invenio_app.factory:create_api as the default application. The database
then comes from the application (Flask-SQLAlchemy's engine,
SQLALCHEMY_DATABASE_URI) unless something names it. Their sources say so:
every command starts Python there, as "invenio alembic" does. Otherwise
config does not start Python, and neither do heads, history or plans of
.sql revisions.

  --json           print {"<key>": {"value": ..., "source": "..."}} instead
  --check-python   start the project's Python and check that it has
                   Alembic (and can create the application, when one is
                   configured); printed as # comments after the settings

config is retort's own; Alembic has no such command.

Exit status: 0; 1 when a configuration file cannot be read (the error names
the file, the line and, for an unknown key, the keys retort knows), when
the application that names a setting cannot be created (the settings are
printed first), or when --check-python finds no usable Python.`

func (a *app) configCommand() *cobra.Command {
	var asJSON, checkPython bool
	c := &cobra.Command{
		Use:   "config",
		Short: "Show the resolved settings and where each comes from",
		Long:  configLong,
		Example: `  retort config
  retort --dir examples/library config
  DATABASE_URL=postgresql://app:secret@db/app retort config --json
  retort --python .venv/bin/python --app app:create_app config --check-python`,
		Args:        cobra.NoArgs,
		Annotations: map[string]string{annotationReport: "yes"},
		RunE: func(cmd *cobra.Command, _ []string) error {
			// A setting the application could not give is an error
			// after the settings are shown, each with the source of
			// the value retort has instead.
			settleErr := a.settleDB(cmd.Context())
			var check *pythonCheck
			var checkErr error
			if checkPython {
				check, checkErr = a.checkPython(cmd.Context())
			}
			values := configValues(a.cfg)
			if asJSON {
				out := make(map[string]configEntry, len(values))
				for _, v := range values {
					out[v.key] = configEntry{Value: v.value, Source: a.cfg.Source[v.key]}
				}
				if check != nil {
					e := out[settings.KeyPython]
					e.Check = check
					out[settings.KeyPython] = e
				}
				if err := a.writeJSON(out); err != nil {
					return err
				}
				return errors.Join(settleErr, checkErr)
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			for _, v := range values {
				fmt.Fprintf(tw, "%s = %s\t# %s\n", v.key, visible.Line(tomlValue(v.value)), visible.Line(a.cfg.Source[v.key]))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			if check != nil {
				for _, line := range check.lines() {
					printLine(a.stdout, "# "+line)
				}
			}
			return errors.Join(settleErr, checkErr)
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	c.Flags().BoolVar(&checkPython, "check-python", false, "start the project's Python and check that it has Alembic (and can create the application)")
	return c
}

// checkPython starts the project's Python, checks that it has Alembic,
// and creates the configured application.
func (a *app) checkPython(ctx context.Context) (*pythonCheck, error) {
	_, h, err := a.pythonChecked(ctx)
	if err != nil {
		return nil, err
	}
	c := &pythonCheck{Python: h.Python, Executable: h.Executable, Alembic: h.Alembic, SQLAlchemy: h.SQLAlchemy}
	if a.cfg.App == "" {
		return c, nil
	}
	app := a.py.app
	if app == nil {
		insp, err := a.inspect(ctx, pyalembic.InspectRequest{App: a.cfg.App})
		if err != nil {
			return c, err
		}
		if insp.AppError != nil {
			return c, appError(a.cfg, insp.AppError)
		}
		app = insp.App
	}
	c.App = app.Import
	if app.Migrate != nil {
		c.AppMigrate = displayPath(app.Migrate.Directory)
	}
	c.AppDB = engine.MaskURL(app.URL)
	return c, nil
}

// lines are the check's comment lines.
func (c *pythonCheck) lines() []string {
	out := []string{fmt.Sprintf("Python %s (%s): Alembic %s, SQLAlchemy %s", c.Python, c.Executable, c.Alembic, c.SQLAlchemy)}
	if c.App != "" {
		app := "application " + c.App + ": created"
		if c.AppMigrate != "" {
			app += ", Flask-Migrate directory " + c.AppMigrate
		}
		if c.AppDB != "" {
			app += ", database " + c.AppDB
		}
		out = append(out, app)
	}
	return out
}

// tomlValue writes a setting in TOML syntax.
func tomlValue(v any) string {
	switch x := v.(type) {
	case string:
		return tomlQuote(x)
	case []string:
		q := make([]string, len(x))
		for i, s := range x {
			q[i] = tomlQuote(s)
		}
		return "[" + strings.Join(q, ", ") + "]"
	case time.Duration:
		return tomlQuote(x.String())
	}
	return fmt.Sprint(v)
}

// tomlQuote writes s as a TOML basic string. Control characters and the
// characters a terminal does not draw as themselves (visible.Control) are
// written as \uXXXX escapes, which TOML reads back as they were: unlike
// strconv.Quote's \x1b or \a, which TOML 1.0 does not know.
func tomlQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r > 0xffff && visible.Control(r): // tag characters
			fmt.Fprintf(&b, "\\U%08x", r)
		case visible.Control(r):
			fmt.Fprintf(&b, "\\u%04x", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
