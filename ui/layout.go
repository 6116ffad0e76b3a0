package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// pane names the three panes, in tab order.
type pane uint8

const (
	paneHistory pane = iota
	paneDetail
	paneLog
	paneCount
)

var paneNames = [...]string{paneHistory: "History", paneDetail: "Detail", paneLog: "Log"}

// rect is a pane's box on the screen, borders included; pad is the blank
// column kept inside each side of the border (text panes have one, so that
// their text does not touch the border; History's gutter does that job).
type rect struct{ x, y, w, h, pad int }

func (r rect) contains(x, y int) bool { return x >= r.x && x < r.x+r.w && y >= r.y && y < r.y+r.h }

// inner is the size inside the border and the padding.
func (r rect) inner() (int, int) { return max(0, r.w-2-2*r.padding()), max(0, r.h-2) }

// padding is pad, or none in a box too narrow to spare it.
func (r rect) padding() int {
	if r.w-2 <= 4*r.pad {
		return 0
	}
	return r.pad
}

// panePad is each pane's padding.
var panePad = [paneCount]int{paneHistory: 0, paneDetail: 1, paneLog: 1}

// screenLayout places the panes: History left of Detail above Log (History
// over Detail on narrow screens), or the focused pane alone when zoomed.
type screenLayout struct {
	panes   [paneCount]rect
	shown   [paneCount]bool
	stacked bool
	body    rect
}

// logHeights are the Log pane's sizes `L` cycles through, as fractions of
// the body (the smallest never below five lines).
var logHeights = [...]func(body int) int{
	func(b int) int { return max(5, b/5) },
	func(b int) int { return max(5, b*2/5) },
	func(b int) int { return max(5, b*2/3) },
}

// narrowWidth is the width below which History and Detail are stacked.
const narrowWidth = 72

// historyWidth is the History pane's share of a side-by-side screen: three
// fifths, and a little more below 100 columns, where each column of the
// graph's row (lanes, id, labels, badges, message) is worth more than one
// of the Detail pane, which wraps its text anyway.
func historyWidth(w int) int {
	if w < 100 {
		return w * 5 / 8
	}
	return w * 3 / 5
}

func computeLayout(w, h, logSize int, zoom bool, focus pane) screenLayout {
	var l screenLayout
	l.body = rect{x: 0, y: 1, w: w, h: max(0, h-2), pad: 1}
	b := l.body
	if zoom {
		l.panes[focus], l.shown[focus] = b, true
		l.panes[focus].pad = panePad[focus]
		return l
	}
	logH := min(logHeights[logSize%len(logHeights)](b.h), max(0, b.h-6))
	top := b.h - logH
	l.panes[paneLog] = rect{x: 0, y: b.y + top, w: w, h: logH, pad: panePad[paneLog]}
	if w < narrowWidth {
		l.stacked = true
		histH := top * 3 / 5
		l.panes[paneHistory] = rect{x: 0, y: b.y, w: w, h: histH}
		l.panes[paneDetail] = rect{x: 0, y: b.y + histH, w: w, h: top - histH, pad: panePad[paneDetail]}
	} else {
		histW := historyWidth(w)
		l.panes[paneHistory] = rect{x: 0, y: b.y, w: histW, h: top}
		l.panes[paneDetail] = rect{x: histW, y: b.y, w: w - histW, h: top, pad: panePad[paneDetail]}
	}
	l.shown = [paneCount]bool{true, true, true}
	return l
}

// box draws lines (each exactly the inner width) in a border with a title
// and, on the right of the top border, info. The focused pane's border is
// drawn with heavy (ASCII: '=') lines as well as in a bright colour, so the
// focus shows without colour.
func (st *styles) box(title, info string, lines []string, r rect, focused bool) []string {
	iw, ih := r.inner()
	if r.w < 2 || r.h < 2 {
		return nil
	}
	bw := r.w - 2 // between the corners
	bc := st.frame
	bs, ts := &st.border, &st.title
	if focused {
		bc = st.focusBox()
		bs, ts = &st.borderFocus, &st.titleFocus
	}
	if ansi.StringWidth(info) > bw/2 {
		info = ""
	}
	title = st.cut(title, titleRoom(r, info))
	// The top line is "╭─ title ─…─╮" (bw+2 wide), with " info ─" before
	// the corner when there is info.
	fill := bw - 3 - ansi.StringWidth(title)
	if info != "" {
		fill -= ansi.StringWidth(info) + 3
	}
	top := st.paint(bs, bc.tl+bc.h+" ") + st.paint(ts, title) + st.paint(bs, " "+strings.Repeat(bc.h, max(0, fill)))
	if info != "" {
		top += st.paint(&st.dim, " "+info+" ") + st.paint(bs, bc.h)
	}
	top += st.paint(bs, bc.tr)
	out := make([]string, 0, r.h)
	out = append(out, top)
	pad := strings.Repeat(" ", r.padding())
	left, right := st.paint(bs, bc.v)+pad, pad+st.paint(bs, bc.v)
	blank := strings.Repeat(" ", iw)
	for k := range ih {
		line := blank
		if k < len(lines) {
			line = lines[k]
		}
		out = append(out, left+line+right)
	}
	return append(out, st.paint(bs, bc.bl+strings.Repeat(bc.h, bw)+bc.br))
}

// titleRoom is the room for a title in r's top border with info on its
// right. The scroll position is short and says something the title does
// not: it keeps its room (unless it would take more than half the border),
// and the title is cut first.
func titleRoom(r rect, info string) int {
	bw := r.w - 2
	room := bw - 4
	if info != "" && ansi.StringWidth(info) <= bw/2 {
		room -= ansi.StringWidth(info) + 3
	}
	return max(0, room)
}

// focusBox are the border characters of the focused pane.
func (st *styles) focusBox() boxChars {
	if st.ascii {
		return boxChars{"#", "#", "#", "#", "=", "#"}
	}
	return boxChars{"┏", "┓", "┗", "┛", "━", "┃"}
}
