package ui

import (
	"fmt"
	"math/rand"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"retort/models"
	"retort/revisions"
	"retort/ui/lanes"
)

// branchyGraph generates n revisions the way a large real history grows:
// long-lived branches that fork from recent revisions, merge back, carry
// labels, and depend on older revisions of other branches.
func branchyGraph(tb testing.TB, n int) *models.Graph {
	tb.Helper()
	rng := rand.New(rand.NewSource(42))
	revs := make([]*models.Revision, 0, n)
	var tips []int
	for k := range n {
		rev := &models.Revision{ID: fmt.Sprintf("%012x", uint64(k)*0x9E3779B97F4A7C15>>16),
			Message: fmt.Sprintf("step %d of the generated history", k), Transactional: true,
			Path: fmt.Sprintf("versions/%d.sql", k)}
		switch r := rng.Float64(); {
		case k == 0:
		case len(tips) > 1 && r < 0.04: // merge two tips
			a := rng.Intn(len(tips))
			b := (a + 1 + rng.Intn(len(tips)-1)) % len(tips)
			rev.Parents = []string{revs[tips[a]].ID, revs[tips[b]].ID}
			tips = removeTips(tips, a, b)
		case r < 0.10 || len(tips) == 0: // fork from a recent revision
			rev.Parents = []string{revs[k-1-rng.Intn(min(k, 50))].ID}
			if rng.Intn(4) == 0 {
				rev.BranchLabels = []string{fmt.Sprintf("br%d", k)}
			}
		default: // extend a tip
			t := rng.Intn(len(tips))
			rev.Parents = []string{revs[tips[t]].ID}
			tips = removeTips(tips, t, t)
		}
		if k > 100 && rng.Intn(50) == 0 {
			rev.DependsOn = []string{revs[k-50-rng.Intn(50)].ID}
		}
		tips = append(tips, k)
		revs = append(revs, rev)
	}
	g, err := revisions.Build(revs)
	if err != nil {
		tb.Fatalf("the generated graph does not build: %v", err)
	}
	return g
}

// removeTips drops positions a and b (which may be equal) from tips.
func removeTips(tips []int, a, b int) []int {
	out := tips[:0:0]
	for k, t := range tips {
		if k != a && k != b {
			out = append(out, t)
		}
	}
	return out
}

// BenchmarkLayout computes the lane layout of 10,000 revisions once (goal:
// under 50 ms).
func BenchmarkLayout(b *testing.B) {
	g := branchyGraph(b, 10000)
	b.ResetTimer()
	for b.Loop() {
		entries, nodes := lanes.History(g, g.History)
		if l := lanes.Compute(nodes); l.Len() != len(entries) {
			b.Fatal("layout rows differ from history rows")
		}
	}
}

// BenchmarkHistory is everything a load computes besides reading files:
// the layout and the cleaned row texts.
func BenchmarkHistory(b *testing.B) {
	g := branchyGraph(b, 10000)
	b.ResetTimer()
	for b.Loop() {
		buildHistory(g, []string{"versions"})
	}
}

// BenchmarkKeyToFrame is one cursor move and the frame that follows, on
// 10,000 revisions at 160x48 (goal: under 2 ms).
func BenchmarkKeyToFrame(b *testing.B) {
	g := branchyGraph(b, 10000)
	var m tea.Model = New(Config{Dirs: []string{"versions"}, Now: fixedNow})
	m, _ = m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	m, _ = m.Update(graphLoadedMsg{hist: buildHistory(g, []string{"versions"})})
	m, _ = m.Update(keyMsg("G")) // start at the bottom, where the lanes are widest
	keys := []tea.KeyMsg{keyMsg("k"), keyMsg("j")}
	b.ResetTimer()
	k := 0
	for b.Loop() {
		m, _ = m.Update(keys[k%2])
		if m.View() == "" {
			b.Fatal("empty frame")
		}
		k++
	}
}
