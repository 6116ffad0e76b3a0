package conformance_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"retort/engine"
	"retort/engine/pgtest"
	"retort/models"
	"retort/revisions"
)

// Alembic and retort share a database: on every conformance case, one of
// them upgrades part of the way (to the case's "mid" revision), the other
// reads where the database is and finishes `upgrade heads`, and both then
// report the same current revisions. Alembic runs the case's .py revision
// files, retort the .sql files of the same graph.

const python = "/usr/bin/python3"

// onlineEnv is an Alembic env.py for online runs, loading version files in
// sorted order as the conformance oracle did.
const onlineEnv = `from alembic import context
from alembic.script.base import Script
from sqlalchemy import create_engine

_list = Script._list_py_dir.__func__
Script._list_py_dir = classmethod(lambda cls, sd, path: sorted(_list(cls, sd, path)))

engine = create_engine(context.config.get_main_option("sqlalchemy.url"))
with engine.connect() as connection:
    context.configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()
`

type alembicCLI struct {
	ini string
}

func newAlembic(t *testing.T, caseDir, url string) alembicCLI {
	t.Helper()
	if err := exec.Command(python, "-c", "import alembic, psycopg2").Run(); err != nil {
		t.Fatalf("this test runs Alembic itself: install it with `apt-get install python3-alembic python3-psycopg2` (%v)", err)
	}
	dir := t.TempDir()
	versions, err := filepath.Abs(filepath.Join(caseDir, "alembic", "versions"))
	if err != nil {
		t.Fatal(err)
	}
	// SQLAlchemy wants postgresql://, and % is special in alembic.ini.
	saURL := "postgresql://" + strings.TrimPrefix(url, "postgres://")
	ini := fmt.Sprintf("[alembic]\nscript_location = %s\nversion_locations = %s\nsqlalchemy.url = %s\n",
		dir, versions, strings.ReplaceAll(saURL, "%", "%%"))
	for name, body := range map[string]string{"alembic.ini": ini, "env.py": onlineEnv} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return alembicCLI{ini: filepath.Join(dir, "alembic.ini")}
}

func (a alembicCLI) run(t *testing.T, args ...string) []string {
	t.Helper()
	cmd := exec.Command(python, append([]string{"-m", "alembic", "-c", a.ini}, args...)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("alembic %v: %v\n%s", args, err, stderr.String())
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if l != "" {
			lines = append(lines, l)
		}
	}
	slices.Sort(lines) // Alembic prints a set
	return lines
}

func midOf(t *testing.T, caseDir string) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(caseDir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Graph struct {
			Targets struct {
				Mid string `json:"mid"`
			} `json:"targets"`
		} `json:"graph"`
	}
	if err := json.Unmarshal(raw, &f); err != nil || f.Graph.Targets.Mid == "" {
		t.Fatalf("%s: no mid target (%v)", caseDir, err)
	}
	return f.Graph.Targets.Mid
}

func TestAlembicInterop(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join(casesDir, "*"))
	if len(dirs) < 30 {
		t.Fatalf("conformance cases missing under %s", casesDir)
	}
	for _, dir := range dirs {
		g, err := revisions.Load(filepath.Join(dir, "sql"))
		if err != nil {
			t.Fatal(err)
		}
		mid := midOf(t, dir)
		full, err := revisions.Upgrade(g, nil, "heads")
		if err != nil {
			t.Fatal(err)
		}
		half, err := revisions.Upgrade(g, nil, mid)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			t.Run("alembic then retort", func(t *testing.T) {
				url := pgtest.NewDatabase(t)
				al := newAlembic(t, dir, url)
				al.run(t, "upgrade", mid)
				db := openDB(t, url)
				if rows, _ := state(t, db); !slices.Equal(rows, half.Final) {
					t.Fatalf("after alembic upgrade %s: rows %v, retort expected %v", mid, rows, half.Final)
				}
				retortUpgrade(t, g, db, "heads")
				checkSameCurrent(t, g, db, al, full.Final)
			})
			t.Run("retort then alembic", func(t *testing.T) {
				url := pgtest.NewDatabase(t)
				al := newAlembic(t, dir, url)
				db := openDB(t, url)
				retortUpgrade(t, g, db, mid)
				al.run(t, "upgrade", "heads")
				checkSameCurrent(t, g, db, al, full.Final)
			})
		})
	}
}

// retortUpgrade plans from the rows in the database and applies the plan.
func retortUpgrade(t *testing.T, g *models.Graph, db *engine.DB, target string) {
	t.Helper()
	rows, _ := state(t, db)
	plan, err := revisions.Upgrade(g, rows, target)
	if err != nil {
		t.Fatalf("retort upgrade %s from %v: %v", target, rows, err)
	}
	if err := db.Apply(context.Background(), plan, nil); err != nil {
		t.Fatalf("retort upgrade %s: %v", target, err)
	}
}

// checkSameCurrent: the rows are those of a full upgrade, and `alembic
// current` prints what retort's current prints.
func checkSameCurrent(t *testing.T, g *models.Graph, db *engine.DB, al alembicCLI, want []string) {
	t.Helper()
	rows, _ := state(t, db)
	if !slices.Equal(rows, want) {
		t.Errorf("rows %v, want %v", rows, want)
	}
	cur, err := revisions.Current(g, rows)
	if err != nil {
		t.Fatal(err)
	}
	ours := revisions.CurrentLines(g, cur)
	theirs := al.run(t, "current")
	if !slices.Equal(ours, theirs) {
		t.Errorf("current: retort %q, alembic %q", ours, theirs)
	}
}
