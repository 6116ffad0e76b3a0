package revisions

import (
	"fmt"
	"math/rand"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"testing"

	"retort/models"
)

// The fast graph algorithms (ancestry by chains, the history walk that asks
// it, label propagation in one pass, dependency normalisation) are checked
// against the direct ones they replace, which follow Alembic step by step,
// on random graphs and on every conformance graph.

// randomGraph builds n revisions with merges, forks, depends_on (some on
// labels, some redundant) and labels, loaded in an order unrelated to the
// order they were created in.
func randomGraph(t *testing.T, rng *rand.Rand, n int) *models.Graph {
	t.Helper()
	revs := make([]*models.Revision, n)
	for k := range revs {
		r := &models.Revision{ID: fmt.Sprintf("r%03d", k), Path: fmt.Sprintf("r%03d.sql", k)}
		if k > 0 {
			for np := min(k, 1+rng.Intn(3)-rng.Intn(2)); len(r.Parents) < np; {
				p := revs[rng.Intn(k)].ID
				if !slices.Contains(r.Parents, p) {
					r.Parents = append(r.Parents, p)
				}
			}
		}
		if k > 2 && rng.Intn(4) == 0 {
			r.DependsOn = []string{revs[rng.Intn(k)].ID}
		}
		if rng.Intn(5) == 0 {
			r.BranchLabels = []string{fmt.Sprintf("l%d", k)}
		}
		revs[k] = r
	}
	// Some depends_on name a label declared by an earlier revision.
	for k, r := range revs {
		if len(r.DependsOn) == 0 || rng.Intn(3) != 0 {
			continue
		}
		for j := k - 1; j >= 0; j-- {
			if len(revs[j].BranchLabels) > 0 {
				r.DependsOn = []string{revs[j].BranchLabels[0]}
				break
			}
		}
	}
	rng.Shuffle(len(revs), func(a, b int) { revs[a], revs[b] = revs[b], revs[a] })
	g, err := Build(revs)
	if err != nil {
		t.Fatalf("random graph: %v", err)
	}
	return g
}

// testGraphs are random graphs of several sizes and the conformance graphs.
func testGraphs(t *testing.T) map[string]*models.Graph {
	t.Helper()
	out := map[string]*models.Graph{}
	rng := rand.New(rand.NewSource(7))
	for k := range 150 {
		out[fmt.Sprintf("random%d", k)] = randomGraph(t, rng, 2+k%60)
	}
	for _, dir := range caseDirs(t) {
		g, err := Load(filepath.Join(dir, "sql"))
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(dir)] = g
	}
	return out
}

func TestAncestryMatchesReach(t *testing.T) {
	for name, g := range testGraphs(t) {
		for _, e := range []edges{toAncestors, toParents} {
			fast := newAncestry(g, e)
			slow := &ancestry{g: g, e: e} // no chain sets: walks the graph
			if !fast.exact() {
				t.Fatalf("%s: no chain sets for %d revisions", name, g.Len())
			}
			for b := range g.Revisions {
				want := reach(g, e, b)
				for a := range g.Revisions {
					if fast.isAncestor(a, b) != want.has(a) || slow.isAncestor(a, b) != want.has(a) {
						t.Fatalf("%s (%v): isAncestor(%s, %s) = %v/%v, reach says %v", name, e,
							g.Revisions[a].ID, g.Revisions[b].ID, fast.isAncestor(a, b), slow.isAncestor(a, b), want.has(a))
					}
				}
			}
		}
	}
}

func TestTopoSortByChainsMatchesAlembicBookkeeping(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	for name, g := range testGraphs(t) {
		a := newAncestry(g, toAncestors)
		check := func(todo bitset, heads []int) {
			got := topoSortWith(g, todo, heads, newChainTips(a))
			want := topoSortWith(g, todo, heads, &reachTips{g: g})
			if !slices.Equal(got, want) {
				t.Fatalf("%s: heads %v:\n got  %v\n want %v", name, g.IDs(heads), g.IDs(got), g.IDs(want))
			}
		}
		check(all(g), g.RealHeads)
		for range 5 {
			// A plan's walk: the ancestors of some revisions.
			var heads []int
			for k := 0; k < 1+rng.Intn(3); k++ {
				heads = append(heads, rng.Intn(g.Len()))
			}
			check(reach(g, toAncestors, heads...), heads)
		}
	}
}

func TestLabelsMatchAlembicWalk(t *testing.T) {
	for name, g := range testGraphs(t) {
		got := propagateLabels(g, newAncestry(g, toParents))
		want := labelsByWalking(g)
		for i := range g.Revisions {
			if !slices.Equal(got[i], want[i]) {
				t.Fatalf("%s: %s carries %v, Alembic's walk gives %v", name, g.Revisions[i].ID, got[i], want[i])
			}
		}
	}
}

