// Package lanes lays out a revision graph in lanes, one node per row, the way
// lazygit draws its commit graph: a pure fold over the rows (newest first)
// that carries a set of "pipes" from one row to the next. A pipe is one edge
// of the graph crossing one row; it starts at the row of its upper node (the
// child), continues through the rows between, and terminates at the row of
// its lower node (the parent or the dependency). Unlike `git log --graph`, no
// row is ever added between nodes, so a cursor can move by revision.
//
// The package knows nothing of terminals or styles: Compute gives the pipes,
// Cells turns a row's pipes into cells of strokes, and a Glyphs table turns
// cells into text.
package lanes

// Kind is the kind of edge a pipe draws.
type Kind uint8

const (
	// Parent is an edge from a revision to one of its parents.
	Parent Kind = iota
	// Dep is a depends_on edge; it is drawn with dashed glyphs.
	Dep
)

// State says what a pipe does on its row (lazygit's PipeKind).
type State uint8

const (
	// Terminates: the pipe ends at this row's node.
	Terminates State = iota
	// Starts: the pipe leaves this row's node.
	Starts
	// Continues: the pipe passes through this row, possibly moving left.
	Continues
)

// Pipe is one edge crossing one row. From is its lane at the top of the row,
// To its lane at the bottom (for a starting pipe, From is the node's lane).
//
// What the pipe does on its row (State) and its Kind follow from its ends,
// so they are not stored: a layout holds a pipe for every edge on every row
// it crosses (over a million on a branchy history of ten thousand
// revisions), and sixteen bytes a pipe instead of twenty make the layout a
// fifth smaller and faster to build.
type Pipe struct {
	From, To int32
	// Upper and Lower are the rows of the edge's ends: Upper the child
	// (drawn above), Lower the parent or dependency.
	Upper, Lower int32
}

// StateAt is what the pipe does on row r, one of the rows it crosses.
func (p Pipe) StateAt(r int) State {
	switch int32(r) {
	case p.Lower:
		return Terminates
	case p.Upper:
		return Starts
	}
	return Continues
}

// Node is one row's outgoing edges, as row indexes. Edges to rows at or
// above the node, or past the last row, cannot be drawn going down and are
// ignored (a history range can cut a revision off from its parents).
type Node struct {
	Parents []int
	Deps    []int
}

// Layout is the lane layout of a list of nodes.
type Layout struct {
	// nodes is the caller's slice, not a copy (see Compute): Kind reads
	// it.
	nodes []Node
	// rows are the pipes of each row, kept in an arena.
	rows [][]Pipe
	// Lane is the lane of each row's node.
	Lane []int32
	// Width is the largest number of lanes any row uses.
	Width int
}

// Len is the number of rows.
func (l *Layout) Len() int { return len(l.Lane) }

// Row returns the pipes of row r, sorted by their lane at the bottom of the
// row. The slice belongs to the layout.
func (l *Layout) Row(r int) []Pipe { return l.rows[r] }

// RowWidth is the number of lanes row r uses.
func (l *Layout) RowWidth(r int) int {
	w := int(l.Lane[r]) + 1
	for _, p := range l.Row(r) {
		if m := int(max(p.From, p.To)) + 1; m > w {
			w = m
		}
	}
	return w
}

// Compute lays out nodes given newest first. It is a pure function of its
// input, O(rows × lanes). The layout keeps a reference to nodes (and their
// Parents slices), not a copy, and reads them later (Kind): callers must
// not modify nodes, or the slices in it, after the call.
func Compute(nodes []Node) *Layout {
	l := &Layout{nodes: nodes, rows: make([][]Pipe, len(nodes)), Lane: make([]int32, len(nodes))}
	var f folder
	for r := range nodes {
		f.next(r, nodes)
		l.Lane[r] = f.pos
		l.rows[r] = f.out
		l.Width = max(l.Width, int(f.width), int(f.pos)+1)
	}
	return l
}

