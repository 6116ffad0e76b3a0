package audit

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"

	"retort/engine"
	"retort/models"
	"retort/ui/confirm"
	"retort/ui/pane"
	"retort/ui/plain"
	"retort/ui/seg"
	"retort/visible"
)

// errText is what the view says about an error.
func errText(err error) string { return plain.Error(err) }

// rowsHeight is how many entries the list shows: the view's height less
// its header and its last line (the filter).
func (m Model) rowsHeight() int { return max(1, m.Height-2) }

// View draws the list (a header, the entries, the filter) or the entry
// shown in full.
func (m Model) View() []string {
	if m.entry >= 0 {
		return m.text.Render(m.Styles, m.offset, m.Height)
	}
	st := m.Styles
	out := make([]string, 0, m.Height)
	out = append(out, seg.Styled(&st.Dim, m.header()).Render(st, m.Width))
	switch {
	case m.loading && len(m.entries) == 0:
		out = append(out, seg.Styled(&st.Dim, "reading the audit log"+st.Ellipsis()).Render(st, m.Width))
	case m.err != "":
		out = append(out, seg.Styled(&st.ErrText, "cannot read the audit log: "+visible.Line(m.err)).Render(st, m.Width))
	case len(m.entries) == 0:
		out = append(out, seg.Plain("the audit log is empty: retort has run nothing on this database (Alembic keeps no log)").Render(st, m.Width))
	case len(m.shown) == 0:
		out = append(out, seg.Plain("no entry matches the filter (esc clears it)").Render(st, m.Width))
	}
	end := min(m.top+m.rowsHeight(), len(m.shown))
	for r := m.top; r < end && len(out) < m.Height-1; r++ {
		out = append(out, m.row(m.entries[m.shown[r]], r == m.cursor))
	}
	for len(out) < m.Height-1 {
		out = append(out, strings.Repeat(" ", m.Width))
	}
	return append(out, m.filterLine())[:min(len(out)+1, m.Height)]
}

// columns are the widths of the list's columns: the revision id as the
// History shows it.
func (m Model) idColumn() int {
	if m.idWidth > 0 {
		return m.idWidth
	}
	return 12
}

// header names the columns.
func (m Model) header() string {
	return fmt.Sprintf("  %-*s  %-9s %-*s   %-9s %7s  %s", len(m.timeFormat()), "finished", "step", m.idColumn(), "revision", "outcome", "took", "who (OS user@host as database user)")
}

// timeFormat is how a row says when its step finished: without the year
// on a narrow screen, where who ran it needs the room.
func (m Model) timeFormat() string {
	if m.Width < 100 {
		return "01-02 15:04"
	}
	return "2006-01-02 15:04"
}

// row draws an entry on one line: when it finished, its direction and
// revision, a mark when the revision's file changed since (drift), its
// outcome, how long it took, who ran it, and its error.
func (m Model) row(e engine.LogEntry, cursor bool) string {
	st := m.Styles
	gutter := "  "
	if cursor {
		gutter = st.Glyphs.Cursor + " "
	}
	ids := revisionsOf(e)
	rev := []rune(visible.Line(ids[0]))
	if len(rev) > m.idColumn() {
		rev = rev[:m.idColumn()]
	}
	revText := string(rev)
	if len(ids) > 1 {
		revText = fmt.Sprintf("%s +%d", string(rev), len(ids)-1)
	}
	mark := "  "
	if m.drifted(e) {
		mark = st.Sym("⚠ ", "! ")
	}
	outcome := &st.OKText
	switch e.Outcome {
	case engine.OutcomeFailed:
		outcome = &st.ErrText
	case engine.OutcomeCancelled:
		outcome = &st.Warn
	}
	line := seg.Line{
		{Text: gutter + e.FinishedAt.Local().Format(m.timeFormat()) + "  "},
		{Text: fmt.Sprintf("%-9s ", visible.Line(e.Direction))},
		{Style: &st.ID, Text: fmt.Sprintf("%-*s ", m.idColumn(), revText)},
		{Style: &st.Drift, Text: mark},
		{Style: outcome, Text: fmt.Sprintf("%-9s", visible.Line(e.Outcome))},
		{Text: fmt.Sprintf(" %7s  ", confirm.FormatDuration(st, e.FinishedAt.Sub(e.StartedAt)))},
		{Text: visible.Line(who(e))},
	}
	if e.Error != "" {
		line = append(line, seg.Seg{Style: &st.ErrText, Text: "  " + visible.Line(e.Error)})
	}
	if cursor {
		// The cursor's row is reversed whole, without its own styles.
		return st.Paint(&st.Cursor, seg.Plain(line.Plain()).Render(st, m.Width))
	}
	return line.Render(st, m.Width)
}

