package rehearse

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"retort/engine/pgtest"
	"retort/models"
	"retort/revisions"
	"retort/schema"
	"retort/scratch"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// rev is a .sql revision for a test history.
type rev struct {
	id, parents, up, down string
	// noDown leaves out the downgrade section.
	noDown bool
}

// history writes revs as .sql files in a new directory and loads them.
func history(t *testing.T, revs ...rev) *models.Graph {
	t.Helper()
	dir := t.TempDir()
	for _, r := range revs {
		text := fmt.Sprintf("-- Revision ID: %s\n-- Revises: %s\n-- Message: %s\n\n-- +upgrade\n%s\n", r.id, r.parents, r.id, r.up)
		if !r.noDown {
			text += "\n-- +downgrade\n" + r.down + "\n"
		}
		if err := os.WriteFile(filepath.Join(dir, r.id+"_test.sql"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	g, err := revisions.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// dialects are where rehearsals run: a temporary SQLite file, a database
// created on the test server.
func dialects(t *testing.T) map[string]scratch.Config {
	return map[string]scratch.Config{
		"sqlite":     {Live: "sqlite:" + filepath.Join(t.TempDir(), "live.db")},
		"postgresql": {Live: pgtest.NewDatabase(t)},
	}
}

// run rehearses every revision of g.
func run(t *testing.T, g *models.Graph, cfg scratch.Config, opts Options) *Result {
	t.Helper()
	res, err := Run(context.Background(), g, cfg, All(g), opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// outcome is the outcome of revision id.
func outcome(t *testing.T, res *Result, id string) Outcome {
	t.Helper()
	for _, o := range res.Outcomes {
		if o.Revision == id {
			return o
		}
	}
	t.Fatalf("no outcome for %s in %+v", id, res)
	return Outcome{}
}

// changes lists schema changes as "op key".
func changes(groups []schema.Group) []string {
	var out []string
	for _, g := range groups {
		for _, c := range g.Changes {
			out = append(out, string(c.Op)+" "+c.Object.Key())
		}
	}
	return out
}

// row is a row's text as the dialect's rows read: PostgreSQL's jsonb,
// SQLite's json_object.
func row(dialect string, pairs ...string) string {
	var parts []string
	for i := 0; i < len(pairs); i += 2 {
		sep := ":"
		if dialect == "postgresql" {
			sep = ": "
		}
		parts = append(parts, `"`+pairs[i]+`"`+sep+pairs[i+1])
	}
	if dialect == "postgresql" {
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// tableName is table t as the dialect names it.
func tableName(dialect, t string) string {
	if dialect == "postgresql" {
		return "public." + t
	}
	return t
}

const createT = "CREATE TABLE t (id integer PRIMARY KEY, name varchar(20));\nINSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c');"

// TestLibraryRoundTrips: every revision of the example history round-trips,
// on both databases.
func TestLibraryRoundTrips(t *testing.T) {
	g, err := revisions.Load(filepath.Join("..", "examples", "library"))
	if err != nil {
		t.Fatal(err)
	}
	for name, cfg := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			res := run(t, g, cfg, Options{})
			if len(res.Outcomes) != g.Len() || res.Count(RoundTrip) != g.Len() || res.ExitStatus() != 0 {
				for _, o := range res.Outcomes {
					if o.Status != RoundTrip {
						t.Errorf("%s", Text(o))
					}
				}
				t.Fatalf("%s", res.Summary())
			}
		})
	}
}

// TestForgottenColumn: a downgrade that does not put back the column its
// upgrade dropped is caught with the exact difference: the column, the
// rows' values; and the second upgrade fails.
func TestForgottenColumn(t *testing.T) {
	g := history(t,
		rev{id: "a1", up: createT, down: "DROP TABLE t;"},
		rev{id: "a2", parents: "a1", up: "ALTER TABLE t DROP COLUMN name;", down: "-- forgets the column\nSELECT 1;"},
	)
	for name, cfg := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			res := run(t, g, cfg, Options{})
			o := outcome(t, res, "a2")
			if o.Status != Failed || o.Phase != PhaseAgain || res.ExitStatus() != 1 {
				t.Errorf("status %s at %q, exit %d; want failed at the second upgrade, exit 1", o.Status, o.Phase, res.ExitStatus())
			}
			if got, want := changes(o.Schema), []string{"removed column " + tableName(name, "t") + " name"}; !reflect.DeepEqual(got, want) {
				t.Errorf("schema changes %v, want %v", got, want)
			}
			wantRows := []RowsChange{{Table: tableName(name, "t"), Before: 3, After: 3,
				Lost:   []string{row(name, "id", "1", "name", `"a"`), row(name, "id", "2", "name", `"b"`), row(name, "id", "3", "name", `"c"`)},
				Gained: []string{row(name, "id", "1"), row(name, "id", "2"), row(name, "id", "3")}}}
			if !reflect.DeepEqual(o.Rows, wantRows) {
				t.Errorf("rows %+v, want %+v", o.Rows, wantRows)
			}
			text := Text(o)
			for _, want := range []string{"FAILED", "the downgrade did not restore the schema", "table " + tableName(name, "t") + "\n      - column name",
				"t: 3 rows before the upgrade, 3 after the downgrade", "lost: " + row(name, "id", "1", "name", `"a"`)} {
				if !strings.Contains(text, want) {
					t.Errorf("the text lacks %q:\n%s", want, text)
				}
			}
			if a1 := outcome(t, res, "a1"); a1.Status != RoundTrip {
				t.Errorf("a1: %s", Text(a1))
			}
		})
	}
}

// lossy moves rows into a new table and forgets to bring them back.
var lossy = rev{id: "a2", parents: "a1",
	up:   "CREATE TABLE archive (id integer, name varchar(20));\nINSERT INTO archive SELECT id, name FROM t WHERE id > 1;\nDELETE FROM t WHERE id > 1;",
	down: "DROP TABLE archive;"}

// TestLostRows: a downgrade that loses rows is caught, with the rows.
func TestLostRows(t *testing.T) {
	g := history(t, rev{id: "a1", up: createT, down: "DROP TABLE t;"}, lossy)
	for name, cfg := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			res := run(t, g, cfg, Options{})
			o := outcome(t, res, "a2")
			if o.Status != Differs || len(o.Schema) != 0 || len(o.Again) != 0 {
				t.Fatalf("%s", Text(o))
			}
			want := []RowsChange{{Table: tableName(name, "t"), Before: 3, After: 1,
				Lost: []string{row(name, "id", "2", "name", `"b"`), row(name, "id", "3", "name", `"c"`)}}}
			if !reflect.DeepEqual(o.Rows, want) {
				t.Errorf("rows %+v, want %+v", o.Rows, want)
			}
			if !strings.Contains(Text(o), "    "+tableName(name, "t")+": 3 rows before the upgrade, 1 after the downgrade\n      lost: ") {
				t.Errorf("text:\n%s", Text(o))
			}
		})
	}
}

