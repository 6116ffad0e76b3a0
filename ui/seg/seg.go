// Package seg holds text as lines of styled segments: panes that show long
// text (the Detail pane, the modals) keep their lines this way, wrap them at
// word boundaries without their styles, and render only the lines on
// screen.
package seg

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"retort/ui/theme"
)

// Seg is a piece of text in one style (nil: none). The text is plain:
// wrapping breaks it between any two runes, so styled text goes in a
// segment of its own style, never as escape sequences in the text.
type Seg struct {
	Style *lipgloss.Style
	Text  string
	// Hang: when the line wraps, continuation lines start under this
	// segment (a field's value under its first line).
	Hang bool
	// Solid: paint the segment even when it is blank (a text cursor on a
	// space); other blank segments are left unstyled.
	Solid bool
}

// Line is a line of segments.
type Line []Seg

// Plain is a line of text without a style.
func Plain(s string) Line { return Line{{Text: s}} }

// Styled is a line of text in one style.
func Styled(st *lipgloss.Style, s string) Line { return Line{{Style: st, Text: s}} }

// Plain is the line's text without styles.
func (l Line) Plain() string {
	var b strings.Builder
	for _, s := range l {
		b.WriteString(s.Text)
	}
	return b.String()
}

// Width is the line's width in columns.
func (l Line) Width() int {
	n := 0
	for _, s := range l {
		n += ansi.StringWidth(s.Text)
	}
	return n
}

// Render draws the line padded (or cut) to w columns.
func (l Line) Render(st *theme.Styles, w int) string {
	var b strings.Builder
	used := 0
	for _, s := range l {
		if used >= w {
			break
		}
		text := s.Text
		if tw := ansi.StringWidth(text); used+tw > w {
			text = ansi.Truncate(text, w-used, st.Ellipsis())
		}
		used += ansi.StringWidth(text)
		if s.Style != nil && (s.Solid || strings.TrimSpace(text) != "") {
			text = st.Paint(s.Style, text)
		}
		b.WriteString(text)
	}
	if used < w {
		b.WriteString(strings.Repeat(" ", w-used))
	}
	return b.String()
}

// Wrap wraps lines to w columns at word boundaries: after a space
// when it can, else after one of "/_-" (paths and long identifiers), and
// only mid-word when a word is longer than the line. Continuation lines are
// indented under the segment marked hang (a field's value), or else two
// columns deeper than the line's own indentation, so that a wrapped
// statement reads as one.
func Wrap(lines []Line, w int) []Line {
	if w < 8 {
		return lines
	}
	out := make([]Line, 0, len(lines))
	for _, l := range lines {
		if l.Width() <= w {
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

func wrapLine(l Line, w int) []Line {
	var cells []cell
	indent, hang := -1, -1
	col := 0
	for k, s := range l {
		if s.Hang && hang < 0 {
			hang = col
		}
		for _, r := range s.Text {
			// A solid blank (the cursor on a space) is no place to break
			// and is kept at the start of a line.
			c := cell{r: r, w: ansi.StringWidth(string(r)), seg: k, space: r == ' ' && !s.Solid}
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
	var out []Line
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
		line := Line{}
		if !first {
			line = append(line, Seg{Text: strings.Repeat(" ", hang)})
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
func segsOf(l Line, cells []cell) Line {
	var out Line
	var b strings.Builder
	cur := -1
	flush := func() {
		if cur >= 0 && b.Len() > 0 {
			out = append(out, Seg{Style: l[cur].Style, Text: b.String(), Solid: l[cur].Solid})
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
