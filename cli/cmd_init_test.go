package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestInit(t *testing.T) {
	dir := t.TempDir()
	out, errOut, code := retortIn(t, dir, nil, "init")
	if code != 0 {
		t.Fatalf("init failed (%d): %s", code, errOut)
	}
	wd := cwd(t)
	for _, want := range []string{
		"Creating directory " + filepath.Join(wd, "migrations") + " ...  done\n",
		"Generating " + filepath.Join(wd, "retort.toml") + " ...  done\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("init printed:\n%s\nwant a line %q", out, want)
		}
	}
	if st, err := os.Stat("migrations"); err != nil || !st.IsDir() {
		t.Fatalf("migrations/ not created: %v", err)
	}
	// The new project works: config reads retort.toml, revision writes.
	out, _, code = retortIn(t, dir, nil, "config")
	if code != 0 || !strings.Contains(out, `dirs = ["migrations"]`) || !strings.Contains(out, "# "+filepath.Join(wd, "retort.toml")) {
		t.Errorf("config after init:\n%s", out)
	}
	if _, errOut, code := retortIn(t, dir, nil, "revision", "-m", "create documents"); code != 0 {
		t.Fatalf("revision after init: %s", errOut)
	}
	// A second init refuses, and leaves the file alone.
	before, _ := os.ReadFile("retort.toml")
	_, errOut, code = retortIn(t, dir, nil, "init")
	if code == 0 || !strings.Contains(errOut, "retort.toml already exists") {
		t.Errorf("second init: %d %s", code, errOut)
	}
	if after, _ := os.ReadFile("retort.toml"); !bytes.Equal(before, after) {
		t.Error("retort.toml changed by a refused init")
	}
}

