// Package doc is a long text shown in a pane (the Detail pane, the audit
// log's entries): lines of styled segments, wrapped at word boundaries to
// the pane's width, and SQL, highlighted. SQL too large to handle whole (a
// data migration of many megabytes) is kept as the revision's own text,
// never copied: its lines are found once, each is one row cut at the
// pane's width, and only the rows on screen are highlighted and drawn, so
// that showing it costs the same whatever its size.
package doc

import (
	"strings"

	"retort/models"
	"retort/ui/seg"
	"retort/ui/theme"
)

// LargeSQL is the size from which SQL is shown row by row (cut, not
// wrapped) and highlighted as it is drawn, instead of being highlighted and
// wrapped whole.
const LargeSQL = 256 << 10

// Doc is a text to show: its parts in order. It is built once and only
// read afterwards, so copies share it.
type Doc struct {
	parts []part
}

// part is a run of lines, or a large SQL text.
type part struct {
	lines []seg.Line
	large *Large
}

// Add appends lines.
func (d *Doc) Add(lines ...seg.Line) {
	if n := len(d.parts); n > 0 && d.parts[n-1].large == nil {
		d.parts[n-1].lines = append(d.parts[n-1].lines, lines...)
		return
	}
	d.parts = append(d.parts, part{lines: lines})
}

// AddSQL appends SQL, highlighted: whole when it is small, else as a Large
// text, drawn row by row.
func (d *Doc) AddSQL(st *theme.Styles, sql string) {
	if len(sql) < LargeSQL {
		d.Add(seg.SQL(st, sql)...)
		return
	}
	d.AddLarge(NewLarge(sql))
}

// AddLarge appends a large SQL text.
func (d *Doc) AddLarge(l *Large) { d.parts = append(d.parts, part{large: l}) }

// Rule is a section's heading: "── upgrade ──".
func Rule(st *theme.Styles, name string) seg.Line {
	return seg.Styled(&st.Dim, st.Sym("── ", "-- ")+name+st.Sym(" ──", " --"))
}

// AddSection appends a revision section's SQL, highlighted; absent says
// that the file has no such section. SQL too large to show whole is shown
// a row a line, cut at the width, and says so.
func (d *Doc) AddSection(st *theme.Styles, s models.Section, absent string) {
	switch {
	case !s.Present:
		d.Add(seg.Styled(&st.Warn, absent))
	case strings.TrimSpace(s.SQL) == "":
		d.Add(seg.Styled(&st.Dim, "(no statements)"))
	case len(s.SQL) >= LargeSQL:
		large := NewLarge(s.SQL)
		d.Add(seg.Styled(&st.Dim, "("+large.Size()+": each line one row, cut at the width)"))
		d.AddLarge(large)
	default:
		d.Add(seg.SQL(st, s.SQL)...)
	}
}

// Lines are the doc's lines, without its large SQL texts.
func (d Doc) Lines() []seg.Line {
	var out []seg.Line
	for _, p := range d.parts {
		out = append(out, p.lines...)
	}
	return out
}

// Wrapped is a doc laid out at a width: its rows.
type Wrapped struct {
	parts []part
	// ends are the row after each part.
	ends  []int
	width int
}

// Wrap lays the doc out at width w: its lines are wrapped, the rows of its
// large texts counted.
func (d Doc) Wrap(w int) Wrapped {
	out := Wrapped{parts: make([]part, len(d.parts)), ends: make([]int, len(d.parts)), width: w}
	n := 0
	for k, p := range d.parts {
		if p.large != nil {
			out.parts[k] = p
			n += p.large.Rows()
		} else {
			out.parts[k] = part{lines: seg.Wrap(p.lines, w)}
			n += len(out.parts[k].lines)
		}
		out.ends[k] = n
	}
	return out
}

// Len is the number of rows.
func (w Wrapped) Len() int {
	if len(w.ends) == 0 {
		return 0
	}
	return w.ends[len(w.ends)-1]
}

// Render draws n rows from row off, each exactly the width.
func (w Wrapped) Render(st *theme.Styles, off, n int) []string {
	out := make([]string, 0, max(0, min(n, w.Len()-off)))
	start := 0
	for k, p := range w.parts {
		end := w.ends[k]
		if off >= end || len(out) == n {
			start = end
			continue
		}
		from := max(off, start) - start
		take := min(n-len(out), end-start-from)
		if p.large != nil {
			out = append(out, p.large.Render(st, from, take, w.width)...)
		} else {
			for _, l := range p.lines[from : from+take] {
				out = append(out, l.Render(st, w.width))
			}
		}
		start = end
	}
	return out
}

// Plain is the rows as plain text, for tests and searches: the large texts'
// rows as they are drawn.
func (w Wrapped) Plain(st *theme.Styles) []string {
	rows := w.Render(st, 0, w.Len())
	for k := range rows {
		rows[k] = strings.TrimRight(stripStyles(rows[k]), " ")
	}
	return rows
}
