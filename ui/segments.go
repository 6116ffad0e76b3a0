package ui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// seg is a piece of text in one style (nil: none). Panes that show long text
// (detail, modals) keep their lines as segments, wrap them without styles
// and render only the lines on screen. The text is plain: wrapping breaks
// it between any two runes, so styled text goes in a segment of its own
// style, never as escape sequences in the text.
type seg struct {
	st   *lipgloss.Style
	text string
	// hang: when the line wraps, continuation lines start under this
	// segment (a field's value under its first line).
	hang bool
	// solid: paint the segment even when it is blank (a text cursor on a
	// space); other blank segments are left unstyled.
	solid bool
}

type segLine []seg

func plainLine(s string) segLine { return segLine{{text: s}} }

func styledLine(st *lipgloss.Style, s string) segLine { return segLine{{st: st, text: s}} }

// plain is the line's text without styles.
func (l segLine) plain() string {
	var b strings.Builder
	for _, s := range l {
		b.WriteString(s.text)
	}
	return b.String()
}

// width is the line's width in columns.
func (l segLine) width() int {
	n := 0
	for _, s := range l {
		n += ansi.StringWidth(s.text)
	}
	return n
}

// render draws the line padded (or cut) to w columns.
func (l segLine) render(st *styles, w int) string {
	var b strings.Builder
	used := 0
	for _, s := range l {
		if used >= w {
			break
		}
		text := s.text
		if tw := ansi.StringWidth(text); used+tw > w {
			text = ansi.Truncate(text, w-used, st.ellipsis())
		}
		used += ansi.StringWidth(text)
		if s.st != nil && (s.solid || strings.TrimSpace(text) != "") {
			text = st.paint(s.st, text)
		}
		b.WriteString(text)
	}
	if used < w {
		b.WriteString(strings.Repeat(" ", w-used))
	}
	return b.String()
}

// wrapLines wraps lines to w columns at word boundaries: after a space
// when it can, else after one of "/_-" (paths and long identifiers), and
// only mid-word when a word is longer than the line. Continuation lines are
// indented under the segment marked hang (a field's value), or else two
// columns deeper than the line's own indentation, so that a wrapped
// statement reads as one.
func wrapLines(lines []segLine, w int) []segLine {
	if w < 8 {
		return lines
	}
	out := make([]segLine, 0, len(lines))
	for _, l := range lines {
		if l.width() <= w {
			out = append(out, l)
			continue
		}
		out = append(out, wrapLine(l, w)...)
	}
	return out
}

// cell is one rune of a line being wrapped, with its width and the segment
// it came from.
type cell struct {
	r     rune
	w     int
	seg   int
	space bool
}

func wrapLine(l segLine, w int) []segLine {
	var cells []cell
	indent, hang := -1, -1
	col := 0
	for k, s := range l {
		if s.hang && hang < 0 {
			hang = col
		}
		for _, r := range s.text {
			// A solid blank (the cursor on a space) is no place to break
			// and is kept at the start of a line.
			c := cell{r: r, w: ansi.StringWidth(string(r)), seg: k, space: r == ' ' && !s.solid}
			if indent < 0 && !c.space {
				indent = col
			}
			col += c.w
			cells = append(cells, c)
		}
	}
	// The first line keeps at least its indentation, or a field's name,
	// and a character more.
	lead := leadCells(cells, hang)
	if hang < 0 {
		hang = max(0, indent) + 2
	}
	// Values under their first line only where that leaves them room.
	if hang > w/2 || w-hang < 14 {
		hang = min(2, w/4)
	}
	var out []segLine
	first := true
	for len(cells) > 0 {
		room := w
		if !first {
			room, lead = w-hang, 0
			for len(cells) > 0 && cells[0].space {
				cells = cells[1:]
			}
			if len(cells) == 0 {
				break
			}
		}
		n := breakAt(cells, room, lead, w-hang)
		line := segLine{}
		if !first {
			line = append(line, seg{text: strings.Repeat(" ", hang)})
		}
		out = append(out, append(line, segsOf(l, cells[:n])...))
		cells = cells[n:]
		first = false
	}
	return out
}

// breakAt is how many of cells go on a line of room columns. The line
// holds at least lead+1 cells (its indentation, or a field's name, and a
// character of text). It breaks at the last space that fits, unless the
// word after it is too long for a continuation line of next columns anyway
// (a path), or the space would leave the line less than half full: then
// the line is filled up to a "/_-" in that word or, failing one and when
// the word is too long, to its end.
func breakAt(cells []cell, room, lead, next int) int {
	used, fit := 0, 0
	for fit < len(cells) && used+cells[fit].w <= room {
		used += cells[fit].w
		fit++
	}
	if fit == len(cells) {
		return fit
	}
	if cells[fit].space && fit > lead {
		return fit
	}
	space, soft := -1, -1
	for k := fit; k > lead; k-- {
		c := cells[k-1]
		if c.space && k >= 2 && !cells[k-2].space {
			space = k
			break
		}
		if soft < 0 && strings.ContainsRune("/_-", c.r) {
			soft = k
		}
	}
	if space > 0 {
		word := 0
		for k := space; k < len(cells) && !cells[k].space; k++ {
			word += cells[k].w
		}
		// A space that leaves the line half empty gives way to a break
		// inside the next word (catalogue_by_/library), if it has one.
		if word <= next && (soft < 0 || 2*space >= fit) {
			return space
		}
	}
	if soft > 0 {
		return soft
	}
	return max(1, fit)
}

// leadCells is how many cells the first line keeps before any break: up
// to column hang when it is set (>= 0), else the indentation.
func leadCells(cells []cell, hang int) int {
	col := 0
	for k, c := range cells {
		if hang >= 0 && col >= hang || hang < 0 && !c.space {
			return k
		}
		col += c.w
	}
	return len(cells)
}

// segsOf turns cells back into segments in their line's styles.
func segsOf(l segLine, cells []cell) segLine {
	var out segLine
	var b strings.Builder
	cur := -1
	flush := func() {
		if cur >= 0 && b.Len() > 0 {
			out = append(out, seg{st: l[cur].st, text: b.String(), solid: l[cur].solid})
		}
		b.Reset()
	}
	for _, c := range cells {
		if c.seg != cur {
			flush()
			cur = c.seg
		}
		b.WriteRune(c.r)
	}
	flush()
	return out
}
