package lanes

import "strings"

// NodeKind is what a row's node glyph says, by shape.
type NodeKind uint8

const (
	// Pending: not applied to the database.
	Pending NodeKind = iota
	// Applied: an ancestor of the version rows (through parents and
	// depends_on).
	Applied
	// Current: a row of the version table.
	Current
	// MergePending and MergeApplied: a revision with several parents.
	MergePending
	MergeApplied
	// Missing: a placeholder for a parent no file defines.
	Missing
	nodeKinds
)

// Glyphs is a table of the characters the graph is drawn with.
type Glyphs struct {
	// solid and dashed are indexed by a mask of the strokes: up 1, down 2,
	// left 4, right 8.
	solid, dashed         *[16]string
	connSolid, connDashed string
	nodes                 *[nodeKinds]string
	// Cursor marks the cursor row, Mark a row of the focused revision's
	// ancestry, Cut a lane column cut off at the right.
	Cursor, Mark, Cut string
}

// The tables. Parent edges use solid lines with rounded turns, depends_on
// edges dashed lines with square turns, so the two differ by glyph and not
// only by colour.
var (
	unicodeSolid = [16]string{
		0: " ", 1: "╵", 2: "╷", 3: "│", 4: "─", 5: "╯", 6: "╮", 7: "│",
		8: "╶", 9: "╰", 10: "╭", 11: "│", 12: "─", 13: "┴", 14: "┬", 15: "│",
	}
	unicodeDashed = [16]string{
		0: " ", 1: "┆", 2: "┆", 3: "┆", 4: "╌", 5: "┘", 6: "┐", 7: "┆",
		8: "╌", 9: "└", 10: "┌", 11: "┆", 12: "╌", 13: "┴", 14: "┬", 15: "┆",
	}
	unicodeNodes = [nodeKinds]string{Pending: "○", Applied: "●", Current: "◉", MergePending: "◇", MergeApplied: "◆", Missing: "✕"}

	asciiSolid = [16]string{
		0: " ", 1: "|", 2: "|", 3: "|", 4: "-", 5: "/", 6: "\\", 7: "|",
		8: "-", 9: "\\", 10: "/", 11: "|", 12: "-", 13: "+", 14: "+", 15: "|",
	}
	asciiDashed = [16]string{
		0: " ", 1: ":", 2: ":", 3: ":", 4: ".", 5: "'", 6: ".", 7: ":",
		8: ".", 9: "'", 10: ".", 11: ":", 12: ".", 13: "'", 14: ".", 15: ":",
	}
	asciiNodes = [nodeKinds]string{Pending: "o", Applied: "*", Current: "@", MergePending: "m", MergeApplied: "M", Missing: "x"}
)

// Unicode is the box-drawing glyph set.
func Unicode() Glyphs {
	return Glyphs{solid: &unicodeSolid, dashed: &unicodeDashed, connSolid: "─", connDashed: "╌",
		nodes: &unicodeNodes, Cursor: "▶", Mark: "┃", Cut: "…"}
}

// ASCII is the glyph set for --ascii and terminals without Unicode.
func ASCII() Glyphs {
	return Glyphs{solid: &asciiSolid, dashed: &asciiDashed, connSolid: "-", connDashed: ".",
		nodes: &asciiNodes, Cursor: ">", Mark: "#", Cut: ">"}
}

// Node is the glyph of a node of the given kind.
func (g Glyphs) Node(k NodeKind) string { return g.nodes[k] }

// Cell returns the two characters of a cell; node is drawn in place of the
// first when the cell holds the row's node.
func (g Glyphs) Cell(c Cell, node string) (first, second string) {
	first = node
	if !c.Node {
		first = g.turn(c)
	}
	switch c.Conn {
	case Solid:
		second = g.connSolid
	case Dashed:
		second = g.connDashed
	default:
		second = " "
	}
	return first, second
}

// turn picks the glyph of a cell's strokes: the solid table when any stroke
// is solid, the dashed one otherwise.
func (g Glyphs) turn(c Cell) string {
	mask, solid := 0, false
	for bit, s := range [4]Stroke{c.Up, c.Down, c.Left, c.Right} {
		if s != None {
			mask |= 1 << bit
		}
		solid = solid || s == Solid
	}
	if solid {
		return g.solid[mask]
	}
	return g.dashed[mask]
}

// Line renders cells as plain text, padded with spaces to width lanes (two
// columns each); node is the node glyph.
func (g Glyphs) Line(cells []Cell, node string, width int) string {
	var b strings.Builder
	b.Grow(4 * 2 * max(width, len(cells)))
	for _, c := range cells {
		first, second := g.Cell(c, node)
		b.WriteString(first)
		b.WriteString(second)
	}
	for i := len(cells); i < width; i++ {
		b.WriteString("  ")
	}
	return b.String()
}
