package revisions

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The module-level code Alembic runs when it imports a revision is read
// statically; each form is compared here with what Alembic 1.8.1's
// ScriptDirectory reports for the same files.

// alembicMapScript prints, as JSON, the revisions of the versions directory
// argv[1] as Alembic's ScriptDirectory reads them (down_revision,
// branch_labels and the dependencies it resolves, as lists) and the heads,
// or the error that stops it.
const alembicMapScript = `import json, os, sys
from alembic.script import ScriptDirectory
from alembic.util import to_tuple
versions = sys.argv[1]
sd = ScriptDirectory(os.path.dirname(versions), version_locations=[versions])
out = {"revisions": {}, "heads": None, "error": None}
try:
    for s in sd._load_revisions():
        out["revisions"][s.revision] = {
            "down": list(to_tuple(s.down_revision, default=())),
            "labels": sorted(s._orig_branch_labels),
            # Alembic resolves dependencies only when the value is true.
            "deps": list(to_tuple(s.dependencies, default=())) if s.dependencies else [],
        }
    out["heads"] = sorted(sd.get_heads())
except Exception as e:
    out["error"] = type(e).__name__ + ": " + str(e)
print(json.dumps(out))
`

// alembicMap is what alembicMapScript printed.
type alembicMap struct {
	Revisions map[string]struct {
		Down   []string `json:"down"`
		Labels []string `json:"labels"`
		Deps   []string `json:"deps"`
	} `json:"revisions"`
	Heads []string `json:"heads"`
	Error string   `json:"error"`
}

// readWithAlembic reads versions with Alembic, with pythonPath (if any) on
// PYTHONPATH so that the imports of try blocks succeed.
func readWithAlembic(t *testing.T, versions, pythonPath string) alembicMap {
	t.Helper()
	requireAlembic(t)
	abs, err := filepath.Abs(versions)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(alembicPython, "-c", alembicMapScript, abs)
	cmd.Env = append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1", "PYTHONPATH="+pythonPath)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("reading %s with Alembic: %v\n%s", versions, err, out)
	}
	var m alembicMap
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatalf("Alembic's output %q: %v", out, err)
	}
	return m
}

// compareWithAlembic loads dir with retort and checks every revision's
// parents, declared labels and dependencies, and the heads, against
// Alembic's reading; labels are compared as sets (Alembic keeps a set).
func compareWithAlembic(t *testing.T, dir string, al alembicMap) {
	t.Helper()
	if al.Error != "" {
		t.Fatalf("Alembic could not read %s: %s", dir, al.Error)
	}
	g, err := Load(dir)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if g.Len() != len(al.Revisions) {
		t.Errorf("%d revisions, Alembic reads %d", g.Len(), len(al.Revisions))
	}
	for id, want := range al.Revisions {
		r := g.Rev(id)
		if r == nil {
			t.Errorf("%s: not in the graph", id)
			continue
		}
		labels := slices.Sorted(slices.Values(r.BranchLabels))
		if !slices.Equal(r.Parents, want.Down) || !slices.Equal(labels, want.Labels) || !slices.Equal(r.DependsOn, want.Deps) {
			t.Errorf("%s: parents %q labels %q deps %q; Alembic reads %q %q %q", id, r.Parents, labels, r.DependsOn, want.Down, want.Labels, want.Deps)
		}
	}
	if heads := slices.Sorted(slices.Values(g.IDs(g.Heads))); !slices.Equal(heads, al.Heads) {
		t.Errorf("heads %q, Alembic's %q", heads, al.Heads)
	}
}

// pyRevFile is a revision file: the id, the down_revision, then the lines
// that set the rest.
func pyRevFile(id, down string, body ...string) string {
	return pySource(append([]string{`"""` + id + `"""`, "revision = '" + id + "'", "down_revision = " + down}, body...)...)
}

