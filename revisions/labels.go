package revisions

import (
	"sort"

	"retort/models"
)

// propagateLabels is Alembic's `_add_branches`. For each revision that
// declares labels, in load order, the labels it carries at that moment
// spread to every descendant (through parents); then, from the last
// revision that walk visited, they go down through single parents until a
// real branch point (several children or dependents) or a merge.
//
// Walking the descendants of every labelled revision made a large history
// quadratic. The same sets come out of one pass over the graph, parents
// first, because a revision carries exactly its own labels, what its parents
// carry, and what a walk down from a labelled descendant left on it: a walk
// down from the last descendant goes below the labelled revision only when
// its descendants are a single line of plain revisions (otherwise it stops
// at a branch point or merge among them), and everything a walk passes on
// its way down is handed on to the one child that led there. Only the sets
// carried at each labelled revision's turn depend on the order; they are
// computed first, labelled revision by labelled revision.
func propagateLabels(g *models.Graph, lineage *ancestry) [][]string {
	p := newLabelPass(g)
	if len(p.names) == 0 {
		return make([][]string, g.Len())
	}
	p.carried(lineage)
	out := make([][]string, g.Len())
	names := labelNames{names: p.names, cache: map[string][]string{}}
	for _, x := range parentsFirst(g) {
		own := bitset(p.set(x))
		if len(g.Parents[x]) == 1 && own.empty() {
			// Most revisions carry what their one parent carries: share
			// its list.
			par := g.Parents[x][0]
			copy(own, p.set(par))
			out[x] = out[par]
			continue
		}
		for _, par := range g.Parents[x] {
			own.union(p.set(par))
		}
		out[x] = names.of(own)
	}
	return out
}

// labelPass holds label sets as bitsets over the declared labels (a large
// history has hundreds of labels on thousands of revisions), all in one
// array: sets[i*words:(i+1)*words] is revision i's.
type labelPass struct {
	g        *models.Graph
	names    []string
	words    int
	sets     []uint64
	labelled []int // the revisions declaring labels, in load order
}

func newLabelPass(g *models.Graph) *labelPass {
	p := &labelPass{g: g}
	bit := map[string]int{}
	for i, r := range g.Revisions {
		if len(r.BranchLabels) > 0 {
			p.labelled = append(p.labelled, i)
		}
		for _, l := range r.BranchLabels {
			if _, ok := bit[l]; !ok {
				bit[l] = len(p.names)
				p.names = append(p.names, l)
			}
		}
	}
	p.words = (len(p.names) + 63) / 64
	p.sets = make([]uint64, g.Len()*p.words)
	for _, i := range p.labelled {
		for _, l := range g.Revisions[i].BranchLabels {
			bitset(p.set(i)).add(bit[l])
		}
	}
	return p
}

func (p *labelPass) set(i int) []uint64 { return p.sets[i*p.words : (i+1)*p.words] }

// carried computes, for each labelled revision in turn, the set it carries
// when its turn comes (its own labels, plus what earlier turns spread to it
// as a descendant or left on it walking down), and adds that set to the
// revisions below it that its walk down reaches. lineage is the ancestry
// along parents.
func (p *labelPass) carried(lineage *ancestry) {
	carried := make([]bitset, len(p.labelled))
	walked := make([][]int, len(p.labelled))
	for k, r := range p.labelled {
		c := bitset(p.set(r)).clone()
		for j, s := range p.labelled[:k] {
			if lineage.isAncestor(s, r) || contains(walked[j], r) {
				c.union(carried[j])
			}
		}
		carried[k] = c
		walked[k] = p.walkBelow(r)
	}
	for k := range p.labelled {
		for _, x := range walked[k] {
			bitset(p.set(x)).union(carried[k])
		}
	}
}

// walkBelow lists the revisions below r that the walk down from r's last
// descendant reaches: none unless r and its descendants are a single line
// of plain revisions, then r's ancestors down to a real branch point or a
// merge.
func (p *labelPass) walkBelow(r int) []int {
	g := p.g
	for x := r; ; x = g.Children[x][0] {
		if stopsLabelWalk(g, x) {
			return nil
		}
		if len(g.Children[x]) == 0 {
			break
		}
	}
	var out []int
	for x := r; len(g.Parents[x]) > 0; {
		x = g.Parents[x][0]
		if stopsLabelWalk(g, x) {
			break
		}
		out = append(out, x)
	}
	return out
}

// stopsLabelWalk: a real branch point (several distinct revisions name it
// as a parent or dependency) or a merge.
func stopsLabelWalk(g *models.Graph, x int) bool {
	if len(g.Parents[x]) > 1 {
		return true
	}
	n := len(g.Children[x])
	for _, d := range g.Dependents[x] {
		if !contains(g.Children[x], d) {
			n++
		}
	}
	return n > 1
}

// parentsFirst orders the revisions so that each comes after its parents
// (a depth-first walk down the parents, emitting on the way back).
func parentsFirst(g *models.Graph) []int {
	out := make([]int, 0, g.Len())
	done := newBitset(g.Len())
	type frame struct{ node, next int }
	var stack []frame
	for root := range g.Revisions {
		if done.has(root) {
			continue
		}
		done.add(root)
		stack = append(stack[:0], frame{root, 0})
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			if top.next < len(g.Parents[top.node]) {
				par := g.Parents[top.node][top.next]
				top.next++
				if !done.has(par) {
					done.add(par)
					stack = append(stack, frame{par, 0})
				}
				continue
			}
			out = append(out, top.node)
			stack = stack[:len(stack)-1]
		}
	}
	return out
}

// labelNames turns label bitsets into sorted name lists, sharing one list
// between the revisions that carry the same labels.
type labelNames struct {
	names []string
	cache map[string][]string
	key   []byte
}

func (n *labelNames) of(s bitset) []string {
	if s.empty() {
		return nil
	}
	n.key = n.key[:0]
	for _, w := range s {
		for k := 0; k < 8; k++ {
			n.key = append(n.key, byte(w>>(8*k)))
		}
	}
	if list, ok := n.cache[string(n.key)]; ok {
		return list
	}
	var list []string
	for _, b := range s.members() {
		list = append(list, n.names[b])
	}
	sort.Strings(list)
	n.cache[string(n.key)] = list
	return list
}