// TestSeed: the same lossy data migration round-trips on an empty table,
// and is caught once sample rows are seeded before it.
func TestSeed(t *testing.T) {
	g := history(t, rev{id: "a1", up: "CREATE TABLE t (id integer PRIMARY KEY, name varchar(20));", down: "DROP TABLE t;"}, lossy)
	cfg := scratch.Config{Live: "sqlite:" + filepath.Join(t.TempDir(), "live.db")}
	if res := run(t, g, cfg, Options{}); res.ExitStatus() != 0 {
		t.Fatalf("without data: %s", res.Summary())
	}
	seed := Seed{Path: "samples.sql", SQL: "INSERT INTO t VALUES (1, 'a');\nINSERT INTO t VALUES (5, 'e');\n"}
	res := run(t, g, cfg, Options{Seeds: map[string]Seed{"a2": seed}})
	o := outcome(t, res, "a2")
	if o.Status != Differs || len(o.Rows) != 1 || o.Rows[0].Before != 2 || o.Rows[0].After != 1 {
		t.Errorf("with the seed: %s", Text(o))
	}
	bad := Seed{Path: "bad.sql", SQL: "INSERT INTO t VALUES (1, 'a');\nINSERT INTO nowhere VALUES (1);\n"}
	res = run(t, g, cfg, Options{Seeds: map[string]Seed{"a2": bad}})
	if o := outcome(t, res, "a2"); o.Status != NotRehearsed || o.Phase != PhaseSeed || !strings.Contains(o.Error, "bad.sql:2: ") || res.ExitStatus() != 2 {
		t.Errorf("a failing seed: %s (exit %d)", Text(o), res.ExitStatus())
	}
}