// labelsByWalking is `_add_branches` step by step: each labelled revision
// in load order walks all its descendants, then down from the last one.
func labelsByWalking(g *models.Graph) [][]string {
	sets := make([]map[string]bool, g.Len())
	add := func(i int, labels map[string]bool) {
		if sets[i] == nil {
			sets[i] = map[string]bool{}
		}
		for l := range labels {
			sets[i][l] = true
		}
	}
	for i, r := range g.Revisions {
		for _, l := range r.BranchLabels {
			add(i, map[string]bool{l: true})
		}
	}
	for i, r := range g.Revisions {
		if len(r.BranchLabels) == 0 {
			continue
		}
		labels := map[string]bool{}
		for l := range sets[i] {
			labels[l] = true
		}
		last := i
		for _, d := range descendantWalk(g, i) {
			add(d, labels)
			last = d
		}
		for p := last; !stopsLabelWalk(g, p); p = g.Parents[p][0] {
			add(p, labels)
			if len(g.Parents[p]) == 0 {
				break
			}
		}
	}
	out := make([][]string, g.Len())
	for i, s := range sets {
		for l := range s {
			out[i] = append(out[i], l)
		}
		sort.Strings(out[i])
	}
	return out
}

// descendantWalk lists start and its descendants through children in the
// order Alembic's stack-based walk visits them.
func descendantWalk(g *models.Graph, start int) []int {
	seen := newBitset(g.Len())
	stack := []int{start}
	var out []int
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen.has(i) {
			continue
		}
		seen.add(i)
		stack = append(stack, g.Children[i]...)
		out = append(out, i)
	}
	return out
}

func TestNormalizedDepsMatchWalks(t *testing.T) {
	for name, g := range testGraphs(t) {
		for i := range g.Revisions {
			want := normDepsByWalking(g, i)
			if !slices.Equal(g.NormDeps[i], want) {
				t.Fatalf("%s: %s normalised depends_on %v, walking gives %v", name, g.Revisions[i].ID, g.IDs(g.NormDeps[i]), g.IDs(want))
			}
		}
	}
}

// normDepsByWalking recomputes revision i's normalised dependencies from
// the built graph: its dependencies minus those a parent-ancestor depends on
// too, minus those reachable through another edge of i.
func normDepsByWalking(g *models.Graph, i int) []int {
	anc := reach(g, toParents, i)
	anc.remove(i)
	inherited := map[int]bool{}
	for _, a := range anc.members() {
		for _, d := range g.Deps[a] {
			inherited[d] = true
		}
	}
	var out []int
	for _, d := range g.Deps[i] {
		if inherited[d] {
			continue
		}
		redundant := false
		for _, e := range g.Down[i] {
			if e != d && reach(g, toAncestors, e).has(d) {
				redundant = true
			}
		}
		if !redundant {
			out = append(out, d)
		}
	}
	return out
}

func TestRandomGraphsAreVaried(t *testing.T) {
	merges, labels, deps, redundant := 0, 0, 0, 0
	for _, g := range testGraphs(t) {
		for i, r := range g.Revisions {
			if g.IsMergePoint(i) {
				merges++
			}
			labels += len(r.BranchLabels)
			deps += len(g.NormDeps[i])
			redundant += len(r.Warnings)
		}
	}
	if merges < 100 || labels < 100 || deps < 50 || redundant < 10 {
		t.Errorf("random graphs too plain: %d merges, %d labels, %d depends_on, %d redundant", merges, labels, deps, redundant)
	}
}

// A history with more chains than the chain sets allow gets the slow path
// everywhere (history order, dependency normalisation, labels, plans): the
// same answers.
func TestSlowPathGivesTheSameAnswers(t *testing.T) {
	dir := filepath.Join(conformanceDir, "s0028_n54", "sql")
	fast, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	saved := maxChainSets
	maxChainSets = 0
	defer func() { maxChainSets = saved }()
	if newAncestry(fast, toAncestors).exact() {
		t.Fatal("the slow path is not taken")
	}
	slow, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(slow.History, fast.History) || !reflect.DeepEqual(slow.EffectiveLabels, fast.EffectiveLabels) || !reflect.DeepEqual(slow.NormDeps, fast.NormDeps) {
		t.Fatal("the slow path builds another graph")
	}
	up, err := Upgrade(slow, nil, "heads")
	if err != nil {
		t.Fatal(err)
	}
	down, err := Downgrade(slow, up.Final, "base")
	if err != nil {
		t.Fatal(err)
	}
	maxChainSets = saved
	upFast, _ := Upgrade(fast, nil, "heads")
	downFast, _ := Downgrade(fast, upFast.Final, "base")
	if !reflect.DeepEqual(up.Steps, upFast.Steps) || !reflect.DeepEqual(down.Steps, downFast.Steps) {
		t.Error("the slow path plans differently")
	}
}
