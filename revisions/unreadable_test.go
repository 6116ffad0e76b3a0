package revisions

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"retort/models"
)

// An id or a branch label that prints like another (an invisible or a
// control character) or that no target can name (a ':') is an error for
// that revision, on its line; the revision is still returned, marked with
// the problem, so that the graph keeps it.
func TestIdentifierRules(t *testing.T) {
	sqlFile := func(id, labels string) string {
		return "-- Revision ID: " + id + "\n-- Revises:\n-- Branch Labels: " + labels + "\n\n-- +upgrade\n"
	}
	pyFile := func(id, labels string) string {
		return "revision = " + id + "\ndown_revision = None\nbranch_labels = " + labels + "\n"
	}
	for _, c := range []struct {
		name, path, src, id string
		line                int
		msg                 string
	}{
		{"zero-width space in a .sql id", "x.sql", sqlFile("ab\u200bc", ""), "ab\u200bc", 1,
			`revision identifier "ab\u200bc" contains an invisible or control character (U+200B), which would make it print like another`},
		{"bidi override in a .sql id", "x.sql", sqlFile("ab\u202ec", ""), "ab\u202ec", 1,
			`revision identifier "ab\u202ec" contains an invisible or control character (U+202E)`},
		{"escape in a .sql id", "x.sql", sqlFile("ab\x1b[2Jc", ""), "ab\x1b[2Jc", 1,
			`revision identifier "ab\x1b[2Jc" contains an invisible or control character (U+001B)`},
		{"colon in a .sql id", "x.sql", sqlFile("ab:c", ""), "ab:c", 1,
			`revision identifier "ab:c" contains ':', which separates the ends of a range: no target could name it`},
		{"zero-width space in a .sql label", "x.sql", sqlFile("a1", "core\u200b"), "a1", 3,
			`branch label "core\u200b" contains an invisible or control character (U+200B), which would make it print like another`},
		{"colon in a .sql label", "x.sql", sqlFile("a1", "co:re"), "a1", 3,
			`branch label "co:re" contains ':', which separates the ends of a range: no target could name it`},
		{"zero-width space in a .py id", "x.py", pyFile(`"ab\u200bc"`, "None"), "ab\u200bc", 1,
			`revision identifier "ab\u200bc" contains an invisible or control character (U+200B)`},
		{"newline in a .py id", "x.py", pyFile(`"ab\nc"`, "None"), "ab\nc", 1,
			`revision identifier "ab\nc" contains an invisible or control character (U+000A)`},
		{"colon in a .py id", "x.py", pyFile(`"ab:c"`, "None"), "ab:c", 1,
			`revision identifier "ab:c" contains ':'`},
		{"bidi isolate in a .py label", "x.py", pyFile(`"a1"`, `("core", "fi\u2066les")`), "a1", 3,
			`branch label "fi\u2066les" contains an invisible or control character (U+2066)`},
		{"colon in a .py label", "x.py", pyFile(`"a1"`, `"co:re"`), "a1", 3,
			`branch label "co:re" contains ':'`},
	} {
		t.Run(c.name, func(t *testing.T) {
			var rev *models.Revision
			var err error
			if strings.HasSuffix(c.path, ".py") {
				rev, err = ParsePython(c.path, []byte(c.src))
			} else {
				rev, err = ParseSQL(c.path, []byte(c.src))
			}
			fes := fileErrors(err)
			if len(fes) != 1 || fes[0].Path != c.path || fes[0].Line != c.line || !strings.HasPrefix(fes[0].Err.Error(), c.msg) {
				t.Fatalf("got %v, want %s:%d: %s", err, c.path, c.line, c.msg)
			}
			if rev == nil || rev.ID != c.id || rev.Problem == nil || rev.Problem.Error() != err.Error() || !rev.Unreadable() {
				t.Fatalf("revision %+v, want %q marked with the error", rev, c.id)
			}
		})
	}
}

// The identifiers' rules still accept what Alembic's revision ids and labels
// look like.
func TestIdentifierRulesAcceptUsualNames(t *testing.T) {
	for _, id := range []string{"9e3145d88e64", "1777000001", "ae1027a6acf_", "rev.2", "été"} {
		if err := CheckRevisionID(id); err != nil {
			t.Errorf("CheckRevisionID(%q): %v", id, err)
		}
	}
}

// unreadableHistory is a history with every kind of unreadable file: b1's
// down_revision cannot be decided without Python, d's id holds a zero-width
// space, e1's label a ':', and f's id cannot be decided (so it is no
// revision). c1 revises b1, g1 revises d.
func unreadableHistory(t *testing.T) string {
	return writeFiles(t, map[string]string{
		"a1.sql": sqlRev("a1", "", "", "", "base"),
		"b1.py":  "\"\"\"b1\"\"\"\nrevision = 'b1'\ndown_revision = compute()\n",
		"c1.sql": sqlRev("c1", "b1", "", "", "child of b1"),
		"d.sql":  sqlRev("d\u200b1", "a1", "", "", "hidden id"),
		"e1.sql": sqlRev("e1", "a1", "", "x:y", "bad label"),
		"f.py":   "revision = make_id()\ndown_revision = 'a1'\n",
		"g1.sql": sqlRev("g1", "d\u200b1", "", "", "child of d"),
	})
}

