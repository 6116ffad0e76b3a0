package settings

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"
)

// Flags are the global flags of the command line, as given.
type Flags struct {
	Dirs          []string
	DB            string
	ConfigFile    string
	VersionTable  string
	VersionSchema string
	LockTimeout   time.Duration
	NoAudit       bool
	ASCII         bool
	Python        string
	App           string
}

// Settings are what retort runs with once flags, environment, configuration
// files and defaults are resolved.
type Settings struct {
	Dirs          []string
	DB            string
	VersionTable  string
	VersionSchema string
	LockTimeout   time.Duration
	Audit         bool
	ASCII         bool
	Editor        string
	// Python is the project's interpreter, "" when none was found
	// (PythonErr says why); App the Flask application factory the
	// revisions run in, "" for none. See config_python.go.
	Python    string
	PythonErr error
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
	KeyDirs          = "dirs"
	KeyDB            = "db"
	KeyVersionTable  = "version_table"
	KeyVersionSchema = "version_schema"
	KeyLockTimeout   = "lock_timeout"
	KeyAudit         = "audit"
	KeyASCII         = "ascii"
	KeyEditor        = "editor"
	KeyPython        = "python"
	KeyApp           = "app"
)

var Keys = [...]string{KeyDirs, KeyDB, KeyPython, KeyApp, KeyVersionTable, KeyVersionSchema, KeyLockTimeout, KeyAudit, KeyASCII, KeyEditor}

// keyAlembicIni is the Layer key of the alembic.ini a Layer was read from:
// not a setting, the file Python's Alembic reads.
const keyAlembicIni = "alembic.ini"

const (
	ConfigFileName  = "retort.toml"
	AlembicIniName  = "alembic.ini"
	defaultDir      = "migrations"
	defaultTable    = "alembic_version"
	defaultEditor   = "vi"
	SourceDefault   = "default"
	envDatabaseURL  = "DATABASE_URL"
	envVersionsDir  = "RETORT_DIR"
	envVisual       = "VISUAL"
	envEditor       = "EDITOR"
	envFlaskApp     = "FLASK_APP"
	alembicSection  = "alembic"
	alembicURLKey   = "sqlalchemy.url"
	alembicLocation = "script_location"
)

func LookupEnv(key string) (string, bool) { return os.LookupEnv(key) }

// Layer is one source of settings: the values it sets, each with where it
// came from. Settings are resolved key by key: the first Layer that sets a
// key wins.
type Layer map[string]Sourced

// Sourced is a setting's value and where it came from.
type Sourced struct {
	Value  any // []string, string, time.Duration or bool
	Source string
}

func (l Layer) set(key string, v any, source string) { l[key] = Sourced{v, source} }

// KeyWarnings holds, in a Layer, what its file says that retort does not
// take (a Layer's own entry, never a setting).
const KeyWarnings = "!warnings"

// warn records a warning about the Layer's file.
func (l Layer) warn(msg string) {
	prev, _ := l[KeyWarnings].Value.([]string)
	l[KeyWarnings] = Sourced{Value: append(prev, msg)}
}

// Resolve applies, for each setting, the first of: flag,
// environment, retort.toml (--config or ./retort.toml), ./alembic.ini,
// default. fs tells which flags were given (a flag set to its zero value
// still counts); it may be nil, then non-zero flags count.
func Resolve(f Flags, fs *pflag.FlagSet, env func(string) (string, bool)) (*Settings, error) {
	files, err := configLayers(f.ConfigFile)
	if err != nil {
		return nil, err
	}
	layers := append([]Layer{flagLayer(f, fs), envLayer(env)}, files...)
	s := &Settings{Source: map[string]string{}}
	pick := func(key string) (any, bool) {
		for _, l := range layers {
			if v, ok := l[key]; ok {
				s.Source[key] = v.Source
				return v.Value, true
			}
		}
		s.Source[key] = SourceDefault
		return nil, false
	}
	s.Dirs = pickOr(pick, KeyDirs, []string{defaultDir})
	s.DB = pickOr(pick, KeyDB, DefaultDB(s.Dirs[0]))
	s.VersionTable = pickOr(pick, KeyVersionTable, defaultTable)
	s.VersionSchema = pickOr(pick, KeyVersionSchema, "")
	s.LockTimeout = pickOr(pick, KeyLockTimeout, time.Duration(0))
	s.Audit = pickOr(pick, KeyAudit, true)
	s.ASCII = pickOr(pick, KeyASCII, false)
	for _, l := range layers {
		if w, ok := l[KeyWarnings].Value.([]string); ok {
			s.Warnings = append(s.Warnings, w...)
		}
	}
	userPath := userConfigPath(env)
	uc, err := readUserConfig(userPath)
	if err != nil {
		return nil, err
	}
	s.Editor, s.Source[KeyEditor] = editorFrom(uc, userPath, env)
	s.App = pickOr(pick, KeyApp, "")
	if s.Source[KeyApp] == SourceDefault {
		s.App, s.Source[KeyApp] = appFromEnv(env)
	}
	given, _ := pick(KeyPython)
	s.Python, s.Source[KeyPython], s.PythonErr = choosePython(given, s.Source[KeyPython], projectDirs(f.ConfigFile), env)
	s.AlembicIni = pickOr(pick, keyAlembicIni, "")
	return s, nil
}

