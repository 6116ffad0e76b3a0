package revisions

import "math/bits"

// bitset is a set of revision positions. The graph algorithms compute sets of
// ancestors and descendants many times; on 10,000 revisions a bitset is 1.25
// KB and its operations are a few hundred word operations, where a map would
// allocate and hash for every member.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) has(i int) bool { return b[i>>6]&(1<<(uint(i)&63)) != 0 }
func (b bitset) add(i int)      { b[i>>6] |= 1 << (uint(i) & 63) }
func (b bitset) remove(i int)   { b[i>>6] &^= 1 << (uint(i) & 63) }

func (b bitset) clone() bitset { return append(bitset(nil), b...) }

// intersect keeps only the members also in o.
func (b bitset) intersect(o bitset) {
	for k := range b {
		b[k] &= o[k]
	}
}

// subtract removes the members of o.
func (b bitset) subtract(o bitset) {
	for k := range b {
		b[k] &^= o[k]
	}
}

// union adds the members of o.
func (b bitset) union(o bitset) {
	for k := range b {
		b[k] |= o[k]
	}
}

func (b bitset) empty() bool {
	for _, w := range b {
		if w != 0 {
			return false
		}
	}
	return true
}

func (b bitset) count() int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

// members lists the positions in increasing order, which is load order.
func (b bitset) members() []int {
	out := make([]int, 0, b.count())
	for k, w := range b {
		for w != 0 {
			t := bits.TrailingZeros64(w)
			out = append(out, k*64+t)
			w &= w - 1
		}
	}
	return out
}
