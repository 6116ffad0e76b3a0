package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"
)

// settings are what retort runs with once flags, environment, configuration
// files and defaults are resolved.
type settings struct {
	Dirs          []string
	DB            string
	VersionTable  string
	VersionSchema string
	LockTimeout   time.Duration
	Audit         bool
	ASCII         bool
	Editor        string
	// Python is the project's interpreter, "" when none was found
	// (pythonErr says why); App the Flask application factory the
	// revisions run in, "" for none. See config_python.go.
	Python    string
	pythonErr error
	App       string
	// Source says where each setting came from, by key (the retort.toml
	// key: "dirs", "db", ...): "flag --db", "environment DATABASE_URL",
	// the absolute path of retort.toml, "<path of alembic.ini> [alembic]
	// sqlalchemy.url", "invenio_db.alembic entry points (Python ...)", or
	// "default".
	Source map[string]string
	// Warnings are what the configuration files say that retort does not
	// take, each naming its file.
	Warnings []string

	// How Python reaches the project's migration environment, for the
	// steps it runs (pythonProject); not settings of their own.
	//
	// AlembicIni is the alembic.ini read (or Flask-Migrate's), "" for
	// none; ScriptLocation the directory of env.py when it is not the
	// ini's (Flask-Migrate's directory, invenio_db/alembic); Invenio: the
	// project is an Invenio instance, which has no env.py.
	AlembicIni     string
	ScriptLocation string
	Invenio        bool
}

// The setting keys, in the order `retort config` prints them; they are also
// the keys of retort.toml.
const (
	keyDirs          = "dirs"
	keyDB            = "db"
	keyVersionTable  = "version_table"
	keyVersionSchema = "version_schema"
	keyLockTimeout   = "lock_timeout"
	keyAudit         = "audit"
	keyASCII         = "ascii"
	keyEditor        = "editor"
	keyPython        = "python"
	keyApp           = "app"
)

var settingKeys = [...]string{keyDirs, keyDB, keyPython, keyApp, keyVersionTable, keyVersionSchema, keyLockTimeout, keyAudit, keyASCII, keyEditor}

// keyAlembicIni is the layer key of the alembic.ini a layer was read from:
// not a setting, the file Python's Alembic reads.
const keyAlembicIni = "alembic.ini"

const (
	configFileName  = "retort.toml"
	alembicIniName  = "alembic.ini"
	defaultDir      = "migrations"
	defaultTable    = "alembic_version"
	defaultEditor   = "vi"
	sourceDefault   = "default"
	envDatabaseURL  = "DATABASE_URL"
	envVersionsDir  = "RETORT_DIR"
	envVisual       = "VISUAL"
	envEditor       = "EDITOR"
	envFlaskApp     = "FLASK_APP"
	alembicSection  = "alembic"
	alembicURLKey   = "sqlalchemy.url"
	alembicLocation = "script_location"
)

func lookupEnv(key string) (string, bool) { return os.LookupEnv(key) }

// layer is one source of settings: the values it sets, each with where it
// came from. Settings are resolved key by key: the first layer that sets a
// key wins.
type layer map[string]sourced

type sourced struct {
	value  any // []string, string, time.Duration or bool
	source string
}

func (l layer) set(key string, v any, source string) { l[key] = sourced{v, source} }

// keyWarnings holds, in a layer, what its file says that retort does not
// take (a layer's own entry, never a setting).
const keyWarnings = "!warnings"

// warn records a warning about the layer's file.
func (l layer) warn(msg string) {
	prev, _ := l[keyWarnings].value.([]string)
	l[keyWarnings] = sourced{value: append(prev, msg)}
}

// resolveSettings applies, for each setting, the first of: flag,
// environment, retort.toml (--config or ./retort.toml), ./alembic.ini,
// default. fs tells which flags were given (a flag set to its zero value
// still counts); it may be nil, then non-zero flags count.
func resolveSettings(f globalFlags, fs *pflag.FlagSet, env func(string) (string, bool)) (*settings, error) {
	files, err := configLayers(f.configFile)
	if err != nil {
		return nil, err
	}
	layers := append([]layer{flagLayer(f, fs), envLayer(env)}, files...)
	s := &settings{Source: map[string]string{}}
	pick := func(key string) (any, bool) {
		for _, l := range layers {
			if v, ok := l[key]; ok {
				s.Source[key] = v.source
				return v.value, true
			}
		}
		s.Source[key] = sourceDefault
		return nil, false
	}
	s.Dirs = pickOr(pick, keyDirs, []string{defaultDir})
	s.DB = pickOr(pick, keyDB, defaultDB(s.Dirs[0]))
	s.VersionTable = pickOr(pick, keyVersionTable, defaultTable)
	s.VersionSchema = pickOr(pick, keyVersionSchema, "")
	s.LockTimeout = pickOr(pick, keyLockTimeout, time.Duration(0))
	s.Audit = pickOr(pick, keyAudit, true)
	s.ASCII = pickOr(pick, keyASCII, false)
	for _, l := range layers {
		if w, ok := l[keyWarnings].value.([]string); ok {
			s.Warnings = append(s.Warnings, w...)
		}
	}
	userPath := userConfigPath(env)
	uc, err := readUserConfig(userPath)
	if err != nil {
		return nil, err
	}
	s.Editor, s.Source[keyEditor] = editorFrom(uc, userPath, env)
	s.App = pickOr(pick, keyApp, "")
	if s.Source[keyApp] == sourceDefault {
		s.App, s.Source[keyApp] = appFromEnv(env)
	}
	given, _ := pick(keyPython)
	s.Python, s.Source[keyPython], s.pythonErr = choosePython(given, s.Source[keyPython], projectDirs(f.configFile), env)
	s.AlembicIni = pickOr(pick, keyAlembicIni, "")
	return s, nil
}

