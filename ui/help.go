package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"retort/lanes"
	"retort/ui/pane"
	"retort/ui/seg"
	"retort/ui/theme"
)

// helpScreen is the help screen: every key, in groups, and notes. It is
// taller than a small terminal, and scrolls.
type helpScreen struct {
	open bool
	// offset is how far the screen is scrolled.
	offset int
	model  help.Model
}

// newHelpScreen is the help screen, closed.
func newHelpScreen(st *theme.Styles) helpScreen { return helpScreen{model: newHelp(st)} }

// show opens the screen at its top.
func (s helpScreen) show() helpScreen {
	s.open, s.offset = true, 0
	return s
}

// close closes the screen.
func (s helpScreen) close() helpScreen {
	s.open, s.offset = false, 0
	return s
}

// view is the screen scrolled to its offset, and the scroll position for
// the border.
func (s helpScreen) view(st *theme.Styles, groups []helpGroup, width, height int) ([]string, string) {
	lines := helpLines(st, s.model, groups, width)
	off := pane.ClampOffset(s.offset, len(lines), height)
	return lines[off:min(off+height, len(lines))], pane.ScrollInfo(off, height, len(lines))
}

// scroll applies a scrolling key or the wheel.
func (s helpScreen) scroll(msg tea.Msg, k pane.ScrollKeys, st *theme.Styles, groups []helpGroup, width, height int) helpScreen {
	total := len(helpLines(st, s.model, groups, width))
	if off, ok := k.Scroll(msg, pane.ClampOffset(s.offset, total, height), total, height); ok {
		s.offset = off
	}
	return s
}

// newHelp is bubbles/help with the UI's styles (its default styles use
// AdaptiveColor, whose background query stalls in tmux).
func newHelp(st *theme.Styles) help.Model {
	h := help.New()
	h.ShortSeparator = st.Sym(" · ", " | ")
	h.Ellipsis = st.Ellipsis()
	h.Styles = help.Styles{
		ShortKey: st.Key, ShortDesc: st.Footer, ShortSeparator: st.Footer, Ellipsis: st.Footer,
		FullKey: st.Key, FullDesc: lipgloss.NewStyle(), FullSeparator: st.Footer,
	}
	return h
}

// helpLines is the help screen: every key, in titled groups laid out in as
// many columns as the width allows, then notes wrapped to the width.
func helpLines(st *theme.Styles, h help.Model, groups []helpGroup, width int) []string {
	out := keyColumns(st, h, groups, width)
	for _, l := range seg.Wrap(helpNotes(st), width) {
		out = append(out, l.Render(st, width))
	}
	return out
}

// keyColumns lays the groups out in as many columns as the width allows.
func keyColumns(st *theme.Styles, h help.Model, groups []helpGroup, width int) []string {
	type block struct {
		lines []string
		width int
	}
	var blocks []block
	for _, g := range groups {
		b := block{lines: []string{st.Bold.Render(g.title)}}
		b.lines = append(b.lines, strings.Split(h.FullHelpView([][]key.Binding{g.keys}), "\n")...)
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
				line.WriteString(st.Fit(cell, b.width) + "    ")
			}
			out = append(out, st.Fit(line.String(), width))
		}
		out = append(out, st.Fit("", width))
		blocks = blocks[n:]
	}
	return out
}

// helpNotes are the notes below the keys.
func helpNotes(st *theme.Styles) []seg.Line {
	g := st.Glyphs
	notes := []string{
		"Selection: the row under " + g.Cursor + " is what u/U/d/D/s/p/n/e act on, whichever pane has the focus.",
		"Downgrades, and stamps back down (they take revisions out of the version table), show every step and its SQL and run only after you type the target's id; upgrades and other stamps ask for enter (or y).",
		"Search: / then type (ctrl+n/ctrl+p move between matches), enter keeps it, ] and [ move between its matches later.",
		"Glyphs: " + g.Node(lanes.Applied) + " applied  " + g.Node(lanes.Pending) + " pending  " +
			g.Node(lanes.Current) + " current (a row of the version table)  " +
			g.Node(lanes.MergeApplied) + "/" + g.Node(lanes.MergePending) + " merge, applied/pending  " +
			g.Node(lanes.Missing) + " missing (no file defines it). Solid lines are parents, dashed lines depends_on; " +
			g.Cut + " at the right of the lanes: more lanes than fit.",
		"Badges say in words what the glyph says: current, head, merge, branchpt, base, broken, missing, " + st.Sym("⚠", "!") + " drift.",
		"Labels: the branch labels the revision carries, as Alembic passes them on along its branch; the Detail pane says which ones the revision declares itself.",
		"Review: M on a merge shows its branches side by side, what each revision touches and, marked " + st.Sym("⚠", "!") +
			", what more than one branch touches; space marks heads to review them instead. R rehearses the selected revision in a scratch database (upgrade, downgrade, upgrade again), never the live one.",
		"tab gives the focus to Detail and Log, where the arrows, j/k, pgup/pgdn and g/G scroll; the focused pane has a heavy border.",
		"The status bar shows the database (password masked), the version rows, the heads, the pending count and who holds the migration lock.",
		"esc, ? or q closes this screen.",
	}
	ls := make([]seg.Line, len(notes))
	for k, n := range notes {
		ls[k] = seg.Styled(&st.Dim, n)
	}
	return ls
}

// helpGroups are the help screen's groups: the main screen's keys, then
// under its name each pane's keys that those do not list, then the
// modal's, the search box's and the mouse's.
func helpGroups(k keyMap, panes []pane.Pane) []helpGroup {
	groups := k.screenGroups()
	listed := map[key.Help]bool{}
	for _, g := range groups {
		for _, b := range g.keys {
			listed[b.Help()] = true
		}
	}
	for _, p := range panes {
		var own []key.Binding
		for _, g := range p.FullHelp() {
			for _, b := range g {
				if !listed[b.Help()] {
					own = append(own, b)
					listed[b.Help()] = true
				}
			}
		}
		if len(own) > 0 {
			groups = append(groups, helpGroup{title: p.Title(maxGroupTitle), keys: own})
		}
	}
	return append(groups, k.legendGroups()...)
}

// maxGroupTitle is the room a pane's name has as a group's title.
const maxGroupTitle = 30
