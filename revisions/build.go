package revisions

import (
	"errors"
	"fmt"

	"retort/models"
)

// builder validates revisions and fills in a Graph, collecting every problem
// instead of stopping at the first.
type builder struct {
	g    *models.Graph
	errs []error
}

// Build validates revisions (in load order) and computes the graph: parents,
// dependencies, children, heads, bases, labels and history order. Like Load,
// it returns a usable graph of the valid part along with the error when
// there are problems: edges that name missing revisions or close a cycle are
// left out of the graph.
func Build(revs []*models.Revision) (*models.Graph, error) {
	b := &builder{g: &models.Graph{Index: make(map[string]int, len(revs)), LabelOwner: map[string]int{}}}
	b.index(revs)
	b.labels()
	b.resolveEdges()
	b.breakCycles()
	b.inverseEdges()
	lineage := newAncestry(b.g, toParents)
	b.normalizeDeps(lineage)
	b.headsAndBases()
	// Labels and history order only read the graph built so far: on a
	// large history they take about as long as each other, so they run side
	// by side.
	done := make(chan struct{})
	go func() {
		defer close(done)
		b.g.EffectiveLabels = propagateLabels(b.g, lineage)
	}()
	b.g.History = topoSort(b.g, all(b.g), b.g.RealHeads)
	<-done
	if len(b.errs) > 0 {
		return b.g, errors.Join(b.errs...)
	}
	return b.g, nil
}

func all(g *models.Graph) bitset {
	s := newBitset(g.Len())
	for i := range g.Revisions {
		s.add(i)
	}
	return s
}

func (b *builder) fail(rev *models.Revision, line int, format string, args ...any) {
	b.errs = append(b.errs, fileErrorf(rev.Path, line, format, args...))
}

// index assigns positions; a duplicate id keeps the first file and reports
// both.
func (b *builder) index(revs []*models.Revision) {
	for _, r := range revs {
		if prev, dup := b.g.Index[r.ID]; dup {
			p := b.g.Revisions[prev]
			b.fail(r, r.Line, "revision %s is defined twice: here and in %s:%d", r.ID, p.Path, p.Line)
			continue
		}
		b.g.Index[r.ID] = len(b.g.Revisions)
		b.g.Revisions = append(b.g.Revisions, r)
	}
}

// labels registers declared branch labels. A label may not repeat another
// label or a revision id: both are keys of the same namespace in
// identifiers (`upgrade L`, `L@head`).
func (b *builder) labels() {
	for i, r := range b.g.Revisions {
		for _, l := range r.BranchLabels {
			if owner, dup := b.g.LabelOwner[l]; dup {
				o := b.g.Revisions[owner]
				b.fail(r, r.LabelsLine, "Branch name '%s' in revision %s already used by revision %s (%s:%d)", l, r.ID, o.ID, o.Path, o.LabelsLine)
				continue
			}
			if other, isID := b.g.Index[l]; isID {
				b.fail(r, r.LabelsLine, "Branch name '%s' in revision %s already used by revision %s", l, r.ID, b.g.Revisions[other].ID)
				continue
			}
			b.g.LabelOwner[l] = i
		}
	}
}

// resolveEdges turns parent and depends_on ids into positions.
func (b *builder) resolveEdges() {
	n := b.g.Len()
	b.g.Parents = make([][]int, n)
	b.g.Missing = make([][]string, n)
	b.g.Deps = make([][]int, n)
	for i, r := range b.g.Revisions {
		for _, p := range r.Parents {
			j, ok := b.g.Index[p]
			switch {
			case p == r.ID:
				b.fail(r, r.ParentsLine, "revision %s revises itself", r.ID)
			case !ok:
				b.g.Missing[i] = append(b.g.Missing[i], p)
				b.fail(r, r.ParentsLine, "revision %s revises %s, which no revision file defines", r.ID, p)
			case contains(b.g.Parents[i], j):
				b.fail(r, r.ParentsLine, "revision %s lists parent %s twice", r.ID, p)
			default:
				b.g.Parents[i] = append(b.g.Parents[i], j)
			}
		}
		for _, d := range r.DependsOn {
			j, ok := b.g.Index[d]
			if !ok {
				j, ok = b.g.LabelOwner[d]
			}
			switch {
			case d == r.ID || (ok && j == i):
				b.fail(r, r.DependsOnLine, "revision %s depends on itself", r.ID)
			case !ok:
				b.fail(r, r.DependsOnLine, "revision %s depends on %s, which is neither a revision nor a branch label", r.ID, d)
			case !contains(b.g.Deps[i], j):
				b.g.Deps[i] = append(b.g.Deps[i], j)
			}
		}
	}
}

// dfsFrame is a revision on the path of the cycle search, with the index of
// its next edge to follow.
type dfsFrame struct{ node, next int }

// breakCycles finds cycles through parents and dependencies, reports each,
// and drops the edge that closes it so that the rest of the graph stays
// usable for browsing.
func (b *builder) breakCycles() {
	const (
		white = iota
		grey
		black
	)
	g := b.g
	color := make([]int, g.Len())
	for root := range g.Revisions {
		if color[root] != white {
			continue
		}
		path := []dfsFrame{{root, 0}}
		color[root] = grey
		for len(path) > 0 {
			top := &path[len(path)-1]
			edges := b.outEdges(top.node)
			if top.next == len(edges) {
				color[top.node] = black
				path = path[:len(path)-1]
				continue
			}
			to := edges[top.next]
			top.next++
			switch color[to] {
			case grey:
				b.reportCycle(path, to)
				b.dropEdge(top.node, to)
				top.next-- // the edge list shrank
			case white:
				color[to] = grey
				path = append(path, dfsFrame{to, 0})
			}
		}
	}
}

