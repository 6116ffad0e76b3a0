package ui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"

	"retort/lanes"
)

// lanesOf draws row r's lanes, cut to the columns the pane gives them (the
// node stays visible, after a cut mark, when its lane is cut off).
func (m graphModel) lanesOf(r int, plain bool) string {
	l := m.h.layout
	var hi func(upper, lower int) bool
	if m.focusAnc != nil {
		hi = func(upper, lower int) bool { return m.inFocus(upper) && m.inFocus(lower) }
	}
	cells := l.Cells(r, hi, nil)
	kind := m.nodeKind(r)
	node := m.st.glyphs.Node(kind)
	nodeStyle := m.nodeStyle(kind, m.inFocus(r))
	var out runs
	shown := cells
	cutOff := len(cells) > m.cols.lanes
	if cutOff {
		shown = cells[:m.cols.lanes-1]
	}
	for _, c := range shown {
		first, second := m.st.glyphs.Cell(c, node)
		switch {
		case c.Node:
			out.add(nodeStyle, first)
		case c.Hi:
			out.add(&m.st.ancestry, first)
		default:
			out.add(nil, first)
		}
		if c.ConnHi {
			out.add(&m.st.ancestry, second)
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
		out.add(&m.st.dim, m.st.glyphs.Cut)
	} else if n := len(cells); n < m.cols.lanes {
		out.add(nil, strings.Repeat("  ", m.cols.lanes-n))
	}
	return out.render(m.st, plain)
}

// inFocus reports whether row r's revision is in the focused ancestry.
func (m graphModel) inFocus(r int) bool {
	if m.focusAnc == nil || r < 0 || r >= len(m.h.entries) {
		return false
	}
	rev := m.h.entries[r].Rev
	return rev >= 0 && m.focusAnc[rev]
}

func (m graphModel) nodeStyle(k lanes.NodeKind, focus bool) *lipgloss.Style {
	switch {
	case focus:
		return &m.st.ancestry
	case k == lanes.Current:
		return &m.st.current
	case k == lanes.Missing:
		return &m.st.missing
	case k == lanes.Applied, k == lanes.MergeApplied:
		return &m.st.applied
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

func (r *runs) render(sty *styles, plain bool) string {
	var b strings.Builder
	for k, st := range r.styles {
		text := r.texts[k]
		if plain || st == nil || strings.TrimSpace(text) == "" {
			b.WriteString(text)
			continue
		}
		b.WriteString(sty.paint(st, text))
	}
	return b.String()
}
