package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"retort/cli/settings"

	"github.com/spf13/cobra"
)

// init: a new project, its versions directories and a commented
// retort.toml.

// initLong is the description `retort init --help` prints.
const initLong = `Create the versions directory and, beside it, a retort.toml that documents
every setting: versions directories, database URL, the project's Python and
Flask application, version table name and schema, lock timeout, audit log and
ASCII drawing. Only dirs is set, to the new directory (relative
to retort.toml); every other line is a commented-out example showing the
default.

The versions directory is DIR when given. Without DIR, it is the one the
configuration names, in this order: --dir (repeat it for several), then
$RETORT_DIR, then the configuration file (--config, ./retort.toml, or the
script_location of ./alembic.ini), and migrations when none does. When a
configuration file names it, the project is configured already: init only
creates the versions directories that do not exist yet, and writes no
retort.toml.

init never overwrites anything: it refuses when the retort.toml it would
write already exists, when a versions directory exists and is not empty,
and, for a configured project, when every versions directory exists.

retort reads retort.toml from the current directory (or the file --config
names), so run retort from the directory that holds it.

Output: a "Creating directory <path> ...  done" line per directory and a
"Generating <path> ...  done" line for retort.toml, as "alembic init"
prints them, then what to do next. Unlike "alembic init", no env.py or
script template is written: a retort project is its versions directory
and retort.toml.

Exit status: 0 when the project was created; 1 when init refuses or a
directory or file cannot be written (nothing is written then).`

func (a *app) initCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "init [DIR]",
		Short: "Create a versions directory and a commented retort.toml",
		Long:  initLong,
		Example: `  retort init                   # ./migrations and ./retort.toml
  retort init db/migrations     # db/migrations and db/retort.toml
  RETORT_DIR=sql retort init    # ./sql and ./retort.toml with dirs = ["sql"]
  retort init && retort revision -m "create documents"`,
		Args:              cobra.MaximumNArgs(1),
		PersistentPreRunE: noSettings,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				return a.initProject([]string{args[0]})
			}
			dirs, source, fromFile, err := settings.ConfiguredDirs(a.flags, settings.LookupEnv)
			if err != nil {
				return err
			}
			if fromFile {
				return a.initConfigured(dirs, source)
			}
			return a.initProject(dirs)
		},
	}
}

// checkInitDirs refuses versions directories that exist and are not empty;
// it returns the ones that do not exist yet.
func checkInitDirs(dirs []string) ([]string, error) {
	var missing []string
	for _, dir := range dirs {
		entries, err := os.ReadDir(dir)
		switch {
		case errors.Is(err, os.ErrNotExist):
			missing = append(missing, dir)
		case err != nil:
			return nil, fmt.Errorf("versions directory: %w", err)
		case len(entries) > 0:
			return nil, fmt.Errorf("versions directory %s already exists and is not empty", dir)
		}
	}
	return missing, nil
}

// makeDirs creates the versions directories.
func (a *app) makeDirs(dirs []string) error {
	for _, dir := range dirs {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("creating the versions directory: %w", err)
		}
		a.status("Creating directory " + settings.AbsPath(dir))
	}
	return nil
}

// initProject creates dirs and a retort.toml beside the first of them, after
// checking that neither would overwrite anything.
func (a *app) initProject(dirs []string) error {
	for i := range dirs {
		dirs[i] = filepath.Clean(dirs[i])
	}
	parent := filepath.Dir(dirs[0])
	tomlPath := filepath.Join(parent, settings.ConfigFileName)
	if _, err := os.Stat(tomlPath); err == nil {
		return fmt.Errorf("%s already exists; retort init never overwrites a file", tomlPath)
	}
	if _, err := checkInitDirs(dirs); err != nil {
		return err
	}
	rel := make([]string, len(dirs))
	for i, d := range dirs {
		rel[i] = relativeDir(parent, d)
	}
	if err := a.makeDirs(dirs); err != nil {
		return err
	}
	f, err := os.OpenFile(tomlPath, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("writing %s: %w", tomlPath, err)
	}
	if _, err := io.WriteString(f, configTemplate(rel)); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", tomlPath, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", tomlPath, err)
	}
	a.status("Generating " + settings.AbsPath(tomlPath))
	if cwd, err := os.Getwd(); err == nil && settings.AbsPath(parent) != cwd {
		printf(a.stdout, "retort reads %s from the current directory: run it from %s, or pass --config %s\n", settings.ConfigFileName, parent, tomlPath)
	}
	printf(a.stdout, "Please edit %s, then create the first revision with: retort revision -m \"create the first table\"\n", tomlPath)
	return nil
}