// Kind is the kind of edge p draws: a parent edge when the upper node names
// the lower one as a parent (an edge that is both is drawn as a parent, see
// outgoing), else a depends_on edge.
func (l *Layout) Kind(p Pipe) Kind {
	for _, q := range l.nodes[p.Upper].Parents {
		if q == int(p.Lower) {
			return Parent
		}
	}
	return Dep
}

// arena holds the rows' pipes in large chunks, and each row is built in
// place at the end of the current chunk: one growing slice would be copied
// over and over (a branchy history of ten thousand rows holds over a million
// pipes), one slice per row would cost an allocation each, and building in a
// scratch buffer would cost a copy of every row.
type arena struct{ chunk []Pipe }

const arenaChunk = 1 << 16

// room returns an empty slice with room for n pipes at the end of the
// current chunk; keep then takes what was appended to it.
func (a *arena) room(n int) []Pipe {
	if len(a.chunk)+n > cap(a.chunk) {
		a.chunk = make([]Pipe, 0, max(arenaChunk, n))
	}
	end := len(a.chunk)
	return a.chunk[end:end:cap(a.chunk)]
}

// keep closes the row built in the slice room returned, so that the next
// row starts after it.
func (a *arena) keep(row []Pipe) []Pipe {
	end := len(a.chunk)
	if len(row) > 0 && cap(a.chunk) > end && &row[0] == &a.chunk[:end+1][end] {
		a.chunk = a.chunk[:end+len(row)]
	}
	return row[:len(row):len(row)]
}

// folder carries the pipes from one row to the next and the scratch space
// of the fold, reused across rows so that a layout of ten thousand rows does
// not allocate per row.
type folder struct {
	// prev is the previous row's pipes and out this row's, both in the
	// arena, which keeps them for the layout.
	prev, out []Pipe
	arena     arena
	edges     []int32 // the node's drawable edges, as rows (outgoing)
	// taken: a lane some pipe ends on at the bottom of this row.
	// traversed: a lane some pipe crosses on this row.
	// continuing: a lane a continuing pipe comes from.
	taken, traversed, continuing []bool
	pos                          int32
	// row is the row being made.
	row int32
	// free is where freeForContinuing resumes on this row.
	free int32
	// terms, news and rights gather the pipes ending at the node, the
	// node's new edges and the pipes right of it; width is the row's.
	terms, news, rights []Pipe
	width               int32
	// ordered is false once the row's pipes were made out of lane order
	// (see gather).
	ordered bool
	// counts and sorted are the counting sort's scratch space.
	counts []int
	sorted []Pipe
}

// next computes row r's pipes from the previous row's (getNextPipes).
func (f *folder) next(r int, nodes []Node) {
	// The pipes that left the previous row come into this one. The row
	// has at most one pipe per incoming pipe and per edge.
	f.prev, f.row = f.out, int32(r)
	f.edges = outgoing(f.edges[:0], r, nodes)
	f.out = f.arena.room(len(f.prev) + len(f.edges) + 1)
	f.reset(len(f.prev) + len(f.edges) + 2)
	f.free, f.width, f.ordered = 0, 0, true
	// One pass finds the node's lane (where the leftmost pipe ending at r
	// arrives) and the lanes continuing pipes come from.
	found := false
	for _, p := range f.prev {
		switch {
		case p.Lower < int32(r): // ended on the row above
		case p.Lower != int32(r):
			f.continuing[p.To] = true
		case !found:
			f.pos, found = p.To, true
		}
	}
	if !found {
		f.pos = f.emptyLane(int32(r))
	}
	// The row's pipes are gathered in lane order as they are made: left
	// of the node, ending at it, starting from it, then right of it.
	f.out, f.terms, f.news, f.rights = f.out[:0], f.terms[:0], f.news[:0], f.rights[:0]
	var start *Pipe
	if len(f.edges) > 0 {
		start = &Pipe{From: f.pos, To: f.pos, Upper: int32(r), Lower: f.edges[0]}
		f.taken[f.pos] = true
		f.width = max(f.width, f.pos+1)
	}
	// Pipes ending here converge on the node; pipes left of it slide left
	// into free lanes. (The slices are local in the loops: appending to a
	// field through f costs a load and a store of the slice every time.)
	out, terms := f.out, f.terms
	for _, p := range f.prev {
		switch {
		case p.Lower < int32(r): // ended on the row above
		case p.Lower == int32(r):
			terms = append(terms, f.move(p, p.To, f.pos))
		case p.To < f.pos:
			out = append(out, f.move(p, p.To, f.freeForContinuing()))
		}
	}
	f.out, f.terms = out, terms
	// The node's other edges branch off to the right, each into the first
	// lane nobody ends on or comes from.
	for _, to := range f.edges[min(1, len(f.edges)):] {
		lane := f.freeForNew()
		f.width = max(f.width, lane+1)
		f.news = append(f.news, Pipe{From: f.pos, To: lane, Upper: int32(r), Lower: to})
		f.taken[lane] = true
	}
	f.gather(int32(r), start)
}

