package ui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/ansi"
)

// View draws the screen: status bar, panes (or a modal, or the help), and
// the footer. Every part was rendered to its exact size in Update; View only
// joins lines, so a frame costs little whatever the history's size.
func (m Model) View() string {
	if !m.ready {
		return "retort: starting…"
	}
	if m.width < minWidth || m.height < minHeight {
		return m.tooSmallView()
	}
	lines := make([]string, 0, m.height)
	lines = append(lines, m.statusView())
	lines = append(lines, m.bodyView()...)
	lines = append(lines, m.footerView())
	return strings.Join(lines, "\n")
}

// minWidth and minHeight are the smallest terminal the panes are drawn in:
// below, borders and titles would not leave a line of content.
const minWidth, minHeight = 20, 6

// tooSmallView fills a terminal too small for the panes with a message that
// says so, still exactly the terminal's size so that nothing wraps.
func (m Model) tooSmallView() string {
	msg := []string{"terminal too small", "need " + itoa(minWidth) + "x" + itoa(minHeight), "q quits"}
	lines := make([]string, m.height)
	for k := range lines {
		text := ""
		if k < len(msg) {
			text = msg[k]
		}
		lines[k] = m.st.fit(text, m.width)
	}
	return strings.Join(lines, "\n")
}

// bodyView draws the body: the panes, or the modal or help in their place.
func (m Model) bodyView() []string {
	l := computeLayout(m.width, m.height, m.logSize, m.zoom, m.focus)
	switch m.mode {
	case modeModal:
		return m.st.box(m.modal.title, m.modal.scrollInfo(), m.modal.View(), l.body, true)
	case modeHelp:
		lines, info := m.helpView(l.body.inner())
		return m.st.box("Keys", info, lines, l.body, true)
	}
	boxes := [paneCount][]string{}
	for p := range paneCount {
		if l.shown[p] {
			boxes[p] = m.st.box(m.paneTitle(p), m.paneInfo(p), m.paneLines(p), l.panes[p], p == m.focus)
		}
	}
	out := make([]string, 0, l.body.h)
	switch {
	case m.zoom:
		out = append(out, boxes[m.focus]...)
	case l.stacked:
		out = append(append(append(out, boxes[paneHistory]...), boxes[paneDetail]...), boxes[paneLog]...)
	default:
		for k := range boxes[paneHistory] {
			right := ""
			if k < len(boxes[paneDetail]) {
				right = boxes[paneDetail][k]
			}
			out = append(out, boxes[paneHistory][k]+right)
		}
		out = append(out, boxes[paneLog]...)
	}
	for len(out) < l.body.h {
		out = append(out, strings.Repeat(" ", m.width))
	}
	return out[:l.body.h]
}

func (m Model) paneLines(p pane) []string {
	switch p {
	case paneHistory:
		return m.graph.View()
	case paneDetail:
		return m.detail.View()
	}
	return m.log.View()
}

func (m Model) paneTitle(p pane) string {
	switch p {
	case paneDetail:
		if m.detail.title != "" {
			// The badges go before the id is cut.
			l := computeLayout(m.width, m.height, m.logSize, m.zoom, m.focus)
			if id, _, ok := strings.Cut(m.detail.title, " · "); ok && ansi.StringWidth(m.detail.title) > titleRoom(l.panes[p], m.paneInfo(p)) {
				return id
			}
			return m.detail.title
		}
	case paneLog:
		if m.run != nil {
			return "Log · running"
		}
	}
	return paneNames[p]
}

// paneInfo is the right side of a pane's top border: where it is scrolled.
func (m Model) paneInfo(p pane) string {
	switch p {
	case paneHistory:
		if n := m.hist.len(); n > 0 {
			info := ""
			if m.search.query != "" && len(m.search.matches) > 0 {
				info = "match " + itoa(m.search.position(m.graph.cursor)) + "/" + itoa(len(m.search.matches)) + "  "
			}
			return info + itoa(m.graph.cursor+1) + "/" + itoa(n)
		}
	case paneDetail:
		return m.detail.scrollInfo()
	case paneLog:
		return m.log.scrollInfo()
	}
	return ""
}

