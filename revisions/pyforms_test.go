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

// The pyforms directory is read as a graph, and planned as Alembic planned
// it; the CLI's tests compare the lines retort prints for it with the ones
// Alembic printed.

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
	if len(exp.UpgradeHeadsSteps) == 0 {
		t.Fatalf("pyforms/expected.json lacks the steps of upgrade heads: %+v", exp)
	}
	g, err := Load(filepath.Join(pyFormsDir, "alembic", "versions"))
	if err != nil {
		t.Fatal(err)
	}
	return g, &exp
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
