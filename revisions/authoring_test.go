package revisions

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"retort/models"
)

// What NewRevision and Merge do beyond Alembic's rules (those are compared
// with Alembic itself in authoring_alembic_test.go): the file they write,
// ids, directories, and the requests retort refuses where Alembic writes a
// file it then mishandles.

func loadDir(t *testing.T, dirs ...string) *models.Graph {
	t.Helper()
	g, err := Load(dirs...)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestNewRevisionFileContent(t *testing.T) {
	dir := t.TempDir()
	copyDir(t, filepath.Join(conformanceDir, "h01_two_trees", "sql"), dir)
	g := loadDir(t, dir)
	now := time.Date(2024, 5, 2, 10, 31, 7, 123456789, time.Local)
	rev, err := NewRevision(g, []string{dir}, NewRevisionOptions{
		Message: "Move collections: into their own table", Head: "f000",
		BranchLabels: []string{"collections", "cat"}, DependsOn: []string{"other", "c000"},
		RevID: "9e3145d88e64", Now: now,
	})
	if err != nil {
		t.Fatal(err)
	}
	wantPath := filepath.Join(dir, "9e3145d88e64_move_collections_into_their_own_table.sql")
	if rev.Path != wantPath {
		t.Errorf("path %s, want %s", rev.Path, wantPath)
	}
	src, err := os.ReadFile(wantPath)
	if err != nil {
		t.Fatal(err)
	}
	want := `-- Revision ID: 9e3145d88e64
-- Revises: f000
-- Create Date: 2024-05-02 10:31:07
-- Branch Labels: collections, cat
-- Depends On: other, c000
-- Message: Move collections: into their own table

-- +upgrade


-- +downgrade

`
	if string(src) != want {
		t.Errorf("file:\n%s\nwant:\n%s", src, want)
	}
	if !rev.Upgrade.Present || !rev.Downgrade.Present || !rev.Transactional {
		t.Errorf("sections or transaction not as written: %+v", rev)
	}
}

func TestNewRevisionBaseFile(t *testing.T) {
	dir := t.TempDir()
	g := loadDir(t, dir)
	rev, err := NewRevision(g, []string{dir}, NewRevisionOptions{Message: "create documents"})
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[0-9a-f]{12}$`).MatchString(rev.ID) {
		t.Errorf("fresh id %q is not 12 lowercase hex characters", rev.ID)
	}
	if len(rev.Parents) != 0 {
		t.Errorf("parents %v in an empty directory", rev.Parents)
	}
	src, _ := os.ReadFile(rev.Path)
	if !strings.Contains(string(src), "\n-- Revises:\n") {
		t.Errorf("a base should have an empty Revises line:\n%s", src)
	}
	created, err := time.ParseInLocation(createDateLayout, rev.CreateDate, time.Local)
	if err != nil || time.Since(created) > time.Minute || time.Since(created) < -time.Second {
		t.Errorf("Create Date %q is not now (%v)", rev.CreateDate, err)
	}
	// The next revision goes on top of it: `head` is now that one.
	next, err := NewRevision(loadDir(t, dir), []string{dir}, NewRevisionOptions{Message: "add items"})
	if err != nil {
		t.Fatal(err)
	}
	if len(next.Parents) != 1 || next.Parents[0] != rev.ID || next.ID == rev.ID {
		t.Errorf("second revision %s revises %v, want %s", next.ID, next.Parents, rev.ID)
	}
}

// TestSlugMatchesAlembic runs Alembic's own slug code (_rev_path) on the
// same messages.
func TestSlugMatchesAlembic(t *testing.T) {
	requireAlembic(t)
	msgs := []string{
		"", "x", "add a column", "  spaces  around  ", "Hello, there: a very long message that goes past forty characters",
		"exactly forty characters long message ab", "exactly forty-one characters long message", "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
		"snake_case_words_are_kept_as_they_are_in_the_slug", "Ajoute la colonne « été » (Zürich), v2.1", "数据 迁移 第二步", "ÉCOLE Straße ǅ",
		"tab\tand-dash/slash.dot", "a__b", "___", "_a_", "42 is the answer", "ⅷ and ² and ٣",
	}
	in, _ := json.Marshal(msgs)
	script := `import json, re, sys
_slug_re = re.compile(r"\w+")
out = []
for message in json.loads(sys.argv[1]):
    slug = "_".join(_slug_re.findall(message or "")).lower()
    if len(slug) > 40:
        slug = slug[:40].rsplit("_", 1)[0] + "_"
    out.append(slug)
print(json.dumps(out))
`
	// The snippet is base.py's own lines; make sure they still are.
	base, err := os.ReadFile("/usr/lib/python3/dist-packages/alembic/script/base.py")
	if err != nil {
		t.Fatalf("install python3-alembic: %v", err)
	}
	for _, line := range []string{`_slug_re = re.compile(r"\w+")`, `slug = "_".join(_slug_re.findall(message or "")).lower()`, `slug = slug[: self.truncate_slug_length].rsplit("_", 1)[0] + "_"`} {
		if !strings.Contains(string(base), line) {
			t.Fatalf("Alembic's base.py no longer contains %q", line)
		}
	}
	out, err := exec.Command(alembicPython, "-c", script, string(in)).Output()
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	for k, m := range msgs {
		if got := Slug(m); got != want[k] {
			t.Errorf("Slug(%q) = %q, Alembic %q", m, got, want[k])
		}
	}
}

func TestFreshIDsAreUnique(t *testing.T) {
	dir := t.TempDir()
	seen := map[string]bool{}
	for range 20 {
		rev, err := Merge(loadDir(t, dir), []string{dir}, []string{"base"}, MergeOptions{Message: "base"})
		if err != nil {
			t.Fatal(err)
		}
		if seen[rev.ID] {
			t.Fatalf("id %s generated twice", rev.ID)
		}
		seen[rev.ID] = true
	}
	if g := loadDir(t, dir); len(g.Heads) != 20 || len(g.Bases) != 20 {
		t.Errorf("%d heads, %d bases; want 20 of each", len(g.Heads), len(g.Bases))
	}
}

// TestAuthoringRefusals: requests retort refuses before writing anything.
func TestAuthoringRefusals(t *testing.T) {
	cases := []struct {
		name  string
		merge []string
		o     NewRevisionOptions
		want  string
	}{
		{name: "rev-id in use", o: NewRevisionOptions{Head: "f000", RevID: "c000"}, want: "Revision c000 is present more than once: "},
		{name: "rev-id is a label", o: NewRevisionOptions{Head: "f000", RevID: "feat"}, want: "Branch name 'feat' in revision d000 already used by revision feat"},
		{name: "rev-id too long", o: NewRevisionOptions{Head: "f000", RevID: strings.Repeat("a", 33)}, want: "at most 32"},
		{name: "message on two lines", o: NewRevisionOptions{Head: "f000", Message: "one\ntwo"}, want: "must be one line"},
		{name: "label with a comma", o: NewRevisionOptions{Head: "f000", BranchLabels: []string{"a,b"}}, want: `branch label "a,b" must be one word`},
		{name: "label with @", o: NewRevisionOptions{Head: "f000", BranchLabels: []string{"a@b"}}, want: `branch label "a@b"`},
		{name: "label with :", o: NewRevisionOptions{Head: "f000", BranchLabels: []string{"a:b"}}, want: `branch label "a:b" contains ':'`},
		{name: "label with a zero-width space", o: NewRevisionOptions{Head: "f000", BranchLabels: []string{"a\u200bb"}}, want: `branch label "a\u200bb" contains an invisible or control character (U+200B)`},
		{name: "id with a zero-width space", o: NewRevisionOptions{Head: "f000", RevID: "n\u200b0"}, want: `revision identifier "n\u200b0" contains an invisible or control character (U+200B)`},
		{name: "label twice", o: NewRevisionOptions{Head: "f000", RevID: "n000", BranchLabels: []string{"z", "z"}}, want: "Branch name 'z' in revision n000 already used by revision n000"},
		{name: "label is the new id", o: NewRevisionOptions{Head: "f000", RevID: "n000", BranchLabels: []string{"n000"}}, want: "Branch name 'n000' in revision n000 already used by revision n000"},
		{name: "depends_on a parent", o: NewRevisionOptions{Head: "f000", DependsOn: []string{"f000"}}, want: "--depends-on f000: f000 is already a parent"},
		{name: "depends_on twice", o: NewRevisionOptions{Head: "f000", DependsOn: []string{"y000", "y000"}}, want: "--depends-on y000: y000 is listed twice"},
		{name: "depends_on an ancestor", o: NewRevisionOptions{Head: "f000", DependsOn: []string{"a000"}}, want: "--depends-on a000: a000 is already an ancestor of f000"},
		{name: "depends_on an ancestor of another dependency", o: NewRevisionOptions{Head: "f000", DependsOn: []string{"other", "y000"}}, want: "--depends-on other: x000 is already an ancestor of y000"},
		{name: "depends_on base", o: NewRevisionOptions{Head: "f000", DependsOn: []string{"base"}}, want: "--depends-on base names no revision"},
		{name: "below the base", o: NewRevisionOptions{Head: "x000-2", Splice: true}, want: "Can't locate revision identified by 'x000-2'"},
		{name: "merge nothing", merge: []string{}, want: "merge needs one or more revisions"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			copyDir(t, filepath.Join(conformanceDir, "h01_two_trees", "sql"), dir)
			g := loadDir(t, dir)
			var err error
			if c.merge != nil {
				_, err = Merge(g, []string{dir}, c.merge, MergeOptions{})
			} else {
				_, err = NewRevision(g, []string{dir}, c.o)
			}
			var ce *CommandError
			if !errors.As(err, &ce) || !strings.Contains(ce.Message, c.want) {
				t.Fatalf("error %v, want a *CommandError containing %q", err, c.want)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 8 {
				t.Errorf("%d files in the directory after a refusal, want the 8 of the graph", len(entries))
			}
		})
	}
}

func TestNewRevisionNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "abcd00000001_x_txt.sql")
	// Not a revision file retort can read, but a file of the name the new
	// revision gets: it must stay untouched.
	if err := os.WriteFile(existing, []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	g, _ := Build(nil)
	_, err := NewRevision(g, []string{dir}, NewRevisionOptions{Message: "x txt", RevID: "abcd00000001"})
	if err == nil || !errors.Is(err, os.ErrExist) {
		t.Fatalf("error %v, want one saying the file exists", err)
	}
	if b, _ := os.ReadFile(existing); string(b) != "precious" {
		t.Errorf("existing file overwritten: %q", b)
	}
}

// TestNewRevisionDirectories: with several versions directories the new
// file goes beside the revision it revises, and a new base into the first.
func TestNewRevisionDirectories(t *testing.T) {
	one, two := t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(one, "a000_a.sql"), []byte("-- Revision ID: a000\n-- Branch Labels: left\n\n-- +upgrade\n-- +downgrade\n"))
	writeFile(t, filepath.Join(two, "b000_b.sql"), []byte("-- Revision ID: b000\n-- Branch Labels: right\n\n-- +upgrade\n-- +downgrade\n"))
	dirs := []string{one, two}
	rev, err := NewRevision(loadDir(t, dirs...), dirs, NewRevisionOptions{Message: "r", Head: "right@head", RevID: "c000"})
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(rev.Path) != two {
		t.Errorf("revision of b000 written to %s, want %s", rev.Path, two)
	}
	m, err := Merge(loadDir(t, dirs...), dirs, []string{"heads"}, MergeOptions{Message: "m"})
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(m.Path) != one || strings.Join(m.Parents, ",") != "a000,"+rev.ID {
		t.Errorf("merge %s of %v, want in %s revising a000,%s", m.Path, m.Parents, one, rev.ID)
	}
	b, err := NewRevision(loadDir(t, dirs...), dirs, NewRevisionOptions{Message: "b", Head: "base"})
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(b.Path) != one {
		t.Errorf("new base written to %s, want %s", b.Path, one)
	}
	if g := loadDir(t, dirs...); g.Len() != 5 {
		t.Errorf("%d revisions after three new ones, want 5", g.Len())
	}
}
