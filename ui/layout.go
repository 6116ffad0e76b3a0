package ui

import (
	"cmp"
	"slices"
	"strings"

	"retort/ui/theme"
)

// place is where a pane goes on the screen.
type place uint8

const (
	// placeMain is the left of the screen (the top on a narrow one).
	placeMain place = iota
	// placeSide is right of the main place (below it on a narrow screen).
	placeSide
	// placeBottom is below both, across the screen; `L` grows it.
	placeBottom
	placeCount
)

// screen is the terminal's size and how the panes share it: which one has
// the focus, whether it is zoomed, how tall the bottom place is.
type screen struct {
	width, height int
	ready         bool
	// focus is the position of the focused pane in the list.
	focus   int
	zoom    bool
	logSize int
}

// screenLayout places the panes: the main place left of the side one, both
// above the bottom one (main over side on narrow screens), panes listed in
// the same place splitting it top to bottom; or the focused pane alone,
// zoomed.
type screenLayout struct {
	rects []theme.Rect
	shown []bool
	body  theme.Rect
}

// logHeight is the bottom place's height at size: `L` cycles through
// fractions of the body (the smallest never below five lines).
func logHeight(size, body int) int {
	switch size % logSizes {
	case 1:
		return max(5, body*2/5)
	case 2:
		return max(5, body*2/3)
	}
	return max(5, body/5)
}

// logSizes is how many sizes `L` cycles through.
const logSizes = 3

// narrowWidth is the width below which the main and side places are
// stacked.
const narrowWidth = 72

// historyWidth is the main place's share of a side-by-side screen: three
// fifths, and a little more below 100 columns, where each column of the
// graph's row (lanes, id, labels, badges, message) is worth more than one
// of the Detail pane, which wraps its text anyway.
func historyWidth(w int) int {
	if w < 100 {
		return w * 5 / 8
	}
	return w * 3 / 5
}

// computeLayout places the listed panes on a w x h screen.
func computeLayout(sc screen, specs []paneSpec) screenLayout {
	w, h := sc.width, sc.height
	l := screenLayout{rects: make([]theme.Rect, len(specs)), shown: make([]bool, len(specs))}
	l.body = theme.Rect{X: 0, Y: 1, W: w, H: max(0, h-2), Pad: 1}
	b := l.body
	if sc.zoom && sc.focus < len(specs) {
		l.rects[sc.focus], l.shown[sc.focus] = b, true
		l.rects[sc.focus].Pad = specs[sc.focus].pad
		return l
	}
	logH := min(logHeight(sc.logSize, b.H), max(0, b.H-6))
	top := b.H - logH
	var areas [placeCount]theme.Rect
	areas[placeBottom] = theme.Rect{X: 0, Y: b.Y + top, W: w, H: logH}
	if w < narrowWidth {
		mainH := top * 3 / 5
		areas[placeMain] = theme.Rect{X: 0, Y: b.Y, W: w, H: mainH}
		areas[placeSide] = theme.Rect{X: 0, Y: b.Y + mainH, W: w, H: top - mainH}
	} else {
		mainW := historyWidth(w)
		areas[placeMain] = theme.Rect{X: 0, Y: b.Y, W: mainW, H: top}
		areas[placeSide] = theme.Rect{X: mainW, Y: b.Y, W: w - mainW, H: top}
	}
	for at, area := range areas {
		l.split(area, place(at), specs)
	}
	return l
}

// split shares area between the panes listed at place at, top to bottom,
// the first ones a line taller when it does not divide evenly.
func (l *screenLayout) split(area theme.Rect, at place, specs []paneSpec) {
	var here []int
	for k, sp := range specs {
		if sp.place == at {
			here = append(here, k)
		}
	}
	y := area.Y
	for n, k := range here {
		h := area.H / len(here)
		if n < area.H%len(here) {
			h++
		}
		l.rects[k] = theme.Rect{X: area.X, Y: y, W: area.W, H: h, Pad: specs[k].pad}
		l.shown[k] = true
		y += h
	}
}

// lines joins the boxes drawn in the rects into the body's lines: each line
// of the body is the boxes that cross it, left to right.
func (l screenLayout) lines(boxes [][]string) []string {
	order := make([]int, 0, len(l.rects))
	for k := range l.rects {
		if l.shown[k] {
			order = append(order, k)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(l.rects[a].X, l.rects[b].X) })
	out := make([]string, l.body.H)
	for n := range out {
		y := l.body.Y + n
		for _, k := range order {
			if r := l.rects[k]; y >= r.Y && y < r.Y+r.H && y-r.Y < len(boxes[k]) {
				out[n] += boxes[k][y-r.Y]
			}
		}
		if out[n] == "" {
			out[n] = strings.Repeat(" ", l.body.W)
		}
	}
	return out
}
