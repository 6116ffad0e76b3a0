package history

import (
	"slices"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"retort/lanes"
	"retort/ui/pane"
	"retort/ui/theme"
	"retort/visible"
)

// columns are the widths of a History row's parts.
type columns struct {
	lanes                 int // lanes shown (two columns each)
	id, label, badge, msg int
	labels                bool
	// inline: no badge column; the badges open the message, in brackets
	// ("[head] add users"), as git log --decorate shows refs.
	inline bool
}

const (
	gutterWidth   = 2
	maxLabelWidth = 16
	minLabelWidth = 7
	maxBadgeWidth = 22
	minMsgWidth   = 12
	// inlineMsgWidth is the message width below which the badges move
	// into the message: most rows have none, and get the column back.
	inlineMsgWidth = 20
	ShortIDWidth   = 8
)

// layoutColumns fits the columns into the pane: the lanes take at most
// about a third of it. When the message would get narrower than
// inlineMsgWidth, the ids shrink to eight characters (still unique in any
// real history), then the labels column shrinks down to seven (labels are
// abbreviated to fit, see fitLabels), then the badges move into the
// message (and the labels get back what that frees). Only a pane too
// narrow even for that loses the labels (the Detail pane has them).
func (m Model) layoutColumns() columns {
	c := columns{id: m.h.IDWidth, label: min(m.h.LabelWidth, maxLabelWidth), labels: m.h.LabelWidth > 0}
	for _, b := range m.badges {
		c.badge = max(c.badge, lipgloss.Width(b))
	}
	c.badge = min(c.badge, maxBadgeWidth)
	c.lanes = min(m.h.Layout.Width, max(2, m.Width*3/10/2))
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
	msgW := func() int { return m.Width - fixed() }
	if msgW() < inlineMsgWidth && c.id > ShortIDWidth {
		c.id = ShortIDWidth
	}
	full := c.label
	if lack := inlineMsgWidth - msgW(); lack > 0 && c.labels {
		c.label = max(min(m.h.LabelWidth, minLabelWidth), c.label-lack)
	}
	if msgW() < inlineMsgWidth && c.badge > 0 {
		c.badge, c.inline = 0, true
		if spare := msgW() - inlineMsgWidth; spare > 0 && c.labels {
			c.label = min(full, c.label+spare)
		}
	}
	if msgW() < minMsgWidth/2 {
		c.labels = false
	}
	c.msg = max(0, m.Width-fixed())
	return c
}

// labelCell is row r's labels in w columns: the branch labels the revision
// carries (Alembic's labels apply to the whole branch), those it declares
// itself in their own style; abbreviated when they do not fit.
func (m Model) labelCell(r, w int, plain bool) string {
	e := m.h.Entries[r]
	if e.Rev < 0 || w <= 0 {
		return strings.Repeat(" ", max(0, w))
	}
	rev := m.h.G.Revisions[e.Rev]
	labels := m.h.G.EffectiveLabels[e.Rev]
	names := make([]string, len(labels))
	for k, l := range labels {
		names[k] = visible.Line(l)
	}
	var out strings.Builder
	used := 0
	for k, text := range fitLabels(m.Styles, names, w) {
		if k > 0 {
			out.WriteString(",")
			used++
		}
		used += ansi.StringWidth(text)
		st := &m.Styles.Label
		if slices.Contains(rev.BranchLabels, labels[k]) {
			st = &m.Styles.LabelOwn
		}
		out.WriteString(m.styled(st, text, plain))
	}
	if used < w {
		out.WriteString(strings.Repeat(" ", w-used))
	}
	return out.String()
}

// fitLabels cuts labels so that, joined with commas, they fit in w
// columns: each keeps an equal share of the room (a short one gives what it
// does not need to the others), so that every label stays recognisable
// ("catalog,circula…", "cata,circ") rather than the last ones vanishing.
func fitLabels(st *theme.Styles, labels []string, w int) []string {
	total := max(0, len(labels)-1)
	for _, l := range labels {
		total += ansi.StringWidth(l)
	}
	if total <= w || len(labels) == 0 {
		return labels
	}
	room := w - (len(labels) - 1)
	if len(labels) == 1 || room < 2*len(labels) {
		return []string{st.Cut(strings.Join(labels, ","), w)}
	}
	// Water-filling: the shortest labels are served first.
	order := make([]int, len(labels))
	for k := range order {
		order[k] = k
	}
	slices.SortStableFunc(order, func(a, b int) int { return ansi.StringWidth(labels[a]) - ansi.StringWidth(labels[b]) })
	share := make([]int, len(labels))
	left := room
	for n, k := range order {
		share[k] = min(ansi.StringWidth(labels[k]), left/(len(order)-n))
		left -= share[k]
	}
	// Cut labels end with an ellipsis when all of them keep five columns
	// or more; shorter, they are bare prefixes (one style for all).
	ell := st.Ellipsis()
	for k, l := range labels {
		if ansi.StringWidth(l) > share[k] && share[k] < 5 {
			ell = ""
		}
	}
	out := make([]string, len(labels))
	for k, l := range labels {
		out[k] = l
		if ansi.StringWidth(l) > share[k] {
			out[k] = ansi.Truncate(l, share[k], ell)
		}
	}
	return out
}

