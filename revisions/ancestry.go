package revisions

import "retort/models"

// maxChainSets bounds the memory of an ancestry's chain sets (chains² bits):
// 16,384 chains take 32 MB. A history with more chains than that (more
// than 16,000 merges, branch points and dependencies) gets the slow path,
// which walks the graph as Alembic does. A variable so that tests can send
// small graphs down the slow path.
var maxChainSets = 1 << 14

// ancestry answers "is a an ancestor of b (or b itself)" along parents or
// along Down (parents and normalised depends_on) in constant time.
//
// Asking it by walking the ancestors of b costs as much as the history is
// long, and the history order asks it at every merge: that made loading a
// branchy 10,000-revision history quadratic. A bitset of ancestors per
// revision would take 12 MB there. Instead the graph is cut into chains:
// runs of revisions where each has exactly one edge down, to a revision that
// nothing else points at. Every edge between chains leaves a chain at its
// bottom and enters another at its top, so the ancestors of b are the rest
// of b's chain below it plus whole chains, and one bitset of chains per
// chain holds them (1,861 chains, 440 KB, for the benchmark's history).
type ancestry struct {
	g     *models.Graph
	e     edges // toAncestors or toParents
	chain []int32
	pos   []int32 // position in its chain, 0 at the top (newest)
	words int
	// below[c*words:(c+1)*words] are the chains below chain c (all their
	// revisions are ancestors of all of c's), and c itself, whose own
	// revisions are told apart by position. Nil on the slow path.
	below []uint64
}

// newAncestry builds the ancestry of g along e.
func newAncestry(g *models.Graph, e edges) *ancestry {
	a := &ancestry{g: g, e: e}
	next := a.lists()
	bottoms := a.chains(next)
	if len(bottoms) > maxChainSets {
		return a
	}
	a.words = (len(bottoms) + 63) / 64
	a.below = make([]uint64, len(bottoms)*a.words)
	a.fillBelow(next, bottoms)
	return a
}

func (a *ancestry) lists() [][]int {
	if a.e == toParents {
		return a.g.Parents
	}
	return a.g.Down
}

// exact reports whether queries are answered from the chain sets.
func (a *ancestry) exact() bool { return a.below != nil }

// chains cuts the graph into chains and returns the bottom of each. A
// revision continues the chain of the one above it when that one has no
// other edge down and nothing else points at it.
func (a *ancestry) chains(next [][]int) []int {
	n := len(next)
	ins := make([]int32, n)
	for _, ds := range next {
		for _, d := range ds {
			ins[d]++
		}
	}
	chained := make([]bool, n)
	for _, ds := range next {
		if len(ds) == 1 && ins[ds[0]] == 1 {
			chained[ds[0]] = true
		}
	}
	a.chain = make([]int32, n)
	a.pos = make([]int32, n)
	for i := range a.chain {
		a.chain[i] = -1
	}
	var bottoms []int
	start := func(x int) {
		c := int32(len(bottoms))
		for p := int32(0); ; p++ {
			a.chain[x], a.pos[x] = c, p
			if len(next[x]) != 1 || !chained[next[x][0]] || a.chain[next[x][0]] >= 0 {
				break
			}
			x = next[x][0]
		}
		bottoms = append(bottoms, x)
	}
	for x := range next {
		if !chained[x] {
			start(x)
		}
	}
	// What is left is chained below a revision that is itself left: only
	// a cycle, which Build has already broken. Every revision still gets a
	// chain.
	for x := range next {
		if a.chain[x] < 0 {
			start(x)
		}
	}
	return bottoms
}

// fillBelow computes every chain's set from the sets of the chains below
// its bottom, those first (an iterative depth-first walk over chains).
func (a *ancestry) fillBelow(next [][]int, bottoms []int) {
	const (
		todo = iota
		open
		done
	)
	state := make([]uint8, len(bottoms))
	stack := make([]int32, 0, 64)
	for c := range bottoms {
		if state[c] != todo {
			continue
		}
		stack = append(stack[:0], int32(c))
		for len(stack) > 0 {
			top := stack[len(stack)-1]
			if state[top] == todo {
				state[top] = open
				for _, d := range next[bottoms[top]] {
					if k := a.chain[d]; state[k] == todo {
						stack = append(stack, k)
					}
				}
				continue
			}
			stack = stack[:len(stack)-1]
			if state[top] == done {
				continue
			}
			state[top] = done
			set := a.set(top)
			set[top>>6] |= 1 << (uint(top) & 63)
			for _, d := range next[bottoms[top]] {
				if k := a.chain[d]; k != top {
					bitset(set).union(a.set(k))
				}
			}
		}
	}
}

func (a *ancestry) set(c int32) []uint64 {
	return a.below[int(c)*a.words : (int(c)+1)*a.words]
}

// isAncestor reports whether anc is of or one of its ancestors.
func (a *ancestry) isAncestor(anc, of int) bool {
	if a.below == nil {
		if anc == of {
			return true
		}
		want := newBitset(a.g.Len())
		want.add(anc)
		return reachesAny(a.g, a.e, of, want)
	}
	ca, co := a.chain[anc], a.chain[of]
	if ca == co {
		return a.pos[anc] >= a.pos[of]
	}
	return a.below[int(co)*a.words+int(ca>>6)]&(1<<(uint(ca)&63)) != 0
}