// who is "os@host as dbuser".
func who(e engine.LogEntry) string {
	s := e.OSUser
	if e.Host != "" {
		s += "@" + e.Host
	}
	if e.DBUser != "" {
		s += " as " + e.DBUser
	}
	return s
}

// drifted reports an entry whose revision's file is no longer the one
// that ran: its checksum differs from the one the log recorded.
func (m Model) drifted(e engine.LogEntry) bool {
	rev := m.revision(e)
	return rev != nil && e.SHA256 != "" && rev.Checksum != e.SHA256
}

// revision is the revision an upgrade or downgrade entry ran, nil for a
// stamp or a revision no file defines now.
func (m Model) revision(e engine.LogEntry) *models.Revision {
	h := m.session.Hist
	if h == nil || e.Direction == "stamp" {
		return nil
	}
	if i, ok := h.G.Index[e.Revision]; ok {
		return h.G.Revisions[i]
	}
	return nil
}

// filterLine is the last line: the filter being typed, or the filter in
// force and what it shows, and the legend of the drift mark.
func (m Model) filterLine() string {
	st := m.Styles
	if m.typing {
		return seg.Line(append(seg.Line{{Style: &st.Bold, Text: "filter: "}}, m.filter.Segs(st)...)).Render(st, m.Width)
	}
	parts := []string{fmt.Sprintf("%d of %d entries", len(m.shown), len(m.entries))}
	if len(m.entries) >= Limit {
		parts[0] += fmt.Sprintf(" (the newest %d)", Limit)
	}
	if m.query != "" {
		parts = append(parts, "filter: "+visible.Line(m.query))
	}
	if o := outcomes()[m.outcome]; o != "" {
		parts = append(parts, "outcome: "+o)
	}
	parts = append(parts, st.Sym("⚠", "!")+" the file changed since it ran")
	return seg.Styled(&st.Dim, strings.Join(parts, st.Sym(" · ", " | "))).Render(st, m.Width)
}

// Title names the view, and the entry shown in full.
func (m Model) Title(int) string {
	if e, ok := m.Entry(); ok {
		return "Audit log" + m.Styles.Sym(" · ", " | ") + visible.Line(e.Direction+" "+e.Revision)
	}
	return "Audit log"
}

// Info is where the cursor is in the list, or how far the entry is
// scrolled.
func (m Model) Info() string {
	if m.entry >= 0 {
		return pane.ScrollInfo(m.offset, m.Height, m.text.Len())
	}
	if len(m.shown) == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%d", m.cursor+1, len(m.shown))
}

// ShortHelp are the keys of the list, of the filter or of an entry.
func (m Model) ShortHelp() []key.Binding {
	k := m.keys
	switch {
	case m.typing:
		return []key.Binding{k.Accept, k.Cancel}
	case m.entry >= 0:
		return []key.Binding{k.Back, k.Up, k.Down}
	}
	return []key.Binding{k.Open, k.Filter, k.Outcome, k.Clear, k.Close}
}

// FullHelp are the view's keys.
func (m Model) FullHelp() [][]key.Binding {
	k := m.keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}, {k.Open, k.Filter, k.Outcome, k.Reload, k.Clear, k.Close}}
}
