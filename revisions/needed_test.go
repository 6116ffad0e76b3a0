package revisions

import (
	"testing"

	"retort/models"
)

// TestNeeded: what a revision needs is its ancestry through parents and
// depends_on, by id or by branch label, and nothing else.
func TestNeeded(t *testing.T) {
	revs := []*models.Revision{
		{ID: "b1", BranchLabels: []string{"lib"}},
		{ID: "d1"},
		{ID: "t1", Parents: []string{"x0"}, DependsOn: []string{"lib", "d1"}},
		{ID: "x0"},
		{ID: "o1"},
	}
	g, err := Build(revs)
	if err != nil {
		t.Fatal(err)
	}
	got := Needed(g, g.Index["t1"])
	for id, want := range map[string]bool{"b1": true, "d1": true, "t1": true, "x0": true, "o1": false} {
		if got[g.Index[id]] != want {
			t.Errorf("Needed(t1)[%s] = %v, want %v", id, got[g.Index[id]], want)
		}
	}
	if none := Needed(g); len(none) != g.Len() || none[g.Index["b1"]] {
		t.Errorf("Needed with no start = %v, want nothing", none)
	}
}

// TestLineage: parents only, not depends_on.
func TestLineage(t *testing.T) {
	revs := []*models.Revision{
		{ID: "b1", BranchLabels: []string{"lib"}},
		{ID: "d1"},
		{ID: "t1", Parents: []string{"x0"}, DependsOn: []string{"lib", "d1"}},
		{ID: "x0"},
	}
	g, err := Build(revs)
	if err != nil {
		t.Fatal(err)
	}
	got := Lineage(g, g.Index["t1"])
	for id, want := range map[string]bool{"b1": false, "d1": false, "t1": true, "x0": true} {
		if got[g.Index[id]] != want {
			t.Errorf("Lineage(t1)[%s] = %v, want %v", id, got[g.Index[id]], want)
		}
	}
}