// slideRights moves the pipes right of the node left as far as they can go
// without crossing anything ending or passing on row r, and appends them to
// dst. They come in lane order and each one sweeps the lanes between where
// it leaves and where it arrives, so the next one can go no further left
// than where this one left: that bound stands for the lanes they mark, and
// the loop marks none, since nothing after it on this row looks.
func (f *folder) slideRights(r int32, dst []Pipe) []Pipe {
	taken, traversed := f.taken, f.traversed
	bound := f.pos
	for _, p := range f.prev {
		if p.Lower <= r || p.To <= f.pos { // ended above, ends here, or left of the node
			continue
		}
		last := p.To
		for i := p.To; i > bound; i-- {
			if taken[i] || traversed[i] {
				break
			}
			last = i
		}
		if last <= bound && bound > f.pos {
			f.ordered = false
		}
		bound = p.To
		f.width = max(f.width, p.To+1)
		dst = append(dst, Pipe{From: p.To, To: last, Upper: p.Upper, Lower: p.Lower})
	}
	return dst
}

// gather puts the row's pipes together in lane order. Each group is in lane
// order by construction: the pipes left of the node take increasing free
// lanes, those ending at it all end on its lane, the new edges take
// increasing free lanes, and the pipes right of it never cross each other
// (slideRights checks). Where the groups meet is checked here; a row where
// that does not give a sorted whole (which the layout's rules should never
// produce) is sorted instead, so the order is guaranteed either way. This
// costs a few comparisons a row rather than one per pipe, which was a
// quarter of the layout's time. The pipes right of the node are made in
// place, unless new edges must be merged with them.
func (f *folder) gather(r int32, start *Pipe) {
	f.out = f.join(f.out, f.terms)
	if start != nil {
		f.out = f.join(f.out, []Pipe{*start})
	}
	merged := len(f.out)
	if len(f.news) == 0 {
		f.out = f.slideRights(r, f.out)
		f.finish(merged)
		return
	}
	f.rights = f.slideRights(r, f.rights)
	i, j := 0, 0
	for i < len(f.news) && j < len(f.rights) {
		if f.news[i].To <= f.rights[j].To {
			f.out = append(f.out, f.news[i])
			i++
		} else {
			f.out = append(f.out, f.rights[j])
			j++
		}
	}
	f.out = append(append(f.out, f.news[i:]...), f.rights[j:]...)
	f.finish(merged)
}

// finish checks the order where the pipes gather added meet the rest,
// sorts the row if it must, and keeps it in the arena.
func (f *folder) finish(merged int) {
	if merged > 0 && merged < len(f.out) && less(f.out[merged], f.out[merged-1], f.row) {
		f.ordered = false
	}
	if !f.ordered {
		f.sortOut()
	}
	f.out = f.arena.keep(f.out)
}

// join appends a group to the row's pipes, checking the order where they
// meet.
func (f *folder) join(out, group []Pipe) []Pipe {
	if n := len(out); n > 0 && len(group) > 0 && less(group[0], out[n-1], f.row) {
		f.ordered = false
	}
	return append(out, group...)
}

// less orders the pipes of row r by their lane at the bottom of the row,
// then by state.
func less(a, b Pipe, r int32) bool {
	return a.To < b.To || a.To == b.To && a.StateAt(int(r)) < b.StateAt(int(r))
}

