package settings

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"retort/engine"
)

// retort.toml: the TOML configuration file.

// tomlFile is retort.toml. Pointers tell a key that is absent from one set
// to its zero value.
type tomlFile struct {
	Dirs          tomlDirs     `toml:"dirs"`
	DB            *string      `toml:"db"`
	VersionTable  *string      `toml:"version_table"`
	VersionSchema *string      `toml:"version_schema"`
	LockTimeout   *tomlTimeout `toml:"lock_timeout"`
	Audit         *bool        `toml:"audit"`
	ASCII         *bool        `toml:"ascii"`
	Editor        *string      `toml:"editor"`
	Python        *string      `toml:"python"`
	App           *string      `toml:"app"`
}

// tomlDirs accepts `dirs = "migrations"` as well as a list.
type tomlDirs []string

func (d *tomlDirs) UnmarshalTOML(v any) error {
	switch x := v.(type) {
	case string:
		*d = tomlDirs{x}
	case []any:
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return fmt.Errorf("dirs: %v is not a string", e)
			}
			*d = append(*d, s)
		}
	default:
		return fmt.Errorf("dirs must be a string or a list of strings, not %T", v)
	}
	for _, s := range *d {
		if strings.TrimSpace(s) == "" {
			return errors.New("dirs: empty directory name")
		}
	}
	if len(*d) == 0 {
		return errors.New("dirs is an empty list")
	}
	return nil
}

// tomlTimeout accepts a Go duration ("30s", "2m") or a number of seconds.
type tomlTimeout time.Duration

func (t *tomlTimeout) UnmarshalTOML(v any) error {
	var d time.Duration
	switch x := v.(type) {
	case string:
		var err error
		if d, err = time.ParseDuration(x); err != nil {
			return fmt.Errorf("lock_timeout %q: write a duration such as \"30s\" or \"2m\"", x)
		}
	case int64:
		d = time.Duration(x) * time.Second
	default:
		return fmt.Errorf("lock_timeout must be a duration such as \"30s\", not %T", v)
	}
	if d < 0 {
		return fmt.Errorf("lock_timeout %v is negative", d)
	}
	*t = tomlTimeout(d)
	return nil
}

// ReadRetortTOML reads a retort.toml. Unknown keys are errors (a typo must
// not silently fall back to a default), and relative paths are relative to
// the file's directory.
func ReadRetortTOML(path string) (Layer, error) {
	var tf tomlFile
	md, err := toml.DecodeFile(path, &tf)
	if err != nil {
		return nil, tomlError(path, err)
	}
	if undecoded := md.Undecoded(); len(undecoded) > 0 {
		return nil, unknownKeyError(path, undecoded[0].String())
	}
	dir := filepath.Dir(path)
	src := AbsPath(path)
	l := Layer{}
	if tf.Dirs != nil {
		dirs := make([]string, len(tf.Dirs))
		for i, d := range tf.Dirs {
			dirs[i] = relativeTo(dir, d)
		}
		l.set(KeyDirs, dirs, src)
	}
	setString := func(key string, p *string, conv func(string) string) {
		if p != nil {
			l.set(key, conv(*p), src)
		}
	}
	same := func(s string) string { return s }
	setString(KeyDB, tf.DB, func(u string) string { return sqliteRelativeTo(dir, u) })
	setString(KeyVersionTable, tf.VersionTable, same)
	setString(KeyVersionSchema, tf.VersionSchema, same)
	if tf.Editor != nil {
		l.warn(ignoredEditor(src))
	}
	setString(KeyPython, tf.Python, func(p string) string { return pythonRelativeTo(dir, p) })
	setString(KeyApp, tf.App, same)
	if tf.VersionTable != nil && strings.TrimSpace(*tf.VersionTable) == "" {
		return nil, fmt.Errorf("%s: version_table is empty", path)
	}
	if tf.LockTimeout != nil {
		l.set(KeyLockTimeout, time.Duration(*tf.LockTimeout), src)
	}
	if tf.Audit != nil {
		l.set(KeyAudit, *tf.Audit, src)
	}
	if tf.ASCII != nil {
		l.set(KeyASCII, *tf.ASCII, src)
	}
	return l, nil
}

// tomlDecodeError is how the TOML decoder words a type mismatch.
var tomlDecodeError = regexp.MustCompile(`^toml: (?:line (\d+) )?\(last key "([^"]*)"\): (.*)$`)

// tomlError puts the file and line in front of a TOML error.
func tomlError(path string, err error) error {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		if pe.LastKey != "" && !strings.HasPrefix(pe.Message, pe.LastKey) {
			return fmt.Errorf("%s:%d: %s: %s", path, pe.Position.Line, pe.LastKey, pe.Message)
		}
		return fmt.Errorf("%s:%d: %s", path, pe.Position.Line, pe.Message)
	}
	if m := tomlDecodeError.FindStringSubmatch(err.Error()); m != nil {
		if m[1] == "" {
			return fmt.Errorf("%s: %s: %s", path, m[2], m[3])
		}
		return fmt.Errorf("%s:%s: %s: %s", path, m[1], m[2], m[3])
	}
	return fmt.Errorf("%s: %w", path, err)
}

// unknownKeyError names the file, the line where the key is written when it
// can be found, and the keys retort knows.
func unknownKeyError(path, key string) error {
	known := append([]string(nil), Keys[:]...)
	sort.Strings(known)
	loc := path
	if line := keyLine(path, key); line > 0 {
		loc = fmt.Sprintf("%s:%d", path, line)
	}
	return fmt.Errorf("%s: unknown key %q (retort.toml knows %s)", loc, key, strings.Join(known, ", "))
}

// keyLine finds the line declaring a (possibly dotted or table) key; the
// TOML decoder does not expose key positions.
func keyLine(path, key string) int {
	src, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	first := strings.Split(key, ".")[0]
	re := regexp.MustCompile(`^\s*(?:\[+\s*)?["']?` + regexp.QuoteMeta(first) + `["']?\s*(?:[=.\]])`)
	for i, line := range strings.Split(string(src), "\n") {
		if re.MatchString(line) {
			return i + 1
		}
	}
	return 0
}

// relativeTo resolves a path written in a configuration file in dir.
func relativeTo(dir, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

// sqliteRelativeTo resolves the file of a relative SQLite URL in dir, as the
// engine reads the URL, keeping the other URL forms (and in-memory
// databases, and URLs the engine will refuse) as they are.
func sqliteRelativeTo(dir, u string) string {
	path, ok := engine.SQLiteFile(u)
	if !ok || filepath.IsAbs(path) {
		return u
	}
	return "sqlite:" + filepath.Join(dir, path)
}
