package ui

import (
	"fmt"
	"math/rand"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"retort/engine"
	"retort/lanes"
	"retort/models"
	"retort/revisions"
	"retort/ui/pane"
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
			Path:      fmt.Sprintf("versions/%d.sql", k),
			Upgrade:   models.Section{Present: true, SQL: fmt.Sprintf(benchUpgrade, k, k, k, k)},
			Downgrade: models.Section{Present: true, SQL: fmt.Sprintf(benchDowngrade, k, k)}}
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

// benchUpgrade and benchDowngrade are each generated revision's SQL: a few
// statements, comments, strings and a line long enough to wrap, so that
// the Detail pane highlights and wraps as much as for a real revision.
const (
	benchUpgrade = `-- Keep the records of step %d: the application reads them by kind.
CREATE TABLE records_%d (
    id INTEGER PRIMARY KEY,
    kind VARCHAR(32) NOT NULL DEFAULT 'document',
    payload TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX records_%d_kind ON records_%d (kind);
INSERT INTO records_kinds (name, description) VALUES ('document', 'a document with its holdings and its items, moved out of records_metadata');
`
	benchDowngrade = `DROP INDEX records_%d_kind;
DROP TABLE records_%d;
`
)

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
		pane.Build(g, []string{"versions"})
	}
}

// BenchmarkKeyToFrame is one cursor move and the frame that follows, on
// 10,000 revisions at 160x48 (goal: under 2 ms), with a database state (a
// version row halfway up, so that about half the history is applied, an
// audit entry for every other revision, some drift) and SQL in every
// revision, so that the Detail pane rebuilt on each move does the work it
// does for real.
func BenchmarkKeyToFrame(b *testing.B) {
	g := branchyGraph(b, 10000)
	var m tea.Model = New(Config{Dirs: []string{"versions"}, Now: fixedNow})
	m, _ = m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	m, _ = m.Update(graphLoadedMsg{hist: pane.Build(g, []string{"versions"})})
	audit := map[string]engine.LogEntry{}
	drift := map[string]engine.DriftInfo{}
	for k, rev := range g.Revisions {
		if k%2 == 0 {
			audit[rev.ID] = engine.LogEntry{Revision: rev.ID, Direction: "upgrade", Outcome: "ok",
				FinishedAt: fixedNow(), OSUser: "dba", Host: "ops", DBUser: "app"}
		}
		if k%97 == 0 {
			drift[rev.ID] = engine.DriftInfo{Revision: rev.ID, Changed: true}
		}
	}
	rows := []string{g.Revisions[g.History[len(g.History)/2]].ID}
	m, _ = m.Update(stateLoadedMsg{rows: rows, audit: audit, drift: drift})
	if db := m.(Model).loaded.db; db == nil || db.Pending == 0 || db.Pending == g.Len() {
		b.Fatal("the benchmark's database state was not installed")
	}
	m, _ = m.Update(keyMsg("G")) // start at the bottom, where the lanes are widest
	keys := []tea.KeyMsg{keyMsg("k"), keyMsg("j")}
	if d := m.(Model).detailPane(); d.Wrapped() <= len(d.Lines()) {
		b.Fatalf("the Detail pane has no SQL to wrap (%d lines)", len(d.Lines()))
	}
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
