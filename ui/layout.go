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

// rect is a pane's box on the screen, borders included.
type rect struct{ x, y, w, h int }

func (r rect) contains(x, y int) bool { return x >= r.x && x < r.x+r.w && y >= r.y && y < r.y+r.h }

// inner is the size inside the border.
func (r rect) inner() (int, int) { return max(0, r.w-2), max(0, r.h-2) }

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

func computeLayout(w, h, logSize int, zoom bool, focus pane) screenLayout {
	var l screenLayout
	l.body = rect{x: 0, y: 1, w: w, h: max(0, h-2)}
	b := l.body
	if zoom {
		l.panes[focus], l.shown[focus] = b, true
		return l
	}
	logH := min(logHeights[logSize%len(logHeights)](b.h), max(0, b.h-6))
	top := b.h - logH
	l.panes[paneLog] = rect{x: 0, y: b.y + top, w: w, h: logH}
	if w < narrowWidth {
		l.stacked = true
		histH := top * 3 / 5
		l.panes[paneHistory] = rect{x: 0, y: b.y, w: w, h: histH}
		l.panes[paneDetail] = rect{x: 0, y: b.y + histH, w: w, h: top - histH}
	} else {
		histW := w * 3 / 5
		l.panes[paneHistory] = rect{x: 0, y: b.y, w: histW, h: top}
		l.panes[paneDetail] = rect{x: histW, y: b.y, w: w - histW, h: top}
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
	bc := st.frame
	bs, ts := st.border, st.title
	if focused {
		bc = st.focusBox()
		bs, ts = st.borderFocus, st.titleFocus
	}
	// The scroll position is short and says something the title does not:
	// it keeps its room, and the title is cut first.
	if ansi.StringWidth(info) > iw/2 {
		info = ""
	}
	room := iw - 4
	if info != "" {
		room -= ansi.StringWidth(info) + 3
	}
	title = st.cut(title, max(0, room))
	// The top line is "╭─ title ─…─╮" (iw+2 wide), with " info ─" before
	// the corner when there is info.
	fill := iw - 3 - ansi.StringWidth(title)
	if info != "" {
		fill -= ansi.StringWidth(info) + 3
	}
	top := bs.Render(bc.tl+bc.h+" ") + ts.Render(title) + bs.Render(" "+strings.Repeat(bc.h, max(0, fill)))
	if info != "" {
		top += st.dim.Render(" "+info+" ") + bs.Render(bc.h)
	}
	top += bs.Render(bc.tr)
	out := make([]string, 0, r.h)
	out = append(out, top)
	side := bs.Render(bc.v)
	blank := strings.Repeat(" ", iw)
	for k := range ih {
		line := blank
		if k < len(lines) {
			line = lines[k]
		}
		out = append(out, side+line+side)
	}
	return append(out, bs.Render(bc.bl+strings.Repeat(bc.h, iw)+bc.br))
}

// focusBox are the border characters of the focused pane.
func (st *styles) focusBox() boxChars {
	if st.ascii {
		return boxChars{"#", "#", "#", "#", "=", "#"}
	}
	return boxChars{"┏", "┓", "┗", "┛", "━", "┃"}
}
