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
// order. It walks one tip down as long as no other tip has the revision at
// hand among its ancestors; when another does, it switches to that tip. At a
// merge the first parent continues the current tip and the others become new
// tips at the end of the list. Alembic keeps the ancestors of every tip and
// walks them again at each merge; tipAncestors gives the same answers
// without that walk (see ancestry).
func topoSort(g *models.Graph, todo bitset, heads []int) []int {
	return topoSortWith(g, todo, heads, newTipAncestors(g))
}

func topoSortWith(g *models.Graph, todo bitset, heads []int, anc tipAncestors) []int {
	todo = todo.clone()
	cur := uniqueSorted(heads, todo)
	for _, h := range cur {
		anc.push(h)
	}
	out := make([]int, 0, todo.count())
	i := 0
	for len(cur) > 0 {
		c := cur[i]
		if j := anc.neededBy(cur, i, c); j >= 0 {
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
			anc.del(i)
			i = max(i-1, 0)
		case len(g.NormDeps[c]) == 0 && len(g.Parents[c]) == 1:
			// Plain movement down a line.
			cur[i] = add[0]
			anc.down(i, c)
		default:
			cur[i] = add[0]
			anc.set(i, add[0])
			for _, r := range add[1:] {
				cur = append(cur, r)
				anc.push(r)
			}
		}
	}
	return out
}

// tipAncestors answers the walk's one question: which other tip (the first
// in the list) has revision c among its ancestors. It follows the walk's
// changes to the list of tips.
type tipAncestors interface {
	neededBy(cur []int, i, c int) int
	push(tip int)        // a new tip at the end of the list
	set(k, tip int)      // tip k is now revision tip
	down(k, emitted int) // tip k moved from emitted to its only parent
	del(k int)           // tip k is gone
}

// newTipAncestors answers from the graph's chains when it has few enough
// of them, and else by keeping each tip's ancestors as Alembic does.
func newTipAncestors(g *models.Graph) tipAncestors {
	if a := newAncestry(g, toAncestors); a.exact() {
		return newChainTips(a)
	}
	return &reachTips{g: g}
}

// chainTips asks the ancestry: nothing to keep per tip. After a tip moves
// down its chain, from c to the revision only c points at, no other tip
// can need the new revision, since only those that needed c could: the
// scan of the tips is skipped then, which is most steps of a long history.
type chainTips struct {
	a    *ancestry
	free int // the one candidate known to be needed by no other tip, or -1
}

func newChainTips(a *ancestry) *chainTips { return &chainTips{a: a, free: -1} }

func (t *chainTips) neededBy(cur []int, i, c int) int {
	free := t.free
	t.free = -1
	if c == free {
		return -1
	}
	// isAncestor(c, h) for every tip h, inlined: this loop is most of the
	// walk's time on a history with a hundred heads.
	a := t.a
	cc := a.chain[c]
	bit, word := uint64(1)<<(uint(cc)&63), int(cc>>6)
	for j, h := range cur {
		ch := a.chain[h]
		var needs bool
		if ch == cc {
			needs = a.pos[c] >= a.pos[h]
		} else {
			needs = a.below[int(ch)*a.words+word]&bit != 0
		}
		if needs && j != i {
			return j
		}
	}
	return -1
}

func (t *chainTips) down(_, emitted int) {
	a := t.a
	if d := a.g.Down[emitted]; len(d) == 1 && a.chain[d[0]] == a.chain[emitted] {
		t.free = d[0]
	}
}

func (*chainTips) push(int)     {}
func (*chainTips) set(int, int) {}
func (*chainTips) del(int)      {}

// reachTips is Alembic's own bookkeeping: the ancestors of each tip, walked
// again whenever a tip passes a merge or a dependency.
type reachTips struct {
	g   *models.Graph
	anc []bitset
}

func (t *reachTips) neededBy(_ []int, i, c int) int {
	for j, a := range t.anc {
		if j != i && a.has(c) {
			return j
		}
	}
	return -1
}

func (t *reachTips) push(tip int)   { t.anc = append(t.anc, reach(t.g, toAncestors, tip)) }
func (t *reachTips) set(k, tip int) { t.anc[k] = reach(t.g, toAncestors, tip) }

// down: the ancestors of the new tip are the old ones minus the revision
// just emitted.
func (t *reachTips) down(k, emitted int) { t.anc[k].remove(emitted) }
func (t *reachTips) del(k int)           { t.anc = append(t.anc[:k], t.anc[k+1:]...) }

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