func TestStaticFormsMatchAlembic(t *testing.T) {
	// z1 revises b1 and may depend on the other trees, c1 (labelled side),
	// d1 and e1.
	base := map[string]string{
		"a1.py": pyRevFile("a1", "None", "branch_labels = ('core',)"),
		"b1.py": pyRevFile("b1", "'a1'"),
		"c1.py": pyRevFile("c1", "None", "branch_labels = 'side'"),
		"d1.py": pyRevFile("d1", "None"),
		"e1.py": pyRevFile("e1", "None"),
	}
	for _, c := range []struct {
		name     string
		file     string // the file under test, added to base as z1.py
		warnings int    // how many warnings retort gives for it
	}{
		{"a name bound to another name", pySource(`"""z1"""`, "revision = 'z1'",
			"resolved_down_revision = ('b1', 'd1')", "down_revision = resolved_down_revision",
			"resolved_depends_on = 'side'", "depends_on = resolved_depends_on"), 0},
		{"names bound in order", pyRevFile("z1", "'b1'", "x = ['c1']", "depends_on = x", "x = ['d1']"), 0},
		{"a list built up before it is used", pyRevFile("z1", "'b1'",
			"deps = []", "deps += ['side']", "deps.append('d1')", "deps.extend(('e1',))", "depends_on = deps"), 0},
		{"a list changed after it is bound", pyRevFile("z1", "'b1'",
			"depends_on = []", "alias = depends_on", "alias.append('c1')", "alias += ('d1',)"), 0},
		{"tuples and lists mixed", pyRevFile("z1", "('b1',)",
			"down_revision += ('d1',)", "depends_on = ['c1']", "depends_on += ('e1',)"), 0},
		{"an optional package in a try block", pyRevFile("z1", "'b1'",
			"depends_on = []",
			"try:",
			"    import retort_example_optional_package  # noqa: F401",
			"",
			"    depends_on.append('d1')",
			"    depends_on += ['side']",
			"except ImportError:",
			"    pass"), 1},
		{"an empty down_revision", pyRevFile("z1", "''", "depends_on = ['d1']"), 0},
		{"an empty depends_on", pyRevFile("z1", "'b1'", "depends_on = ''"), 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			files := map[string]string{"z1.py": c.file}
			for n, s := range base {
				files[n] = s
			}
			dir := writeFiles(t, files)
			compareWithAlembic(t, dir, readWithAlembic(t, dir, filepath.Join(pyFormsDir, "site")))
			g, _ := Load(dir)
			if w := g.Rev("z1").Warnings; len(w) != c.warnings {
				t.Errorf("warnings %q, want %d", w, c.warnings)
			}
		})
	}
}

// `branch_labels = ""` is a label named "" to Alembic (it prints "()");
// retort reads no label, and says so.
func TestEmptyBranchLabelsAgainstAlembic(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a1.py": pyRevFile("a1", "None", `branch_labels = ""`)})
	al := readWithAlembic(t, dir, "")
	if al.Error != "" || !slices.Equal(al.Revisions["a1"].Labels, []string{""}) {
		t.Fatalf("Alembic's reading changed: %+v", al)
	}
	g, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	r := g.Rev("a1")
	if len(r.BranchLabels) != 0 || len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], `prints as "()"`) {
		t.Errorf("labels %q warnings %q", r.BranchLabels, r.Warnings)
	}
}

// `depends_on = ""` on a revision without down_revision makes Alembic 1.8.1
// refuse the whole history; retort reads no dependency, and says so.
func TestEmptyDependsOnOfABaseAgainstAlembic(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a1.py": pyRevFile("a1", "None", `depends_on = ""`),
		"b1.py": pyRevFile("b1", "'a1'"),
	})
	if al := readWithAlembic(t, dir, ""); !strings.HasPrefix(al.Error, "DependencyCycleDetected") {
		t.Fatalf("Alembic's reading changed: %+v", al)
	}
	g, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	r := g.Rev("a1")
	if len(r.DependsOn) != 0 || len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "Dependency cycle is detected") || !slices.Equal(g.IDs(g.Bases), []string{"a1"}) {
		t.Errorf("deps %q warnings %q bases %q", r.DependsOn, r.Warnings, g.IDs(g.Bases))
	}
}

// The pyforms, whose 7a0000000007 extends depends_on in a try block, read
// as Alembic reads them where the block's package is installed.
func TestPyformsMatchAlembic(t *testing.T) {
	dir := filepath.Join(pyFormsDir, "alembic", "versions")
	compareWithAlembic(t, dir, readWithAlembic(t, dir, filepath.Join(pyFormsDir, "site")))
}