// outgoing lists the drawable edges of row r: parents first (the first one
// keeps the node's lane), then dependencies that are not also parents.
func outgoing(dst []int32, r int, nodes []Node) []int32 {
	n := nodes[r]
	ok := func(to int) bool { return to > r && to < len(nodes) }
	for _, p := range n.Parents {
		if ok(p) && !hasEdge(dst, p) {
			dst = append(dst, int32(p))
		}
	}
	for _, d := range n.Deps {
		if ok(d) && !hasEdge(dst, d) {
			dst = append(dst, int32(d))
		}
	}
	return dst
}

func hasEdge(es []int32, to int) bool {
	for _, e := range es {
		if int(e) == to {
			return true
		}
	}
	return false
}

// reset clears the lane sets, sized for every lane this row can touch: the
// widest incoming pipe, and one new lane per pipe and edge beyond it.
func (f *folder) reset(n int) {
	// f.width is still the previous row's: its widest pipe, plus one.
	widest := max(int(f.pos), int(f.width)-1)
	n += widest + len(f.prev) + 2
	f.taken = clearBools(f.taken, n)
	f.traversed = clearBools(f.traversed, n)
	f.continuing = clearBools(f.continuing, n)
}

func clearBools(b []bool, n int) []bool {
	if cap(b) < n {
		return make([]bool, n)
	}
	b = b[:n]
	clear(b)
	return b
}

// emptyLane is the lane of a node no pipe reaches (a new head, the top of
// another tree): the first lane the previous row left empty, so that it
// never looks joined to the row above, as a base right above it would.
func (f *folder) emptyLane(r int32) int32 {
	used := f.taken // scratch: cleared again below
	for _, p := range f.prev {
		used[p.From], used[p.To] = true, true
	}
	if r > 0 {
		used[f.pos] = true // the previous row's node
	}

	lane := int32(0)
	for used[lane] {
		lane++
	}
	clear(used)
	return lane
}

// move returns pipe p moved from lane from to lane to on this row, and
// marks the lanes it uses.
func (f *folder) move(p Pipe, from, to int32) Pipe {
	lo, hi := min(from, to), max(from, to)
	for i := lo; i <= hi; i++ {
		f.traversed[i] = true
	}
	f.taken[to] = true
	f.width = max(f.width, hi+1)
	return Pipe{From: from, To: to, Upper: p.Upper, Lower: p.Lower}
}

// freeForContinuing is the leftmost lane no pipe crosses yet. Lanes are
// only ever marked within a row, so the search resumes where it stopped.
func (f *folder) freeForContinuing() int32 {
	i := f.free
	for f.traversed[i] {
		i++
	}
	f.free = i
	return i
}

// sortOut orders the row's pipes by their lane at the bottom, then by
// state, keeping the order of equal ones: a counting sort, since lanes are
// small integers and a comparison sort was most of the layout's time.
func (f *folder) sortOut() {
	lanes := 0
	for _, p := range f.out {
		lanes = max(lanes, int(p.To)+1)
	}
	const states = 3
	keys := lanes * states
	f.counts = clearInts(f.counts, keys+1)
	r := int(f.row)
	for _, p := range f.out {
		f.counts[int(p.To)*states+int(p.StateAt(r))+1]++
	}
	for k := 1; k <= keys; k++ {
		f.counts[k] += f.counts[k-1]
	}
	if cap(f.sorted) < len(f.out) {
		f.sorted = make([]Pipe, len(f.out), 2*len(f.out))
	}
	f.sorted = f.sorted[:len(f.out)]
	for _, p := range f.out {
		k := int(p.To)*states + int(p.StateAt(r))
		f.sorted[f.counts[k]] = p
		f.counts[k]++
	}
	copy(f.out, f.sorted) // f.out is the row's place in the arena
}

func clearInts(b []int, n int) []int {
	if cap(b) < n {
		return make([]int, n)
	}
	b = b[:n]
	clear(b)
	return b
}

func (f *folder) freeForNew() int32 {
	i := f.pos + 1
	for f.taken[i] || f.continuing[i] {
		i++
	}
	return i
}
