package ui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"retort/ui/lanes"
)

// columns are the widths of a History row's parts.
type columns struct {
	lanes                 int // lanes shown (two columns each)
	id, label, badge, msg int
	labels                bool
}

const (
	gutterWidth   = 2
	maxLabelWidth = 16
	maxBadgeWidth = 22
	minMsgWidth   = 12
	shortIDWidth  = 8
)

// layoutColumns fits the columns into the pane: the lanes take at most
// about a third of it, and the labels column goes first when the message
// would get too narrow (the labels are in the detail pane too).
func (m graphModel) layoutColumns() columns {
	c := columns{id: m.h.idWidth, label: min(m.h.labelWidth, maxLabelWidth), labels: m.h.labelWidth > 0}
	for _, b := range m.badges {
		c.badge = max(c.badge, lipgloss.Width(b))
	}
	c.badge = min(c.badge, maxBadgeWidth)
	c.lanes = min(m.h.layout.Width, max(2, m.width*3/10/2))
	fixed := func() int {
		w := gutterWidth + 2*c.lanes + 1 + c.id + 1
		if c.labels {
			w += c.label + 1
		}
		if c.badge > 0 {
			w += c.badge + 1
		}
		return w
	}
	// When the message gets too narrow, the labels go first (the detail
	// pane has them), then the ids shrink to eight characters, which are
	// still unique in any real history.
	if m.width-fixed() < minMsgWidth {
		c.labels = false
	}
	if m.width-fixed() < minMsgWidth+8 && c.id > shortIDWidth {
		c.id = shortIDWidth
	}
	c.msg = max(0, m.width-fixed())
	return c
}

// allBadges computes every row's badges from the graph and the database.
func (m graphModel) allBadges() []string {
	out := make([]string, m.h.len())
	for r := range out {
		out[r] = strings.Join(m.rowBadges(r), " ")
	}
	return out
}

// rowBadges says in words what the node glyph says in shape.
func (m graphModel) rowBadges(r int) []string {
	e := m.h.entries[r]
	if e.Rev < 0 {
		return []string{"missing"}
	}
	g, i := m.h.g, e.Rev
	var b []string
	if m.db != nil && m.db.current[i] {
		b = append(b, "current")
	}
	if g.IsHead(i) {
		b = append(b, "head")
	}
	if g.IsMergePoint(i) {
		b = append(b, "merge")
	}
	if g.IsBranchPoint(i) {
		b = append(b, "branchpt")
	}
	if len(g.Revisions[i].Parents) == 0 {
		b = append(b, "base")
	}
	if len(g.Missing[i]) > 0 {
		b = append(b, "broken")
	}
	if m.db != nil {
		if d, ok := m.db.drift[g.Revisions[i].ID]; ok && d.Changed {
			b = append(b, m.st.sym("⚠ drift", "! drift"))
		}
	}
	return b
}

// nodeKind is the shape of row r's node.
func (m graphModel) nodeKind(r int) lanes.NodeKind {
	e := m.h.entries[r]
	if e.Rev < 0 {
		return lanes.Missing
	}
	applied := m.db != nil && m.db.applied[e.Rev]
	switch {
	case m.db != nil && m.db.current[e.Rev]:
		return lanes.Current
	case m.h.g.IsMergePoint(e.Rev) && applied:
		return lanes.MergeApplied
	case m.h.g.IsMergePoint(e.Rev):
		return lanes.MergePending
	case applied:
		return lanes.Applied
	}
	return lanes.Pending
}

// renderRow draws row r. The cursor row is drawn plain and reversed, so
// that the reversal covers it evenly; the ▶ in the gutter marks it without
// colour.
func (m graphModel) renderRow(r int, cursor bool) string {
	plain := cursor
	var b strings.Builder
	b.WriteString(m.gutter(r, cursor))
	b.WriteString(m.lanesOf(r, plain))
	b.WriteString(" ")
	b.WriteString(m.styled(m.st.id, m.st.pad(ansi.Truncate(m.h.ids[r], m.cols.id, ""), m.cols.id), plain))
	b.WriteString(" ")
	if m.cols.labels {
		b.WriteString(m.styled(m.st.label, m.st.pad(m.h.labels[r], m.cols.label), plain))
		b.WriteString(" ")
	}
	if m.cols.badge > 0 {
		b.WriteString(m.badgeText(r, plain))
		b.WriteString(" ")
	}
	msgStyle := m.st.pending
	if e := m.h.entries[r]; e.Rev < 0 {
		msgStyle = m.st.missing
	} else if m.db != nil && m.db.applied[e.Rev] {
		msgStyle = m.st.applied
	}
	b.WriteString(m.styled(msgStyle, m.st.pad(m.h.msgs[r], m.cols.msg), plain))
	line := m.st.fit(b.String(), m.width)
	if cursor {
		return m.st.cursor.Render(line)
	}
	return line
}

// styled renders s in style unless the row is drawn plain.
func (m graphModel) styled(s lipgloss.Style, text string, plain bool) string {
	if plain || text == "" {
		return text
	}
	return s.Render(text)
}

// gutter is the cursor mark, then a mark for a head marked for a merge or a
// row of the focused revision's ancestry.
func (m graphModel) gutter(r int, cursor bool) string {
	first, second := " ", " "
	if cursor {
		first = m.st.glyphs.Cursor
	}
	rev := m.h.entries[r].Rev
	switch {
	case rev >= 0 && m.marked[rev]:
		second = m.st.sym("✓", "+")
	case rev >= 0 && m.focusAnc != nil && m.focusAnc[rev]:
		second = m.st.glyphs.Mark
	}
	return first + second
}

// badgeText is the badge column of row r.
func (m graphModel) badgeText(r int, plain bool) string {
	text := m.st.pad(m.badges[r], m.cols.badge)
	if plain {
		return text
	}
	st := m.st.badge
	switch b := m.badges[r]; {
	case strings.Contains(b, "drift"), strings.HasPrefix(b, "missing"), strings.Contains(b, "broken"):
		st = m.st.drift
	case strings.HasPrefix(b, "current"):
		st = m.st.current
	}
	return st.Render(text)
}