// pickOr returns the value of the first Layer setting key, or def.
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
	return defaultEditor, SourceDefault
}

// flagLayer holds the flags given on the command line.
func flagLayer(f Flags, fs *pflag.FlagSet) Layer {
	given := func(name string, nonZero bool) bool {
		if fs != nil && fs.Lookup(name) != nil {
			return fs.Changed(name)
		}
		return nonZero
	}
	l := Layer{}
	if len(f.Dirs) > 0 {
		l.set(KeyDirs, f.Dirs, "flag --dir")
	}
	if given("db", f.DB != "") {
		l.set(KeyDB, f.DB, "flag --db")
	}
	if given("version-table", f.VersionTable != "") {
		l.set(KeyVersionTable, f.VersionTable, "flag --version-table")
	}
	if given("version-schema", f.VersionSchema != "") {
		l.set(KeyVersionSchema, f.VersionSchema, "flag --version-schema")
	}
	if given("lock-timeout", f.LockTimeout != 0) {
		l.set(KeyLockTimeout, f.LockTimeout, "flag --lock-timeout")
	}
	if given("no-audit", f.NoAudit) {
		l.set(KeyAudit, !f.NoAudit, "flag --no-audit")
	}
	if given("ascii", f.ASCII) {
		l.set(KeyASCII, f.ASCII, "flag --ascii")
	}
	if given("python", f.Python != "") {
		l.set(KeyPython, f.Python, "flag --python")
	}
	if given("app", f.App != "") {
		l.set(KeyApp, f.App, "flag --app")
	}
	return l
}

// envLayer holds DATABASE_URL and RETORT_DIR (a list separated like PATH).
func envLayer(env func(string) (string, bool)) Layer {
	l := Layer{}
	if v, ok := env(envDatabaseURL); ok && v != "" {
		l.set(KeyDB, v, "environment "+envDatabaseURL)
	}
	if v, ok := env(envVersionsDir); ok && v != "" {
		var dirs []string
		for _, d := range filepath.SplitList(v) {
			if d != "" {
				dirs = append(dirs, d)
			}
		}
		if len(dirs) > 0 {
			l.set(KeyDirs, dirs, "environment "+envVersionsDir)
		}
	}
	return l
}

// configLayers reads the configuration files: the one --config names (a
// retort.toml, or an alembic.ini when its name ends in .ini), else
// ./retort.toml and ./alembic.ini, each when it exists.
func configLayers(explicit string) ([]Layer, error) {
	if explicit != "" {
		if _, err := os.Stat(explicit); errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("configuration file %s (--config) does not exist: %w", explicit, os.ErrNotExist)
		} else if err != nil {
			return nil, fmt.Errorf("configuration file: %w", err)
		}
		read := ReadRetortTOML
		if strings.EqualFold(filepath.Ext(explicit), ".ini") {
			read = ReadAlembicIni
		}
		l, err := read(explicit)
		if err != nil {
			return nil, err
		}
		return []Layer{l}, nil
	}
	var out []Layer
	for _, c := range []struct {
		name string
		read func(string) (Layer, error)
	}{{ConfigFileName, ReadRetortTOML}, {AlembicIniName, ReadAlembicIni}} {
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

// ConfiguredDirs resolves the versions directories alone, for `retort init`:
// from the flags, then the environment, then the configuration files, which
// are read only when neither names them, then the default. fromFile tells
// that a configuration file names them.
func ConfiguredDirs(f Flags, env func(string) (string, bool)) (dirs []string, source string, fromFile bool, err error) {
	for _, l := range []Layer{flagLayer(f, nil), envLayer(env)} {
		if v, ok := l[KeyDirs]; ok {
			return v.Value.([]string), v.Source, false, nil
		}
	}
	files, err := configLayers(f.ConfigFile)
	if err != nil {
		return nil, "", false, err
	}
	for _, l := range files {
		if v, ok := l[KeyDirs]; ok {
			return v.Value.([]string), v.Source, true, nil
		}
	}
	return []string{defaultDir}, SourceDefault, false, nil
}

// FromAlembicIni tells whether a setting's source is an alembic.ini.
func FromAlembicIni(source string) bool {
	return strings.Contains(source, " ["+alembicSection+"] ")
}

// DefaultDB is an SQLite file beside the versions directory, so that a new
// user can try everything without a server.
func DefaultDB(dir string) string {
	parent := filepath.Dir(filepath.Clean(dir))
	return "sqlite:" + filepath.Join(parent, "retort.db")
}

func AbsPath(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}
