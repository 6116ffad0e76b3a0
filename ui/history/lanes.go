package history

import (
	"strings"

	"github.com/charmbracelet/lipgloss"

	"retort/lanes"
	"retort/ui/theme"
)

// lanesOf draws row r's lanes, cut to the columns the pane gives them (the
// node stays visible, after a cut mark, when its lane is cut off).
func (m Model) lanesOf(r int, plain bool) string {
	l := m.h.Layout
	var hi func(upper, lower int) bool
	if m.focusAnc != nil {
		hi = func(upper, lower int) bool { return m.inFocus(upper) && m.inFocus(lower) }
	}
	cells := l.Cells(r, hi, nil)
	kind := m.nodeKind(r)
	node := m.Styles.Glyphs.Node(kind)
	nodeStyle := m.nodeStyle(kind, m.inFocus(r))
	var out runs
	shown := cells
	cutOff := len(cells) > m.cols.lanes
	if cutOff {
		shown = cells[:m.cols.lanes-1]
	}
	for _, c := range shown {
		first, second := m.Styles.Glyphs.Cell(c, node)
		switch {
		case c.Node:
			out.add(nodeStyle, first)
		case c.Hi:
			out.add(&m.Styles.Ancestry, first)
		default:
			out.add(nil, first)
		}
		if c.ConnHi {
			out.add(&m.Styles.Ancestry, second)
		} else {
			out.add(nil, second)
		}
	}
	if cutOff {
		if int(l.Lane[r]) >= m.cols.lanes-1 {
			out.add(nodeStyle, node)
		} else {
			out.add(nil, " ")
		}
		out.add(&m.Styles.Dim, m.Styles.Glyphs.Cut)
	} else if n := len(cells); n < m.cols.lanes {
		out.add(nil, strings.Repeat("  ", m.cols.lanes-n))
	}
	return out.render(m.Styles, plain)
}

// inFocus reports whether row r's revision is in the focused ancestry.
func (m Model) inFocus(r int) bool {
	if m.focusAnc == nil || r < 0 || r >= len(m.h.Entries) {
		return false
	}
	rev := m.h.Entries[r].Rev
	return rev >= 0 && m.focusAnc[rev]
}

func (m Model) nodeStyle(k lanes.NodeKind, focus bool) *lipgloss.Style {
	switch {
	case focus:
		return &m.Styles.Ancestry
	case k == lanes.Current:
		return &m.Styles.Current
	case k == lanes.Missing:
		return &m.Styles.Missing
	case k == lanes.Applied, k == lanes.MergeApplied:
		return &m.Styles.Applied
	}
	return nil
}

// runs collects text in runs of one style (styles compared by address, nil
// for none), so that a row of lanes costs a few Render calls instead of one
// per glyph.
type runs struct {
	styles []*lipgloss.Style
	texts  []string
}

func (r *runs) add(st *lipgloss.Style, s string) {
	if n := len(r.styles); n > 0 && r.styles[n-1] == st {
		r.texts[n-1] += s
		return
	}
	r.styles = append(r.styles, st)
	r.texts = append(r.texts, s)
}

func (r *runs) render(sty *theme.Styles, plain bool) string {
	var b strings.Builder
	for k, st := range r.styles {
		text := r.texts[k]
		if plain || st == nil || strings.TrimSpace(text) == "" {
			b.WriteString(text)
			continue
		}
		b.WriteString(sty.Paint(st, text))
	}
	return b.String()
}
