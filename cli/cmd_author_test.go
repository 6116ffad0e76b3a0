package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"retort/revisions"
)

// The authoring verbs through the real command line, in-process, in a
// scratch directory.

// retortIn runs retort in dir with only the given environment variables
// among those retort reads, and returns stdout, stderr and the exit status.
func retortIn(t *testing.T, dir string, env map[string]string, args ...string) (string, string, int) {
	t.Helper()
	for _, k := range []string{"DATABASE_URL", "RETORT_DIR", "VISUAL", "EDITOR"} {
		t.Setenv(k, env[k])
		if _, ok := env[k]; !ok {
			os.Unsetenv(k)
		}
	}
	t.Chdir(dir)
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}

// cwd is the current directory as the process sees it.
func cwd(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return wd
}

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

var generatingLine = regexp.MustCompile(`^Generating (/\S+/([0-9a-f]{12})_(\S*)\.sql) \.\.\.  done\n$`)

func TestRevisionAndMergeCLI(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "migrations"), 0o755); err != nil {
		t.Fatal(err)
	}
	gen := func(args ...string) string {
		t.Helper()
		out, errOut, code := retortIn(t, dir, nil, args...)
		m := generatingLine.FindStringSubmatch(out)
		if code != 0 || m == nil {
			t.Fatalf("retort %v: %d\n%s%s", args, code, out, errOut)
		}
		if _, err := os.Stat(m[1]); err != nil {
			t.Fatalf("printed path does not exist: %v", err)
		}
		return m[2]
	}
	base := gen("revision", "-m", "Create documents")
	left := gen("revision", "-m", "left", "--branch-label", "left")
	right := gen("revision", "-m", "right", "--head", base, "--splice", "--branch-label", "right")

	out, errOut, code := retortIn(t, dir, nil, "revision", "-m", "x")
	if code != 1 || out != "" || !strings.HasPrefix(errOut, "FAILED: Multiple heads are present; please specify the head revision on which the new revision should be based, or perform a merge.\n") {
		t.Errorf("revision with two heads: %d %q %q", code, out, errOut)
	}
	_, errOut, _ = retortIn(t, dir, nil, "merge", "-m", "x", left, "nope")
	if !strings.HasPrefix(errOut, "FAILED: Can't locate revision identified by 'nope'\n") {
		t.Errorf("merge with an unknown revision: %q", errOut)
	}
	before, err := revisions.Load(filepath.Join(dir, "migrations"))
	if err != nil {
		t.Fatal(err)
	}
	merge := gen("merge", "-m", "join", "heads", "--branch-label", "main", "--rev-id", "abcdef012345")
	if merge != "abcdef012345" {
		t.Errorf("--rev-id ignored: %s", merge)
	}
	tools := gen("revision", "-m", "tools", "--head", "base", "--depends-on", "left")

	g, err := revisions.Load(filepath.Join(dir, "migrations"))
	if err != nil {
		t.Fatal(err)
	}
	m := g.Rev(merge)
	if want := before.IDs(before.RealHeads); m == nil || len(want) != 2 || strings.Join(m.Parents, ",") != strings.Join(want, ",") {
		t.Fatalf("merge revision %+v, want the heads %v as parents", m, want)
	}
	if r := g.Rev(tools); strings.Join(r.DependsOn, ",") != "left" || len(r.Parents) != 0 {
		t.Errorf("tools revision %+v", r)
	}
	if r := g.Rev(right); strings.Join(r.Parents, ",") != base || strings.Join(r.BranchLabels, ",") != "right" {
		t.Errorf("right revision %+v", r)
	}
	out, _, _ = retortIn(t, dir, nil, "heads")
	if want := merge + " (left, main, right) (head)\n" + tools + " (head)\n"; out != want && out != tools+" (head)\n"+merge+" (left, main, right) (head)\n" {
		t.Errorf("heads: %q", out)
	}
}

func TestRevisionWithoutVersionsDirectory(t *testing.T) {
	_, errOut, code := retortIn(t, t.TempDir(), nil, "revision", "-m", "x")
	if code == 0 || !strings.Contains(errOut, "versions directory migrations does not exist: create it with `retort init migrations`") {
		t.Errorf("%d %s", code, errOut)
	}
}

