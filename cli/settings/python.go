package settings

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"retort/pyalembic"
)

// Which Python and which Flask application: the settings python and app.

// appFromEnv is the application when no flag or retort.toml names one:
// $FLASK_APP, as the flask command reads it. It comes after retort.toml,
// like $VIRTUAL_ENV after `python`: a shell's FLASK_APP may be another
// project's, retort.toml is this one's.
func appFromEnv(env func(string) (string, bool)) (string, string) {
	if v, ok := env(envFlaskApp); ok && strings.TrimSpace(v) != "" {
		return v, "environment " + envFlaskApp
	}
	return "", SourceDefault
}

// choosePython is the interpreter: the one given (--python, `python` in
// retort.toml: a bare name is looked up on PATH), else pyalembic.Locate's
// choice ($VIRTUAL_ENV, a .venv or venv in a project directory, python3 on
// PATH). No interpreter is not an error here: only what needs Python
// fails, with err.
func choosePython(given any, givenBy string, dirs []string, env func(string) (string, bool)) (python, source string, err error) {
	look := lookPathIn(env)
	if p, ok := given.(string); ok && p != "" {
		if isBareName(p) {
			if found, err := look(p); err == nil {
				p = found
			}
		}
		return p, givenBy, nil
	}
	c, err := pyalembic.Locate(pyalembic.Where{
		ProjectDirs: dirs,
		Getenv:      func(k string) string { v, _ := env(k); return v },
		LookPath:    look,
	})
	if err != nil {
		return "", err.Error(), err
	}
	return c.Python, c.Why, nil
}

// projectDirs are the directories a virtualenv of the project may sit in:
// the one of the --config file, then the current directory.
func projectDirs(configFile string) []string {
	var dirs []string
	if configFile != "" {
		dirs = append(dirs, AbsPath(filepath.Dir(configFile)))
	}
	if wd, err := os.Getwd(); err == nil && (len(dirs) == 0 || dirs[0] != wd) {
		dirs = append(dirs, wd)
	}
	return dirs
}

// lookPathIn finds an executable on the PATH of env, so that the choice
// follows the environment retort resolves its settings from.
func lookPathIn(env func(string) (string, bool)) func(string) (string, error) {
	return func(name string) (string, error) {
		path, _ := env("PATH")
		for _, dir := range filepath.SplitList(path) {
			if dir == "" {
				dir = "."
			}
			for _, n := range executableNames(name) {
				p := filepath.Join(dir, n)
				if st, err := os.Stat(p); err == nil && !st.IsDir() && (runtime.GOOS == "windows" || st.Mode()&0o111 != 0) {
					return p, nil
				}
			}
		}
		return "", fmt.Errorf("%s is not on PATH", name)
	}
}

func executableNames(name string) []string {
	if runtime.GOOS == "windows" {
		return []string{name + ".exe", name}
	}
	return []string{name}
}

// pythonRelativeTo resolves a `python` written in retort.toml: a path is
// relative to the file's directory, a bare name is looked up on PATH.
func pythonRelativeTo(dir, p string) string {
	if isBareName(p) {
		return p
	}
	return relativeTo(dir, p)
}

// isBareName tells a command name (python3.12), which PATH finds, from a
// path (.venv/bin/python).
func isBareName(p string) bool {
	return !strings.ContainsRune(p, '/') && !strings.ContainsRune(p, filepath.Separator)
}

// IsVersionsDir tells whether dir is a versions directory of its own: it
// exists and holds no env.py (a directory with env.py is an Alembic script
// directory, Flask-Migrate's migrations/).
func IsVersionsDir(dir string) bool {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return false
	}
	_, err := os.Stat(filepath.Join(dir, "env.py"))
	return errors.Is(err, os.ErrNotExist)
}
