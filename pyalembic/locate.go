package pyalembic

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Choice is the interpreter Locate chose, and why.
type Choice struct {
	Python string
	// Why says where it came from, as `retort config` prints it.
	Why string
}

// Where says where to look for the project's Python. Given and GivenBy
// are an explicit choice (the --python flag, `python` in retort.toml) and
// its source; ProjectDirs are the directories a virtualenv may sit in
// (`.venv`, `venv`).
type Where struct {
	Given, GivenBy string
	ProjectDirs    []string
	Getenv         func(string) string
	LookPath       func(string) (string, error)
}

// Locate chooses the project's Python: the one given, then
// $VIRTUAL_ENV/bin/python, then a `.venv` or `venv` in a project
// directory (any directory with bin/python is a virtualenv: pyvenv.cfg is
// not required), then python3 on PATH.
func Locate(w Where) (Choice, error) {
	if w.Given != "" {
		return Choice{Python: w.Given, Why: w.GivenBy}, nil
	}
	getenv := w.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	if venv := getenv("VIRTUAL_ENV"); venv != "" {
		if p := venvPython(venv); p != "" {
			return Choice{Python: p, Why: "environment VIRTUAL_ENV"}, nil
		}
	}
	for _, dir := range w.ProjectDirs {
		for _, name := range []string{".venv", "venv"} {
			if p := venvPython(filepath.Join(dir, name)); p != "" {
				return Choice{Python: p, Why: "virtualenv " + filepath.Join(dir, name)}, nil
			}
		}
	}
	look := w.LookPath
	if look == nil {
		return Choice{}, errors.New("no Python found")
	}
	p, err := look("python3")
	if err != nil {
		return Choice{}, fmt.Errorf("no Python found (no --python, no python in retort.toml, no $VIRTUAL_ENV, "+
			"no .venv or venv beside the project, no python3 on PATH): %w", err)
	}
	return Choice{Python: p, Why: "python3 on PATH"}, nil
}

// venvPython is the interpreter of the virtualenv at dir, "" when there is
// none.
func venvPython(dir string) string {
	for _, name := range []string{"bin/python", "bin/python3", "Scripts/python.exe"} {
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	return ""
}
