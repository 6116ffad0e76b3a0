package revisions

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"retort/models"
)

// The pyforms directory is read as a graph, and the lines retort prints for
// it (the same functions the CLI prints with) are the ones Alembic printed.

type pyformsExpected struct {
	HeadsLines         []string          `json:"heads_lines"`
	HeadsResolvedLines []string          `json:"heads_resolved_lines"`
	HistoryLines       []string          `json:"history_lines"`
	BranchesLines      []string          `json:"branches_lines"`
	UpgradeHeadsSteps  []json.RawMessage `json:"upgrade_heads_steps"`
	Notes              map[string]string `json:"notes"`
}

func loadPyforms(t *testing.T) (*models.Graph, *pyformsExpected) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(pyFormsDir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var exp pyformsExpected
	if err := json.Unmarshal(raw, &exp); err != nil {
		t.Fatal(err)
	}
	if len(exp.HeadsLines) == 0 || len(exp.HistoryLines) == 0 || len(exp.BranchesLines) == 0 || len(exp.UpgradeHeadsSteps) == 0 {
		t.Fatalf("pyforms/expected.json lacks output lines: %+v", exp)
	}
	g, err := Load(filepath.Join(pyFormsDir, "alembic", "versions"))
	if err != nil {
		t.Fatal(err)
	}
	return g, &exp
}

func TestPyformsGraphPrintsAlembicLines(t *testing.T) {
	g, exp := loadPyforms(t)
	var history []string
	for _, i := range g.History {
		history = append(history, HistoryLine(g, i, false))
	}
	for _, c := range []struct {
		what      string
		got, want []string
	}{
		{"heads", HeadsLines(g, false), exp.HeadsLines},
		{"heads --resolve-dependencies", HeadsLines(g, true), exp.HeadsResolvedLines},
		{"history", history, exp.HistoryLines},
		{"branches", BranchesLines(g), exp.BranchesLines},
	} {
		got, want := alembicLines(c.got), alembicLines(c.want)
		if !slices.Equal(got, want) {
			t.Errorf("%s:\n got  %q\n want %q", c.what, got, want)
		}
	}
}

func TestPyformsUpgradeHeads(t *testing.T) {
	g, exp := loadPyforms(t)
	plan, err := Upgrade(g, nil, "heads")
	if err != nil {
		t.Fatal(err)
	}
	var got, want []step
	for _, s := range plan.Steps {
		got = append(got, step{Name: s.Direction.String(), From: nonNil(s.From), To: nonNil(s.To)})
	}
	for _, raw := range exp.UpgradeHeadsSteps {
		want = append(want, decodeStep(t, raw))
	}
	if !sameSteps(got, want) {
		t.Errorf("upgrade heads:\n got  %v\n want %v", got, want)
	}
}

// The one file whose depends_on code changes at import time carries
// warnings, and the graph hands them on for the CLI to print with its file.
func TestPyformsWarnings(t *testing.T) {
	g, exp := loadPyforms(t)
	var warned []string
	for _, r := range g.Revisions {
		if len(r.Warnings) > 0 {
			warned = append(warned, r.ID)
		}
	}
	var noted []string
	for id := range exp.Notes {
		noted = append(noted, id)
	}
	sort.Strings(noted)
	if !slices.Equal(warned, noted) || !slices.Equal(noted, []string{"7a0000000007"}) {
		t.Fatalf("revisions with warnings %v, expected.json notes %v", warned, noted)
	}
	// The try block's dependency, read as if its import succeeds, is
	// already an ancestor: a second warning says so.
	ws := Warnings(g)
	path := filepath.Join(pyFormsDir, "alembic", "versions", "7a0000000007_files_checksum.py")
	if len(ws) != 2 || !strings.HasPrefix(ws[0], path+": depends_on is read as if `import retort_example_optional_package`") ||
		!strings.HasPrefix(ws[1], path+": depends_on 4d0000000004 is already an ancestor of 7a0000000007") {
		t.Errorf("Warnings(g) = %q, want two naming %s", ws, path)
	}
}

// alembicLines puts recorded or printed lines in the form the cases README
// compares them in: Alembic prints a revision's labels and a branch point's
// children from Python sets, in hash order, so the label list after a
// revision id is sorted, and so is each block of `->` child lines.
func alembicLines(lines []string) []string {
	out := make([]string, len(lines))
	for k, l := range lines {
		out[k] = sortLabelList(l)
	}
	for i := 0; i < len(out); {
		j := i
		for j < len(out) && strings.HasPrefix(strings.TrimLeft(out[j], " "), "-> ") {
			j++
		}
		sort.Strings(out[i:j])
		i = max(j, i+1)
	}
	return out
}

// sortLabelList sorts the parenthesised list that follows the revision id
// of an Alembic line (`down (deps) -> id (labels) ...` or `id (labels) ...`).
func sortLabelList(line string) string {
	start := len(line) - len(strings.TrimLeft(line, " "))
	if k := strings.Index(line, "-> "); k >= 0 {
		start = k + len("-> ")
	}
	end := start + strings.IndexAny(line[start:]+" ", " ,")
	rest := line[end:]
	if !strings.HasPrefix(rest, " (") {
		return line
	}
	group, after, ok := strings.Cut(rest[2:], ")")
	switch group {
	case "head", "effective head", "current", "branchpoint", "mergepoint":
		return line
	}
	if !ok {
		return line
	}
	labels := strings.Split(group, ", ")
	sort.Strings(labels)
	return line[:end] + " (" + strings.Join(labels, ", ") + ")" + after
}

func TestSortLabelList(t *testing.T) {
	for in, want := range map[string]string{
		"a, b (d2, d1) -> c (z, y) (head), msg (x, w)": "a, b (d2, d1) -> c (y, z) (head), msg (x, w)",
		"c (z, y) (head)":                   "c (y, z) (head)",
		"   -> c (z, y) (branchpoint)":      "   -> c (y, z) (branchpoint)",
		"c (head)":                          "c (head)",
		"<base> -> c, doc (b, a)":           "<base> -> c, doc (b, a)",
		"2b (3c) -> 8b (core), Side (x, y)": "2b (3c) -> 8b (core), Side (x, y)",
	} {
		if got := sortLabelList(in); got != want {
			t.Errorf("sortLabelList(%q) = %q, want %q", in, got, want)
		}
	}
}
