package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"retort/cli/settings"
)

// Configuration precedence, setting by setting: flag > environment >
// retort.toml > ./alembic.ini > default. Each case runs in a fresh
// directory holding the files given, with the real root command's flags
// parsed from args.

type configCase struct {
	name  string
	files map[string]string // relative path -> content
	env   map[string]string
	args  []string
	// want lists the expected value and source of some settings; "$DIR" in
	// them stands for the case's (absolute) directory.
	want map[string][2]any
	// err is a substring of the expected error ("$DIR" expanded).
	err string
	// warnings are substrings of the expected warnings ("$DIR" expanded).
	warnings []string
}

func configCases() []configCase {
	return []configCase{
		{
			name: "defaults",
			want: map[string][2]any{
				settings.KeyDirs: {[]string{"migrations"}, "default"}, settings.KeyDB: {"sqlite:retort.db", "default"},
				settings.KeyVersionTable: {"alembic_version", "default"}, settings.KeyVersionSchema: {"", "default"},
				settings.KeyLockTimeout: {time.Duration(0), "default"}, settings.KeyAudit: {true, "default"},
				settings.KeyASCII: {false, "default"}, settings.KeyEditor: {"vi", "default"},
			},
		},
		{
			name: "retort.toml, every key",
			files: map[string]string{"retort.toml": `dirs = ["db/versions", "/abs/more"]
db = "postgresql://app@localhost/app"
version_table = "schema_version"
version_schema = "meta"
lock_timeout = "90s"
audit = false
ascii = true
editor = "nano -w"
`},
			want: map[string][2]any{
				settings.KeyDirs: {[]string{"db/versions", "/abs/more"}, "$DIR/retort.toml"}, settings.KeyDB: {"postgresql://app@localhost/app", "$DIR/retort.toml"},
				settings.KeyVersionTable: {"schema_version", "$DIR/retort.toml"}, settings.KeyVersionSchema: {"meta", "$DIR/retort.toml"},
				settings.KeyLockTimeout: {90 * time.Second, "$DIR/retort.toml"}, settings.KeyAudit: {false, "$DIR/retort.toml"},
				settings.KeyASCII: {true, "$DIR/retort.toml"}, settings.KeyEditor: {"vi", "default"},
			},
			warnings: []string{"$DIR/retort.toml: editor is ignored"},
		},
		{
			name:  "--config: relative paths are relative to the file",
			files: map[string]string{"conf/app.toml": "dirs = \"migrations\"\ndb = \"sqlite:data/app.db\"\nlock_timeout = 5\n"},
			args:  []string{"--config", "conf/app.toml"},
			want: map[string][2]any{
				settings.KeyDirs: {[]string{"conf/migrations"}, "$DIR/conf/app.toml"}, settings.KeyDB: {"sqlite:conf/data/app.db", "$DIR/conf/app.toml"},
				settings.KeyLockTimeout: {5 * time.Second, "$DIR/conf/app.toml"},
			},
		},
		{
			name:  "sqlite URL forms in retort.toml",
			files: map[string]string{"c/retort.toml": "db = \"sqlite:///rel.db\"\n"},
			args:  []string{"-c", "c/retort.toml"},
			want:  map[string][2]any{settings.KeyDB: {"sqlite:c/rel.db", "$DIR/c/retort.toml"}},
		},
		{
			name:  "absolute and in-memory sqlite URLs are kept",
			files: map[string]string{"c/retort.toml": "db = \"sqlite:////var/app.db\"\n", "d/retort.toml": "db = \"sqlite://\"\n"},
			args:  []string{"-c", "c/retort.toml"},
			want:  map[string][2]any{settings.KeyDB: {"sqlite:////var/app.db", "$DIR/c/retort.toml"}},
		},
		{
			name:  "SQLAlchemy's sqlite+driver URL in retort.toml is read as the engine reads it",
			files: map[string]string{"c/retort.toml": "db = \"SQLite+pysqlite:///rel.db\"\n"},
			args:  []string{"-c", "c/retort.toml"},
			want:  map[string][2]any{settings.KeyDB: {"sqlite:c/rel.db", "$DIR/c/retort.toml"}},
		},
		{
			name:  "an in-memory sqlite URL is kept",
			files: map[string]string{"c/retort.toml": "db = \"sqlite:///:memory:\"\n"},
			args:  []string{"-c", "c/retort.toml"},
			want:  map[string][2]any{settings.KeyDB: {"sqlite:///:memory:", "$DIR/c/retort.toml"}},
		},
		{
			name:  "a sqlite URL the engine refuses is kept, for the engine to report",
			files: map[string]string{"d/retort.toml": "db = \"sqlite://host/x.db\"\n"},
			args:  []string{"-c", "d/retort.toml"},
			want:  map[string][2]any{settings.KeyDB: {"sqlite://host/x.db", "$DIR/d/retort.toml"}},
		},
		{
			name:  "the default database follows the configured directory",
			files: map[string]string{"retort.toml": "dirs = \"db/migrations\"\n"},
			want:  map[string][2]any{settings.KeyDB: {"sqlite:db/retort.db", "default"}},
		},
		{
			name: "alembic.ini with %(here)s",
			files: map[string]string{"alembic.ini": `[alembic]
# A comment
script_location = %(here)s/alembic
sqlalchemy.url = sqlite:///%(here)s/app.db   # kept: ConfigParser has no inline comments
`},
			want: map[string][2]any{
				settings.KeyDirs: {[]string{"$DIR/alembic/versions"}, "$DIR/alembic.ini [alembic] script_location"},
				settings.KeyDB:   {"sqlite:///$DIR/app.db   # kept: ConfigParser has no inline comments", "$DIR/alembic.ini [alembic] sqlalchemy.url"},
			},
		},
		{
			name: "alembic.ini version_locations and DEFAULT",
			files: map[string]string{"alembic.ini": `[DEFAULT]
base = %(here)s/db

[alembic]
script_location = alembic
version_locations = %(base)s/one, %(base)s/two  three
SQLAlchemy.URL = postgresql://app:p%%40ss@localhost/app
`},
			want: map[string][2]any{
				settings.KeyDirs: {[]string{"$DIR/db/one", "$DIR/db/two", "three"}, "$DIR/alembic.ini [alembic] version_locations"},
				settings.KeyDB:   {"postgresql://app:p%40ss@localhost/app", "$DIR/alembic.ini [alembic] sqlalchemy.url"},
			},
		},
		{
			name:  "alembic.ini version_path_separator",
			files: map[string]string{"alembic.ini": "[alembic]\nscript_location = x\nversion_locations = a b;c,d\nversion_path_separator = ;\n"},
			want:  map[string][2]any{settings.KeyDirs: {[]string{"a b", "c,d"}, "$DIR/alembic.ini [alembic] version_locations"}},
		},
		{
			name:  "alembic.ini bad version_path_separator",
			files: map[string]string{"alembic.ini": "[alembic]\nscript_location = x\nversion_locations = a\nversion_path_separator = tab\n"},
			err:   "alembic.ini: 'tab' is not a valid value for version_path_separator",
		},
		{
			name:  "alembic.ini unknown interpolation",
			files: map[string]string{"alembic.ini": "[alembic]\nscript_location = %(nowhere)s/x\n"},
			err:   "alembic.ini: [alembic] script_location: %(nowhere)s names no option",
		},
		{
			// ConfigParser refuses a lone %; the message must not show the
			// password it sits in.
			name:  "alembic.ini percent in a password",
			files: map[string]string{"alembic.ini": "[alembic]\nscript_location = x\nsqlalchemy.url = postgresql://app:S3cr%40t@db/x\n"},
			err:   `alembic.ini: [alembic] sqlalchemy.url: '%' must be followed by '%' or '(' (write %% for a literal %), in "postgresql://app:xxxxx@db/x"`,
		},
		{
			name:  "alembic.ini without [alembic] is not Alembic's",
			files: map[string]string{"alembic.ini": "[other]\nscript_location = x\n"},
			want:  map[string][2]any{settings.KeyDirs: {[]string{"migrations"}, "default"}},
		},
		{
			name:  "--config names an alembic.ini",
			files: map[string]string{"sub/alembic.ini": "[alembic]\nscript_location = %(here)s/mig\n", "retort.toml": "dirs = \"ignored\"\n"},
			args:  []string{"-c", "sub/alembic.ini"},
			want:  map[string][2]any{settings.KeyDirs: {[]string{"$DIR/sub/mig/versions"}, "$DIR/sub/alembic.ini [alembic] script_location"}},
		},
		{
			name: "retort.toml over alembic.ini, key by key",
			files: map[string]string{
				"retort.toml": "dirs = \"sql\"\n",
				"alembic.ini": "[alembic]\nscript_location = alembic\nsqlalchemy.url = postgresql://a@h/db\n",
			},
			want: map[string][2]any{
				settings.KeyDirs: {[]string{"sql"}, "$DIR/retort.toml"},
				settings.KeyDB:   {"postgresql://a@h/db", "$DIR/alembic.ini [alembic] sqlalchemy.url"},
			},
		},
		{
			name:  "environment over file",
			files: map[string]string{"retort.toml": "dirs = \"sql\"\ndb = \"sqlite:file.db\"\n"},
			env:   map[string]string{"DATABASE_URL": "postgresql://env@h/db", "RETORT_DIR": "one" + string(os.PathListSeparator) + "two"},
			want: map[string][2]any{
				settings.KeyDirs: {[]string{"one", "two"}, "environment RETORT_DIR"},
				settings.KeyDB:   {"postgresql://env@h/db", "environment DATABASE_URL"},
			},
		},
		{
			name:  "empty environment variables do not count",
			files: map[string]string{"retort.toml": "dirs = \"sql\"\n"},
			env:   map[string]string{"DATABASE_URL": "", "RETORT_DIR": ""},
			want:  map[string][2]any{settings.KeyDirs: {[]string{"sql"}, "$DIR/retort.toml"}, settings.KeyDB: {"sqlite:retort.db", "default"}},
		},
		{
			name:  "flag over environment",
			files: map[string]string{"retort.toml": "dirs = \"sql\"\n"},
			env:   map[string]string{"DATABASE_URL": "postgresql://env@h/db", "RETORT_DIR": "envdir"},
			args:  []string{"--db", "sqlite:flag.db", "-d", "a", "--dir", "b"},
			want: map[string][2]any{
				settings.KeyDirs: {[]string{"a", "b"}, "flag --dir"},
				settings.KeyDB:   {"sqlite:flag.db", "flag --db"},
			},
		},
		{
			name:  "flags given their zero value still win",
			files: map[string]string{"retort.toml": "lock_timeout = \"30s\"\naudit = false\nascii = true\nversion_schema = \"meta\"\n"},
			args:  []string{"--lock-timeout", "0", "--no-audit=false", "--ascii=false", "--version-schema", ""},
			want: map[string][2]any{
				settings.KeyLockTimeout: {time.Duration(0), "flag --lock-timeout"}, settings.KeyAudit: {true, "flag --no-audit"},
				settings.KeyASCII: {false, "flag --ascii"}, settings.KeyVersionSchema: {"", "flag --version-schema"},
			},
		},
		{
			name:  "flags",
			args:  []string{"--no-audit", "--ascii", "--version-table", "vt", "--lock-timeout", "2m"},
			want:  map[string][2]any{settings.KeyAudit: {false, "flag --no-audit"}, settings.KeyASCII: {true, "flag --ascii"}, settings.KeyVersionTable: {"vt", "flag --version-table"}, settings.KeyLockTimeout: {2 * time.Minute, "flag --lock-timeout"}},
			files: map[string]string{"retort.toml": "version_table = \"other\"\n"},
		},
		{
			name: "editor: file, then VISUAL, then EDITOR",
			env:  map[string]string{"VISUAL": "code -w", "EDITOR": "ed"},
			want: map[string][2]any{settings.KeyEditor: {"code -w", "environment VISUAL"}},
		},
		{
			name: "editor from EDITOR",
			env:  map[string]string{"EDITOR": "ed"},
			want: map[string][2]any{settings.KeyEditor: {"ed", "environment EDITOR"}},
		},
		{
			// A command in a project's file would run on a teammate's
			// machine at `e`: git's rule for repository configuration.
			name:     "editor from a project's retort.toml is ignored",
			files:    map[string]string{"retort.toml": "editor = \"touch pwned\"\n"},
			env:      map[string]string{"VISUAL": "code -w"},
			want:     map[string][2]any{settings.KeyEditor: {"code -w", "environment VISUAL"}},
			warnings: []string{"$DIR/retort.toml: editor is ignored: a command retort runs comes from your own configuration"},
		},
		{
			name:  "editor from the user's configuration beats the environment",
			files: map[string]string{"xdg/retort/config.toml": "editor = \"hx\"\n"},
			env:   map[string]string{"XDG_CONFIG_HOME": "$DIR/xdg", "VISUAL": "code -w"},
			want:  map[string][2]any{settings.KeyEditor: {"hx", "$DIR/xdg/retort/config.toml"}},
		},
		{
			name:  "the user's configuration in ~/.config without XDG_CONFIG_HOME",
			files: map[string]string{"home/.config/retort/config.toml": "editor = \"hx\"\n"},
			env:   map[string]string{"HOME": "$DIR/home", "EDITOR": "ed"},
			want:  map[string][2]any{settings.KeyEditor: {"hx", "$DIR/home/.config/retort/config.toml"}},
		},
		{
			name:  "the user's configuration takes only what is the user's",
			files: map[string]string{"xdg/retort/config.toml": "db = \"sqlite:x.db\"\n"},
			env:   map[string]string{"XDG_CONFIG_HOME": "$DIR/xdg"},
			err:   "$DIR/xdg/retort/config.toml:1: unknown key \"db\" (the user's configuration knows editor)",
		},
		{
			name:  "unknown key",
			files: map[string]string{"retort.toml": "dirs = \"sql\"\n\n# comment\ndatabase = \"x\"\n"},
			err:   "retort.toml:4: unknown key \"database\" (retort.toml knows app, ascii, audit, db, dirs, editor, lock_timeout, python, version_schema, version_table)",
		},
		{
			name:  "unknown table",
			files: map[string]string{"retort.toml": "dirs = \"sql\"\n[postgres]\nhost = \"h\"\n"},
			err:   "retort.toml:2: unknown key \"postgres\"",
		},
		{
			name:  "wrong type",
			files: map[string]string{"retort.toml": "dirs = \"sql\"\naudit = \"yes\"\n"},
			err:   "retort.toml:2: audit: incompatible types: TOML value has type string; destination has type boolean",
		},
		{
			name:  "bad duration",
			files: map[string]string{"retort.toml": "lock_timeout = \"soon\"\n"},
			err:   "retort.toml:1: lock_timeout \"soon\": write a duration such as \"30s\"",
		},
		{
			name:  "empty dirs",
			files: map[string]string{"retort.toml": "dirs = []\n"},
			err:   "dirs is an empty list",
		},
		{
			name:  "TOML syntax error",
			files: map[string]string{"retort.toml": "dirs = \"sql\"\ndb = \n"},
			err:   "retort.toml:2: ",
		},
		{
			name: "missing --config file",
			args: []string{"--config", "nope.toml"},
			err:  "configuration file nope.toml (--config) does not exist: file does not exist",
		},
	}
}

