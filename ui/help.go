package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
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
// many columns as the width allows.
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
	notes := []string{
		"Selection: the row under " + st.glyphs.Cursor + " is what u/U/d/D/s/p/n/e act on.",
		"Downgrades show every step and its SQL and run only after you type the target's id.",
		"Search: / then type (ctrl+n/ctrl+p move between matches), enter keeps it, ]/[ later.",
		"Glyphs: " + st.glyphs.Node(1) + " applied  " + st.glyphs.Node(0) + " pending  " + st.glyphs.Node(2) +
			" current  " + st.glyphs.Node(4) + "/" + st.glyphs.Node(3) + " merge  " + st.glyphs.Node(5) +
			" missing; solid lines parents, dashed depends_on.",
		"esc or ? closes this screen.",
	}
	for _, n := range notes {
		out = append(out, st.fit(st.dim.Render(n), width))
	}
	return out
}
