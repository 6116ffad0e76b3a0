package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/ansi"

	"retort/ui/theme"
)

// View draws the screen: status bar, panes (or the modal, or the help),
// and the footer. Every part was rendered to its exact size in Update;
// View only joins lines, so a frame costs little whatever the history's
// size.
func (m Model) View() string {
	sc := m.screen
	if !sc.ready {
		return "retort: starting" + m.ctx.Styles.Dots()
	}
	if sc.width < minWidth || sc.height < minHeight {
		return tooSmallView(m.ctx.Styles, sc.width, sc.height)
	}
	facts := statusFacts{engine: m.cfg.DB, dbName: m.cfg.DBName, dbFile: m.cfg.DBFile, conn: m.conn,
		loaded: m.loaded, lock: m.lock, running: m.actions.running()}
	lines := make([]string, 0, sc.height)
	lines = append(lines, m.status.view(m.ctx.Styles, facts, sc.width, m.busy()))
	lines = append(lines, m.bodyView()...)
	lines = append(lines, m.footerView())
	return strings.Join(lines, "\n")
}

// minWidth and minHeight are the smallest terminal the panes are drawn in:
// below, borders and titles would not leave a line of content.
const minWidth, minHeight = 20, 6

// tooSmallView fills a terminal too small for the panes with a message that
// says so, still exactly the terminal's size so that nothing wraps.
func tooSmallView(st *theme.Styles, w, h int) string {
	msg := []string{"terminal too small", "need " + itoa(minWidth) + "x" + itoa(minHeight), "q quits"}
	lines := make([]string, h)
	for k := range lines {
		text := ""
		if k < len(msg) {
			text = msg[k]
		}
		lines[k] = st.Fit(text, w)
	}
	return strings.Join(lines, "\n")
}

// bodyView draws the body: the panes, or the modal or help in their place.
func (m Model) bodyView() []string {
	st, l := m.ctx.Styles, m.layout()
	switch m.mode() {
	case modeModal:
		if m.actions.open {
			return st.Box(m.actions.modal.Title(), m.actions.modal.ScrollInfo(), m.actions.modal.View(), l.body, true)
		}
		info := m.modal.Info()
		return st.Box(m.modal.Title(theme.TitleRoom(l.body, info)), info, m.modal.View(), l.body, true)
	case modeHelp:
		w, h := l.body.Inner()
		lines, info := m.help.view(st, helpGroups(m.keys, m.panes.list), w, h)
		return st.Box("Keys", info, lines, l.body, true)
	}
	boxes := make([][]string, len(m.panes.list))
	for k, p := range m.panes.list {
		if l.shown[k] {
			r := l.rects[k]
			info := p.Info()
			boxes[k] = st.Box(p.Title(theme.TitleRoom(r, info)), info, p.View(), r, k == m.screen.focus)
		}
	}
	return l.lines(boxes)
}

// footerView is the search box or prompt while one is open, else the keys
// that work now (see footerKeys). A notice, while it lasts, takes the
// place of the keys that are not essential (see footerLine).
func (m Model) footerView() string {
	st, w := m.ctx.Styles, m.screen.width
	switch md := m.mode(); md {
	case modeSearch:
		info := ""
		if m.search.query != "" {
			sep := st.Sym(" · ", " | ")
			info = "   " + matchCount(len(m.search.matches)) + sep + "enter keep" + sep + "esc cancel" + sep + "ctrl+n/ctrl+p next/previous"
		}
		return st.Fit(" /"+m.search.input.View(st)+st.Dim.Render(info), w)
	case modePrompt:
		return m.author.view(st, w)
	default:
		essential, more, first := m.footerKeys(md)
		return st.Fit(" "+footerLine(st, m.notice.text, essential, more, first, w-1), w)
	}
}

// minNotice is the least room a notice is shown in beside the keys: below
// it the footer keeps the keys alone (the notice is in the log).
const minNotice = 8

// footerLine is keysLine, or while a notice shows, the notice in place of
// the keys that are not essential: beside the essential ones (after them
// when they come first), which stay whole, and cut to the room they leave.
func footerLine(st *theme.Styles, notice string, essential, more []key.Binding, essentialFirst bool, w int) string {
	if notice == "" {
		return keysLine(st, essential, more, essentialFirst, w)
	}
	keys := keysLine(st, essential, nil, essentialFirst, w)
	sep := st.Paint(&st.Footer, st.Sym(" · ", " | "))
	room := w - ansi.StringWidth(keys) - ansi.StringWidth(sep)
	if room < minNotice {
		return keys
	}
	if ansi.StringWidth(notice) > room {
		notice = ansi.Truncate(notice, room, st.Ellipsis())
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
func keysLine(st *theme.Styles, essential, more []key.Binding, essentialFirst bool, w int) string {
	sep := st.Paint(&st.Footer, st.Sym(" · ", " | "))
	sepW := ansi.StringWidth(sep)
	item := func(b key.Binding) string {
		h := b.Help()
		return st.Paint(&st.Key, h.Key) + " " + st.Paint(&st.Footer, h.Desc)
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
	ell := st.Paint(&st.Footer, st.Ellipsis())
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
