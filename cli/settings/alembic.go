package settings

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"gopkg.in/ini.v1"

	"retort/engine"
)

// alembic.ini: an Alembic project's configuration, read so that retort opens
// an Alembic project with no extra setup.

// ReadAlembicIni reads the [alembic] section of an alembic.ini the way
// Alembic does: versions directories from version_locations (split by
// version_path_separator, else on spaces and commas) or
// <script_location>/versions, and the database from sqlalchemy.url, with
// %(here)s (the file's directory) and %% interpolated. As with Alembic,
// relative paths there are relative to the current directory.
func ReadAlembicIni(path string) (Layer, error) {
	f, err := ini.LoadSources(ini.LoadOptions{
		IgnoreInlineComment:        true, // Python's ConfigParser keeps "#" inside values
		AllowPythonMultilineValues: true,
		InsensitiveKeys:            true,
	}, path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	sec, err := f.GetSection(alembicSection)
	if err != nil {
		return Layer{}, nil // not an Alembic configuration: nothing to take from it
	}
	get := func(key string) (string, bool, error) {
		if !sec.HasKey(key) {
			return "", false, nil
		}
		v, err := interpolate(f, sec, sec.Key(key).Value(), filepath.Dir(abs), 0)
		if err != nil {
			return "", true, fmt.Errorf("%s: [%s] %s: %w", path, alembicSection, key, err)
		}
		return strings.TrimSpace(v), true, nil
	}
	l := Layer{}
	l.set(keyAlembicIni, abs, abs)
	dirs, from, err := alembicDirs(get)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(dirs) > 0 {
		l.set(KeyDirs, dirs, abs+" ["+alembicSection+"] "+from)
	}
	if url, ok, err := get(alembicURLKey); err != nil {
		return nil, err
	} else if ok && url != "" {
		l.set(KeyDB, url, abs+" ["+alembicSection+"] "+alembicURLKey)
	}
	return l, nil
}

// versionSeparators are Alembic's version_path_separator values.
var versionSeparators = map[string]string{"space": " ", "os": string(os.PathListSeparator), ":": ":", ";": ";"}

// spaceComma is Alembic's legacy version_locations separator.
var spaceComma = regexp.MustCompile(`, *| +`)

// alembicDirs returns the versions directories and the key they came from.
func alembicDirs(get func(string) (string, bool, error)) ([]string, string, error) {
	const locationsKey = "version_locations"
	locations, _, err := get(locationsKey)
	if err != nil {
		return nil, "", err
	}
	if locations != "" {
		sep, hasSep, err := get("version_path_separator")
		if err != nil {
			return nil, "", err
		}
		var parts []string
		if !hasSep {
			parts = spaceComma.Split(locations, -1)
		} else if s, ok := versionSeparators[sep]; ok {
			parts = strings.Split(locations, s)
		} else {
			return nil, "", fmt.Errorf("'%s' is not a valid value for version_path_separator; expected 'space', 'os', ':', ';'", sep)
		}
		var dirs []string
		for _, p := range parts {
			if p = strings.TrimSpace(p); p != "" {
				dirs = append(dirs, p)
			}
		}
		return dirs, locationsKey, nil
	}
	loc, _, err := get(alembicLocation)
	if err != nil || loc == "" {
		return nil, "", err
	}
	return []string{filepath.Join(loc, "versions")}, alembicLocation, nil
}

// interpolationRef is ConfigParser's BasicInterpolation syntax.
var interpolationRef = regexp.MustCompile(`%\(([^)]+)\)s|%%|%`)

// interpolate expands %(name)s from the section, the DEFAULT section and
// `here`, and %% to %, as Python's ConfigParser does for Alembic.
func interpolate(f *ini.File, sec *ini.Section, v, here string, depth int) (string, error) {
	if depth > 10 {
		return "", errors.New("interpolation too deeply nested (a reference loop?)")
	}
	var firstErr error
	out := interpolationRef.ReplaceAllStringFunc(v, func(m string) string {
		switch {
		case m == "%%":
			return "%"
		case m == "%":
			if firstErr == nil {
				// The value may be a URL with a password: it is
				// quoted masked. Python's ConfigParser refuses it too;
				// Alembic's users write %% for a literal %.
				firstErr = fmt.Errorf("'%%' must be followed by '%%' or '(' (write %%%% for a literal %%), in %q", engine.MaskURL(v))
			}
			return m
		}
		name := strings.ToLower(m[2 : len(m)-2])
		raw, ok := lookupIni(f, sec, name, here)
		if !ok {
			if firstErr == nil {
				firstErr = fmt.Errorf("%%(%s)s names no option", name)
			}
			return m
		}
		exp, err := interpolate(f, sec, raw, here, depth+1)
		if err != nil && firstErr == nil {
			firstErr = err
		}
		return exp
	})
	return out, firstErr
}

func lookupIni(f *ini.File, sec *ini.Section, name, here string) (string, bool) {
	if sec.HasKey(name) {
		return sec.Key(name).Value(), true
	}
	if def := f.Section(ini.DefaultSection); def.HasKey(name) {
		return def.Key(name).Value(), true
	}
	if name == "here" {
		// ConfigParser(defaults={"here": ...}): escape it, since its value
		// is interpolated again.
		return strings.ReplaceAll(here, "%", "%%"), true
	}
	return "", false
}
