package engine

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"retort/models"
)

// python is the interpreter with Alembic (Debian's python3-alembic).
const python = "/usr/bin/python3"

// alembicEnv is an env.py for offline runs: the version files are listed
// sorted (the conformance oracle's load order, instead of os.listdir's) and
// each migration gets its own transaction, as retort runs them.
const alembicEnv = `from alembic import context
from alembic.script.base import Script

_list = Script._list_py_dir.__func__
Script._list_py_dir = classmethod(lambda cls, sd, path: sorted(_list(cls, sd, path)))

context.configure(
    url=context.config.get_main_option("sqlalchemy.url"),
    literal_binds=True,
    dialect_opts={"paramstyle": "named"},
    transaction_per_migration=True,
)
with context.begin_transaction():
    context.run_migrations()
`

// alembicProject is a scratch Alembic project over a conformance case's
// alembic/versions.
type alembicProject struct {
	t   *testing.T
	dir string
}

func newAlembicProject(t *testing.T, caseDir, url string) *alembicProject {
	t.Helper()
	if err := exec.Command(python, "-c", "import alembic, psycopg2").Run(); err != nil {
		t.Fatalf("Alembic is needed to compare dry runs with it: install it with `apt-get install python3-alembic python3-psycopg2` (%s: %v)", python, err)
	}
	dir := t.TempDir()
	versions, err := filepath.Abs(filepath.Join(caseDir, "alembic", "versions"))
	if err != nil {
		t.Fatal(err)
	}
	ini := fmt.Sprintf("[alembic]\nscript_location = %s\nversion_locations = %s\nsqlalchemy.url = %s\n", dir, versions, url)
	for name, body := range map[string]string{"alembic.ini": ini, "env.py": alembicEnv} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return &alembicProject{t: t, dir: dir}
}

// sql runs `alembic <args> --sql` with the given PYTHONHASHSEED and returns
// its output.
func (a *alembicProject) sql(seed int, args ...string) string {
	a.t.Helper()
	cmd := exec.Command(python, append([]string{"-m", "alembic", "-c", filepath.Join(a.dir, "alembic.ini")}, append(args, "--sql")...)...)
	cmd.Env = append(os.Environ(), fmt.Sprintf("PYTHONHASHSEED=%d", seed))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		a.t.Fatalf("alembic %v: %v\n%s", args, err, stderr.String())
	}
	return string(out)
}

// matchAlembic compares retort's dry run with Alembic's output. Where a step
// deletes some rows and updates one (a merge), Alembic picks which from a
// Python set, whose order follows PYTHONHASHSEED; so Alembic is run with
// several seeds and retort must produce one of its outputs byte for byte.
// It returns "" on a match, else a diff against the first output.
func (a *alembicProject) matchAlembic(got string, args ...string) string {
	a.t.Helper()
	var first string
	seen := map[string]bool{}
	for seed := 0; seed < 16; seed++ {
		want := a.sql(seed, args...)
		if want == got {
			return ""
		}
		if seed == 0 {
			first = want
			if !strings.Contains(want, "DELETE FROM") {
				break // no merge: the output does not depend on the seed
			}
		}
		seen[want] = true
	}
	return fmt.Sprintf("retort's dry run differs from `alembic %s --sql` (%d distinct outputs tried):\n%s", strings.Join(args, " "), len(seen), lineDiff(first, got))
}

// lineDiff shows the first differing line of two texts with some context.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			from := max(i-3, 0)
			return fmt.Sprintf("line %d:\n  alembic: %q\n  retort:  %q\ncontext (alembic):\n%s", i+1, wl, gl, strings.Join(w[from:min(i+3, len(w))], "\n"))
		}
	}
	return "(no line differs)"
}

// readCaseRevisions reads the .sql files of a conformance case with a
// minimal reader (ids, parents and sections), enough to build plans by hand.
func readCaseRevisions(t *testing.T, caseDir string) map[string]*models.Revision {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(caseDir, "sql", "*.sql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no .sql files in %s: %v", caseDir, err)
	}
	out := map[string]*models.Revision{}
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		r := &models.Revision{Path: path, Transactional: true}
		var sec *models.Section
		sc := bufio.NewScanner(f)
		for n := 1; sc.Scan(); n++ {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "-- Revision ID: "):
				r.ID = strings.TrimPrefix(line, "-- Revision ID: ")
			case strings.HasPrefix(line, "-- Revises: "):
				if p := strings.TrimPrefix(line, "-- Revises: "); p != "" {
					r.Parents = strings.Split(p, ", ")
				}
			case line == "-- +upgrade":
				sec = &r.Upgrade
				*sec = models.Section{Present: true, Line: n + 1}
			case line == "-- +downgrade":
				sec = &r.Downgrade
				*sec = models.Section{Present: true, Line: n + 1}
			case sec != nil:
				sec.SQL += line + "\n"
			}
		}
		f.Close()
		out[r.ID] = r
	}
	return out
}
