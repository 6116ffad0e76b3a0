package ui

import (
	"github.com/charmbracelet/bubbles/key"

	"retort/ui/history"
	"retort/ui/pane"
	"retort/ui/theme"
)

// actionKeys act on the selected revision, whichever pane has the focus.
type actionKeys struct {
	UpOne, UpTo, DownOne, DownTo, Stamp, Preview key.Binding
	Reload, New, Merge, Edit, WriteLog           key.Binding
	Audit                                        key.Binding
}

func newActionKeys() actionKeys {
	return actionKeys{
		UpOne:    key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "up one")),
		UpTo:     key.NewBinding(key.WithKeys("U"), key.WithHelp("U", "up to here")),
		DownOne:  key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "down one")),
		DownTo:   key.NewBinding(key.WithKeys("D"), key.WithHelp("D", "down to here")),
		Stamp:    key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "stamp")),
		Preview:  key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "preview")),
		Reload:   key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reload")),
		New:      key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "new revision")),
		Merge:    key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "merge marked")),
		Edit:     key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit file")),
		WriteLog: key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "write log")),
		Audit:    key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "audit log")),
	}
}

// jumpKeys move the History cursor from any pane: to the current
// revision, to the next head, through a search. `n` is "new revision", so
// a search's matches are reached with ] and [ (and, while typing, with
// ctrl+n/ctrl+p or the arrows).
type jumpKeys struct {
	Current, Heads, Search, Next, Prev key.Binding
}

func newJumpKeys() jumpKeys {
	return jumpKeys{
		Current: key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "jump to current")),
		Heads:   key.NewBinding(key.WithKeys("h"), key.WithHelp("h", "next head")),
		Search:  key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search")),
		Next:    key.NewBinding(key.WithKeys("]"), key.WithHelp("]", "next match")),
		Prev:    key.NewBinding(key.WithKeys("["), key.WithHelp("[", "previous match")),
	}
}

// globalKeys move between panes and leave.
type globalKeys struct {
	Tab, GrowLog, Zoom, Help, Quit, Escape key.Binding
}

func newGlobalKeys() globalKeys {
	return globalKeys{
		Tab:     key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next pane")),
		GrowLog: key.NewBinding(key.WithKeys("L"), key.WithHelp("L", "grow log")),
		Zoom:    key.NewBinding(key.WithKeys("z"), key.WithHelp("z", "zoom pane")),
		Help:    key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:    key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		Escape:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear focus/search")),
	}
}

// helpKeys are the help screen's: it scrolls like a pane and closes with
// the key that opened it.
type helpKeys struct {
	Close  key.Binding
	scroll pane.ScrollKeys
	// Scroll, Page and Ends only name keys in the footer.
	Scroll, Page, Ends key.Binding
}

func newHelpKeys(st *theme.Styles) helpKeys {
	return helpKeys{
		Close:  key.NewBinding(key.WithKeys("esc", "?", "q", "enter"), key.WithHelp("esc/?", "close help")),
		scroll: pane.NewScrollKeys(st),
		Scroll: key.NewBinding(key.WithKeys("j", "k"), key.WithHelp(st.Sym("j/k ↓/↑", "j/k down/up"), "scroll")),
		Page:   key.NewBinding(key.WithKeys("pgdown", "pgup"), key.WithHelp("pgdn/pgup", "page")),
		Ends:   key.NewBinding(key.WithKeys("g", "G"), key.WithHelp("g/G", "top/bottom")),
	}
}

// legend are bindings shown on the help screen only, for what is not one
// key of the main screen: the modal's keys, text editing, the mouse. Their
// key names are never matched.
type legend struct {
	modalRun, modalCancel, modalYesNo, modalType, modalEdit, modalScroll, modalInterrupt key.Binding
	searchMove, searchDone                                                               key.Binding
	wheel, click                                                                         key.Binding
}

func newLegend(st *theme.Styles) legend {
	b := func(k, desc string) key.Binding { return key.NewBinding(key.WithKeys(k), key.WithHelp(k, desc)) }
	return legend{
		// y and n are letters of the id a downgrade asks for: they run and
		// cancel only where no id is typed.
		modalRun:       b("enter", "run (a downgrade: once its id is typed)"),
		modalCancel:    b("esc", "cancel, nothing runs"),
		modalYesNo:     b("y/n", "run/cancel an upgrade or a stamp"),
		modalType:      b("type id", "a downgrade: its target's id, then enter"),
		modalEdit:      b(st.Sym("←/→ bksp", "left/right bksp"), "edit it (ctrl+u clears, ctrl+w a word)"),
		modalScroll:    b(st.Sym("↑/↓ pgup/dn", "up/down pgup/dn"), "scroll the steps and SQL"),
		modalInterrupt: b("ctrl+c", "during a run: stop, roll the step back"),
		searchMove:     b("ctrl+n/p", "while typing: next/previous match"),
		searchDone:     b("enter/esc", "keep the search / go back"),
		wheel:          b("wheel", "scroll the pane under the pointer"),
		click:          b("click", "focus a pane, select a History row"),
	}
}

