package revisions

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeBranchyGraph generates n revisions into dir: several long-lived
// branches that fork, merge back and carry labels, with depends_on edges to
// older revisions of other branches, as a large real history has.
func writeBranchyGraph(tb testing.TB, dir string, n int) {
	tb.Helper()
	rng := rand.New(rand.NewSource(42))
	ids := make([]string, 0, n)
	tips := []int{}
	newID := func(k int) string { return fmt.Sprintf("%012x", uint64(k)*0x9E3779B97F4A7C15>>16) }
	for k := 0; k < n; k++ {
		id := newID(k)
		var parents, deps, labels []string
		switch r := rng.Float64(); {
		case k == 0:
		case len(tips) > 1 && r < 0.04: // merge two tips
			a, b := rng.Intn(len(tips)), rng.Intn(len(tips))
			if a == b {
				b = (a + 1) % len(tips)
			}
			parents = []string{ids[tips[a]], ids[tips[b]]}
			if a < b {
				a, b = b, a
			}
			tips = append(tips[:a], tips[a+1:]...)
			tips = append(tips[:b], tips[b+1:]...)
		case r < 0.10 || len(tips) == 0: // fork from a recent revision
			parents = []string{ids[k-1-rng.Intn(min(k, 50))]}
			if rng.Intn(4) == 0 {
				labels = []string{fmt.Sprintf("br%d", k)}
			}
		default: // extend a tip
			t := rng.Intn(len(tips))
			parents = []string{ids[tips[t]]}
			tips = append(tips[:t], tips[t+1:]...)
		}
		if k > 100 && rng.Intn(50) == 0 {
			deps = []string{ids[k-50-rng.Intn(50)]}
		}
		tips = append(tips, k)
		ids = append(ids, id)
		src := fmt.Sprintf("-- Revision ID: %s\n-- Revises: %s\n", id, strings.Join(parents, ", "))
		if len(deps) > 0 {
			src += "-- Depends On: " + strings.Join(deps, ", ") + "\n"
		}
		if len(labels) > 0 {
			src += "-- Branch Labels: " + strings.Join(labels, ", ") + "\n"
		}
		src += fmt.Sprintf("-- Message: step %d\n\n-- +upgrade\nSELECT %d;\n\n-- +downgrade\nSELECT -%d;\n", k, k, k)
		name := filepath.Join(dir, fmt.Sprintf("%s_step_%d.sql", id, k))
		if err := os.WriteFile(name, []byte(src), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}

func branchyDir(b *testing.B, n int) string {
	dir := b.TempDir()
	writeBranchyGraph(b, dir, n)
	return dir
}

// BenchmarkLoad10k: read, validate and build a 10,000-revision branchy graph
// (heads, labels and history order included).
func BenchmarkLoad10k(b *testing.B) {
	dir := branchyDir(b, 10000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		g, err := Load(dir)
		if err != nil {
			b.Fatal(err)
		}
		if len(g.Heads) == 0 {
			b.Fatal("no heads")
		}
	}
}

// BenchmarkPlanBaseToHeads10k: plan `upgrade heads` from an empty database
// on the same graph.
func BenchmarkPlanBaseToHeads10k(b *testing.B) {
	g, err := Load(branchyDir(b, 10000))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		p, err := Upgrade(g, nil, "heads")
		if err != nil {
			b.Fatal(err)
		}
		if len(p.Steps) != g.Len() {
			b.Fatalf("%d steps for %d revisions", len(p.Steps), g.Len())
		}
	}
}

// BenchmarkPlanHeadsToBase10k: plan `downgrade base` from every head.
func BenchmarkPlanHeadsToBase10k(b *testing.B) {
	g, err := Load(branchyDir(b, 10000))
	if err != nil {
		b.Fatal(err)
	}
	up, err := Upgrade(g, nil, "heads")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		p, err := Downgrade(g, up.Final, "base")
		if err != nil {
			b.Fatal(err)
		}
		if len(p.Steps) != g.Len() {
			b.Fatalf("%d steps for %d revisions", len(p.Steps), g.Len())
		}
	}
}

func TestBranchyGraphIsValid(t *testing.T) {
	dir := t.TempDir()
	writeBranchyGraph(t, dir, 2000)
	g, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	merges, forks := 0, 0
	for i := range g.Revisions {
		if g.IsMergePoint(i) {
			merges++
		}
		if g.IsBranchPoint(i) {
			forks++
		}
	}
	if merges < 20 || forks < 50 || len(g.Heads) < 5 || len(g.LabelOwner) < 10 {
		t.Errorf("not branchy enough: %d merges, %d branch points, %d heads, %d labels", merges, forks, len(g.Heads), len(g.LabelOwner))
	}
	p, err := Upgrade(g, nil, "heads")
	if err != nil || len(p.Steps) != g.Len() {
		t.Fatalf("upgrade heads: %v", err)
	}
	if _, err := Downgrade(g, p.Final, "base"); err != nil {
		t.Fatal(err)
	}
}