// outEdges are the parents then dependencies of i.
func (b *builder) outEdges(i int) []int {
	out := make([]int, 0, len(b.g.Parents[i])+len(b.g.Deps[i]))
	out = append(out, b.g.Parents[i]...)
	return append(out, b.g.Deps[i]...)
}

func (b *builder) dropEdge(from, to int) {
	b.g.Parents[from] = without(b.g.Parents[from], to)
	b.g.Deps[from] = without(b.g.Deps[from], to)
}

func without(list []int, x int) []int {
	out := list[:0:0]
	for _, v := range list {
		if v != x {
			out = append(out, v)
		}
	}
	return out
}

// reportCycle names the cycle that the search path closes at revision to:
// "a -> b -> c -> a", where each arrow reads "revises or depends on".
func (b *builder) reportCycle(path []dfsFrame, to int) {
	start := 0
	for k, f := range path {
		if f.node == to {
			start = k
			break
		}
	}
	ids := make([]string, 0, len(path)-start+1)
	for _, f := range path[start:] {
		ids = append(ids, b.g.Revisions[f.node].ID)
	}
	ids = append(ids, b.g.Revisions[to].ID)
	last := b.g.Revisions[path[len(path)-1].node]
	line := last.ParentsLine
	if contains(b.g.Deps[path[len(path)-1].node], to) && !contains(b.g.Parents[path[len(path)-1].node], to) {
		line = last.DependsOnLine
	}
	b.fail(last, line, "cycle in revisions: %s", joinArrow(ids))
}

func joinArrow(ids []string) string {
	s := ""
	for k, id := range ids {
		if k > 0 {
			s += " -> "
		}
		s += id
	}
	return s
}

// inverseEdges fills children and dependents, in load order.
func (b *builder) inverseEdges() {
	g := b.g
	n := g.Len()
	g.Children = make([][]int, n)
	g.Dependents = make([][]int, n)
	for i := range g.Revisions {
		for _, p := range g.Parents[i] {
			g.Children[p] = append(g.Children[p], i)
		}
		for _, d := range g.Deps[i] {
			g.Dependents[d] = append(g.Dependents[d], i)
		}
	}
}

// normalizeDeps computes Alembic's normalised dependencies: a revision's
// depends_on minus those that one of its ancestors (through parents) already
// depends on. retort also drops a dependency that is already an ancestor of
// the revision through another path, with a warning: Alembic keeps such a
// redundant dependency and then writes a version row for the ancestor on
// downgrade, after which every upgrade fails ("overlaps"); it adds no order.
// Down is then parents followed by the normalised dependencies. lineage is
// the graph's ancestry along parents.
func (b *builder) normalizeDeps(lineage *ancestry) {
	g := b.g
	n := g.Len()
	g.NormDeps = make([][]int, n)
	g.Down = make([][]int, n)
	for i := range g.Revisions {
		g.NormDeps[i] = b.normalizedDeps(i, lineage)
	}
	for i := range g.Revisions {
		g.Down[i] = b.down(i, g.NormDeps[i])
	}
	// Redundancy needs every Down list in place, so it is a second pass.
	// Dropping a redundant edge keeps every ancestor relation (the other
	// path remains), so one ancestry built before the pass answers for
	// the whole of it.
	needs := newAncestry(g, toAncestors)
	for i, r := range g.Revisions {
		for _, d := range g.NormDeps[i] {
			if reachableAvoiding(g, needs, i, d) {
				g.NormDeps[i] = without(g.NormDeps[i], d)
				g.Down[i] = b.down(i, g.NormDeps[i])
				r.Warnings = append(r.Warnings, fmt.Sprintf(
					"depends_on %s is already an ancestor of %s; retort ignores it (Alembic would write a redundant version row for it on downgrade)",
					g.Revisions[d].ID, r.ID))
			}
		}
	}
}

// normalizedDeps drops from i's dependencies those that an ancestor of i
// (through parents) depends on too: d goes when one of d's dependents is
// such an ancestor.
func (b *builder) normalizedDeps(i int, lineage *ancestry) []int {
	deps := b.g.Deps[i]
	if len(deps) == 0 {
		return nil
	}
	var out []int
	for _, d := range deps {
		inherited := false
		for _, a := range b.g.Dependents[d] {
			if a != i && lineage.isAncestor(a, i) {
				inherited = true
				break
			}
		}
		if !inherited {
			out = append(out, d)
		}
	}
	return out
}

// down is parents followed by deps, without duplicates.
func (b *builder) down(i int, deps []int) []int {
	out := append([]int(nil), b.g.Parents[i]...)
	for _, d := range deps {
		if !contains(out, d) {
			out = append(out, d)
		}
	}
	return out
}

// reachableAvoiding reports whether d is an ancestor of i through some edge of
// i other than the direct one to d.
func reachableAvoiding(g *models.Graph, needs *ancestry, i, d int) bool {
	for _, e := range g.Down[i] {
		if e != d && needs.isAncestor(d, e) {
			return true
		}
	}
	return false
}

// headsAndBases classifies revisions, each list in load order. An
// unreadable revision without parents is no base: its parents may be
// unknown.
func (b *builder) headsAndBases() {
	g := b.g
	for i, r := range g.Revisions {
		if r.Unreadable() {
			g.Unreadable = append(g.Unreadable, i)
		}
		if len(g.Children[i]) == 0 {
			g.Heads = append(g.Heads, i)
			if len(g.Dependents[i]) == 0 {
				g.RealHeads = append(g.RealHeads, i)
			}
		}
		if len(g.Parents[i]) == 0 && len(g.Missing[i]) == 0 && !r.Unreadable() {
			g.Bases = append(g.Bases, i)
			if len(r.DependsOn) == 0 {
				g.RealBases = append(g.RealBases, i)
			}
		}
	}
}
