// Package ui is retort's terminal UI: a bubbletea program showing the
// revision graph in lanes, the selected revision's SQL, a live log of the
// engine's events, and actions (upgrade, downgrade, stamp) that show their
// plan and SQL before anything runs. It never touches a database itself:
// every read and every run goes through the engine (the Engine interface),
// reads in tea.Cmds and runs in a goroutine of their own (live.go), whose
// results come back as messages.
//
// The screen's parts are their own types: the panes (package pane says
// what one is; panes.go lists them), the action modal and its run
// (actionFlow, package confirm), the help screen, the status bar, the
// footer's notices, the search box and the prompt of `n` and `m`. The root
// model holds them and routes messages between them; mode.go decides what
// has the keyboard.
package ui

import (
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"retort/ui/pane"
	"retort/ui/theme"
)

// Model is the root model. It routes messages to the parts of the screen
// and owns what they share: the loaded history, the database state and the
// run.
type Model struct {
	cfg  Config
	ctx  *pane.Context
	keys keyMap

	screen screen
	panes  paneSet
	loaded loaded
	work   work
	lock   lockState
	conn   connection

	status  statusBar
	notice  footerNotice
	help    helpScreen
	search  search
	author  authoring
	actions actionFlow
	// modal is the modal a pane opened (see pane.Modal), nil for none.
	modal pane.Modal
}

// work counts the operations under way: the spinner turns while any is
// (or a run is).
type work struct {
	loading, reading, planning int
}

// New returns the root model; tea.NewProgram(ui.New(cfg)).Run() runs it.
func New(cfg Config) Model { return newModel(cfg, defaultPanes()) }

// newModel is the root model with the panes listed in specs.
func newModel(cfg Config, specs []paneSpec) Model {
	cfg = cfg.withDefaults()
	st := theme.New(cfg.ASCII)
	ctx := &pane.Context{Styles: st, Dirs: cfg.Dirs, Now: cfg.Now}
	m := Model{cfg: cfg, ctx: ctx, keys: newKeyMap(st), panes: newPaneSet(ctx, specs),
		status: newStatusBar(cfg.ASCII), help: newHelpScreen(st), actions: newActionFlow(st)}
	m.work.loading, m.status.spinning = 1, true // Init sends the first spinner tick
	return m
}

// Init loads the files and starts polling the lock, or opening the
// database when the UI opens it itself.
func (m Model) Init() tea.Cmd {
	cmds := []tea.Cmd{loadGraphCmd(m.cfg.Dirs), m.status.spinner.Tick}
	switch {
	case m.cfg.DB != nil:
		cmds = append(cmds, pollLockCmd(m.cfg.DB))
	case m.cfg.Open != nil:
		cmds = append(cmds, openDBCmd(m.cfg.Context, m.cfg.Open))
	}
	return tea.Batch(cmds...)
}

// Update routes a message to what it is for. Messages of no type the root
// knows are the answers of commands the panes (or a modal) started: every
// pane gets them, and takes its own.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.screen.width, m.screen.height, m.screen.ready = msg.Width, msg.Height, true
		return m.relayout(), nil
	case tea.KeyMsg:
		return m.handleKey(msg)
	case tea.MouseMsg:
		return m.handleMouse(msg)
	case spinner.TickMsg:
		var cmd tea.Cmd
		m.status, cmd = m.status.tick(msg, m.busy())
		return m, cmd
	case pane.NoticeMsg:
		return m.say(msg.Kind, msg.Text)
	case pane.OpenMsg:
		return m.open(msg.Modal)
	case noticeExpiredMsg:
		m.notice = m.notice.expire(msg.id)
		return m, nil
	case graphLoadedMsg:
		return m.onGraph(msg)
	case stateLoadedMsg:
		return m.onState(msg)
	case stateRetryMsg:
		return m.readState()
	case dbOpenedMsg:
		return m.onDBOpened(msg)
	case dbRetryMsg:
		return m, openDBCmd(m.cfg.Context, m.cfg.Open)
	case lockTickMsg:
		return m, pollLockCmd(m.cfg.DB)
	case lockMsg:
		m.lock = m.lock.update(msg)
		return m, lockTickCmd(m.cfg.LockPoll)
	case planReadyMsg:
		return m.onPlan(msg)
	case runEventsMsg:
		return m.onEvents(msg)
	case runTickMsg:
		return m.onRunTick()
	case logWrittenMsg:
		return m.onLogWritten(msg)
	case revisionWrittenMsg:
		return m.onRevisionWritten(msg)
	case editorDoneMsg:
		return m.onEditorDone(msg)
	}
	return m.broadcast(msg)
}

// busy reports whether anything is under way (the spinner turns).
func (m Model) busy() bool {
	w := m.work
	return w.loading > 0 || w.reading > 0 || w.planning > 0 || m.actions.running()
}
