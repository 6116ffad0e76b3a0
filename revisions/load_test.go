package revisions

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"retort/models"
)

func TestRevisionFileNames(t *testing.T) {
	// The .py answers are what Alembic 1.8.1's `_only_source_rev_file`
	// regular expression gives.
	for name, want := range map[string]bool{
		"a.py": true, ".a.py": true, "x__init__.py": true, "_a.py": true, ".py": true,
		".#a.py": false, ".##a.py": false, "__init__.py": false, "__init__x.py": false,
		"a.pyc": false, "a.py~": false, "#a.py#": false, "a.PY": false, "a.py.bak": false,
		"a.sql": true, "__init__.sql": true, "x.y.sql": true,
		".a.sql": false, ".#a.sql": false, "a.sql~": false, "#a.sql#": false, ".a.sql.swp": false,
		"a.SQL": false, "README": false, "a.txt": false,
	} {
		if got := isRevisionFileName(name); got != want {
			t.Errorf("isRevisionFileName(%q) = %v, want %v", name, got, want)
		}
	}
}

// writeFiles writes name -> content into a new temp dir.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func sqlRev(id, parents, deps, labels, msg string) string {
	s := fmt.Sprintf("-- Revision ID: %s\n-- Revises: %s\n", id, parents)
	if labels != "" {
		s += "-- Branch Labels: " + labels + "\n"
	}
	if deps != "" {
		s += "-- Depends On: " + deps + "\n"
	}
	return s + "-- Message: " + msg + "\n\n-- +upgrade\nSELECT 1;\n\n-- +downgrade\nSELECT 1;\n"
}

func pyRev(id, parents, deps, labels, msg string) string {
	tuple := func(list string) string {
		if list == "" {
			return "None"
		}
		var q []string
		for _, x := range strings.Split(list, ",") {
			q = append(q, fmt.Sprintf("%q", strings.TrimSpace(x)))
		}
		return "(" + strings.Join(q, ", ") + ",)"
	}
	return fmt.Sprintf("\"\"\"%s\n\nRevision ID: %s\nRevises: %s\n\"\"\"\nrevision = %q\ndown_revision = %s\nbranch_labels = %s\ndepends_on = %s\n\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n",
		msg, id, parents, id, tuple(parents), tuple(labels), tuple(deps))
}

// A graph whose parents and dependencies cross between .sql and .py files
// is one graph: its heads, history, branches and plans are what Alembic
// 1.8.1 printed for the same graph written as .py files only (the
// `-- Running` lines and version-table statements of offline runs; the
// CLI's tests compare `history`, `heads` and `branches`), and the same as
// for the graph written as .sql files only.
func TestMixedFormatsMakeOneGraph(t *testing.T) {
	revs := []struct{ file, id, parents, deps, labels, msg string }{
		{"01_base", "a1", "", "", "core", "base"},
		{"02_users", "b2", "a1", "", "", "users"},
		{"03_records", "c3", "a1", "", "records", "records"},
		{"04_index", "d4", "c3", "b2", "", "index records"},
		{"05_merge", "e5", "b2, d4", "", "", "merge"},
		{"06_files", "f6", "", "a1", "files", "files base"},
		{"07_side", "g7", "b2", "c3", "", "side branch"},
		{"08_top", "h8", "e5, f6", "", "", "top merge"},
	}
	mixed, sqlOnly := map[string]string{}, map[string]string{}
	for k, r := range revs {
		sqlOnly[r.file+".sql"] = sqlRev(r.id, r.parents, r.deps, r.labels, r.msg)
		if k%2 == 1 {
			mixed[r.file+".py"] = pyRev(r.id, r.parents, r.deps, r.labels, r.msg)
		} else {
			mixed[r.file+".sql"] = sqlOnly[r.file+".sql"]
		}
	}
	graphs := map[string]*models.Graph{}
	for name, files := range map[string]map[string]string{"mixed": mixed, "sql": sqlOnly} {
		g, err := Load(writeFiles(t, files))
		if err != nil {
			t.Fatal(err)
		}
		graphs[name] = g
	}
	formats := map[models.Format]int{}
	for _, r := range graphs["mixed"].Revisions {
		formats[r.Format]++
	}
	if formats[models.FormatSQL] != 4 || formats[models.FormatPython] != 4 {
		t.Fatalf("formats %v", formats)
	}
	for name, g := range graphs {
		checkMixedGraph(t, name, g)
	}
}