func TestInitSubdirectoryAndRefusals(t *testing.T) {
	dir := t.TempDir()
	out, errOut, code := retortIn(t, dir, nil, "init", "db/versions")
	if code != 0 {
		t.Fatalf("init db/versions: %s", errOut)
	}
	if _, err := os.Stat(filepath.Join("db", "retort.toml")); err != nil {
		t.Errorf("retort.toml not beside db/versions: %v", err)
	}
	if !strings.Contains(out, "run it from db, or pass --config db/retort.toml") {
		t.Errorf("no hint about where to run retort:\n%s", out)
	}
	out, _, _ = retortIn(t, dir, nil, "-c", "db/retort.toml", "config")
	if !strings.Contains(out, `dirs = ["db/versions"]`) {
		t.Errorf("config through the new file:\n%s", out)
	}

	// A non-empty versions directory is refused before anything is written.
	other := t.TempDir()
	if err := os.MkdirAll(filepath.Join(other, "migrations"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(other, "migrations", "x.sql"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code = retortIn(t, other, nil, "init")
	if code == 0 || !strings.Contains(errOut, "already exists and is not empty") {
		t.Errorf("init over a non-empty directory: %d %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(other, "retort.toml")); err == nil {
		t.Error("retort.toml written although init refused")
	}
	// A broken retort.toml: init without DIR, which reads it for the
	// versions directory, says what is wrong with it; init DIR does not
	// read it.
	broken := t.TempDir()
	if err := os.WriteFile(filepath.Join(broken, "retort.toml"), []byte("nonsense = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code = retortIn(t, broken, nil, "init")
	if code == 0 || !strings.Contains(errOut, `retort.toml:1: unknown key "nonsense"`) {
		t.Errorf("init beside a broken retort.toml: %d %s", code, errOut)
	}
	if _, errOut, code = retortIn(t, broken, nil, "init", "db/migrations"); code != 0 {
		t.Errorf("init DIR beside a broken retort.toml: %d %s", code, errOut)
	}
}

// TestInitFollowsConfiguration: without DIR, init creates the versions
// directory the flags, the environment or a configuration file name, and
// the retort.toml it writes names that directory.
func TestInitFollowsConfiguration(t *testing.T) {
	const aPy = "\"\"\"first\n\nRevision ID: a000\n\"\"\"\nrevision = 'a000'\ndown_revision = None\n"
	cases := []struct {
		name  string
		files map[string]string
		env   map[string]string
		args  []string
		dirs  []string // created, relative to the case's directory
		toml  string   // the retort.toml written, "" for none
		line  string   // its dirs line
		err   string
	}{
		{name: "default", args: []string{"init"}, dirs: []string{"migrations"}, toml: "retort.toml", line: `dirs = ["migrations"]`},
		{name: "RETORT_DIR", env: map[string]string{"RETORT_DIR": "sql"}, args: []string{"init"},
			dirs: []string{"sql"}, toml: "retort.toml", line: `dirs = ["sql"]`},
		{name: "RETORT_DIR with several directories", env: map[string]string{"RETORT_DIR": "db/a" + string(os.PathListSeparator) + "db/b"}, args: []string{"init"},
			dirs: []string{"db/a", "db/b"}, toml: "db/retort.toml", line: `dirs = ["a", "b"]`},
		{name: "--dir", args: []string{"--dir", "db/sql", "init"}, dirs: []string{"db/sql"}, toml: "db/retort.toml", line: `dirs = ["sql"]`},
		{name: "--dir twice", args: []string{"-d", "one", "-d", "two/sub", "init"}, dirs: []string{"one", "two/sub"}, toml: "retort.toml", line: `dirs = ["one", "two/sub"]`},
		{name: "--dir over RETORT_DIR", env: map[string]string{"RETORT_DIR": "env"}, args: []string{"-d", "flag", "init"},
			dirs: []string{"flag"}, toml: "retort.toml", line: `dirs = ["flag"]`},
		{name: "DIR over RETORT_DIR and --dir", env: map[string]string{"RETORT_DIR": "env"}, args: []string{"-d", "flag", "init", "arg"},
			dirs: []string{"arg"}, toml: "retort.toml", line: `dirs = ["arg"]`},
		{name: "RETORT_DIR over retort.toml", files: map[string]string{"conf/retort.toml": "dirs = \"sql\"\n"}, env: map[string]string{"RETORT_DIR": "env"},
			args: []string{"-c", "conf/retort.toml", "init"}, dirs: []string{"env"}, toml: "retort.toml", line: `dirs = ["env"]`},
		{name: "--config names the directory", files: map[string]string{"conf/app.toml": "dirs = \"mig\"\n"},
			args: []string{"-c", "conf/app.toml", "init"}, dirs: []string{"conf/mig"}},
		{name: "./retort.toml names a missing directory", files: map[string]string{"retort.toml": "dirs = [\"sql\", \"more\"]\n", "more/x.sql": ""},
			args: []string{"init"}, dirs: []string{"sql"}},
		{name: "./retort.toml, directory there", files: map[string]string{"retort.toml": "dirs = \"sql\"\n", "sql/a.sql": ""},
			args: []string{"init"}, err: "retort.toml already exists and sets up the versions directory sql: retort init has nothing to do"},
		{name: "alembic.ini without its project", files: map[string]string{"alembic.ini": "[alembic]\nscript_location = alembic\n"},
			args: []string{"init"}, err: `alembic.ini [alembic] script_location names the versions directory alembic/versions, which does not exist: create the Alembic project with "alembic init" (or correct alembic.ini), or give retort init a directory of its own`},
		{name: "alembic.ini, project there", files: map[string]string{"alembic.ini": "[alembic]\nscript_location = alembic\n", "alembic/versions/a000_x.py": aPy},
			args: []string{"init"}, err: "alembic.ini [alembic] script_location already sets up the versions directory alembic/versions: retort reads alembic.ini, so an Alembic project needs no retort init"},
		{name: "RETORT_DIR over alembic.ini", files: map[string]string{"alembic.ini": "[alembic]\nscript_location = alembic\n"}, env: map[string]string{"RETORT_DIR": "sql"},
			args: []string{"init"}, dirs: []string{"sql"}, toml: "retort.toml", line: `dirs = ["sql"]`},
		{name: "--dir beside an existing retort.toml", files: map[string]string{"retort.toml": "dirs = \"sql\"\n"},
			args: []string{"-d", "other", "init"}, err: "retort.toml already exists; retort init never overwrites a file"},
		{name: "a non-empty directory", env: map[string]string{"RETORT_DIR": "sql"}, files: map[string]string{"sql/a.sql": ""},
			args: []string{"init"}, err: "versions directory sql already exists and is not empty"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, c.files)
			out, errOut, code := retortIn(t, dir, c.env, c.args...)
			if c.err != "" {
				if code == 0 || !strings.Contains(errOut, c.err) {
					t.Fatalf("exit %d, stderr %q; want an error containing %q", code, errOut, c.err)
				}
				if entries, _ := os.ReadDir(dir); len(entries) != len(topLevel(c.files)) {
					t.Errorf("a refused init wrote something: %v", entries)
				}
				return
			}
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			for _, d := range c.dirs {
				if st, err := os.Stat(d); err != nil || !st.IsDir() {
					t.Errorf("%s not created: %v\n%s", d, err, out)
				}
			}
			if !contains(c.dirs, "migrations") {
				if _, err := os.Stat("migrations"); err == nil {
					t.Errorf("migrations created although the configuration names %v", c.dirs)
				}
			}
			if c.toml == "" {
				if !strings.Contains(out, "no retort.toml written") {
					t.Errorf("init did not say it wrote no retort.toml:\n%s", out)
				}
				for _, p := range []string{"retort.toml", filepath.Join(filepath.Dir(c.dirs[0]), "retort.toml")} {
					if _, ok := c.files[p]; !ok {
						if _, err := os.Stat(p); err == nil {
							t.Errorf("%s written for a project a configuration file sets up", p)
						}
					}
				}
				return
			}
			body, err := os.ReadFile(c.toml)
			if err != nil {
				t.Fatalf("retort.toml not written at %s: %v\n%s", c.toml, err, out)
			}
			if !strings.Contains(string(body), "\n"+c.line+"\n") {
				t.Errorf("%s lacks %q:\n%s", c.toml, c.line, body)
			}
			// The new file, read alone, names the directories init created.
			out, errOut, code = retortIn(t, dir, nil, "-c", c.toml, "config", "--json")
			var got map[string]configEntry
			if code != 0 || json.Unmarshal([]byte(out), &got) != nil {
				t.Fatalf("config: %d %s %s", code, out, errOut)
			}
			var dirs []string
			for _, d := range got["dirs"].Value.([]any) {
				dirs = append(dirs, d.(string))
			}
			if strings.Join(dirs, " ") != strings.Join(c.dirs, " ") {
				t.Errorf("the written retort.toml names %v, init created %v", dirs, c.dirs)
			}
		})
	}
}

// topLevel lists the distinct first path elements of the files.
func topLevel(files map[string]string) map[string]bool {
	out := map[string]bool{}
	for name := range files {
		out[strings.Split(name, "/")[0]] = true
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
