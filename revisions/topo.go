package revisions

import (
	"sort"

	"retort/models"
)

// topoSort is Alembic's `RevisionMap._topological_sort`, ported literally:
// the order of history, of every downgrade, and (reversed) of every upgrade
// follows from it, tie for tie, so it must not be "improved". It returns the
// members of todo, newest first: each revision comes before everything it
// needs.
//
// The walk keeps a list of branch tips (cur), starting from the heads in load
// order, with the ancestors of each. It walks one tip down as long as no other
// tip still needs the revision at hand; when another does, it switches to that
// tip. At a merge the first parent continues the current tip and the others
// become new tips at the end of the list.
func topoSort(g *models.Graph, todo bitset, heads []int) []int {
	todo = todo.clone()
	cur := uniqueSorted(heads, todo)
	anc := make([]bitset, len(cur))
	for k, h := range cur {
		anc[k] = reach(g, toAncestors, h)
	}
	out := make([]int, 0, todo.count())
	i := 0
	for len(cur) > 0 {
		c := cur[i]
		if j := neededBy(anc, i, c); j >= 0 {
			i = j // another tip still needs c: walk that one first
			continue
		}
		if todo.has(c) {
			out = append(out, c)
			todo.remove(c)
		}
		add := nextTips(g, c, todo, cur)
		switch {
		case len(add) == 0:
			cur = append(cur[:i], cur[i+1:]...)
			anc = append(anc[:i], anc[i+1:]...)
			i = max(i-1, 0)
		case len(g.NormDeps[c]) == 0 && len(g.Parents[c]) == 1:
			// Plain movement down a line: the ancestors of the new tip are
			// the old ones minus c.
			cur[i] = add[0]
			anc[i].remove(c)
		default:
			cur[i] = add[0]
			anc[i] = reach(g, toAncestors, add[0])
			for _, r := range add[1:] {
				cur = append(cur, r)
				anc = append(anc, reach(g, toAncestors, r))
			}
		}
	}
	return out
}

// uniqueSorted returns the heads that are in todo, without duplicates, in
// load order.
func uniqueSorted(heads []int, todo bitset) []int {
	var out []int
	for _, h := range heads {
		if todo.has(h) {
			out = append(out, h)
		}
	}
	sort.Ints(out)
	k := 0
	for i, h := range out {
		if i == 0 || h != out[k-1] {
			out[k] = h
			k++
		}
	}
	return out[:k]
}

// neededBy returns the first tip other than i whose ancestors include c, or -1.
func neededBy(anc []bitset, i, c int) int {
	for j, a := range anc {
		if j != i && a.has(c) {
			return j
		}
	}
	return -1
}

// nextTips lists the revisions c needs (parents, then normalised
// dependencies) that are still to be emitted and are not already tips.
func nextTips(g *models.Graph, c int, todo bitset, cur []int) []int {
	var add []int
	for _, r := range g.Down[c] {
		if todo.has(r) && !contains(cur, r) {
			add = append(add, r)
		}
	}
	return add
}

func contains(list []int, x int) bool {
	for _, v := range list {
		if v == x {
			return true
		}
	}
	return false
}