// allBadges computes every row's badges from the graph and the database.
func (m Model) allBadges() []string {
	out := make([]string, m.h.Len())
	for r := range out {
		out[r] = strings.Join(pane.Badges(m.Styles, m.h, m.db, r), " ")
	}
	return out
}

// nodeKind is the shape of row r's node.
func (m Model) nodeKind(r int) lanes.NodeKind {
	e := m.h.Entries[r]
	if e.Rev < 0 {
		return lanes.Missing
	}
	applied := m.db != nil && m.db.Applied[e.Rev]
	switch {
	case m.db != nil && m.db.Current[e.Rev]:
		return lanes.Current
	case m.h.G.IsMergePoint(e.Rev) && applied:
		return lanes.MergeApplied
	case m.h.G.IsMergePoint(e.Rev):
		return lanes.MergePending
	case applied:
		return lanes.Applied
	}
	return lanes.Pending
}

// renderRow draws row r. The cursor row is drawn plain and reversed, so
// that the reversal covers it evenly; the ▶ in the gutter marks it without
// colour.
func (m Model) renderRow(r int, cursor bool) string {
	plain := cursor
	var b strings.Builder
	b.WriteString(m.gutter(r, cursor))
	b.WriteString(m.lanesOf(r, plain))
	b.WriteString(" ")
	b.WriteString(m.styled(&m.Styles.ID, m.Styles.Pad(ansi.Truncate(m.h.IDs[r], m.cols.id, ""), m.cols.id), plain))
	b.WriteString(" ")
	if m.cols.labels {
		b.WriteString(m.labelCell(r, m.cols.label, plain))
		b.WriteString(" ")
	}
	if m.cols.badge > 0 {
		b.WriteString(m.badgeText(r, plain))
		b.WriteString(" ")
	}
	b.WriteString(m.messageCell(r, plain))
	line := m.Styles.Fit(b.String(), m.Width)
	if cursor {
		return m.Styles.Paint(&m.Styles.Cursor, line)
	}
	return line
}

// messageCell is row r's message in its column, opened by the badges in
// brackets when they have no column of their own.
func (m Model) messageCell(r int, plain bool) string {
	style := &m.Styles.Pending
	if e := m.h.Entries[r]; e.Rev < 0 {
		style = &m.Styles.Missing
	} else if m.db != nil && m.db.Applied[e.Rev] {
		style = &m.Styles.Applied
	}
	w := m.cols.msg
	if !m.cols.inline || m.badges[r] == "" {
		return m.styled(style, m.Styles.Pad(m.h.Msgs[r], w), plain)
	}
	tag := m.Styles.Cut("["+m.badges[r]+"]", w)
	rest := w - ansi.StringWidth(tag) - 1
	if rest <= 0 {
		return m.styled(m.badgeStyle(r), m.Styles.Pad(tag, w), plain)
	}
	return m.styled(m.badgeStyle(r), tag, plain) + " " + m.styled(style, m.Styles.Pad(m.h.Msgs[r], rest), plain)
}

// styled renders s in style unless the row is drawn plain.
func (m Model) styled(s *lipgloss.Style, text string, plain bool) string {
	if plain || text == "" {
		return text
	}
	return m.Styles.Paint(s, text)
}

// gutter is the cursor mark, then a mark for a head marked for a merge or a
// row of the focused revision's ancestry.
func (m Model) gutter(r int, cursor bool) string {
	first, second := " ", " "
	if cursor {
		first = m.Styles.Glyphs.Cursor
	}
	rev := m.h.Entries[r].Rev
	switch {
	case rev >= 0 && m.marked[rev]:
		second = m.Styles.Sym("✓", "+")
	case rev >= 0 && m.focusAnc != nil && m.focusAnc[rev]:
		second = m.Styles.Glyphs.Mark
	}
	return first + second
}

// badgeText is the badge column of row r.
func (m Model) badgeText(r int, plain bool) string {
	text := m.Styles.Pad(m.badges[r], m.cols.badge)
	if plain {
		return text
	}
	return m.Styles.Paint(m.badgeStyle(r), text)
}

// badgeStyle is the style of row r's badges.
func (m Model) badgeStyle(r int) *lipgloss.Style {
	switch b := m.badges[r]; {
	case strings.Contains(b, "drift"), strings.HasPrefix(b, "missing"), strings.Contains(b, "broken"):
		return &m.Styles.Drift
	case strings.HasPrefix(b, "current"):
		return &m.Styles.Current
	}
	return &m.Styles.Badge
}
