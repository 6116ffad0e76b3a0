package cli

import (
	"context"
	"encoding/json"
	neturl "net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"retort/cli/settings"
	"retort/engine"
	"retort/engine/pgtest"
	"retort/pyalembic"
)

// The project's Python and application: which ones, from where, and when
// retort starts Python.

// TestPythonPrecedenceChain gives the interpreter in every place at once
// (flag, retort.toml, $VIRTUAL_ENV, ./.venv, ./venv, python3 on PATH),
// then takes the places away one by one from the top: each time the next
// one must win, down to none at all.
func TestPythonPrecedenceChain(t *testing.T) {
	type place struct {
		name, python, source string
		apply                func(c *configCase)
	}
	places := []place{
		{"flag", "flag/python", "flag --python", func(c *configCase) { c.args = append(c.args, "--python", "flag/python") }},
		{"retort.toml", "conf/toml/python", "$DIR/conf/retort.toml", func(c *configCase) {
			c.files["conf/retort.toml"] = "python = \"toml/python\"\n"
			c.args = append(c.args, "--config", "conf/retort.toml")
		}},
		{"VIRTUAL_ENV", "$DIR/active/bin/python", "environment VIRTUAL_ENV", func(c *configCase) {
			c.files["active/bin/python"] = ""
			c.env["VIRTUAL_ENV"] = "$DIR/active"
		}},
		{".venv", "$DIR/.venv/bin/python", "virtualenv $DIR/.venv", func(c *configCase) { c.files[".venv/bin/python"] = "" }},
		{"venv", "$DIR/venv/bin/python", "virtualenv $DIR/venv", func(c *configCase) { c.files["venv/bin/python"] = "" }},
		{"PATH", "$DIR/bin/python3", "python3 on PATH", func(c *configCase) {
			c.files["bin/python3"] = "#!/bin/sh\n"
			c.env["PATH"] = "$DIR/nothing:$DIR/bin"
		}},
		{"nowhere", "", "no Python found (no --python, no python in retort.toml, no $VIRTUAL_ENV, no .venv or venv beside the project, no python3 on PATH): python3 is not on PATH", func(*configCase) {}},
	}
	for top := range places {
		c := configCase{name: "from " + places[top].name + " down", env: map[string]string{}, files: map[string]string{}}
		for _, p := range places[top:] {
			p.apply(&c)
		}
		c.want = map[string][2]any{settings.KeyPython: {places[top].python, places[top].source}}
		t.Run(c.name, func(t *testing.T) { runConfigCase(t, c) })
	}
}

func TestPythonAndAppSettings(t *testing.T) {
	for _, c := range []configCase{
		{
			name:  "a bare name in retort.toml is looked up on PATH",
			files: map[string]string{"retort.toml": "python = \"python3.11\"\n", "bin/python3.11": "#!/bin/sh\n"},
			env:   map[string]string{"PATH": "$DIR/bin"},
			want:  map[string][2]any{settings.KeyPython: {"$DIR/bin/python3.11", "$DIR/retort.toml"}},
		},
		{
			name:  "python relative to its retort.toml",
			files: map[string]string{"c/retort.toml": "python = \"../env/bin/python\"\n"},
			args:  []string{"-c", "c/retort.toml"},
			want:  map[string][2]any{settings.KeyPython: {"env/bin/python", "$DIR/c/retort.toml"}},
		},
		{
			name: "a bare --python not on PATH stays as given, for starting it to say so",
			args: []string{"--python", "python9"},
			want: map[string][2]any{settings.KeyPython: {"python9", "flag --python"}},
		},
		{
			name:  "a virtualenv beside the --config file comes before one in the current directory",
			files: map[string]string{"proj/retort.toml": "dirs = \"m\"\n", "proj/.venv/bin/python": "", ".venv/bin/python": ""},
			args:  []string{"-c", "proj/retort.toml"},
			want:  map[string][2]any{settings.KeyPython: {"$DIR/proj/.venv/bin/python", "virtualenv $DIR/proj/.venv"}},
		},
		{
			name:  "app: flag",
			files: map[string]string{"retort.toml": "app = \"toml:create_app\"\n"},
			env:   map[string]string{"FLASK_APP": "env:create_app"},
			args:  []string{"--app", "flag:create_app"},
			want:  map[string][2]any{settings.KeyApp: {"flag:create_app", "flag --app"}},
		},
		{
			name:  "app: retort.toml beats FLASK_APP",
			files: map[string]string{"retort.toml": "app = \"toml:create_app\"\n"},
			env:   map[string]string{"FLASK_APP": "env:create_app"},
			want:  map[string][2]any{settings.KeyApp: {"toml:create_app", "$DIR/retort.toml"}},
		},
		{
			name: "app: FLASK_APP",
			env:  map[string]string{"FLASK_APP": "env:create_app"},
			want: map[string][2]any{settings.KeyApp: {"env:create_app", "environment FLASK_APP"}},
		},
		{
			name: "app: none",
			env:  map[string]string{"FLASK_APP": " "},
			want: map[string][2]any{settings.KeyApp: {"", "default"}},
		},
	} {
		t.Run(c.name, func(t *testing.T) { runConfigCase(t, c) })
	}
}

