package ui

import (
	"github.com/charmbracelet/bubbles/key"
)

// actionKeys act on the selected revision, whichever pane has the focus.
type actionKeys struct {
	UpOne, UpTo, DownOne, DownTo, Stamp, Preview key.Binding
	Reload, New, Merge, Edit, WriteLog           key.Binding
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
	}
}

func (k *actionKeys) setEnabled(on bool) {
	for _, b := range []*key.Binding{&k.UpOne, &k.UpTo, &k.DownOne, &k.DownTo, &k.Stamp, &k.Preview, &k.Reload, &k.New, &k.Merge, &k.Edit, &k.WriteLog} {
		b.SetEnabled(on)
	}
}

// globalKeys move between panes and leave.
type globalKeys struct {
	Tab, GrowLog, Zoom, Help, Quit, Interrupt, Escape key.Binding
}

func newGlobalKeys() globalKeys {
	return globalKeys{
		Tab:       key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next pane")),
		GrowLog:   key.NewBinding(key.WithKeys("L"), key.WithHelp("L", "grow log")),
		Zoom:      key.NewBinding(key.WithKeys("z"), key.WithHelp("z", "zoom pane")),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:      key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		Interrupt: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "cancel run / quit")),
		Escape:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear focus/search")),
	}
}

func (k *globalKeys) setEnabled(on bool) {
	for _, b := range []*key.Binding{&k.Tab, &k.GrowLog, &k.Zoom, &k.Help, &k.Quit, &k.Escape} {
		b.SetEnabled(on)
	}
}

// helpKeys are the help screen's: it scrolls like a pane and closes with
// the key that opened it.
type helpKeys struct {
	Close key.Binding
	scrollKeys
	// Scroll, Page and Ends only name keys in the footer.
	Scroll, Page, Ends key.Binding
}

func newHelpKeys() helpKeys {
	return helpKeys{
		Close:      key.NewBinding(key.WithKeys("esc", "?", "q", "enter"), key.WithHelp("esc/?", "close help")),
		scrollKeys: newScrollKeys(),
		Scroll:     key.NewBinding(key.WithKeys("j", "k"), key.WithHelp("j/k ↓/↑", "scroll")),
		Page:       key.NewBinding(key.WithKeys("pgdown", "pgup"), key.WithHelp("pgdn/pgup", "page")),
		Ends:       key.NewBinding(key.WithKeys("g", "G"), key.WithHelp("g/G", "top/bottom")),
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

func newLegend() legend {
	b := func(k, desc string) key.Binding { return key.NewBinding(key.WithKeys(k), key.WithHelp(k, desc)) }
	return legend{
		// y and n are letters of the id a downgrade asks for: they run and
		// cancel only where no id is typed.
		modalRun:       b("enter", "run (a downgrade: once its id is typed)"),
		modalCancel:    b("esc", "cancel, nothing runs"),
		modalYesNo:     b("y/n", "run/cancel an upgrade or a stamp"),
		modalType:      b("type id", "a downgrade: its target's id, then enter"),
		modalEdit:      b("←/→ bksp", "edit it (ctrl+u clears, ctrl+w a word)"),
		modalScroll:    b("↑/↓ pgup/dn", "scroll the steps and SQL"),
		modalInterrupt: b("ctrl+c", "during a run: stop, roll the step back"),
		searchMove:     b("ctrl+n/p", "while typing: next/previous match"),
		searchDone:     b("enter/esc", "keep the search / go back"),
		wheel:          b("wheel", "scroll the pane under the pointer"),
		click:          b("click", "focus a pane, select a History row"),
	}
}

// keyMap composes the components' keys for the footer and the help screen.
// It implements help.KeyMap.
type keyMap struct {
	graph   graphKeys
	scroll  scrollKeys
	search  searchKeys
	actions actionKeys
	global  globalKeys
	help    helpKeys
	legend  legend
}

func newKeyMap() keyMap {
	return keyMap{graph: newGraphKeys(), scroll: newScrollKeys(), search: newSearchKeys(), actions: newActionKeys(),
		global: newGlobalKeys(), help: newHelpKeys(), legend: newLegend()}
}

// setEnabled turns every key off while a modal or an input has the focus,
// so that typing a revision id or a message does not move the cursor or
// start an action. ctrl+c stays on.
func (k *keyMap) setEnabled(on bool) {
	k.graph.setEnabled(on)
	k.scroll.setEnabled(on)
	k.search.setEnabled(on)
	k.actions.setEnabled(on)
	k.global.setEnabled(on)
}

// ShortHelp is the footer: the most useful keys, help and quit last.
func (k keyMap) ShortHelp() []key.Binding { return append(k.footerMore(), k.footerFixed()...) }

// footerFixed are the footer's keys that are always shown whole.
func (k keyMap) footerFixed() []key.Binding { return []key.Binding{k.global.Help, k.global.Quit} }

// footerMore are the footer's other keys, most useful first: as many as
// the width allows are shown.
func (k keyMap) footerMore() []key.Binding {
	a := k.actions
	return []key.Binding{a.UpOne, a.UpTo, a.DownOne, a.DownTo, a.Stamp, a.Preview, k.search.Start, k.global.Tab}
}

// helpScreenKeys and helpScrollKeys are the footer while the help screen
// is open.
func (k keyMap) helpScreenKeys() []key.Binding { return []key.Binding{k.help.Close} }

func (k keyMap) helpScrollKeys() []key.Binding {
	return []key.Binding{k.help.Scroll, k.help.Page, k.help.Ends}
}

// FullHelp is the help screen, one group per column (see groupTitles).
func (k keyMap) FullHelp() [][]key.Binding {
	g, a, s, gl, sc, l := k.graph, k.actions, k.search, k.global, k.scroll, k.legend
	return [][]key.Binding{
		{g.Up, g.Down, g.PageUp, g.PageDown, g.Top, g.Bottom},
		{g.Current, g.Heads, g.Focus, s.Start, s.Next, s.Prev, gl.Escape},
		{a.UpOne, a.UpTo, a.DownOne, a.DownTo, a.Stamp, a.Preview},
		{a.Reload, a.New, g.Mark, a.Merge, a.Edit, a.WriteLog},
		{gl.Tab, gl.GrowLog, gl.Zoom, gl.Help, gl.Quit, gl.Interrupt},
		{sc.Up, sc.Down, sc.PageUp, sc.PageDown, sc.Top, sc.Bottom},
		{l.modalRun, l.modalCancel, l.modalYesNo, l.modalType, l.modalEdit, l.modalScroll, l.modalInterrupt},
		{l.searchMove, l.searchDone},
		{l.wheel, l.click},
	}
}

// groupTitles name FullHelp's groups on the help screen.
var groupTitles = [...]string{"Move", "Find", "Database", "Files", "Screen",
	"Detail and Log", "Confirmation modal", "While searching", "Mouse"}
