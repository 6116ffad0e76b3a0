package cli

import (
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"retort/engine/pgtest"
)

// Running Alembic's .py revisions from the command line.

// In an Alembic project (alembic.ini, env.py), upgrade and downgrade run
// the .py revisions through the project's env.py, with the progress on
// stderr as for .sql revisions, and the revisions' log records among it.
func TestUpgradeAlembicProject(t *testing.T) {
	requirePythonAlembic(t)
	dir := t.TempDir()
	copyTree(t, filepath.Join(repoRoot(t), "examples", "alembic"), dir)
	_, errOut, code := retortIn(t, dir, nil, "--python", pythonWithAlembic, "upgrade", "heads")
	if code != 0 {
		t.Fatalf("upgrade heads: exit %d\n%s", code, errOut)
	}
	for _, want := range []string{
		"[1/21] Running upgrade  -> 0a0c5102ebf9, create users\n  done in ",
		"[12/21] Running upgrade a9c389276b05 -> 5b95b0aaafca, compute record slugs\n  INFO: alembic: computed the slugs of 4 records\n  done in ",
		"[21/21] Running upgrade 29127b1a565c -> 8e9e2443d4b7, add a locale to users\n",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("the progress lacks %q:\n%s", want, errOut)
		}
	}
	out, errOut, code := retortIn(t, dir, nil, "--python", pythonWithAlembic, "current")
	if code != 0 || out != "8e9e2443d4b7 (head)\n" {
		t.Errorf("current: %q %s", out, errOut)
	}
	if _, errOut, code := retortIn(t, dir, nil, "--python", pythonWithAlembic, "downgrade", "base"); code != 0 {
		t.Fatalf("downgrade base: exit %d\n%s", code, errOut)
	}
	if out, _, _ := retortIn(t, dir, nil, "--python", pythonWithAlembic, "current"); out != "" {
		t.Errorf("current after downgrade base: %q", out)
	}
}

// A revision whose upgrade() raises: the step rolls back, the progress and
// the error name the revision's file and line, and the exit status is 1.
func TestFailingPyRevision(t *testing.T) {
	requirePythonAlembic(t)
	dir := t.TempDir()
	copyTree(t, filepath.Join(repoRoot(t), "examples", "alembic"), dir)
	versions := filepath.Join(dir, "migrations", "versions")
	bad := filepath.Join(versions, "0a0c5102ebf9_create_users.py")
	b, err := os.ReadFile(bad)
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(string(b), "def upgrade():\n", "def upgrade():\n    raise ValueError(\"no users today\")\n", 1)
	if err := os.WriteFile(bad, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	line := 1 + strings.Count(src[:strings.Index(src, "raise ValueError")], "\n")
	_, errOut, code := retortIn(t, dir, nil, "--python", pythonWithAlembic, "upgrade", "heads")
	where := filepath.Join("migrations", "versions", "0a0c5102ebf9_create_users.py") + ":" + strconv.Itoa(line)
	if code != 1 || !strings.Contains(errOut, "  failed, rolled back: "+where+": ValueError: no users today") ||
		!strings.Contains(errOut, "FAILED: ") {
		t.Errorf("exit %d, stderr:\n%s\nwant the failure at %s", code, errOut, where)
	}
	if out, _, _ := retortIn(t, dir, nil, "--python", pythonWithAlembic, "current"); out != "" {
		t.Errorf("current after the failed first step: %q", out)
	}
}

// --sql shows each .py step's SQL from Alembic's offline mode; a revision
// that cannot render (batch mode on SQLite needs the database) has a
// comment in its place and a warning, and the preview still prints (exit
// 0). Without a usable Python the plan still prints, each .py step with
// its comment, and one warning says how to name the project's Python.
func TestSQLPreviewOfPyRevisions(t *testing.T) {
	requirePythonAlembic(t)
	dir := t.TempDir()
	copyTree(t, filepath.Join(repoRoot(t), "examples", "alembic"), dir)
	out, errOut, code := retortIn(t, dir, nil, "--python", pythonWithAlembic, "upgrade", "heads", "--sql")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	for _, want := range []string{
		"-- Running upgrade  -> 0a0c5102ebf9\n\nCREATE TABLE users (\n",
		"-- Running upgrade 30c2f5049d46 -> f58125e168c7\n\n-- retort: no SQL: Alembic's offline mode cannot render this upgrade of revision f58125e168c7: CommandError:",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the preview lacks %q", want)
		}
	}
	if n := strings.Count(out, "-- Running "); n != 21 {
		t.Errorf("%d `-- Running` comments, want 21", n)
	}
	if !strings.Contains(errOut, "warning: "+filepath.Join("migrations", "versions", "f58125e168c7_require_file_checksums.py")+": Alembic's offline mode cannot render revision f58125e168c7") {
		t.Errorf("stderr:\n%s", errOut)
	}

	out, errOut, code = retortIn(t, dir, nil, "--python", filepath.Join(dir, "no", "python"), "upgrade", "heads", "--sql")
	if code != 0 || strings.Count(out, "-- retort: no SQL: no usable Python") != 21 || strings.Count(errOut, "warning: ") != 1 ||
		!strings.Contains(errOut, "point retort at the project's Python with --python") {
		t.Errorf("without Python: exit %d, stderr:\n%s\nstdout:\n%s", code, errOut, out)
	}
	_, errOut, code = retortIn(t, dir, nil, "--python", filepath.Join(dir, "no", "python"), "upgrade", "heads")
	if code != 1 || !strings.Contains(errOut, "FAILED: plan refused before anything ran") {
		t.Errorf("a run without Python: exit %d, %s", code, errOut)
	}
}