// recordingPython is an interpreter that notes each time it is started in
// log, then runs Debian's Python, which has Alembic.
func recordingPython(t *testing.T) (python, log string) {
	t.Helper()
	dir := t.TempDir()
	python, log = filepath.Join(dir, "python"), filepath.Join(dir, "started")
	script := "#!/bin/sh\necho started >> " + log + "\nexec " + pythonWithAlembic + " \"$@\"\n"
	if err := os.WriteFile(python, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return python, log
}

func started(t *testing.T, log string) int {
	t.Helper()
	b, err := os.ReadFile(log)
	if os.IsNotExist(err) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(b), "started\n")
}

// In a project of .sql revisions, nothing starts Python: not heads,
// history, show, config, current, nor plans (upgrade, its --sql preview,
// downgrade), whether the project is configured or lies in the default
// ./migrations, and whether or not an application is configured for the
// verbs that read no database. The same Python is started where a value
// needs it (an Invenio instance), so the recording works.
func TestPythonNotStartedForSQLProjects(t *testing.T) {
	python, log := recordingPython(t)
	library := filepath.Join(repoRoot(t), "examples", "library")
	site := invenioSite(t) // before retortIn changes directory
	configured := t.TempDir()
	copyTree(t, library, filepath.Join(configured, "sql"))
	writeFiles(t, configured, map[string]string{"retort.toml": "dirs = \"sql\"\ndb = \"sqlite:app.db\"\n"})
	bare := t.TempDir()
	copyTree(t, library, filepath.Join(bare, "migrations"))
	verbs := [][]string{
		{"heads"}, {"history"}, {"show", "heads"}, {"branches"}, {"config"}, {"current"},
		{"upgrade", "heads", "--sql"}, {"upgrade", "heads"}, {"downgrade", "heads:base", "--sql"}, {"history", "-i"}, {"downgrade", "base"},
	}
	for _, dir := range []string{configured, bare} {
		for _, args := range verbs {
			_, errOut, code := retortIn(t, dir, nil, append([]string{"--python", python}, args...)...)
			if code != 0 {
				t.Fatalf("%s in %s: %s", args, dir, errOut)
			}
		}
	}
	for _, args := range [][]string{{"heads"}, {"history"}, {"show", "heads"}} {
		if _, errOut, code := retortIn(t, configured, map[string]string{"FLASK_APP": "app:create_app"}, append([]string{"--python", python}, args...)...); code != 0 {
			t.Fatalf("%s with FLASK_APP: %s", args, errOut)
		}
	}
	if n := started(t, log); n != 0 {
		t.Fatalf("Python was started %d times in a project of .sql revisions", n)
	}

	t.Setenv("PYTHONPATH", site)
	if _, errOut, code := retortIn(t, t.TempDir(), nil, "--python", python, "heads"); code != 0 {
		t.Fatal(errOut)
	}
	if n := started(t, log); n != 1 {
		t.Fatalf("Python was started %d times for heads in an Invenio instance, want once", n)
	}
}