// One bad file never hides the history: a file whose id is known joins the
// graph marked unreadable, its children keep it as their parent, and only a
// file without a readable id is left out. Every problem is in the error.
func TestLoadKeepsUnreadableRevisions(t *testing.T) {
	dir := unreadableHistory(t)
	g, err := Load(dir)
	if g == nil || err == nil {
		t.Fatalf("graph %v, error %v", g, err)
	}
	if got, want := g.IDs(g.History), []string{"c1", "b1", "e1", "g1", "d\u200b1", "a1"}; !slices.Equal(got, want) {
		t.Errorf("history %q, want %q", got, want)
	}
	var unreadable []string
	for _, i := range g.Unreadable {
		r := g.Revisions[i]
		if !r.Unreadable() {
			t.Errorf("%s is listed as unreadable but has no problem", r.ID)
		}
		unreadable = append(unreadable, r.ID)
	}
	if want := []string{"b1", "d\u200b1", "e1"}; !slices.Equal(unreadable, want) {
		t.Errorf("unreadable %q, want %q", unreadable, want)
	}
	for _, r := range g.Revisions {
		if r.Unreadable() != slices.Contains(unreadable, r.ID) {
			t.Errorf("%s: problem %v", r.ID, r.Problem)
		}
	}
	c1, g1 := g.Index["c1"], g.Index["g1"]
	if got := g.IDs(g.Parents[c1]); !slices.Equal(got, []string{"b1"}) || len(g.Missing[c1]) > 0 {
		t.Errorf("c1's parents %q, missing %q", got, g.Missing[c1])
	}
	if got := g.IDs(g.Parents[g1]); !slices.Equal(got, []string{"d\u200b1"}) {
		t.Errorf("g1's parents %q", got)
	}
	b1 := g.Index["b1"]
	if slices.Contains(g.Bases, b1) {
		t.Errorf("b1, whose down_revision is not known, is listed as a base")
	}
	var where []string
	for _, fe := range fileErrors(err) {
		where = append(where, filepath.Base(fe.Path))
	}
	if want := []string{"b1.py", "d.sql", "e1.sql", "f.py"}; !slices.Equal(where, want) {
		t.Errorf("errors in %q, want %q:\n%v", where, want, err)
	}
	fes := fileErrors(g.Revisions[b1].Problem)
	if len(fes) != 1 || fes[0].Line != 3 || !strings.HasSuffix(fes[0].Path, "b1.py") {
		t.Errorf("b1's problem %v", g.Revisions[b1].Problem)
	}
}

// No plan is made while a revision is unreadable, not even one that does
// not reach it: an unknown parent changes the graph's shape. The refusal
// names every unreadable file and line.
func TestPlansRefusedWhileARevisionIsUnreadable(t *testing.T) {
	g, _ := Load(unreadableHistory(t))
	for name, plan := range map[string]func() (*models.Plan, error){
		"upgrade":           func() (*models.Plan, error) { return Upgrade(g, nil, "a1") },
		"upgrade heads":     func() (*models.Plan, error) { return Upgrade(g, nil, "heads") },
		"downgrade":         func() (*models.Plan, error) { return Downgrade(g, []string{"a1"}, "base") },
		"stamp":             func() (*models.Plan, error) { return Stamp(g, nil, []string{"a1"}, false) },
		"upgrade --sql":     func() (*models.Plan, error) { return UpgradeOffline(g, "a1") },
		"downgrade --sql":   func() (*models.Plan, error) { return DowngradeOffline(g, "a1:base") },
		"stamp --sql":       func() (*models.Plan, error) { return StampOffline(g, []string{"a1"}, false) },
		"offline start row": func() (*models.Plan, error) { _, err := OfflineStartRows(g, "a1"); return nil, err },
	} {
		p, err := plan()
		var ce *CommandError
		if p != nil || !errors.As(err, &ce) || !errors.Is(err, ErrUnreadable) {
			t.Errorf("%s: plan %v, error %T %v", name, p, err, err)
			continue
		}
		for _, want := range []string{
			"cannot plan while 3 revisions cannot be read",
			filepath.Join(filepath.Base(filepath.Dir(g.Revisions[g.Index["b1"]].Path)), "b1.py") + ":3: down_revision:",
			"d.sql:1: revision identifier",
			"e1.sql:3: branch label",
		} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %q does not say %q", name, err, want)
			}
		}
	}
}

// Which values running Python could settle is passed on in a form a later
// step can use: the file, the line and the field, from Load's error or from
// a revision's problem.
func TestUndecidedValuesArePassedOn(t *testing.T) {
	g, err := Load(unreadableHistory(t))
	var got []string
	for _, fe := range Undecided(err) {
		got = append(got, fmt.Sprintf("%s:%d %s", filepath.Base(fe.Path), fe.Line, fe.Err.(*UndecidedError).Field))
	}
	if want := []string{"b1.py:3 down_revision", "f.py:1 revision"}; !slices.Equal(got, want) {
		t.Errorf("undecided %q, want %q", got, want)
	}
	b1 := Undecided(g.Rev("b1").Problem)
	if len(b1) != 1 || b1[0].Err.Error() != "down_revision: expected None, a string, or a tuple/list of strings, found a call to compute()" {
		t.Errorf("b1's undecided values: %v", b1)
	}
	if u := Undecided(g.Rev("e1").Problem); len(u) != 0 {
		t.Errorf("an invalid label is not a value Python could settle: %v", u)
	}
}