func checkMixedGraph(t *testing.T, name string, g *models.Graph) {
	t.Helper()
	for _, c := range []struct {
		what      string
		got, want []string
	}{
		// The CLI's tests compare the lines Alembic printed for this graph;
		// here, the graph facts they show.
		{"history", labelled(g, g.History), []string{
			"g7 (core)", "h8 (core, files, records)", "e5 (core, records)", "d4 (core, records)",
			"b2 (core)", "c3 (core, records)", "f6 (files)", "a1 (core)",
		}},
		{"heads", labelled(g, g.Heads), []string{"g7 (core)", "h8 (core, files, records)"}},
		{"branches", branchPoints(g), []string{"b2 -> e5, g7", "a1 -> b2, c3"}},
		{"merges", mergePoints(g), []string{"h8 <- e5, f6", "e5 <- b2, d4"}},
	} {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s: %s:\n got  %q\n want %q", name, c.what, c.got, c.want)
		}
	}
	for _, c := range []struct {
		plan  func() (*models.Plan, error)
		steps []string
		final []string
	}{
		{func() (*models.Plan, error) { return UpgradeOffline(g, "heads") },
			[]string{"upgrade  -> a1", "upgrade  -> f6", "upgrade a1 -> c3", "upgrade a1 -> b2", "upgrade c3 -> d4", "upgrade b2, d4 -> e5", "upgrade e5, f6 -> h8", "upgrade b2 -> g7"},
			[]string{"g7", "h8"}},
		{func() (*models.Plan, error) { return UpgradeOffline(g, "b2:e5") },
			[]string{"upgrade a1 -> c3", "upgrade c3 -> d4", "upgrade b2, d4 -> e5"}, []string{"e5"}},
		{func() (*models.Plan, error) { return DowngradeOffline(g, "h8:a1") },
			[]string{"downgrade h8 -> e5, f6", "downgrade e5 -> b2, d4", "downgrade d4 -> c3", "downgrade c3 -> a1", "downgrade b2 -> a1"}, []string{"f6"}},
		{func() (*models.Plan, error) { return DowngradeOffline(g, "h8:base") },
			[]string{"downgrade h8 -> e5, f6", "downgrade e5 -> b2, d4", "downgrade d4 -> c3", "downgrade c3 -> a1", "downgrade b2 -> a1", "downgrade f6 -> ", "downgrade a1 -> "}, []string{}},
		{func() (*models.Plan, error) { return StampOffline(g, []string{"h8:d4"}, false) },
			[]string{"stamp_revision h8 -> d4"}, []string{"d4"}},
	} {
		p, err := c.plan()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var steps []string
		for _, s := range p.Steps {
			steps = append(steps, s.ShortLog())
		}
		if !slices.Equal(steps, c.steps) || !slices.Equal(nonNil(p.Final), c.final) {
			t.Errorf("%s: %s -> %v\n got  %q -> %v\n want %q -> %v", name, p.Command, p.Target, steps, p.Final, c.steps, c.final)
		}
	}
}

// labelled lists the revisions at positions revs as "id (labels)".
func labelled(g *models.Graph, revs []int) []string {
	var out []string
	for _, i := range revs {
		out = append(out, g.Revisions[i].ID+" ("+strings.Join(g.EffectiveLabels[i], ", ")+")")
	}
	return out
}

// branchPoints lists the branch points in history order, each as
// "id -> children".
func branchPoints(g *models.Graph) []string {
	var out []string
	for _, i := range g.History {
		if g.IsBranchPoint(i) {
			kids := g.IDs(g.Children[i])
			slices.Sort(kids)
			out = append(out, g.Revisions[i].ID+" -> "+strings.Join(kids, ", "))
		}
	}
	return out
}

// mergePoints lists the merge points in history order, each as
// "id <- parents".
func mergePoints(g *models.Graph) []string {
	var out []string
	for _, i := range g.History {
		if g.IsMergePoint(i) {
			out = append(out, g.Revisions[i].ID+" <- "+strings.Join(g.Revisions[i].Parents, ", "))
		}
	}
	return out
}