// invenioSite is the Invenio-shaped instance's site-packages.
func invenioSite(t *testing.T) string {
	return filepath.Join(repoRoot(t), "testdata", "invenio", "site")
}

// invenioAlembic runs the instance's `invenio alembic` (Flask-Alembic's
// commands, through the flask command) in dir.
func invenioAlembic(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command(pythonWithAlembic, append([]string{"-m", "flask", "--app", "invenio_app.factory:create_api", "alembic"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("invenio alembic %s: %v\n%s", args, err, out)
	}
	return string(out)
}

func sortedLines(s string) []string {
	l := lines(s)
	sort.Strings(l)
	return l
}

// In an Invenio instance, with no configuration at all, retort takes the
// versions directories from the invenio_db.alembic entry points of the
// instance's Python (here its .venv), the application from Invenio's
// default factory and the database from its SQLALCHEMY_DATABASE_URI
// (INVENIO_SQLALCHEMY_DATABASE_URI): heads and history are those of
// `invenio alembic`, and current reads the database it upgraded.
func TestInvenioInstance(t *testing.T) {
	requirePythonAlembic(t)
	site := invenioSite(t)
	url := pgtest.NewDatabase(t)
	sqlaURL := "postgresql://" + strings.TrimPrefix(url, "postgres://")
	t.Setenv("PYTHONPATH", site)
	t.Setenv("INVENIO_SQLALCHEMY_DATABASE_URI", sqlaURL)
	instance := t.TempDir()
	writeFiles(t, instance, map[string]string{".venv/bin/python": "#!/bin/sh\nexec " + pythonWithAlembic + " \"$@\"\n"})
	if err := os.Chmod(filepath.Join(instance, ".venv", "bin", "python"), 0o755); err != nil {
		t.Fatal(err)
	}
	venvPython := filepath.Join(cwdOf(t, instance), ".venv", "bin", "python")

	out, errOut, code := retortIn(t, instance, nil, "config", "--json")
	if code != 0 {
		t.Fatal(errOut)
	}
	var cfg map[string]configEntry
	if err := json.Unmarshal([]byte(out), &cfg); err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, d := range cfg[settings.KeyDirs].Value.([]any) {
		dirs = append(dirs, d.(string))
	}
	sort.Strings(dirs)
	want := []string{filepath.Join(site, "invenio_db", "alembic"), filepath.Join(site, "invenio_loans", "alembic"),
		filepath.Join(site, "invenio_shelf", "alembic"), filepath.Join(site, "invenio_tags", "alembic")}
	if strings.Join(dirs, "\n") != strings.Join(want, "\n") {
		t.Errorf("dirs %q, want %q", dirs, want)
	}
	checks := map[string][2]string{
		settings.KeyDirs:   {"", "invenio_db.alembic entry points (Python " + venvPython + ", started because no flag, environment, retort.toml or alembic.ini names the versions directories)"},
		settings.KeyDB:     {engine.MaskURL(sqlaURL), "SQLALCHEMY_DATABASE_URI of the Invenio application invenio_app.factory:create_api (Python " + venvPython + ")"},
		settings.KeyApp:    {"invenio_app.factory:create_api", "default for Invenio (invenio_db in Python " + venvPython + ")"},
		settings.KeyPython: {venvPython, "virtualenv " + filepath.Dir(filepath.Dir(venvPython))},
	}
	for key, w := range checks {
		e := cfg[key]
		if w[0] != "" && e.Value != w[0] {
			t.Errorf("%s = %v, want %s", key, e.Value, w[0])
		}
		if e.Source != w[1] {
			t.Errorf("%s comes from %q, want %q", key, e.Source, w[1])
		}
	}

	for _, verb := range []string{"heads", "history"} {
		got, errOut, code := retortIn(t, instance, nil, verb)
		if code != 0 {
			t.Fatal(errOut)
		}
		// The order of heads and of history's branches follows the
		// load order, which differs (retort sorts file names); the
		// lines are the same.
		alembic := invenioAlembic(t, instance, verb)
		if g, w := sortedLines(got), sortedLines(alembic); strings.Join(g, "\n") != strings.Join(w, "\n") {
			t.Errorf("retort %s:\n%s\ninvenio alembic %s:\n%s", verb, got, verb, alembic)
		}
	}

	invenioAlembic(t, instance, "upgrade")
	got, errOut, code := retortIn(t, instance, nil, "current")
	if code != 0 {
		t.Fatal(errOut)
	}
	for _, w := range []string{"1270f5995137 (head)\n", "a576f315b55b (head)\n"} {
		if !strings.Contains(got, w) {
			t.Errorf("current after invenio alembic upgrade:\n%s\nlacks %q", got, w)
		}
	}
}

// cwdOf is dir as the process sees it once there (t.TempDir may be
// reached through a symbolic link).
func cwdOf(t *testing.T, dir string) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	here := cwd(t)
	t.Chdir(wd)
	return here
}

// A Flask-Migrate application named by FLASK_APP gives the versions
// directory (Flask-Migrate's migrations/versions) and the database (its
// Flask-SQLAlchemy engine: the instance folder's SQLite file): retort
// reads the history `flask db` wrote and the database it upgraded.
func TestFlaskMigrateApp(t *testing.T) {
	requirePythonAlembic(t)
	dir := t.TempDir()
	copyTree(t, filepath.Join(repoRoot(t), "testdata", "flask-migrate"), dir)
	here := cwdOf(t, dir)
	env := map[string]string{"FLASK_APP": "bookshelf"}
	t.Setenv("BOOKSHELF_DATABASE_URI", "")
	os.Unsetenv("BOOKSHELF_DATABASE_URI")

	out, errOut, code := retortIn(t, dir, env, "--python", pythonWithAlembic, "config", "--json")
	if code != 0 {
		t.Fatal(errOut)
	}
	var cfg map[string]configEntry
	if err := json.Unmarshal([]byte(out), &cfg); err != nil {
		t.Fatal(err)
	}
	db := "sqlite:///" + filepath.Join(here, "instance", "bookshelf.db")
	checks := map[string][2]string{
		settings.KeyDB:  {db, "Flask-SQLAlchemy's engine of the application bookshelf (Python " + pythonWithAlembic + ")"},
		settings.KeyApp: {"bookshelf", "environment FLASK_APP"},
	}
	for key, w := range checks {
		if e := cfg[key]; e.Value != w[0] || e.Source != w[1] {
			t.Errorf("%s = %+v, want %q from %q", key, e, w[0], w[1])
		}
	}
	if e := cfg[settings.KeyDirs]; len(e.Value.([]any)) != 1 || e.Value.([]any)[0] != filepath.Join("migrations", "versions") ||
		e.Source != "Flask-Migrate's directory of the application bookshelf (Python "+pythonWithAlembic+")" {
		t.Errorf("dirs = %+v", e)
	}

	flask := exec.Command(pythonWithAlembic, "-m", "flask", "db", "upgrade")
	flask.Dir = dir
	flask.Env = append(os.Environ(), "FLASK_APP=bookshelf", "PYTHONDONTWRITEBYTECODE=1")
	if b, err := flask.CombinedOutput(); err != nil {
		t.Fatalf("flask db upgrade: %v\n%s", err, b)
	}
	for verb, want := range map[string]string{"heads": "3011236ac48d (head)\n", "current": "3011236ac48d (head)\n"} {
		got, errOut, code := retortIn(t, dir, env, "--python", pythonWithAlembic, verb)
		if code != 0 || got != want {
			t.Errorf("%s = %q (%s), want %q", verb, got, errOut, want)
		}
	}
}

// A Python without Alembic: config --check-python prints the settings,
// then fails saying how to fix it; commands that need no Python are not
// affected by it.
func TestPythonWithoutAlembic(t *testing.T) {
	python := filepath.Join(t.TempDir(), "python")
	// -S: no site-packages, so no Alembic.
	if err := os.WriteFile(python, []byte("#!/bin/sh\nexec "+pythonWithAlembic+" -S \"$@\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	copyTree(t, filepath.Join(repoRoot(t), "examples", "library"), filepath.Join(dir, "migrations"))
	out, errOut, code := retortIn(t, dir, nil, "--python", python, "config", "--check-python")
	if code != 1 || !strings.Contains(errOut, "cannot import Alembic") || !strings.Contains(errOut, "pip install alembic") ||
		!strings.Contains(errOut, "--python") || !strings.Contains(errOut, "(python: flag --python)") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	if !strings.Contains(out, "python = \""+python+"\"") {
		t.Errorf("the settings were not printed before the error:\n%s", out)
	}
	if _, errOut, code := retortIn(t, dir, nil, "--python", python, "heads"); code != 0 {
		t.Errorf("heads with a Python without Alembic: %s", errOut)
	}
}

// config --check-python with a usable Python reports its versions and the
// application it created.
func TestConfigCheckPython(t *testing.T) {
	requirePythonAlembic(t)
	dir := t.TempDir()
	copyTree(t, filepath.Join(repoRoot(t), "testdata", "flask-migrate"), dir)
	out, errOut, code := retortIn(t, dir, map[string]string{"FLASK_APP": "bookshelf"}, "--python", pythonWithAlembic, "--db", "sqlite:other.db", "config", "--check-python")
	if code != 0 {
		t.Fatal(errOut)
	}
	for _, want := range []string{
		"\n# Python 3.", "(" + pythonWithAlembic + "): Alembic 1.",
		"\n# application bookshelf: created, Flask-Migrate directory migrations, database sqlite:///",
		"db = \"sqlite:other.db\"",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("config --check-python lacks %q:\n%s", want, out)
		}
	}
}

// An application that cannot be created, where it names the versions
// directories: commands fail saying which application and where it was
// named; config prints the settings first.
func TestAppThatCannotBeCreated(t *testing.T) {
	requirePythonAlembic(t)
	dir := t.TempDir()
	env := map[string]string{"FLASK_APP": "no_such_module:create_app"}
	_, errOut, code := retortIn(t, dir, env, "--python", pythonWithAlembic, "heads")
	if code != 1 || !strings.Contains(errOut, "cannot create the application no_such_module:create_app") ||
		!strings.Contains(errOut, "app: environment FLASK_APP") {
		t.Errorf("heads: exit %d, %q", code, errOut)
	}
	out, errOut, code := retortIn(t, dir, env, "--python", pythonWithAlembic, "config")
	if code != 1 || !strings.Contains(errOut, "cannot create the application") || !strings.Contains(out, "app = \"no_such_module:create_app\"") {
		t.Errorf("config: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// settled resolves the settings in dir as a command that opens the
// database does, and returns the invocation.
func settled(t *testing.T, dir string, env map[string]string, args ...string) *app {
	t.Helper()
	for k, v := range env {
		t.Setenv(k, v)
	}
	for _, k := range []string{"DATABASE_URL", "RETORT_DIR", "FLASK_APP", "VIRTUAL_ENV"} {
		if _, ok := env[k]; !ok {
			t.Setenv(k, "")
			os.Unsetenv(k)
		}
	}
	t.Chdir(dir)
	var errb strings.Builder
	a := &app{stdout: &errb, stderr: &errb}
	t.Cleanup(a.closePython)
	root := a.rootCommand()
	if err := root.PersistentFlags().Parse(args); err != nil {
		t.Fatal(err)
	}
	cfg, err := settings.Resolve(a.flags, root.PersistentFlags(), settings.LookupEnv)
	if err != nil {
		t.Fatal(err)
	}
	a.cfg = cfg
	if err := a.settleDB(context.Background()); err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	return a
}

// The configuration resolved is what the driver needs to reach each kind
// of project's migration environment: an Alembic project's alembic.ini
// and env.py; Flask-Migrate's, in the application's context (the driver
// that inspected the application renders through its env.py); an Invenio
// instance's application and database, without env.py.
func TestPythonProject(t *testing.T) {
	requirePythonAlembic(t)
	root := repoRoot(t)
	ctx := context.Background()

	t.Run("alembic.ini", func(t *testing.T) {
		dir := t.TempDir()
		copyTree(t, filepath.Join(root, "examples", "alembic"), dir)
		a := settled(t, dir, nil, "--python", pythonWithAlembic)
		p := a.pythonProject()
		here := cwd(t)
		if p.Ini != filepath.Join(here, "alembic.ini") || p.ScriptLocation != "" || p.NoEnv || p.App != "" ||
			p.URL != "sqlite:///repository.db" || len(p.VersionLocations) != 1 || p.VersionLocations[0] != filepath.Join(here, "migrations", "versions") {
			t.Fatalf("project %+v", p)
		}
		renders(t, a, p, filepath.Join(here, "migrations", "versions", "0a0c5102ebf9_create_users.py"), "0a0c5102ebf9", "CREATE TABLE users")
	})

	t.Run("Flask-Migrate", func(t *testing.T) {
		dir := t.TempDir()
		copyTree(t, filepath.Join(root, "testdata", "flask-migrate"), dir)
		a := settled(t, dir, map[string]string{"FLASK_APP": "bookshelf"}, "--python", pythonWithAlembic)
		p := a.pythonProject()
		here := cwd(t)
		mig := filepath.Join(here, "migrations")
		if p.Ini != filepath.Join(mig, "alembic.ini") || p.ScriptLocation != mig || p.NoEnv || p.App != "bookshelf" ||
			p.URL != "sqlite:///"+filepath.Join(here, "instance", "bookshelf.db") || p.VersionLocations[0] != filepath.Join(mig, "versions") {
			t.Fatalf("project %+v", p)
		}
		renders(t, a, p, filepath.Join(mig, "versions", "6aeaeded92fe_create_authors_and_books.py"), "6aeaeded92fe", "CREATE TABLE authors")
	})

	t.Run("Invenio", func(t *testing.T) {
		url := pgtest.NewDatabase(t)
		site := invenioSite(t)
		a := settled(t, t.TempDir(), map[string]string{"PYTHONPATH": site,
			"INVENIO_SQLALCHEMY_DATABASE_URI": "postgresql://" + strings.TrimPrefix(url, "postgres://")}, "--python", pythonWithAlembic)
		p := a.pythonProject()
		if !p.NoEnv || p.ScriptLocation != filepath.Join(site, "invenio_db", "alembic") || p.App != "invenio_app.factory:create_api" ||
			len(p.VersionLocations) != 4 || p.Ini != "" {
			t.Fatalf("project %+v", p)
		}
		d, _, err := a.pythonChecked(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ready, err := d.Run(ctx, p, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.Finish(ctx); err != nil {
			t.Fatal(err)
		}
		u, err := neturl.Parse(url)
		if err != nil {
			t.Fatal(err)
		}
		if want := strings.TrimPrefix(u.Path, "/"); ready.Identity.Database != want {
			t.Errorf("the run reached database %q, want %q", ready.Identity.Database, want)
		}
	})
}

// renders checks that the invocation's Python renders a revision offline
// through the project's environment.
func renders(t *testing.T, a *app, p pyalembic.Project, path, rev, want string) {
	t.Helper()
	d, _, err := a.pythonChecked(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got, err := d.Offline(context.Background(), p, []pyalembic.OfflineStep{{Revision: rev, Path: path, Direction: "upgrade"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Error != nil || !strings.Contains(got[0].SQL, want) {
		t.Fatalf("offline %s: %q %+v", rev, got[0].SQL, got[0].Error)
	}
}

// A Python whose invenio_db cannot be imported is an Invenio instance
// whose migrations cannot be read: heads says so, rather than looking for
// ./migrations.
func TestBrokenInvenio(t *testing.T) {
	requirePythonAlembic(t)
	site := t.TempDir()
	writeFiles(t, site, map[string]string{"invenio_db/__init__.py": "import no_such_dependency\n"})
	t.Setenv("PYTHONPATH", site)
	_, errOut, code := retortIn(t, t.TempDir(), nil, "--python", pythonWithAlembic, "heads")
	if code != 1 || !strings.Contains(errOut, "has invenio_db, whose migrations cannot be read: ModuleNotFoundError: No module named 'no_such_dependency'") {
		t.Errorf("exit %d, %q", code, errOut)
	}
}