// footerView is the search box or prompt while one is open, else the keys
// that work now: the most useful ones on the main screen with `? help` and
// `q quit` always whole at the end, the modal's with its run and cancel
// keys always whole at the start, the help screen's with how to close it.
// A notice, while it lasts, takes the place of the keys that are not
// essential (see footerKeys).
func (m Model) footerView() string {
	st := m.st
	switch {
	case m.mode == modeSearch:
		info := ""
		if m.search.query != "" {
			info = "   " + matchCount(len(m.search.matches)) + " · enter keep · esc cancel · ctrl+n/ctrl+p next/previous"
		}
		return st.fit(" /"+m.search.input.View(st)+st.dim.Render(info), m.width)
	case m.mode == modePrompt:
		return st.fit(" "+st.bold.Render(m.prompt.label)+" "+m.prompt.input.View(st)+st.dim.Render("   enter ok · esc cancel"), m.width)
	case m.mode == modeModal:
		essential, more := m.modal.shortHelp()
		return st.fit(" "+footerKeys(st, m.notice, essential, more, true, m.width-1), m.width)
	case m.mode == modeHelp:
		return st.fit(" "+footerKeys(st, m.notice, m.keys.helpScreenKeys(), m.keys.helpScrollKeys(), true, m.width-1), m.width)
	}
	return st.fit(" "+footerKeys(st, m.notice, m.keys.footerFixed(), m.keys.footerMore(), false, m.width-1), m.width)
}

// minNotice is the least room a notice is shown in beside the keys: below
// it the footer keeps the keys alone (the notice is in the log).
const minNotice = 8

// footerKeys is keysLine, or while a notice shows, the notice in place of
// the keys that are not essential: beside the essential ones (after them
// when they come first), which stay whole, and cut to the room they leave.
func footerKeys(st *styles, notice string, essential, more []key.Binding, essentialFirst bool, w int) string {
	if notice == "" {
		return keysLine(st, essential, more, essentialFirst, w)
	}
	keys := keysLine(st, essential, nil, essentialFirst, w)
	sep := st.paint(&st.footer, st.sym(" · ", " | "))
	room := w - ansi.StringWidth(keys) - ansi.StringWidth(sep)
	if room < minNotice {
		return keys
	}
	if ansi.StringWidth(notice) > room {
		notice = ansi.Truncate(notice, room, st.ellipsis())
	}
	if essentialFirst {
		return keys + sep + notice
	}
	return notice + sep + keys
}

// keysLine draws key bindings as "key what · key what" in w columns: the
// essential ones whole (first, or last when essentialFirst is false), and
// as many of the others, in order, as fit; an ellipsis stands for the ones
// left out.
func keysLine(st *styles, essential, more []key.Binding, essentialFirst bool, w int) string {
	sep := st.paint(&st.footer, st.sym(" · ", " | "))
	sepW := ansi.StringWidth(sep)
	item := func(b key.Binding) string {
		h := b.Help()
		return st.paint(&st.key, h.Key) + " " + st.paint(&st.footer, h.Desc)
	}
	var fixed []string
	used := 0
	for _, b := range essential {
		if b.Enabled() {
			fixed = append(fixed, item(b))
			used += ansi.StringWidth(fixed[len(fixed)-1]) + sepW
		}
	}
	var rest []string
	ell := st.paint(&st.footer, st.ellipsis())
	for k, b := range more {
		if !b.Enabled() {
			continue
		}
		s := item(b)
		need := ansi.StringWidth(s) + sepW
		// Room for an ellipsis after this one, unless it is the last.
		reserve := 0
		if k < len(more)-1 {
			reserve = ansi.StringWidth(ell) + sepW
		}
		if fits := used+need+reserve <= w+sepW; !fits {
			// The ellipsis only where it leaves the essential keys whole.
			if used+ansi.StringWidth(ell)+sepW <= w+sepW {
				rest = append(rest, ell)
			}
			break
		}
		rest = append(rest, s)
		used += need
	}
	parts := append(rest, fixed...)
	if essentialFirst {
		parts = append(fixed, rest...)
	}
	return strings.Join(parts, sep)
}

func itoa(n int) string { return strconv.Itoa(n) }

func matchCount(n int) string {
	if n == 1 {
		return "1 match"
	}
	return itoa(n) + " matches"
}
