package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReviewLibraryMerge: the example's merge shares two tables (exit 1),
// in text and in JSON with snake_case keys.
func TestReviewLibraryMerge(t *testing.T) {
	lintEnv(t)
	dir := filepath.Join(repoRoot(t), "examples", "library")
	out, errOut, code := runCLI(t, "--dir", dir, "review", "e4c229aa293c")
	if code != 1 || errOut != "" {
		t.Fatalf("exit %d, stderr %q:\n%s", code, errOut, out)
	}
	for _, want := range []string{
		"merge e4c229aa293c  merge catalog and circulation\ncommon ancestor 9126f322cb13  move documents out of records_metadata\n",
		"\nbranch a9012647d928 (catalog): 8 revisions\n",
		"\nbranch bb59f895577c (circulation): 8 revisions\n",
		"\n2 objects touched by more than one branch:\n  table items\n    a9012647d928 (catalog)\n",
		"eeb4d7e34f58_replace_item_categories_with_item_types.sql:25  eeb4d7e34f58  alter  ALTER TABLE items DROP COLUMN item_type\n",
		"\n  table records_metadata\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	out, _, code = runCLI(t, "--dir", dir, "review", "a901", "bb59", "--json")
	var j struct {
		Merge           *struct{ Revision string }
		Heads           []string
		CommonAncestors []struct{ Revision string } `json:"common_ancestors"`
		Branches        []struct {
			Head      string
			Revisions []struct {
				Revision string
				KnownTo  []string `json:"known_to"`
				Touches  []struct{ Kind, Name, Change string }
			}
		}
		Shared []struct {
			Kind, Name string
			Sides      []struct {
				Head    string
				Touches []struct {
					Revision string
					Line     int
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &j); err != nil || code != 1 {
		t.Fatalf("--json: exit %d, %v\n%s", code, err, out)
	}
	if j.Merge != nil || len(j.CommonAncestors) != 1 || j.CommonAncestors[0].Revision != "9126f322cb13" ||
		len(j.Branches) != 2 || len(j.Branches[0].Revisions) != 8 || j.Branches[0].Revisions[0].KnownTo[0] != "bb59f895577c" ||
		len(j.Shared) != 2 || j.Shared[0].Name != "items" || j.Shared[1].Name != "records_metadata" ||
		j.Shared[0].Sides[0].Touches[0].Revision != "eeb4d7e34f58" || j.Shared[0].Sides[0].Touches[0].Line != 21 {
		t.Errorf("--json: %+v", j)
	}
	for _, key := range []string{`"common_ancestors"`, `"known_to"`, `"statement"`} {
		if !strings.Contains(out, key) {
			t.Errorf("--json lacks %s", key)
		}
	}
}

// TestReviewExitStatus: 0 when nothing is shared, 1 when something is, 2
// on trouble; a message read from a file is shown with its controls
// visible, in text and in JSON.
func TestReviewExitStatus(t *testing.T) {
	lintEnv(t)
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a1_base.sql", "-- Revision ID: a1\n-- Revises:\n-- Message: base\n\n-- +upgrade\nCREATE TABLE t (id integer);\n\n-- +downgrade\nDROP TABLE t;\n")
	write("b1_b.sql", "-- Revision ID: b1\n-- Revises: a1\n-- Message: add \x1b]0;owned\x07 u\n\n-- +upgrade\nCREATE TABLE u (id integer);\n\n-- +downgrade\nDROP TABLE u;\n")
	write("c1_c.sql", "-- Revision ID: c1\n-- Revises: a1\n-- Message: add v\n\n-- +upgrade\nCREATE TABLE v (id integer);\n\n-- +downgrade\nDROP TABLE v;\n")
	out, errOut, code := runCLI(t, "--dir", dir, "review", "heads")
	if code != 0 || errOut != "" || !strings.HasSuffix(out, "\nno object is touched by more than one branch\n") ||
		!strings.Contains(out, "  b1  add ␛]0;owned␇ u\n      table u: create\n") {
		t.Fatalf("disjoint: exit %d, stderr %q:\n%s", code, errOut, out)
	}
	out, _, _ = runCLI(t, "--dir", dir, "review", "heads", "--json")
	if strings.ContainsRune(out, 0x1b) || !strings.Contains(out, `add \u001b]0;owned\u0007 u`) {
		t.Errorf("--json shows a control character raw:\n%s", out)
	}
	write("c2_c.sql", "-- Revision ID: c2\n-- Revises: c1\n-- Message: touch u too\n\n-- +upgrade\nINSERT INTO u VALUES (1);\n\n-- +downgrade\nDELETE FROM u;\n")
	if out, _, code := runCLI(t, "--dir", dir, "review", "heads"); code != 1 || !strings.Contains(out, "1 object touched by more than one branch:\n  table u\n") {
		t.Errorf("shared: exit %d:\n%s", code, out)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"review"}, "requires at least 1 arg"},
		{[]string{"review", "a1"}, "a1 is not a merge"},
		{[]string{"review", "a1", "c2"}, "a1 is an ancestor of c2"},
		{[]string{"review", "zz"}, "Can't locate revision identified by 'zz'"},
		{[]string{"review", "heads", "--nope"}, "unknown flag: --nope"},
	} {
		_, errOut, code := runCLI(t, append([]string{"--dir", dir}, c.args...)...)
		if code != 2 || !strings.Contains(errOut, "FAILED: ") || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", c.args, code, errOut, c.want)
		}
	}
}

// TestReviewPythonRevisions: the Alembic example's merge of .py revisions
// is reviewed: each revision says why it was not analysed (retort cannot
// run .py revisions in the scratch database yet), and the review, shown
// whole, exits 2: it is incomplete.
func TestReviewPythonRevisions(t *testing.T) {
	lintEnv(t)
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	dir := filepath.Join(repoRoot(t), "examples", "alembic", "migrations", "versions")
	db := "sqlite:" + filepath.Join(t.TempDir(), "app.db")
	out, errOut, code := runCLI(t, "--dir", dir, "--db", db, "review", "29127b1a565c")
	if code != 2 || errOut != "" || !strings.Contains(out, "merge 29127b1a565c") ||
		!strings.Contains(out, "      note: not analysed: its schema difference could not be built in a scratch database: ") ||
		!strings.Contains(out, "\n15 revisions not analysed (see their notes): what they touch is not compared\nno object is touched by more than one branch\n") {
		t.Fatalf("exit %d, stderr %q:\n%s", code, errOut, out)
	}
}
