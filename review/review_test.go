package review

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"retort/engine/pgtest"
	"retort/models"
	"retort/pgparse/pgparsetest"
	"retort/revisions"
	"retort/revschema"
	"retort/scratch"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// rev is a .sql revision to write.
type rev struct {
	id, parents, deps, up string
}

// history writes revs as .sql files in a new directory and loads them.
func history(t *testing.T, revs ...rev) *models.Graph {
	t.Helper()
	dir := t.TempDir()
	for _, r := range revs {
		text := fmt.Sprintf("-- Revision ID: %s\n-- Revises: %s\n-- Depends On: %s\n-- Message: %s\n\n-- +upgrade\n%s\n\n-- +downgrade\nSELECT 1;\n",
			r.id, r.parents, r.deps, "message of "+r.id, r.up)
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

// analyze reviews args in g with the grammar and no scratch database.
func analyze(t *testing.T, g *models.Graph, args ...string) *Review {
	t.Helper()
	target, err := Targets(g, args)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Analyze(context.Background(), g, target, Options{Parser: pgparsetest.New(t)})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// sharedNames are the shared objects in words.
func sharedNames(r *Review) []string {
	var out []string
	for _, s := range r.Shared {
		out = append(out, s.Object.String())
	}
	return out
}

// TestSameTableFlagged: two branches that both alter the same table share
// it (and its table is named with each side's statement and line); the
// columns each adds are their own.
func TestSameTableFlagged(t *testing.T) {
	g := history(t,
		rev{id: "a1", up: "CREATE TABLE loans (id integer PRIMARY KEY);"},
		rev{id: "b1", parents: "a1", up: "ALTER TABLE loans ADD COLUMN due date;"},
		rev{id: "c1", parents: "a1", up: "CREATE TABLE patrons (id integer);\n\nALTER TABLE public.loans\n  ADD COLUMN patron_id integer;"},
		rev{id: "m1", parents: "b1, c1", up: ""},
	)
	r := analyze(t, g, "m1")
	if got := sharedNames(r); !slices.Equal(got, []string{"table loans"}) {
		t.Fatalf("shared %v, want [table loans]\n%s", got, Text(r))
	}
	if r.Merge == nil || r.Merge.ID != "m1" || len(r.Ancestors) != 1 || r.Ancestors[0].ID != "a1" || r.ExitStatus() != 1 {
		t.Errorf("merge %v, ancestors %v, exit %d", r.Merge, r.Ancestors, r.ExitStatus())
	}
	sides := r.Shared[0].Sides
	if len(sides) != 2 || sides[0].Head != "b1" || sides[1].Head != "c1" {
		t.Fatalf("sides %+v", sides)
	}
	b, c := sides[0].Touches[0], sides[1].Touches[0]
	if b.Revision != "b1" || b.Change != "alter" || b.Line != 7 || !strings.HasSuffix(b.Path, "b1_test.sql") ||
		c.Revision != "c1" || c.Line != 9 || c.Statement != "ALTER TABLE public.loans\n  ADD COLUMN patron_id integer" {
		t.Errorf("touches %+v and %+v", b, c)
	}
	text := Text(r)
	for _, want := range []string{
		"merge m1  message of m1\ncommon ancestor a1  message of a1\n",
		"branch b1: 1 revision\n  b1  message of b1\n    ! table loans: alter\n      column loans.due: create\n",
		"    ! table loans: alter\n      column loans.patron_id: create\n",
		"1 object touched by more than one branch:\n  table loans\n    b1\n      " + b.Path + ":7  b1  alter  ALTER TABLE loans ADD COLUMN due date\n",
		":9  c1  alter  ALTER TABLE public.loans …\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the text lacks %q:\n%s", want, text)
		}
	}
}

// TestDisjointTablesNotFlagged: branches that touch different tables share
// nothing, even when both read the same one (a foreign key to it).
func TestDisjointTablesNotFlagged(t *testing.T) {
	g := history(t,
		rev{id: "a1", up: "CREATE TABLE libraries (id integer PRIMARY KEY);"},
		rev{id: "b1", parents: "a1", up: "CREATE TABLE items (id integer, library_id integer REFERENCES libraries (id));\nCREATE INDEX items_library ON items (library_id);"},
		rev{id: "c1", parents: "a1", up: "CREATE TABLE patrons (id integer, library_id integer REFERENCES libraries (id));"},
	)
	r := analyze(t, g, "heads")
	if len(r.Shared) != 0 || r.ExitStatus() != 0 || r.Merge != nil {
		t.Fatalf("shared %v, exit %d\n%s", sharedNames(r), r.ExitStatus(), Text(r))
	}
	objs := r.Branches[0].Revisions[0].Objects()
	var names []string
	for _, o := range objs {
		names = append(names, o.String()+" "+strings.Join(o.Changes, ","))
	}
	if want := []string{"table items create,use", "table libraries use", "index items_library create"}; !slices.Equal(names, want) {
		t.Errorf("b1 touches %v, want %v", names, want)
	}
	if !strings.HasSuffix(Text(r), "\nno object is touched by more than one branch\n") {
		t.Errorf("text:\n%s", Text(r))
	}
}

// TestUseAgainstChange: a branch that drops a column of a table another
// branch's view reads shares the table; a revision the other branch
// depends on shares nothing with it.
func TestUseAgainstChange(t *testing.T) {
	g := history(t,
		rev{id: "a1", up: "CREATE TABLE t (id integer, old text);"},
		rev{id: "b1", parents: "a1", up: "CREATE TABLE u (id integer);"},
		rev{id: "b2", parents: "b1", up: "ALTER TABLE t DROP COLUMN old;"},
		rev{id: "c1", parents: "a1", deps: "b1", up: "CREATE VIEW v AS SELECT old FROM t;\nINSERT INTO u VALUES (1);"},
	)
	r := analyze(t, g, "b2", "c1")
	if got := sharedNames(r); !slices.Equal(got, []string{"table t"}) {
		t.Fatalf("shared %v, want [table t]: u was created by b1, which c1 depends on\n%s", got, Text(r))
	}
	if b1 := r.Branches[0].Revisions[0]; b1.ID != "b1" || !slices.Equal(b1.KnownTo, []string{"c1"}) {
		t.Errorf("b1 known to %v, want [c1]", b1.KnownTo)
	}
	if !strings.Contains(Text(r), "      table u: create\n      note: the branch of c1 has it too") {
		t.Errorf("text:\n%s", Text(r))
	}
}

// TestLibraryMerge: the example history's merge joins catalog and
// circulation, eight revisions each since 9126f322cb13. They share two
// tables: items, which catalog's eeb4d7e34f58 alters (item_type becomes
// item_type_id) while circulation's loans reference it, and
// records_metadata, from which both branches move their records out. The
// items table itself is created on catalog by 7563ba6d7561, which
// circulation depends on: that revision shares nothing.
func TestLibraryMerge(t *testing.T) {
	g, err := revisions.Load(filepath.Join("..", "examples", "library"))
	if err != nil {
		t.Fatal(err)
	}
	r := analyze(t, g, "e4c229aa293c")
	if len(r.Ancestors) != 1 || r.Ancestors[0].ID != "9126f322cb13" || !slices.Equal(r.Heads, []string{"a9012647d928", "bb59f895577c"}) {
		t.Fatalf("ancestors %v, heads %v", r.Ancestors, r.Heads)
	}
	for k, want := range [][]string{
		{"7563ba6d7561", "086c81ed55b1", "c5f4d1bd8cd3", "1729d66b10f2", "f0432a2ef6c7", "1e50f683e98c", "eeb4d7e34f58", "a9012647d928"},
		{"540677030265", "12cda8067623", "226fb0ba9c98", "6d5e10e35787", "fcf327591762", "c8c5115d28d0", "4b858c99b182", "bb59f895577c"},
	} {
		var got []string
		for _, rv := range r.Branches[k].Revisions {
			got = append(got, rv.ID)
			if rv.Source != SourceStatements || len(rv.Notes) > 0 {
				t.Errorf("%s: source %q, notes %v", rv.ID, rv.Source, rv.Notes)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("branch %d: %v, want %v", k, got, want)
		}
	}
	if got := sharedNames(r); !slices.Equal(got, []string{"table items", "table records_metadata"}) {
		t.Fatalf("shared %v\n%s", got, Text(r))
	}
	items := r.Shared[0].Sides
	var catalog []string
	for _, p := range items[0].Touches {
		catalog = append(catalog, fmt.Sprintf("%s:%d %s", p.Revision, p.Line, p.Change))
	}
	if want := []string{"eeb4d7e34f58:21 alter", "eeb4d7e34f58:23 write", "eeb4d7e34f58:25 alter", "a9012647d928:7 use"}; !slices.Equal(catalog, want) {
		t.Errorf("catalog's side of items: %v, want %v (7563ba6d7561, which circulation depends on, left out)", catalog, want)
	}
	if c := items[1]; c.Head != "bb59f895577c" || c.Touches[0].Revision != "226fb0ba9c98" || c.Touches[0].Change != "use" {
		t.Errorf("circulation's side of items: %+v", c)
	}
}

// TestTargets: a merge, heads, or two or more revisions; trouble otherwise.
func TestTargets(t *testing.T) {
	g, err := revisions.Load(filepath.Join("..", "examples", "library"))
	if err != nil {
		t.Fatal(err)
	}
	tg, err := Targets(g, []string{"a901", "bb59"})
	if err != nil || tg.Merge != -1 || !slices.Equal(g.IDs(tg.Heads), []string{"a9012647d928", "bb59f895577c"}) {
		t.Errorf("two revisions: %+v, %v", tg, err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "name a merge revision"},
		{[]string{"heads"}, "there is one head, dd2e9516bcc5"},
		{[]string{"7563"}, "7563ba6d7561 is not a merge"},
		{[]string{"7563", "a901"}, "7563ba6d7561 is an ancestor of a9012647d928"},
		{[]string{"nope", "a901"}, "Can't locate revision identified by 'nope'"},
	} {
		if _, err := Targets(g, c.args); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Targets(%v): %v, want %q", c.args, err, c.want)
		}
	}
}

// pyRevision is an Alembic revision file that adds a column.
const pyRevision = `"""add the due date

Revision ID: p1
Revises: a1
"""
from alembic import op
import sqlalchemy as sa

revision = "p1"
down_revision = "a1"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("loans", sa.Column("due", sa.Date()))


def downgrade():
    op.drop_column("loans", "due")
`

// TestPythonRevisionNotAnalysed: an Alembic revision without a scratch
// database, or one whose step cannot run in it, says so; the review goes
// on with the rest.
func TestPythonRevisionNotAnalysed(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a1_test.sql": "-- Revision ID: a1\n-- Revises:\n\n-- +upgrade\nCREATE TABLE loans (id integer);\n\n-- +downgrade\nDROP TABLE loans;\n",
		"c1_test.sql": "-- Revision ID: c1\n-- Revises: a1\n\n-- +upgrade\nALTER TABLE loans ADD COLUMN note text;\n\n-- +downgrade\nSELECT 1;\n",
		"p1_test.py":  pyRevision,
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	g, err := revisions.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	target, err := Targets(g, []string{"heads"})
	if err != nil {
		t.Fatal(err)
	}
	cfg := scratch.Config{Live: "sqlite:" + filepath.Join(t.TempDir(), "live.db")}
	schemas := &ScratchSchemas{New: func(context.Context) (*revschema.Builder, error) {
		return &revschema.Builder{Graph: g, Scratch: cfg, Retort: "test"}, nil
	}}
	defer schemas.Close()
	for _, c := range []struct {
		name    string
		schemas Schemas
		want    string
	}{
		{"no scratch", nil, "not analysed: an Alembic revision is read from the schema it builds, which needs a scratch database, and none is configured"},
		{"no executor", schemas, "not analysed: its schema difference could not be built in a scratch database: "},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := Analyze(context.Background(), g, target, Options{Parser: pgparsetest.New(t), Schemas: c.schemas})
			if err != nil {
				t.Fatal(err)
			}
			var py *Revision
			for k := range r.Branches {
				if rv := &r.Branches[k].Revisions[0]; rv.ID == "p1" {
					py = rv
				}
			}
			if py == nil || py.Analysed() || len(py.Notes) != 1 || !strings.Contains(py.Notes[0], c.want) || py.Format != "alembic" {
				t.Fatalf("p1: %+v", py)
			}
			if c.schemas != nil && !strings.Contains(py.Notes[0], "Alembic Python revision") {
				t.Errorf("the note does not say why: %s", py.Notes[0])
			}
			if len(r.Shared) != 0 || r.ExitStatus() != 2 || !strings.Contains(Text(r), "      note: "+c.want) {
				t.Errorf("shared %v:\n%s", sharedNames(r), Text(r))
			}
		})
	}
}