func TestResolveSettings(t *testing.T) {
	for _, c := range configCases() {
		t.Run(c.name, func(t *testing.T) { runConfigCase(t, c) })
	}
}

// TestConfigPrecedenceChain sets dirs and db in every settings.Layer at once (flag,
// environment, retort.toml, alembic.ini), then removes the layers one by
// one from the top: each time, the next settings.Layer down must win, down to the
// defaults.
func TestConfigPrecedenceChain(t *testing.T) {
	type layerSpec struct {
		name     string
		dirs, db [2]string // the value and source of dirs, of db
		apply    func(c *configCase)
	}
	layers := []layerSpec{
		{name: "flags", dirs: [2]string{"flagdir", "flag --dir"}, db: [2]string{"sqlite:flag.db", "flag --db"},
			apply: func(c *configCase) { c.args = append(c.args, "--dir", "flagdir", "--db", "sqlite:flag.db") }},
		{name: "environment", dirs: [2]string{"envdir", "environment RETORT_DIR"}, db: [2]string{"postgresql://env@h/db", "environment DATABASE_URL"},
			apply: func(c *configCase) {
				c.env["RETORT_DIR"] = "envdir"
				c.env["DATABASE_URL"] = "postgresql://env@h/db"
			}},
		{name: "retort.toml", dirs: [2]string{"tomldir", "$DIR/retort.toml"}, db: [2]string{"postgresql://toml@h/db", "$DIR/retort.toml"},
			apply: func(c *configCase) { c.files["retort.toml"] = "dirs = \"tomldir\"\ndb = \"postgresql://toml@h/db\"\n" }},
		{name: "alembic.ini", dirs: [2]string{"$DIR/ini/versions", "$DIR/alembic.ini [alembic] script_location"}, db: [2]string{"postgresql://ini@h/db", "$DIR/alembic.ini [alembic] sqlalchemy.url"},
			apply: func(c *configCase) {
				c.files["alembic.ini"] = "[alembic]\nscript_location = %(here)s/ini\nsqlalchemy.url = postgresql://ini@h/db\n"
			}},
		{name: "defaults", dirs: [2]string{"migrations", "default"}, db: [2]string{"sqlite:retort.db", "default"}, apply: func(*configCase) {}},
	}
	for top := range layers {
		c := configCase{name: "from " + layers[top].name + " down", env: map[string]string{}, files: map[string]string{}}
		for _, l := range layers[top:] {
			l.apply(&c)
		}
		w := layers[top]
		c.want = map[string][2]any{settings.KeyDirs: {[]string{w.dirs[0]}, w.dirs[1]}, settings.KeyDB: {w.db[0], w.db[1]}}
		t.Run(c.name, func(t *testing.T) { runConfigCase(t, c) })
	}
}