// keyMap composes the keys of the screen for the router, the footer and
// the help screen. Which of them are live is the mode's business (see
// mode.go): a key is matched only against the bindings of the mode it
// arrives in.
type keyMap struct {
	// interrupt is ctrl+c, live in every mode: it cancels a run, or quits.
	interrupt key.Binding
	global    globalKeys
	actions   actionKeys
	jumps     jumpKeys
	help      helpKeys
	legend    legend
	review    reviewKeys
	// reviewLegend names the review view's keys on the help screen.
	reviewLegend []key.Binding
	// history and scroll are the panes' keys as the help screen lists
	// them (the panes match their own).
	history history.Keys
	scroll  pane.ScrollKeys
}

// newKeyMap is the screen's keys, named in st's glyphs.
func newKeyMap(st *theme.Styles) keyMap {
	return keyMap{
		interrupt: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "cancel run / quit")),
		global:    newGlobalKeys(), actions: newActionKeys(), jumps: newJumpKeys(),
		help: newHelpKeys(st), legend: newLegend(st), history: history.NewKeys(st), scroll: pane.NewScrollKeys(st),
		review: newReviewKeys(st), reviewLegend: reviewLegend(st),
	}
}

// footerFixed are the main screen footer's keys that are always shown
// whole.
func (k keyMap) footerFixed() []key.Binding { return []key.Binding{k.global.Help, k.global.Quit} }

// footerMore are the main screen footer's other keys, most useful first:
// as many as the width allows are shown.
func (k keyMap) footerMore() []key.Binding {
	a := k.actions
	return []key.Binding{a.UpOne, a.UpTo, a.DownOne, a.DownTo, a.Stamp, a.Preview, k.jumps.Search, k.global.Tab, a.Audit}
}

// helpScreenKeys and helpScrollKeys are the footer while the help screen
// is open.
func (k keyMap) helpScreenKeys() []key.Binding { return []key.Binding{k.help.Close} }

func (k keyMap) helpScrollKeys() []key.Binding {
	return []key.Binding{k.help.Scroll, k.help.Page, k.help.Ends}
}

// helpGroup is a titled group of keys on the help screen.
type helpGroup struct {
	title string
	keys  []key.Binding
}

// screenGroups are the help screen's groups for the main screen's keys.
func (k keyMap) screenGroups() []helpGroup {
	h, a, j, gl, sc := k.history, k.actions, k.jumps, k.global, k.scroll
	return []helpGroup{
		{"Move", []key.Binding{h.Up, h.Down, h.PageUp, h.PageDown, h.Top, h.Bottom}},
		{"Find", []key.Binding{j.Current, j.Heads, h.Focus, j.Search, j.Next, j.Prev, gl.Escape}},
		{"Database", []key.Binding{a.UpOne, a.UpTo, a.DownOne, a.DownTo, a.Stamp, a.Preview, a.Audit}},
		{"Files", []key.Binding{a.Reload, a.New, h.Mark, a.Merge, a.Edit, a.WriteLog}},
		{"Screen", []key.Binding{gl.Tab, gl.GrowLog, gl.Zoom, gl.Help, gl.Quit, k.interrupt}},
		{"Detail and Log", []key.Binding{sc.Up, sc.Down, sc.PageUp, sc.PageDown, sc.Top, sc.Bottom}},
		{"Review", append([]key.Binding{k.review.Review, k.review.Rehearse}, k.reviewLegend...)},
	}
}

// legendGroups are the help screen's last groups: the keys of the modal
// and of the search box, and the mouse.
func (k keyMap) legendGroups() []helpGroup {
	l := k.legend
	return []helpGroup{
		{"Confirmation modal", []key.Binding{l.modalRun, l.modalCancel, l.modalYesNo, l.modalType, l.modalEdit, l.modalScroll, l.modalInterrupt}},
		{"While searching", []key.Binding{l.searchMove, l.searchDone}},
		{"Mouse", []key.Binding{l.wheel, l.click}},
	}
}