// TestSchemaDifferenceObjects: what a revision changes, read from the
// schema difference (as for a .py revision), names its objects as its
// statements do: without the public schema, columns and constraints by
// their table, the table altered with them. Built on both dialects.
func TestSchemaDifferenceObjects(t *testing.T) {
	g := history(t,
		rev{id: "a1", up: "CREATE TABLE loans (id integer PRIMARY KEY);"},
		rev{id: "b1", parents: "a1", up: "ALTER TABLE loans ADD COLUMN due date;\nCREATE INDEX loans_due ON loans (due);\nCREATE TABLE \"Fees\" (id integer CONSTRAINT fees_pos CHECK (id > 0));"},
	)
	for dialect, live := range map[string]string{"sqlite": "sqlite:" + filepath.Join(t.TempDir(), "live.db"), "postgresql": pgtest.NewDatabase(t)} {
		t.Run(dialect, func(t *testing.T) {
			s := &ScratchSchemas{New: func(context.Context) (*revschema.Builder, error) {
				return &revschema.Builder{Graph: g, Scratch: scratch.Config{Live: live}, Retort: "test"}, nil
			}}
			defer s.Close()
			rv, err := fromSchema(context.Background(), g, g.Index["b1"], Revision{Touches: []Touch{}}, s)
			if err != nil || rv.Source != SourceSchema {
				t.Fatalf("%v, %+v", err, rv)
			}
			fromSQL, err := fromStatements(pgparsetest.New(t), g.Rev("b1"), Revision{Touches: []Touch{}})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			for _, o := range rv.Objects() {
				got[o.String()+" "+strings.Join(o.Changes, ",")] = true
			}
			for _, want := range []string{"table loans alter", "column loans.due create", "index loans_due create",
				"table Fees create", "constraint fees_pos on Fees create"} {
				if !got[want] {
					t.Errorf("the schema difference lacks %q: %v", want, got)
				}
			}
			// Every object the statements change is named alike by the
			// schema difference.
			byKey := map[Object]bool{}
			for _, o := range rv.Objects() {
				byKey[o.Object] = true
			}
			for _, o := range fromSQL.Objects() {
				if !slices.Equal(o.Changes, []string{ChangeUse}) && !byKey[o.Object] {
					t.Errorf("%s, from the statements, is not in the schema difference: %v", o, got)
				}
			}
		})
	}
}
