package revisions

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"retort/models"
)

// NewRevision and Merge are compared with what Alembic 1.8.1's own
// `alembic revision` and `alembic merge` do on the same graph: the parents,
// branch labels, depends_on, message and file-name slug of the file it
// generates, the heads afterwards, or the error it prints.

// alembicPython is Debian's interpreter with python3-alembic.
const alembicPython = "/usr/bin/python3"

// alembicMain runs Alembic's command line with the version files listed in
// sorted order, the load order the conformance cases (and retort) use,
// instead of os.listdir's; otherwise `merge heads` and `heads` would list
// heads in file-system order.
const alembicMain = `import sys
from alembic.script.base import Script
_list = Script._list_py_dir.__func__
Script._list_py_dir = classmethod(lambda cls, sd, path: sorted(_list(cls, sd, path)))
from alembic.config import main
main(argv=sys.argv[1:], prog="alembic")
`

// authoringCase is one command run by both tools on a conformance graph.
type authoringCase struct {
	name  string
	fails bool     // Alembic refuses it
	graph string   // conformance case directory
	merge []string // merge REVS; nil for `revision`
	rev   NewRevisionOptions
}

func authoringCases() []authoringCase {
	const h01, h02, h03, s01 = "h01_two_trees", "h02_effective_head", "h03_three_way", "s0001_n12"
	return []authoringCase{
		{name: "several heads, no --head", fails: true, graph: h01, rev: NewRevisionOptions{Message: "add a column"}},
		{name: "not a head", fails: true, graph: h01, rev: NewRevisionOptions{Message: "x", Head: "x000"}},
		{name: "splice", graph: h01, rev: NewRevisionOptions{Message: "fork from x", Head: "x000", Splice: true}},
		{name: "splice on a head", graph: h01, rev: NewRevisionOptions{Message: "x", Head: "y000", Splice: true}},
		{name: "label@head", graph: h01, rev: NewRevisionOptions{Message: "feature work", Head: "feat@head"}},
		{name: "label@head with several heads", fails: true, graph: h01, rev: NewRevisionOptions{Message: "x", Head: "core@head"}},
		{name: "unknown label@head", fails: true, graph: h01, rev: NewRevisionOptions{Message: "x", Head: "nope@head"}},
		{name: "base", graph: h01, rev: NewRevisionOptions{Message: "a new tree", Head: "base", BranchLabels: []string{"third"}}},
		{name: "heads makes a merge", graph: h01, rev: NewRevisionOptions{Message: "all together", Head: "heads"}},
		{name: "label@heads", graph: h01, rev: NewRevisionOptions{Message: "x", Head: "core@heads"}},
		{name: "short prefix", graph: h01, rev: NewRevisionOptions{Message: "x", Head: "e00"}},
		{name: "new label", graph: h01, rev: NewRevisionOptions{Message: "Other: next step!", Head: "other@head", BranchLabels: []string{"next"}}},
		{name: "label in use", fails: true, graph: h01, rev: NewRevisionOptions{Message: "x", Head: "f000", BranchLabels: []string{"core"}}},
		{name: "label is a revision id", fails: true, graph: h01, rev: NewRevisionOptions{Message: "x", Head: "f000", BranchLabels: []string{"c000"}}},
		{name: "depends_on id and label", graph: h01, rev: NewRevisionOptions{Message: "x", Head: "f000", DependsOn: []string{"y000", "feat"}}},
		{name: "depends_on label and label@head", graph: h01, rev: NewRevisionOptions{Message: "x", Head: "f000", DependsOn: []string{"other", "feat@head"}}},
		{name: "depends_on unknown", fails: true, graph: h01, rev: NewRevisionOptions{Message: "x", Head: "f000", DependsOn: []string{"zzzz"}}},
		{name: "depends_on several heads", fails: true, graph: h01, rev: NewRevisionOptions{Message: "x", Head: "f000", DependsOn: []string{"heads"}}},
		{name: "bad rev-id", fails: true, graph: h01, rev: NewRevisionOptions{Message: "x", Head: "f000", RevID: "ab-c@d"}},
		{name: "empty message", graph: h01, rev: NewRevisionOptions{Head: "f000"}},
		{name: "long message", graph: h01, rev: NewRevisionOptions{Message: "Move the collections out of records_metadata into their own table", Head: "f000"}},
		{name: "unicode message", graph: h01, rev: NewRevisionOptions{Message: "Ajoute la colonne « été » (Zürich), v2.1", Head: "f000"}},
		{name: "merge heads", graph: h01, merge: []string{"heads"}},
		{name: "merge in the order given", graph: h01, merge: []string{"y000", "e000"}},
		{name: "merge label@head", graph: h01, merge: []string{"feat@head", "other@head"}},
		{name: "merge duplicates", fails: true, graph: h01, merge: []string{"e000", "e000"}},
		{name: "merge heads and a head", fails: true, graph: h01, merge: []string{"heads", "f000"}},
		{name: "merge unknown", fails: true, graph: h01, merge: []string{"e000", "zzzz"}},
		{name: "merge not a head", fails: true, graph: h01, merge: []string{"e000", "c000"}},
		{name: "merge base", graph: h01, merge: []string{"base"}},
		{name: "merge head", fails: true, graph: h01, merge: []string{"head"}},
		{name: "merge effective head", graph: h02, merge: []string{"c000", "f000"}},
		{name: "merge heads skips effective heads", graph: h02, merge: []string{"heads"}},
		{name: "effective head", graph: h02, rev: NewRevisionOptions{Message: "x", Head: "lib@head"}},
		{name: "three-way graph, one head", graph: h03, rev: NewRevisionOptions{Message: "next"}},
		{name: "merge the only head", graph: h03, merge: []string{"heads"}},
		{name: "prefix head and depends_on", graph: s01, rev: NewRevisionOptions{Message: "x", Head: "d47d8", DependsOn: []string{"a11d2f"}, Splice: false}},
		{name: "splice on a prefix", graph: s01, rev: NewRevisionOptions{Message: "x", Head: "7204b2", Splice: true}},
		{name: "ambiguous prefix", fails: true, graph: s01, rev: NewRevisionOptions{Message: "x", Head: "d", Splice: true}},
		{name: "walk from the heads", graph: s01, rev: NewRevisionOptions{Message: "x", Head: "-1", Splice: true}},
	}
}

