package theme

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Rect is a box on the screen, borders included; Pad is the blank column
// kept inside each side of the border (text panes have one, so that their
// text does not touch the border; History's gutter does that job).
type Rect struct{ X, Y, W, H, Pad int }

// Contains reports whether the cell at x, y is in the box.
func (r Rect) Contains(x, y int) bool { return x >= r.X && x < r.X+r.W && y >= r.Y && y < r.Y+r.H }

// Inner is the size inside the border and the padding.
func (r Rect) Inner() (int, int) { return max(0, r.W-2-2*r.Padding()), max(0, r.H-2) }

// Padding is Pad, or none in a box too narrow to spare it.
func (r Rect) Padding() int {
	if r.W-2 <= 4*r.Pad {
		return 0
	}
	return r.Pad
}

// Box draws lines (each exactly the inner width) in a border with a title
// and, on the right of the top border, info. The focused box's border is
// drawn with heavy (ASCII: '=') lines as well as in a bright colour, so the
// focus shows without colour.
func (st *Styles) Box(title, info string, lines []string, r Rect, focused bool) []string {
	iw, ih := r.Inner()
	if r.W < 2 || r.H < 2 {
		return nil
	}
	bw := r.W - 2 // between the corners
	bc := st.frame
	bs, ts := &st.Border, &st.Title
	if focused {
		bc = st.focusBox()
		bs, ts = &st.BorderFocus, &st.TitleFocus
	}
	if ansi.StringWidth(info) > bw/2 {
		info = ""
	}
	title = st.Cut(title, TitleRoom(r, info))
	// The top line is "╭─ title ─…─╮" (bw+2 wide), with " info ─" before
	// the corner when there is info.
	fill := bw - 3 - ansi.StringWidth(title)
	if info != "" {
		fill -= ansi.StringWidth(info) + 3
	}
	top := st.Paint(bs, bc.tl+bc.h+" ") + st.Paint(ts, title) + st.Paint(bs, " "+strings.Repeat(bc.h, max(0, fill)))
	if info != "" {
		top += st.Paint(&st.Dim, " "+info+" ") + st.Paint(bs, bc.h)
	}
	top += st.Paint(bs, bc.tr)
	out := make([]string, 0, r.H)
	out = append(out, top)
	pad := strings.Repeat(" ", r.Padding())
	left, right := st.Paint(bs, bc.v)+pad, pad+st.Paint(bs, bc.v)
	blank := strings.Repeat(" ", iw)
	for k := range ih {
		line := blank
		if k < len(lines) {
			line = lines[k]
		}
		out = append(out, left+line+right)
	}
	return append(out, st.Paint(bs, bc.bl+strings.Repeat(bc.h, bw)+bc.br))
}

// TitleRoom is the room for a title in r's top border with info on its
// right. The scroll position is short and says something the title does
// not: it keeps its room (unless it would take more than half the border),
// and the title is cut first.
func TitleRoom(r Rect, info string) int {
	bw := r.W - 2
	room := bw - 4
	if info != "" && ansi.StringWidth(info) <= bw/2 {
		room -= ansi.StringWidth(info) + 3
	}
	return max(0, room)
}

// focusBox are the border characters of the focused box.
func (st *Styles) focusBox() boxChars {
	if st.ASCII {
		return boxChars{"#", "#", "#", "#", "=", "#"}
	}
	return boxChars{"┏", "┓", "┗", "┛", "━", "┃"}
}