// initConfigured creates the versions directories a configuration file
// names, when some do not exist yet; the file itself is left alone.
func (a *app) initConfigured(dirs []string, source string) error {
	var missing []string
	for _, dir := range dirs {
		if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
			missing = append(missing, dir)
		} else if err != nil {
			return fmt.Errorf("versions directory: %w", err)
		}
	}
	list := strings.Join(dirs, ", ")
	if settings.FromAlembicIni(source) {
		if len(missing) > 0 {
			// A bare versions directory without Alembic's env.py and
			// templates would be half an Alembic project.
			return fmt.Errorf("%s names the versions directory %s, which does not exist: create the Alembic project with \"alembic init\" (or correct alembic.ini), or give retort init a directory of its own", source, strings.Join(missing, ", "))
		}
		return fmt.Errorf("%s already sets up the versions directory %s: retort reads alembic.ini, so an Alembic project needs no retort init", source, list)
	}
	if len(missing) == 0 {
		return fmt.Errorf("%s already exists and sets up the versions directory %s: retort init has nothing to do (it never overwrites a file)", source, list)
	}
	if err := a.makeDirs(missing); err != nil {
		return err
	}
	printf(a.stdout, "The versions directory comes from %s: no retort.toml written. Create the first revision with: retort revision -m \"create the first table\"\n", source)
	return nil
}

// relativeDir writes dir relative to the directory of the retort.toml that
// names it; an absolute dir that is not below it stays absolute.
func relativeDir(base, dir string) string {
	r, err := filepath.Rel(settings.AbsPath(base), settings.AbsPath(dir))
	if err != nil || (filepath.IsAbs(dir) && strings.HasPrefix(r, "..")) {
		return dir
	}
	return r
}

// configTemplate is the retort.toml init writes; dirs are relative to it.
func configTemplate(dirs []string) string {
	return `# retort configuration.
#
# For each setting, the first of these wins: a command-line flag, the
# environment ($DATABASE_URL, $RETORT_DIR), this file, an alembic.ini in the
# current directory ([alembic] script_location / version_locations and
# sqlalchemy.url), the default. "retort config" shows what retort resolved
# and where each value came from. Relative paths are relative to this file.

# Versions directories holding the revision files (<rev>_<slug>.sql, and
# Alembic .py files). A string or a list. Flag: --dir. Environment: RETORT_DIR.
dirs = ` + tomlValue(dirs) + `

# Database URL: postgresql://user@host:5432/dbname or sqlite:PATH.
# Flag: --db. Environment: DATABASE_URL. Default: sqlite:retort.db beside
# the versions directory. Keep passwords out of this file: use $DATABASE_URL,
# or ~/.pgpass for PostgreSQL.
# db = "postgresql://app@localhost:5432/app"

# The version table. Keep Alembic's name to share the database with Alembic.
# Flags: --version-table, --version-schema (default: the connection's schema).
# version_table = "alembic_version"
# version_schema = "public"

# How long to wait while another runner holds the migration lock before
# giving up, as a duration ("30s", "5m"); "0s" waits for ever.
# Flag: --lock-timeout.
# lock_timeout = "0s"

# Record every step (who, when, what, outcome) in the retort_log table.
# Flag: --no-audit.
# audit = true

# The project's Python, in which retort uses Alembic for .py revisions.
# Flag: --python. Default: $VIRTUAL_ENV/bin/python, a .venv or venv beside
# this file or in the current directory, then python3 on PATH.
# python = ".venv/bin/python"

# The Flask application factory the revisions run in (Flask-Migrate,
# Invenio): they may use db.session and Model.query. Flag: --app.
# Default: $FLASK_APP.
# app = "app:create_app"

# The editor retort opens revision files in is yours to choose, not the
# project's: set editor in ~/.config/retort/config.toml, else $VISUAL,
# $EDITOR or vi is used. (A command in this file would run on every
# teammate's machine, so retort ignores one here.)

# Draw the graph with ASCII characters only. Flag: --ascii.
# ascii = false
`
}