func TestAuthoringMatchesAlembic(t *testing.T) {
	requireAlembic(t)
	for k, c := range authoringCases() {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if c.rev.RevID == "" {
				c.rev.RevID = fmt.Sprintf("cafe%08d", k)
			}
			al := runAlembicAuthoring(t, c)
			got := runRetortAuthoring(t, c)
			if (al.err != "") != c.fails {
				t.Fatalf("the case is meant to %s, but Alembic said %q", map[bool]string{true: "fail", false: "succeed"}[c.fails], al.err)
			}
			compareAuthoring(t, al, got)
		})
	}
}

// requireAlembic fails the test (never skips it) when Alembic is missing.
func requireAlembic(t *testing.T) {
	t.Helper()
	if out, err := exec.Command(alembicPython, "-c", "import alembic").CombinedOutput(); err != nil {
		t.Fatalf("Alembic is needed to compare revision/merge with it: install it with `apt-get install python3-alembic` (%s: %v: %s)", alembicPython, err, out)
	}
}

// authoringOutcome is what a tool did: the revision it generated and the
// heads afterwards, or its error message.
type authoringOutcome struct {
	err   string
	rev   *models.Revision
	slug  string
	heads []string
}

// runAlembicAuthoring runs the case in a scratch Alembic project holding the
// graph as .py files.
func runAlembicAuthoring(t *testing.T, c authoringCase) authoringOutcome {
	t.Helper()
	dir := t.TempDir()
	versions := filepath.Join(dir, "versions")
	copyDir(t, filepath.Join(conformanceDir, c.graph, "alembic", "versions"), versions)
	mako, err := os.ReadFile("/usr/lib/python3/dist-packages/alembic/templates/generic/script.py.mako")
	if err != nil {
		t.Fatalf("Alembic's generic template is missing: install python3-alembic: %v", err)
	}
	writeFile(t, filepath.Join(dir, "script.py.mako"), mako)
	writeFile(t, filepath.Join(dir, "env.py"), nil)
	writeFile(t, filepath.Join(dir, "alembic.ini"), []byte("[alembic]\nscript_location = "+dir+"\n"))
	ini := filepath.Join(dir, "alembic.ini")

	out, failed := alembic(t, ini, alembicArgs(c)...)
	if failed {
		return authoringOutcome{err: alembicFailure(t, out)}
	}
	id := c.rev.RevID
	matches, _ := filepath.Glob(filepath.Join(versions, id+"_*.py"))
	if len(matches) != 1 {
		t.Fatalf("alembic %v: expected one new file %s_*.py, found %v\n%s", alembicArgs(c), id, matches, out)
	}
	src, err := os.ReadFile(matches[0])
	if err != nil {
		t.Fatal(err)
	}
	rev, err := ParsePython(matches[0], src)
	if err != nil {
		t.Fatalf("reading Alembic's new file: %v\n%s", err, src)
	}
	if want := "Generating " + matches[0] + " ...  done"; !strings.Contains(out, want) {
		t.Errorf("Alembic printed %q, expected %q", out, want)
	}
	headsOut, failed := alembic(t, ini, "heads")
	if failed {
		t.Fatalf("alembic heads after the change failed:\n%s", headsOut)
	}
	return authoringOutcome{rev: rev, slug: slugOf(matches[0], id), heads: headIDs(headsOut)}
}