// runConfigCase resolves the settings of one case in a fresh directory.
func runConfigCase(t *testing.T, c configCase) {
	t.Helper()
	dir := t.TempDir()
	writeFiles(t, dir, c.files)
	t.Chdir(dir)
	// t.Chdir's directory may be reached through a symbolic link:
	// compare with the path the process sees.
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	a := &app{}
	root := a.rootCommand()
	if err := root.PersistentFlags().Parse(c.args); err != nil {
		t.Fatal(err)
	}
	expand := func(s string) string { return strings.ReplaceAll(s, "$DIR", wd) }
	env := map[string]string{}
	for k, v := range c.env {
		env[k] = expand(v)
	}
	s, err := settings.Resolve(a.flags, root.PersistentFlags(), mapEnv(env))
	if c.err != "" {
		if err == nil || !strings.Contains(err.Error(), expand(c.err)) {
			t.Fatalf("error %v, want one containing %q", err, expand(c.err))
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range c.warnings {
		if !strings.Contains(strings.Join(s.Warnings, "\n"), expand(w)) {
			t.Errorf("warnings %q, want one containing %q", s.Warnings, expand(w))
		}
	}
	for key, want := range c.want {
		got := settingValue(s, key)
		wantV := want[0]
		switch w := wantV.(type) {
		case string:
			wantV = expand(w)
		case []string:
			e := make([]string, len(w))
			for i, x := range w {
				e[i] = expand(x)
			}
			wantV = e
		}
		if !reflect.DeepEqual(got, wantV) {
			t.Errorf("%s = %#v, want %#v", key, got, wantV)
		}
		if src := s.Source[key]; src != expand(want[1].(string)) {
			t.Errorf("%s comes from %q, want %q", key, src, expand(want[1].(string)))
		}
	}
}

// mapEnv is an environment holding only the given variables.
func mapEnv(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

func settingValue(s *settings.Settings, key string) any {
	switch key {
	case settings.KeyDirs:
		return s.Dirs
	case settings.KeyDB:
		return s.DB
	case settings.KeyVersionTable:
		return s.VersionTable
	case settings.KeyVersionSchema:
		return s.VersionSchema
	case settings.KeyLockTimeout:
		return s.LockTimeout
	case settings.KeyAudit:
		return s.Audit
	case settings.KeyASCII:
		return s.ASCII
	case settings.KeyEditor:
		return s.Editor
	case settings.KeyPython:
		return s.Python
	case settings.KeyApp:
		return s.App
	}
	panic("unknown key " + key)
}

// TestConfigTemplateKeys: every commented-out example in the retort.toml
// that init writes is a valid setting once uncommented, so that a user who
// uncomments a line never meets "unknown key".
func TestConfigTemplateKeys(t *testing.T) {
	var b strings.Builder
	n := 0
	for _, line := range strings.Split(configTemplate([]string{"migrations"}), "\n") {
		if rest, ok := strings.CutPrefix(line, "# "); ok && strings.Contains(rest, " = ") {
			line = rest
			n++
		}
		b.WriteString(line + "\n")
	}
	// Every key but dirs, which is set, and editor, which a project's
	// file may not set (it names a command: the user's own configuration
	// does).
	if n != len(settings.Keys)-2 {
		t.Errorf("%d commented-out settings, want every key but dirs and editor (%d)", n, len(settings.Keys)-2)
	}
	path := filepath.Join(t.TempDir(), "retort.toml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := settings.ReadRetortTOML(path)
	if err != nil {
		t.Fatalf("uncommented template: %v\n%s", err, b.String())
	}
	for _, k := range settings.Keys {
		if _, ok := l[k]; !ok && k != settings.KeyEditor {
			t.Errorf("the template does not document %s", k)
		}
	}
	if _, ok := l[settings.KeyWarnings]; ok {
		t.Errorf("the uncommented template draws warnings: %v", l[settings.KeyWarnings])
	}
}

// TestAlembicIniMatchesAlembic reads alembic.ini files with retort and with
// Alembic's own Config and ScriptDirectory, and compares the versions
// directories and the database URL.
func TestAlembicIniMatchesAlembic(t *testing.T) {
	requirePythonAlembic(t)
	inis := []string{
		"[alembic]\nscript_location = %(here)s/alembic\nsqlalchemy.url = sqlite:///%(here)s/app.db\n",
		"[alembic]\nscript_location = alembic\nsqlalchemy.url = postgresql://app:p%%40ss@localhost/app  # not a comment\n",
		"[DEFAULT]\nbase = %(here)s/db\n\n[alembic]\nscript_location = alembic\nversion_locations = %(base)s/one, %(base)s/two  three,four\nSQLAlchemy.URL = postgresql://u@h/db\n",
		"[alembic]\nscript_location = alembic\nversion_locations = %(here)s/a;b c\nversion_path_separator = ;\n",
		"[alembic]\nscript_location = alembic\nversion_locations = a b\nversion_path_separator = space\n",
		"[alembic]\n; comment\n# comment\nscript_location = alembic\nsqlalchemy.url = sqlite://\n",
	}
	script := `import json, sys
from alembic.config import Config
from alembic.script import ScriptDirectory
cfg = Config(sys.argv[1])
sd = ScriptDirectory.from_config(cfg)
print(json.dumps({"url": cfg.get_main_option("sqlalchemy.url") or "", "dirs": list(sd._version_locations)}))
`
	for k, body := range inis {
		t.Run(fmt.Sprint(k), func(t *testing.T) {
			dir := t.TempDir()
			if err := os.Mkdir(filepath.Join(dir, "alembic"), 0o755); err != nil {
				t.Fatal(err)
			}
			ini := filepath.Join(dir, "alembic.ini")
			if err := os.WriteFile(ini, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(pythonWithAlembic, "-c", script, ini)
			cmd.Dir = dir
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("Alembic: %v\n%s", err, out)
			}
			var want struct {
				URL  string   `json:"url"`
				Dirs []string `json:"dirs"`
			}
			if err := json.Unmarshal(out, &want); err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			t.Chdir(dir)
			l, err := settings.ReadAlembicIni("alembic.ini")
			if err != nil {
				t.Fatal(err)
			}
			var dirs []string
			for _, d := range l[settings.KeyDirs].Value.([]string) {
				dirs = append(dirs, settings.AbsPath(d))
			}
			url, _ := l[settings.KeyDB].Value.(string)
			if !reflect.DeepEqual(dirs, want.Dirs) || url != want.URL {
				t.Errorf("retort read dirs %q, url %q; Alembic %q, %q", dirs, url, want.Dirs, want.URL)
			}
		})
	}
}

// pythonWithAlembic is Debian's interpreter with python3-alembic.
const pythonWithAlembic = "/usr/bin/python3"

// requirePythonAlembic fails (never skips) when Alembic is not installed.
func requirePythonAlembic(t *testing.T) {
	t.Helper()
	if out, err := exec.Command(pythonWithAlembic, "-c", "import alembic").CombinedOutput(); err != nil {
		t.Fatalf("Alembic is needed to compare with it: install it with `apt-get install python3-alembic` (%s: %v: %s)", pythonWithAlembic, err, out)
	}
}

// writeFiles writes files (path relative to dir: content) under dir,
// creating the directories they need.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		mode := os.FileMode(0o644)
		if strings.HasPrefix(body, "#!") {
			mode = 0o755 // a script: an executable
		}
		if err := os.WriteFile(p, []byte(body), mode); err != nil {
			t.Fatal(err)
		}
	}
}
