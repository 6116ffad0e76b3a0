package engine

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"retort/engine/internal/alembictest"
	"retort/models"
)

// alembicEnv is an env.py for offline runs (version files sorted, see
// alembictest.SortedListing). With `retort_tpm = true` in alembic.ini each
// migration gets its own transaction (transaction_per_migration), as retort
// runs them; otherwise Alembic's default, one transaction around all.
const alembicEnv = alembictest.SortedListing + `
from alembic import context

context.configure(
    url=context.config.get_main_option("sqlalchemy.url"),
    literal_binds=True,
    dialect_opts={"paramstyle": "named"},
    transaction_per_migration=context.config.get_main_option("retort_tpm") == "true",
)
with context.begin_transaction():
    context.run_migrations()
`

// alembicProject is a scratch Alembic project over a conformance case's
// alembic/versions, with an alembic.ini per transaction mode.
type alembicProject struct {
	t *testing.T
	// perStep is the ini for transaction_per_migration, whole for the
	// default mode.
	perStep, whole string
}

func newAlembicProject(t *testing.T, caseDir, url string) *alembicProject {
	t.Helper()
	dir := t.TempDir()
	versions, err := filepath.Abs(filepath.Join(caseDir, "alembic", "versions"))
	if err != nil {
		t.Fatal(err)
	}
	a := &alembicProject{t: t, perStep: filepath.Join(dir, "per-step.ini"), whole: filepath.Join(dir, "alembic.ini")}
	ini := fmt.Sprintf("[alembic]\nscript_location = %s\nversion_locations = %s\nsqlalchemy.url = %s\n", dir, versions, url)
	files := map[string]string{a.whole: ini, a.perStep: ini + "retort_tpm = true\n", filepath.Join(dir, "env.py"): alembicEnv}
	for path, body := range files {
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return a
}

// sql runs `alembic <args> --sql` with transaction_per_migration and the
// given PYTHONHASHSEED, and returns its output.
func (a *alembicProject) sql(seed int, args ...string) string {
	a.t.Helper()
	return a.run(a.perStep, seed, args...)
}

// sqlOneTransaction is the same in Alembic's default mode.
func (a *alembicProject) sqlOneTransaction(args ...string) string {
	a.t.Helper()
	return a.run(a.whole, 0, args...)
}

func (a *alembicProject) run(ini string, seed int, args ...string) string {
	a.t.Helper()
	res, err := alembictest.Run(seed, ini, append(args, "--sql")...)
	if err == nil {
		err = res.Err()
	}
	if err != nil {
		a.t.Fatalf("alembic %v --sql: %v", args, err)
	}
	return res.Stdout
}

// alembicForm turns retort's dry run of plan into what Alembic's offline
// mode with transaction_per_migration prints for it, undoing the two
// deliberate differences (see DryRun): Alembic creates the version table
// with a plain CREATE TABLE, and drops it at the end when no row is left.
// Nothing else is rewritten, so the rest must match byte for byte.
func alembicForm(dry string, plan *models.Plan, table string) string {
	out := strings.Replace(dry, "CREATE TABLE IF NOT EXISTS ", "CREATE TABLE ", 1)
	if len(plan.Final) == 0 {
		out += "DROP TABLE " + table + ";\n\n"
	}
	return out
}

// withoutTransactions drops the BEGIN and COMMIT lines of a dry run: what is
// left is the same in both of Alembic's modes and in retort's.
func withoutTransactions(sql string) string {
	var out []string
	for _, block := range strings.Split(sql, "\n\n") {
		if block != "BEGIN;" && block != "COMMIT;" {
			out = append(out, block)
		}
	}
	return strings.Join(out, "\n\n")
}

// matchAlembic compares retort's dry run, in alembicForm, with Alembic's
// output. Where a step deletes some rows and updates one (a merge), Alembic
// picks which from a Python set, whose order follows PYTHONHASHSEED; so
// Alembic is run with several seeds and retort must produce one of its
// outputs byte for byte. It returns "" on a match, else a diff against the
// first output.
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
			if mergeForm(want) == want {
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
