package lanes

// Stroke is the line a cell draws in one direction.
type Stroke uint8

const (
	// None: nothing.
	None Stroke = iota
	// Dashed: a depends_on edge.
	Dashed
	// Solid: a parent edge. Solid wins over Dashed in a cell both cross.
	Solid
)

// Cell is one lane of one row, two columns wide: the first column carries the
// vertical strokes and the turns, the second (Conn) the horizontal line to the
// next lane. Node marks the lane of the row's node.
type Cell struct {
	Up, Down, Left, Right Stroke
	Conn                  Stroke
	Node                  bool
	// Hi and ConnHi: a highlighted pipe (see Cells) draws in this cell or in
	// its connector.
	Hi, ConnHi bool
}

// set raises a stroke to s (Solid wins over Dashed).
func set(st *Stroke, s Stroke) {
	if s > *st {
		*st = s
	}
}

func strokeOf(k Kind) Stroke {
	if k == Dep {
		return Dashed
	}
	return Solid
}

// Cells turns row r's pipes into cells (renderPipeSet). hi, when not nil,
// says which edges to highlight, by their upper and lower rows. buf is
// reused when large enough.
func (l *Layout) Cells(r int, hi func(upper, lower int) bool, buf []Cell) []Cell {
	w := l.RowWidth(r)
	cells := buf[:0]
	if cap(cells) < w {
		cells = make([]Cell, 0, w)
	}
	cells = cells[:w]
	clear(cells)
	node := l.Lane[r]
	for _, p := range l.Row(r) {
		// A pipe ending straight down into the node draws nothing the
		// node glyph does not already show.
		if p.StateAt(r) == Terminates && p.From == node && p.To == node {
			markHi(cells, p, hi)
			continue
		}
		draw(cells, p, p.StateAt(r), l.Kind(p))
		markHi(cells, p, hi)
	}
	cells[node].Node = true
	return cells
}

// draw adds the strokes of a pipe, in state st on its row, to the cells it
// crosses.
func draw(cells []Cell, p Pipe, st State, k Kind) {
	s := strokeOf(k)
	left, right := min(p.From, p.To), max(p.From, p.To)
	if left != right {
		for i := left + 1; i < right; i++ {
			set(&cells[i].Left, s)
			set(&cells[i].Right, s)
			set(&cells[i].Conn, s)
		}
		set(&cells[left].Right, s)
		set(&cells[left].Conn, s)
		set(&cells[right].Left, s)
	}
	if st == Starts || st == Continues {
		set(&cells[p.To].Down, s)
	}
	if st == Terminates || st == Continues {
		set(&cells[p.From].Up, s)
	}
}

// markHi flags the cells a highlighted pipe touches.
func markHi(cells []Cell, p Pipe, hi func(upper, lower int) bool) {
	if hi == nil || !hi(int(p.Upper), int(p.Lower)) {
		return
	}
	left, right := min(p.From, p.To), max(p.From, p.To)
	for i := left; i <= right; i++ {
		cells[i].Hi = true
		if i < right {
			cells[i].ConnHi = true
		}
	}
}