func TestRevisionRefusesBrokenHistory(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "migrations"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "migrations", "a_x.sql"), []byte("-- Revision ID: a\n-- Revises: missing\n\n-- +upgrade\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := retortIn(t, dir, nil, "revision", "-m", "x")
	if code == 0 || !strings.Contains(errOut, "fix the versions directory before adding a revision") || !strings.Contains(errOut, "a_x.sql:2: revision a revises missing") {
		t.Errorf("%d %s", code, errOut)
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "migrations")); len(entries) != 1 {
		t.Errorf("a revision was written into a broken history")
	}
}

func TestConfigCommand(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "retort.toml"), []byte("dirs = [\"sql\", \"more\"]\nlock_timeout = \"1m30s\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"DATABASE_URL": "postgresql://app:s3cr%40t@db.example/app?sslmode=require", "EDITOR": "ed"}
	out, errOut, code := retortIn(t, dir, env, "config", "--no-audit")
	if code != 0 {
		t.Fatal(errOut)
	}
	if strings.Contains(out, "s3cr") {
		t.Errorf("password shown:\n%s", out)
	}
	toml := filepath.Join(cwd(t), "retort.toml")
	want := []*regexp.Regexp{
		regexp.MustCompile(`(?m)^dirs = \["sql", "more"\] +# ` + regexp.QuoteMeta(toml) + `$`),
		regexp.MustCompile(`(?m)^db = "postgresql://app:xxxxx@db.example/app\?sslmode=require" +# environment DATABASE_URL$`),
		regexp.MustCompile(`(?m)^version_table = "alembic_version" +# default$`),
		regexp.MustCompile(`(?m)^version_schema = "" +# default$`),
		regexp.MustCompile(`(?m)^lock_timeout = "1m30s" +# ` + regexp.QuoteMeta(toml) + `$`),
		regexp.MustCompile(`(?m)^audit = false +# flag --no-audit$`),
		regexp.MustCompile(`(?m)^ascii = false +# default$`),
		regexp.MustCompile(`(?m)^editor = "ed" +# environment EDITOR$`),
	}
	if n := strings.Count(out, "\n"); n != len(want) {
		t.Errorf("%d lines, want %d:\n%s", n, len(want), out)
	}
	for _, re := range want {
		if !re.MatchString(out) {
			t.Errorf("config output lacks %s:\n%s", re, out)
		}
	}

	out, _, code = retortIn(t, dir, env, "config", "--json")
	if code != 0 {
		t.Fatal(out)
	}
	var got map[string]configEntry
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if e := got["db"]; e.Value != "postgresql://app:xxxxx@db.example/app?sslmode=require" || e.Source != "environment DATABASE_URL" {
		t.Errorf("db: %+v", e)
	}
	if e := got["dirs"]; len(e.Value.([]any)) != 2 || e.Source != toml {
		t.Errorf("dirs: %+v", e)
	}
	if e := got["audit"]; e.Value != true || e.Source != "default" {
		t.Errorf("audit: %+v", e)
	}
	if len(got) != len(settingKeys) {
		t.Errorf("%d settings in JSON, want %d", len(got), len(settingKeys))
	}
}

func TestConfigErrorsNameTheFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "retort.toml"), []byte("dirs = \"sql\"\ndatbase = \"x\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := retortIn(t, dir, nil, "heads")
	if code != 1 || !strings.HasPrefix(errOut, "FAILED: retort.toml:2: unknown key \"datbase\"") {
		t.Errorf("%d %q", code, errOut)
	}
}

func TestCompletionAndVersion(t *testing.T) {
	dir := t.TempDir()
	for shell, marker := range map[string]string{
		"bash": "# bash completion V2 for retort", "zsh": "#compdef retort", "fish": "# fish completion for retort", "powershell": "Register-ArgumentCompleter",
	} {
		out, errOut, code := retortIn(t, dir, nil, "completion", shell)
		if code != 0 || !strings.Contains(out, marker) {
			t.Errorf("completion %s: %d %s (%.80q)", shell, code, errOut, out)
		}
	}
	if _, errOut, code := retortIn(t, dir, nil, "completion", "tcsh"); code == 0 || !strings.Contains(errOut, `invalid argument "tcsh"`) {
		t.Errorf("completion tcsh: %d %s", code, errOut)
	}
	if out, _, code := retortIn(t, dir, nil, "--version"); code != 0 || out != "retort "+version+"\n" {
		t.Errorf("--version: %d %q", code, out)
	}
}

