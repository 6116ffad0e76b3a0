package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"retort/lanes"
)

// newHelp is bubbles/help with the UI's styles (its default styles use
// AdaptiveColor, whose background query stalls in tmux).
func newHelp(st *styles) help.Model {
	h := help.New()
	h.ShortSeparator = st.sym(" · ", " | ")
	h.Ellipsis = st.ellipsis()
	h.Styles = help.Styles{
		ShortKey: st.key, ShortDesc: st.footer, ShortSeparator: st.footer, Ellipsis: st.footer,
		FullKey: st.key, FullDesc: lipgloss.NewStyle(), FullSeparator: st.footer,
	}
	return h
}

// helpLines is the help screen: every key, in titled groups laid out in as
// many columns as the width allows, then notes wrapped to the width. It is
// taller than a small terminal: the screen scrolls (helpKey).
func helpLines(st *styles, h help.Model, km help.KeyMap, width int) []string {
	groups := km.FullHelp()
	type block struct {
		lines []string
		width int
	}
	var blocks []block
	for k, g := range groups {
		b := block{lines: []string{st.bold.Render(groupTitles[k])}}
		b.lines = append(b.lines, strings.Split(h.FullHelpView([][]key.Binding{g}), "\n")...)
		for _, l := range b.lines {
			b.width = max(b.width, lipgloss.Width(l))
		}
		blocks = append(blocks, b)
	}
	var out []string
	for len(blocks) > 0 {
		// Take as many blocks as fit side by side.
		n, used := 0, 0
		for n < len(blocks) && (n == 0 || used+blocks[n].width+4 <= width) {
			used += blocks[n].width + 4
			n++
		}
		rows := 0
		for _, b := range blocks[:n] {
			rows = max(rows, len(b.lines))
		}
		for r := range rows {
			var line strings.Builder
			for _, b := range blocks[:n] {
				cell := ""
				if r < len(b.lines) {
					cell = b.lines[r]
				}
				line.WriteString(st.fit(cell, b.width) + "    ")
			}
			out = append(out, st.fit(line.String(), width))
		}
		out = append(out, st.fit("", width))
		blocks = blocks[n:]
	}
	g := st.glyphs
	notes := []string{
		"Selection: the row under " + g.Cursor + " is what u/U/d/D/s/p/n/e act on, whichever pane has the focus.",
		"Downgrades show every step and its SQL and run only after you type the target's id; upgrades and stamps ask for enter (or y).",
		"Search: / then type (ctrl+n/ctrl+p move between matches), enter keeps it, ] and [ move between its matches later.",
		"Glyphs: " + g.Node(lanes.Applied) + " applied  " + g.Node(lanes.Pending) + " pending  " +
			g.Node(lanes.Current) + " current (a row of the version table)  " +
			g.Node(lanes.MergeApplied) + "/" + g.Node(lanes.MergePending) + " merge, applied/pending  " +
			g.Node(lanes.Missing) + " missing (no file defines it). Solid lines are parents, dashed lines depends_on; " +
			g.Cut + " at the right of the lanes: more lanes than fit.",
		"Badges say in words what the glyph says: current, head, merge, branchpt, base, broken, missing, " + st.sym("⚠", "!") + " drift.",
		"Labels: the branch labels the revision carries, as Alembic passes them on along its branch; the Detail pane says which ones the revision declares itself.",
		"tab gives the focus to Detail and Log, where the arrows, j/k, pgup/pgdn and g/G scroll; the focused pane has a heavy border.",
		"The status bar shows the database (password masked), the version rows, the heads, the pending count and who holds the migration lock.",
		"esc, ? or q closes this screen.",
	}
	var ls []segLine
	for _, n := range notes {
		ls = append(ls, styledLine(&st.dim, n))
	}
	for _, l := range wrapLines(ls, width) {
		out = append(out, l.render(st, width))
	}
	return out
}

// helpView is the help screen scrolled to its offset, and the scroll
// position for the border.
func (m Model) helpView(width, height int) ([]string, string) {
	lines := helpLines(m.st, m.help, m.keys, width)
	off := clampOffset(m.helpOffset, len(lines), height)
	return lines[off:min(off+height, len(lines))], scrollInfo(off, height, len(lines))
}

// helpKey handles a key on the help screen: it scrolls, or closes it. (A
// burst of typed keys reaches it one key at a time, see handleBurst, so the
// keys after the one that closed the screen go to the main screen.)
func (m Model) helpKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch {
	case msg.String() == "ctrl+c":
		return m, tea.Quit
	case key.Matches(msg, m.keys.help.Close):
		m.mode, m.helpOffset = modeNormal, 0
		return m, nil
	}
	return m.helpScroll(msg), nil
}

// helpMouse scrolls the help screen with the wheel.
func (m Model) helpMouse(msg tea.MouseMsg) (tea.Model, tea.Cmd) {
	return m.helpScroll(msg), nil
}

func (m Model) helpScroll(msg tea.Msg) Model {
	l := computeLayout(m.width, m.height, m.logSize, m.zoom, m.focus)
	w, h := l.body.inner()
	total := len(helpLines(m.st, m.help, m.keys, w))
	if off, ok := m.keys.help.scroll(msg, clampOffset(m.helpOffset, total, h), total, h); ok {
		m.helpOffset = off
	}
	return m
}