func alembicArgs(c authoringCase) []string {
	if c.merge != nil {
		args := []string{"merge", "--rev-id", c.rev.RevID}
		if c.rev.Message != "" {
			args = append(args, "-m", c.rev.Message)
		}
		return append(args, c.merge...)
	}
	o := c.rev
	args := []string{"revision", "--rev-id", o.RevID}
	if o.Message != "" {
		args = append(args, "-m", o.Message)
	}
	if o.Head != "" {
		args = append(args, "--head", o.Head)
	}
	if o.Splice {
		args = append(args, "--splice")
	}
	for _, l := range o.BranchLabels {
		args = append(args, "--branch-label", l)
	}
	for _, d := range o.DependsOn {
		args = append(args, "--depends-on", d)
	}
	return args
}

// alembic runs one Alembic command and returns its combined output and
// whether it failed.
func alembic(t *testing.T, ini string, args ...string) (string, bool) {
	t.Helper()
	cmd := exec.Command(alembicPython, append([]string{"-c", alembicMain, "-c", ini}, args...)...)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("running alembic: %v", err)
	}
	return string(out), err != nil
}

// alembicFailure extracts the message of a failed command: the `FAILED:`
// line, or the last line of a traceback (Alembic lets the RevisionError of
// a branch label in use escape, after writing the file).
func alembicFailure(t *testing.T, out string) string {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	for _, l := range lines {
		if msg, ok := strings.CutPrefix(l, "FAILED: "); ok {
			return msg
		}
	}
	// The traceback is not always last: Python flushes the " done" of the
	// buffered stdout at exit, after the unbuffered stderr.
	for i := len(lines) - 1; i >= 0; i-- {
		if _, msg, ok := strings.Cut(lines[i], "RevisionError: "); ok && !strings.HasPrefix(lines[i], " ") {
			return msg
		}
	}
	t.Fatalf("unexpected Alembic output:\n%s", out)
	return ""
}

// headIDs reads the ids of `alembic heads` lines (`e000 (core) (head)`).
func headIDs(out string) []string {
	var ids []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if f := strings.Fields(l); len(f) > 0 {
			ids = append(ids, f[0])
		}
	}
	return ids
}

func slugOf(path, id string) string {
	base := filepath.Base(path)
	return strings.TrimPrefix(strings.TrimSuffix(base, filepath.Ext(base)), id+"_")
}

// runRetortAuthoring runs the case on a copy of the graph's sql/ directory
// and reloads the directory afterwards.
func runRetortAuthoring(t *testing.T, c authoringCase) authoringOutcome {
	t.Helper()
	dir := t.TempDir()
	copyDir(t, filepath.Join(conformanceDir, c.graph, "sql"), dir)
	g, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	var rev *models.Revision
	if c.merge != nil {
		rev, err = Merge(g, []string{dir}, c.merge, MergeOptions{Message: c.rev.Message, RevID: c.rev.RevID, BranchLabels: c.rev.BranchLabels})
	} else {
		rev, err = NewRevision(g, []string{dir}, c.rev)
	}
	if err != nil {
		var ce *CommandError
		if !errors.As(err, &ce) {
			t.Fatalf("error is not a *CommandError: %T %v", err, err)
		}
		if files, _ := filepath.Glob(filepath.Join(dir, c.rev.RevID+"*")); len(files) > 0 {
			t.Errorf("a failed command left %v behind", files)
		}
		return authoringOutcome{err: ce.Message}
	}
	g2, err := Load(dir)
	if err != nil {
		t.Fatalf("the directory does not load after the new revision: %v", err)
	}
	if back := g2.Rev(rev.ID); back == nil || !reflect.DeepEqual(back, rev) {
		t.Errorf("reloaded revision differs from the one returned:\n got %+v\nwant %+v", back, rev)
	}
	return authoringOutcome{rev: rev, slug: slugOf(rev.Path, rev.ID), heads: g2.IDs(g2.Heads)}
}

func compareAuthoring(t *testing.T, al, got authoringOutcome) {
	t.Helper()
	if al.err != "" || got.err != "" {
		if al.err != got.err {
			t.Errorf("error:\n retort:  %q\n alembic: %q", got.err, al.err)
		}
		return
	}
	a, r := al.rev, got.rev
	for _, f := range []struct {
		what      string
		got, want any
	}{
		{"id", r.ID, a.ID},
		{"parents", nonNil(r.Parents), nonNil(a.Parents)},
		{"branch labels", nonNil(r.BranchLabels), nonNil(a.BranchLabels)},
		{"depends_on", nonNil(r.DependsOn), nonNil(a.DependsOn)},
		{"message", r.Message, a.Message},
		{"slug", got.slug, al.slug},
		{"heads afterwards", got.heads, al.heads},
	} {
		if !reflect.DeepEqual(f.got, f.want) {
			t.Errorf("%s: retort %q, alembic %q", f.what, f.got, f.want)
		}
	}
	if _, err := time.Parse(createDateLayout, r.CreateDate); err != nil {
		t.Errorf("Create Date %q: %v", r.CreateDate, err)
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(to, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(to, e.Name()), b)
	}
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
