package reviewview

import (
	"strings"

	"retort/models"
	"retort/review"
	"retort/ui/seg"
	"retort/ui/theme"
	"retort/visible"
)

// column is one branch: a line per revision, then a line per object it
// touches and per note. Every line names its revision, and an object line
// its object: enter shows the statements of either.
type column struct {
	title string
	lines []seg.Line
	items []item
	// cursor is the selected line, top the first shown.
	cursor, top int
}

// item is what a line of a column is about.
type item struct {
	rev *review.Revision
	// obj is the object of an object line, nil otherwise; flagged, that
	// it is shared and the revision's touch counts.
	obj     *review.Object
	flagged bool
}

// buildColumns lays out the review's branches as columns.
func buildColumns(st *theme.Styles, r *review.Review) []column {
	cols := make([]column, len(r.Branches))
	for k := range r.Branches {
		b := &r.Branches[k]
		c := &cols[k]
		c.title = branchTitle(st, b)
		for n := range b.Revisions {
			rv := &b.Revisions[n]
			c.add(revisionLine(st, rv), item{rev: rv})
			for _, o := range rv.Objects() {
				obj := o.Object
				flagged := r.Flagged(rv, obj)
				c.add(objectLine(st, o, flagged), item{rev: rv, obj: &obj, flagged: flagged})
			}
			for _, note := range rv.Notes {
				c.add(seg.Styled(&st.Dim, "   note: "+visible.Line(note)), item{rev: rv})
			}
		}
		if len(b.Revisions) == 0 {
			c.add(seg.Styled(&st.Dim, "no revision since the common ancestor"), item{})
		}
		c.cursor = c.firstFlagged()
	}
	return cols
}

// branchTitle names a branch: its head's short id, its labels and how many
// revisions it has.
func branchTitle(st *theme.Styles, b *review.Branch) string {
	t := models.ShortID(b.Head)
	if len(b.Labels) > 0 {
		t += " (" + strings.Join(b.Labels, ", ") + ")"
	}
	return visible.Line(t) + st.Sym(" · ", " | ") + plural(len(b.Revisions), "revision")
}

// revisionLine is a revision's line: its short id and message; one not
// analysed says so.
func revisionLine(st *theme.Styles, rv *review.Revision) seg.Line {
	l := seg.Line{{Style: &st.ID, Text: visible.Line(models.ShortID(rv.ID))}, {Text: " " + visible.Line(rv.Message)}}
	if !rv.Analysed() {
		l = append(l, seg.Seg{Style: &st.Warn, Text: " (not analysed)"})
	}
	return l
}

// objectLine is an object a revision touches and its changes; a shared
// one is marked by a glyph as well as a colour.
func objectLine(st *theme.Styles, o review.Touched, flagged bool) seg.Line {
	text := visible.Line(o.Object.String())
	changes := " " + strings.Join(o.Changes, ",")
	if flagged {
		return seg.Line{{Style: &st.Destructive, Text: " " + st.Sym("⚠", "!") + " " + text}, {Style: &st.Dim, Text: changes}}
	}
	return seg.Line{{Text: "   " + text}, {Style: &st.Dim, Text: changes}}
}

func (c *column) add(l seg.Line, it item) {
	c.lines = append(c.lines, l)
	c.items = append(c.items, it)
}

// firstFlagged is the first flagged line, 0 when there is none.
func (c *column) firstFlagged() int {
	for k, it := range c.items {
		if it.flagged {
			return k
		}
	}
	return 0
}

// moveTo puts the cursor on line k (clamped) and scrolls it into a view
// of height lines.
func (c *column) moveTo(k, height int) {
	n := len(c.lines)
	c.cursor = max(0, min(k, n-1))
	if c.cursor < c.top {
		c.top = c.cursor
	}
	if height > 0 && c.cursor >= c.top+height {
		c.top = c.cursor - height + 1
	}
	c.top = max(0, min(c.top, n-height))
}

// render draws the column's lines from top, width w, height h, the
// cursor's reversed when the column has the focus.
func (c *column) render(st *theme.Styles, w, h int, focused bool) []string {
	out := make([]string, h)
	for k := range out {
		n := c.top + k
		switch {
		case n >= len(c.lines):
			out[k] = strings.Repeat(" ", w)
		case n == c.cursor && focused:
			out[k] = st.Paint(&st.Cursor, st.Pad(c.lines[n].Plain(), w))
		default:
			out[k] = c.lines[n].Render(st, w)
		}
	}
	return out
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return itoa(n) + " " + what + "s"
}