// The Flask-Migrate application's revisions run in its application
// context, the data migration through Model.query and db.session included.
func TestUpgradeFlaskMigrateApp(t *testing.T) {
	requirePythonAlembic(t)
	dir := t.TempDir()
	copyTree(t, filepath.Join(repoRoot(t), "testdata", "flask-migrate"), dir)
	t.Setenv("BOOKSHELF_DATABASE_URI", "")
	os.Unsetenv("BOOKSHELF_DATABASE_URI")
	_, errOut, code := retortIn(t, dir, map[string]string{"FLASK_APP": "bookshelf"}, "--python", pythonWithAlembic, "upgrade", "heads")
	if code != 0 || !strings.Contains(errOut, "  INFO: alembic: filled in 3 book slugs\n") {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	db, err := sql.Open("sqlite", filepath.Join(dir, "instance", "bookshelf.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var slugs []string
	rows, err := db.Query("SELECT slug FROM books ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		slugs = append(slugs, s)
	}
	if !slices.Equal(slugs, []string{"the-dispossessed", "the-left-hand-of-darkness", "invisible-cities"}) {
		t.Errorf("slugs %v", slugs)
	}
}

// In an Invenio instance, `retort upgrade heads` does what `invenio alembic
// upgrade` does: the same schema (pg_dump) and version rows, the data
// migration through db.session and Model.query in the application's
// context, the constraints named by db.metadata's naming convention.
func TestUpgradeInvenioInstance(t *testing.T) {
	requirePythonAlembic(t)
	t.Setenv("PYTHONPATH", invenioSite(t))
	instance := t.TempDir()
	writeFiles(t, instance, map[string]string{".venv/bin/python": "#!/bin/sh\nexec " + pythonWithAlembic + " \"$@\"\n"})
	if err := os.Chmod(filepath.Join(instance, ".venv", "bin", "python"), 0o755); err != nil {
		t.Fatal(err)
	}
	retortDB, invenioDB := pgtest.NewDatabase(t), pgtest.NewDatabase(t)
	t.Setenv("INVENIO_SQLALCHEMY_DATABASE_URI", "postgresql://"+strings.TrimPrefix(invenioDB, "postgres://"))
	invenioAlembic(t, instance, "upgrade")
	t.Setenv("INVENIO_SQLALCHEMY_DATABASE_URI", "postgresql://"+strings.TrimPrefix(retortDB, "postgres://"))
	if _, errOut, code := retortIn(t, instance, nil, "upgrade", "heads"); code != 0 {
		t.Fatalf("upgrade heads: exit %d\n%s", code, errOut)
	}
	if r, i := pgSchema(t, retortDB), pgSchema(t, invenioDB); r != i {
		t.Errorf("the schemas differ\nretort:\n%s\ninvenio alembic:\n%s", r, i)
	}
	for _, q := range []string{"SELECT version_num FROM alembic_version ORDER BY 1", "SELECT item_id::text FROM loans ORDER BY 1"} {
		if r, i := pgColumn(t, retortDB, q), pgColumn(t, invenioDB, q); !slices.Equal(r, i) || len(r) == 0 {
			t.Errorf("%s: retort %v, invenio alembic %v", q, r, i)
		}
	}
}

// pgSchema is pg_dump's schema of url, without retort's audit log.
func pgSchema(t *testing.T, url string) string {
	t.Helper()
	out, err := exec.Command("pg_dump", "--schema-only", "--no-owner", "-T", "retort_log", "-T", "retort_log_id_seq", url).CombinedOutput()
	if err != nil {
		t.Fatalf("pg_dump: %v\n%s", err, out)
	}
	// pg_dump 15.14 and later fence its output with lines carrying a
	// random key.
	return regexp.MustCompile(`(?m)^\\(un)?restrict .*$`).ReplaceAllLiteralString(string(out), "")
}

func pgColumn(t *testing.T, url, query string) []string {
	t.Helper()
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}