// TestRevisionCompletion: the shell completes --head and merge arguments
// from the versions directory.
func TestRevisionCompletion(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, filepath.Join(repoRoot(t), "testdata", "conformance", "h01_two_trees", "sql"), filepath.Join(dir, "migrations"))
	out, _, code := retortIn(t, dir, nil, "__complete", "merge", "")
	if code != 0 {
		t.Fatal(out)
	}
	for _, want := range []string{"heads\t", "e000\tstep 4", "f000\t", "y000\t", "core@head\t", "other@head\t"} {
		if !strings.Contains(out, "\n"+want) && !strings.HasPrefix(out, want) {
			t.Errorf("merge completions lack %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\nc000\t") {
		t.Errorf("merge completions offer a revision that is not a head:\n%s", out)
	}
	out, _, _ = retortIn(t, dir, nil, "__complete", "revision", "--depends-on", "")
	if !strings.Contains(out, "\nc000\t") || !strings.Contains(out, "\nfeat\t") {
		t.Errorf("--depends-on completions:\n%s", out)
	}
}

// repoRoot is the repository's root, the parent of this package's
// directory, as an absolute path (tests change directory).
func repoRoot(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Dir(wd)
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(to, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
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

// TestAuthoringWarnsInAlembicProjects: a .sql revision or merge written
// where Alembic looks for revisions is invisible to Alembic, and retort says
// so on stderr; elsewhere it says nothing.
func TestAuthoringWarnsInAlembicProjects(t *testing.T) {
	py := func(id string) string {
		return "\"\"\"" + id + "\n\nRevision ID: " + id + "\n\"\"\"\nrevision = '" + id + "'\ndown_revision = None\nbranch_labels = None\ndepends_on = None\n"
	}
	cases := []struct {
		name  string
		files map[string]string
		args  []string
		why   string // "" for no warning
	}{
		{name: "settings from alembic.ini", files: map[string]string{"alembic.ini": "[alembic]\nscript_location = alembic\n", "alembic/versions/a000_first.py": py("a000")},
			args: []string{"revision", "-m", "add loans"}, why: "(its location comes from $DIR/alembic.ini [alembic] script_location)"},
		{name: "alembic.ini, empty versions directory", files: map[string]string{"alembic.ini": "[alembic]\nscript_location = alembic\n", "alembic/versions/README": ""},
			args: []string{"revision", "-m", "add loans"}, why: "(its location comes from $DIR/alembic.ini [alembic] script_location)"},
		{name: ".py revisions in --dir", files: map[string]string{"versions/a000_first.py": py("a000")},
			args: []string{"--dir", "versions", "revision", "-m", "add loans"}, why: "(it holds Alembic .py revisions such as a000_first.py)"},
		{name: "merge of .py heads", files: map[string]string{"versions/a000_first.py": py("a000"), "versions/b000_second.py": py("b000")},
			args: []string{"--dir", "versions", "merge", "-m", "join", "heads"}, why: "(it holds Alembic .py revisions such as a000_first.py)"},
		{name: ".py revisions in another versions directory", files: map[string]string{"py/a000_first.py": py("a000"), "sql/b000_x.sql": "-- Revision ID: b000\n-- +upgrade\n"},
			args: []string{"-d", "sql", "-d", "py", "revision", "-m", "x", "--head", "b000"}},
		{name: "a retort project", files: map[string]string{"migrations/b000_x.sql": "-- Revision ID: b000\n-- +upgrade\n"},
			args: []string{"revision", "-m", "x"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, c.files)
			out, errOut, code := retortIn(t, dir, nil, c.args...)
			m := generatingLine.FindStringSubmatch(out)
			if code != 0 || m == nil {
				t.Fatalf("exit %d\n%s%s", code, out, errOut)
			}
			if c.why == "" {
				if errOut != "" {
					t.Errorf("unexpected stderr: %s", errOut)
				}
				return
			}
			for _, want := range []string{
				"warning: Alembic will not see " + filepath.Base(m[1]) + ": Alembic loads only .py revision files,\n",
				strings.ReplaceAll(c.why, "$DIR", cwd(t)),
				"Can't locate revision identified by '" + m[2] + "'",
				`use "alembic revision" instead`,
			} {
				if !strings.Contains(errOut, want) {
					t.Errorf("stderr lacks %q:\n%s", want, errOut)
				}
			}
			// The revision was written all the same, and loads.
			if _, err := revisions.Load(filepath.Dir(m[1])); err != nil {
				t.Errorf("reloading: %v", err)
			}
		})
	}
}
