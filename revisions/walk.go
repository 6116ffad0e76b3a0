package revisions

import (
	"strings"

	"retort/models"
)

// edges selects the relation a walk follows.
type edges int

const (
	// toAncestors follows parents and normalised depends_on: Alembic's
	// ancestors with include_dependencies=True (what must be applied first).
	toAncestors edges = iota
	// toParents follows parents only (lineage, labels, relative walks).
	toParents
	// toDescendants follows children and dependents: Alembic's
	// descendants with include_dependencies=True (what must go first on a
	// downgrade).
	toDescendants
	// toChildren follows children only.
	toChildren
)

// forEachNext calls fn for every revision one edge away from i.
func forEachNext(g *models.Graph, e edges, i int, fn func(int)) {
	switch e {
	case toAncestors:
		for _, j := range g.Down[i] {
			fn(j)
		}
	case toParents:
		for _, j := range g.Parents[i] {
			fn(j)
		}
	case toDescendants:
		for _, j := range g.Children[i] {
			fn(j)
		}
		for _, j := range g.Dependents[i] {
			fn(j)
		}
	case toChildren:
		for _, j := range g.Children[i] {
			fn(j)
		}
	}
}

// reach returns starts and everything reachable from them along e.
func reach(g *models.Graph, e edges, starts ...int) bitset {
	seen := newBitset(g.Len())
	stack := make([]int, 0, 64)
	for _, s := range starts {
		if !seen.has(s) {
			seen.add(s)
			stack = append(stack, s)
		}
	}
	push := func(next []int) {
		for _, j := range next {
			if !seen.has(j) {
				seen.add(j)
				stack = append(stack, j)
			}
		}
	}
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		switch e {
		case toAncestors:
			push(g.Down[i])
		case toParents:
			push(g.Parents[i])
		case toChildren:
			push(g.Children[i])
		case toDescendants:
			push(g.Children[i])
			push(g.Dependents[i])
		}
	}
	return seen
}

// Needed reports, by position in g.Revisions, the revisions at starts and
// everything they need applied first (parents and depends_on,
// transitively): what a database whose version rows name starts has
// applied.
func Needed(g *models.Graph, starts ...int) []bool {
	seen := reach(g, toAncestors, starts...)
	out := make([]bool, g.Len())
	for i := range out {
		out[i] = seen.has(i)
	}
	return out
}

// Lineage reports, by position in g.Revisions, the revisions at starts and
// their ancestors through parents only, not depends_on: the branches the
// graph draws them on, as a merge review reads them.
func Lineage(g *models.Graph, starts ...int) []bool {
	seen := reach(g, toParents, starts...)
	out := make([]bool, g.Len())
	for i := range out {
		out[i] = seen.has(i)
	}
	return out
}

// reachChecked is reach with Alembic's overlap check
// (`_iterate_related_revisions(check=True)`): the targets are walked one after
// the other with a shared "seen" set, and a target whose walk meets another
// target is an error, "Requested revision X overlaps with other requested
// revisions Y". The walk is ported literally because which target is named
// depends on it.
func reachChecked(g *models.Graph, e edges, targets []int) (bitset, error) {
	isTarget := newBitset(g.Len())
	for _, t := range targets {
		isTarget.add(t)
	}
	seen := newBitset(g.Len())
	stack := make([]int, 0, 64)
	for _, t := range targets {
		overlap := newBitset(g.Len())
		stack = append(stack, t)
		for len(stack) > 0 {
			i := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if i != t && isTarget.has(i) {
				overlap.add(i)
			}
			if seen.has(i) {
				continue
			}
			seen.add(i)
			forEachNext(g, e, i, func(j int) { stack = append(stack, j) })
		}
		if !overlap.empty() {
			return nil, overlapError(g, t, overlap.members())
		}
	}
	return seen, nil
}

func overlapError(g *models.Graph, target int, others []int) error {
	return cmdErr(ErrOverlap, "Requested revision %s overlaps with other requested revisions %s",
		g.Revisions[target].ID, strings.Join(g.IDs(others), ", "))
}

// sharesLineage is Alembic's `_shares_lineage`: some revision of against is
// target itself, an ancestor or a descendant of it. withDeps follows
// depends_on edges too (stamp does).
func sharesLineage(g *models.Graph, target int, against []int, withDeps bool) bool {
	if len(against) == 0 {
		return true
	}
	up, down := toChildren, toParents
	if withDeps {
		up, down = toDescendants, toAncestors
	}
	// Most lineage checks are against one or two revisions: test whether
	// target reaches them, rather than building both closures.
	want := newBitset(g.Len())
	for _, a := range against {
		want.add(a)
	}
	return reachesAny(g, up, target, want) || reachesAny(g, down, target, want)
}

// reachesAny reports whether a walk from start along e meets a member of want.
func reachesAny(g *models.Graph, e edges, start int, want bitset) bool {
	if want.has(start) {
		return true
	}
	seen := newBitset(g.Len())
	seen.add(start)
	stack := []int{start}
	found := false
	for len(stack) > 0 && !found {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		forEachNext(g, e, i, func(j int) {
			if found || seen.has(j) {
				return
			}
			if want.has(j) {
				found = true
				return
			}
			seen.add(j)
			stack = append(stack, j)
		})
	}
	return found
}