// TestFailures: a failing downgrade, a missing downgrade, a failing upgrade
// and what needs it.
func TestFailures(t *testing.T) {
	g := history(t,
		rev{id: "a1", up: createT, down: "DROP TABLE t;"},
		rev{id: "a2", parents: "a1", up: "CREATE TABLE u (id integer);", down: "SELECT 1;\nDROP TABLE nope;"},
		rev{id: "a3", parents: "a2", up: "CREATE TABLE v (id integer);", noDown: true},
		rev{id: "a4", parents: "a3", up: "CREATE TABLE w (id integer);\nCREATE TABLE w (id integer);", down: "DROP TABLE w;"},
		rev{id: "a5", parents: "a4", up: "CREATE TABLE x (id integer);", down: "DROP TABLE x;"},
	)
	res := run(t, g, scratch.Config{Live: "sqlite:" + filepath.Join(t.TempDir(), "live.db")}, Options{})
	want := map[string]struct {
		status Status
		phase  Phase
		error  string
	}{
		"a1": {RoundTrip, "", ""},
		"a2": {Failed, PhaseDown, "no such table: nope"},
		"a3": {Failed, PhaseDown, `no "-- +downgrade" section`},
		"a4": {Failed, PhaseUpgrade, "already exists"},
		"a5": {NotRehearsed, PhaseNeeds, "it needs a4, which could not be upgraded"},
	}
	for id, w := range want {
		o := outcome(t, res, id)
		if o.Status != w.status || o.Phase != w.phase || !strings.Contains(o.Error, w.error) {
			t.Errorf("%s: %s at %q: %s; want %s at %q: %s", id, o.Status, o.Phase, o.Error, w.status, w.phase, w.error)
		}
	}
	if f := outcome(t, res, "a2").Failure; f == nil || f.Statement != "DROP TABLE nope" || f.Line != 10 {
		t.Errorf("a2's failure %+v, want the statement and its line", f)
	}
	if res.ExitStatus() != 1 || res.Summary() != "5 revisions rehearsed on sqlite: 1 round-trip, 3 failed, 1 not rehearsed\n" {
		t.Errorf("exit %d, summary %q", res.ExitStatus(), res.Summary())
	}
}

// TestBranches: revisions on two branches from one branch point, a merge
// and a dependency across the branches all round-trip, each downgraded
// alone even when the other branch is applied.
func TestBranches(t *testing.T) {
	g := history(t,
		rev{id: "a1", up: "CREATE TABLE base (id integer);", down: "DROP TABLE base;"},
		rev{id: "b1", parents: "a1", up: "CREATE TABLE left1 (id integer);", down: "DROP TABLE left1;"},
		rev{id: "c1", parents: "a1", up: "CREATE TABLE right1 (id integer);", down: "DROP TABLE right1;"},
		rev{id: "b2", parents: "b1", up: "CREATE TABLE left2 (id integer);", down: "DROP TABLE left2;"},
		rev{id: "m1", parents: "b2, c1", up: "CREATE TABLE merged (id integer);", down: "DROP TABLE merged;"},
	)
	for name, cfg := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			res := run(t, g, cfg, Options{})
			if res.Count(RoundTrip) != 5 {
				for _, o := range res.Outcomes {
					t.Log(Text(o))
				}
				t.Fatalf("%s", res.Summary())
			}
		})
	}
}

// TestOne: one revision, in a scratch database holding only what it
// needs.
func TestOne(t *testing.T) {
	g := history(t, rev{id: "a1", up: createT, down: "DROP TABLE t;"}, lossy,
		rev{id: "a3", parents: "a2", up: "CREATE TABLE v (id integer);", down: "DROP TABLE v;"})
	res, err := Run(context.Background(), g, scratch.Config{Live: "sqlite:" + filepath.Join(t.TempDir(), "live.db")}, []int{g.Index["a3"]}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Outcomes) != 1 || res.Outcomes[0].Status != RoundTrip || res.ExitStatus() != 0 {
		t.Errorf("%+v", res)
	}
}

// TestPythonRefused: a .py revision the engine has no executor for is not
// rehearsed (trouble, exit 2), rather than failed.
func TestPythonRefused(t *testing.T) {
	dir := t.TempDir()
	py := "\"\"\"create t\n\nRevision ID: p1\nRevises:\n\"\"\"\nrevision = 'p1'\ndown_revision = None\n\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n"
	if err := os.WriteFile(filepath.Join(dir, "p1_create.py"), []byte(py), 0o644); err != nil {
		t.Fatal(err)
	}
	g, err := revisions.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	res := run(t, g, scratch.Config{Live: "sqlite:" + filepath.Join(t.TempDir(), "live.db")}, Options{})
	o := outcome(t, res, "p1")
	if o.Status != NotRehearsed || o.Phase != PhaseUpgrade || !strings.Contains(o.Error, "Alembic Python revision") || res.ExitStatus() != 2 {
		t.Errorf("%s (exit %d)", Text(o), res.ExitStatus())
	}
}