// pickOr returns the value of the first layer setting key, or def.
func pickOr[T any](pick func(string) (any, bool), key string, def T) T {
	if v, ok := pick(key); ok {
		return v.(T)
	}
	return def
}

// editorFromEnv is the editor when no configuration file names one:
// $VISUAL, then $EDITOR, then vi, as git and crontab do.
func editorFromEnv(env func(string) (string, bool)) (string, string) {
	for _, k := range []string{envVisual, envEditor} {
		if v, ok := env(k); ok && strings.TrimSpace(v) != "" {
			return v, "environment " + k
		}
	}
	return defaultEditor, sourceDefault
}

// flagLayer holds the flags given on the command line.
func flagLayer(f globalFlags, fs *pflag.FlagSet) layer {
	given := func(name string, nonZero bool) bool {
		if fs != nil && fs.Lookup(name) != nil {
			return fs.Changed(name)
		}
		return nonZero
	}
	l := layer{}
	if len(f.dirs) > 0 {
		l.set(keyDirs, f.dirs, "flag --dir")
	}
	if given("db", f.db != "") {
		l.set(keyDB, f.db, "flag --db")
	}
	if given("version-table", f.versionTable != "") {
		l.set(keyVersionTable, f.versionTable, "flag --version-table")
	}
	if given("version-schema", f.versionSchema != "") {
		l.set(keyVersionSchema, f.versionSchema, "flag --version-schema")
	}
	if given("lock-timeout", f.lockTimeout != 0) {
		l.set(keyLockTimeout, f.lockTimeout, "flag --lock-timeout")
	}
	if given("no-audit", f.noAudit) {
		l.set(keyAudit, !f.noAudit, "flag --no-audit")
	}
	if given("ascii", f.ascii) {
		l.set(keyASCII, f.ascii, "flag --ascii")
	}
	if given("python", f.python != "") {
		l.set(keyPython, f.python, "flag --python")
	}
	if given("app", f.app != "") {
		l.set(keyApp, f.app, "flag --app")
	}
	return l
}

// envLayer holds DATABASE_URL and RETORT_DIR (a list separated like PATH).
func envLayer(env func(string) (string, bool)) layer {
	l := layer{}
	if v, ok := env(envDatabaseURL); ok && v != "" {
		l.set(keyDB, v, "environment "+envDatabaseURL)
	}
	if v, ok := env(envVersionsDir); ok && v != "" {
		var dirs []string
		for _, d := range filepath.SplitList(v) {
			if d != "" {
				dirs = append(dirs, d)
			}
		}
		if len(dirs) > 0 {
			l.set(keyDirs, dirs, "environment "+envVersionsDir)
		}
	}
	return l
}

// configLayers reads the configuration files: the one --config names (a
// retort.toml, or an alembic.ini when its name ends in .ini), else
// ./retort.toml and ./alembic.ini, each when it exists.
func configLayers(explicit string) ([]layer, error) {
	if explicit != "" {
		if _, err := os.Stat(explicit); errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("configuration file %s (--config) does not exist: %w", explicit, os.ErrNotExist)
		} else if err != nil {
			return nil, fmt.Errorf("configuration file: %w", err)
		}
		read := readRetortTOML
		if strings.EqualFold(filepath.Ext(explicit), ".ini") {
			read = readAlembicIni
		}
		l, err := read(explicit)
		if err != nil {
			return nil, err
		}
		return []layer{l}, nil
	}
	var out []layer
	for _, c := range []struct {
		name string
		read func(string) (layer, error)
	}{{configFileName, readRetortTOML}, {alembicIniName, readAlembicIni}} {
		if _, err := os.Stat(c.name); errors.Is(err, os.ErrNotExist) {
			continue
		}
		l, err := c.read(c.name)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}

// configuredDirs resolves the versions directories alone, for `retort init`:
// from the flags, then the environment, then the configuration files, which
// are read only when neither names them, then the default. fromFile tells
// that a configuration file names them.
func configuredDirs(f globalFlags, env func(string) (string, bool)) (dirs []string, source string, fromFile bool, err error) {
	for _, l := range []layer{flagLayer(f, nil), envLayer(env)} {
		if v, ok := l[keyDirs]; ok {
			return v.value.([]string), v.source, false, nil
		}
	}
	files, err := configLayers(f.configFile)
	if err != nil {
		return nil, "", false, err
	}
	for _, l := range files {
		if v, ok := l[keyDirs]; ok {
			return v.value.([]string), v.source, true, nil
		}
	}
	return []string{defaultDir}, sourceDefault, false, nil
}

// fromAlembicIni tells whether a setting's source is an alembic.ini.
func fromAlembicIni(source string) bool {
	return strings.Contains(source, " ["+alembicSection+"] ")
}

// defaultDB is an SQLite file beside the versions directory, so that a new
// user can try everything without a server.
func defaultDB(dir string) string {
	parent := filepath.Dir(filepath.Clean(dir))
	return "sqlite:" + filepath.Join(parent, "retort.db")
}

func absPath(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}
