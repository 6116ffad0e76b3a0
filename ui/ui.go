// Package ui is retort's terminal UI: a bubbletea program showing the
// revision graph in lanes, the selected revision's SQL, a live log of the
// engine's events, and actions (upgrade, downgrade, stamp) that show their
// plan and SQL before anything runs. It never touches a database itself:
// every read and every run goes through package engine, reads in tea.Cmds
// and runs in a goroutine of their own (live.go), whose results come back
// as messages.
package ui

import (
	"context"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"retort/models"
)

// mode is what has the keyboard.
type mode uint8

const (
	modeNormal mode = iota
	modeSearch
	modePrompt
	modeModal
	modeHelp
)

// Model is the root model. It routes messages to its components and owns
// what they share: the loaded history, the database state and the run.
type Model struct {
	cfg  Config
	st   *styles
	keys keyMap
	help help.Model

	width, height int
	ready         bool
	mode          mode
	focus         pane
	zoom          bool
	logSize       int

	hist     *history
	loadErr  error
	db       *dbState
	stateErr string
	sources  map[string]fileText
	// reads counts the files read for the Detail pane (fileText.gen).
	reads int

	lockHolder, lockErr string
	lockKnown           bool

	graph   graphModel
	detail  detailModel
	log     logModel
	modal   confirmModel
	search  searchModel
	prompt  promptModel
	spinner spinner.Model
	// spinning: a spinner tick is in flight; loading, reading, planning
	// count the operations under way.
	spinning                   bool
	loading, reading, planning int

	run *runState
	// selectAfterLoad is a revision to select once the history reloads (one
	// that `n` or `m` just wrote).
	selectAfterLoad string

	// helpOffset is how far the help screen is scrolled.
	helpOffset int

	notice   string
	noticeID int
	// reqSeq numbers the actions asked for (see actionReq.seq).
	reqSeq int
}

// runState is a plan being run.
type runState struct {
	plan   *models.Plan
	cancel context.CancelFunc
	live   *liveRun
}

// New returns the root model; tea.NewProgram(ui.New(cfg)).Run() runs it.
func New(cfg Config) Model {
	cfg = cfg.withDefaults()
	st := newStyles(cfg.ASCII)
	m := Model{
		cfg: cfg, st: st, keys: newKeyMap(), help: newHelp(st),
		sources: map[string]fileText{},
		graph:   newGraphModel(st), detail: newDetailModel(st), log: newLogModel(st),
		modal:   newConfirm(st, actionReq{}, ""),
		spinner: spinner.New(spinner.WithSpinner(spinnerFor(cfg.ASCII))),
	}
	m.loading, m.spinning = 1, true // Init sends the first spinner tick
	return m
}

func spinnerFor(ascii bool) spinner.Spinner {
	if ascii {
		return spinner.Line
	}
	return spinner.Dot
}

// Init loads the files and starts polling the lock.
func (m Model) Init() tea.Cmd {
	cmds := []tea.Cmd{loadGraphCmd(m.cfg.Dirs), m.spinner.Tick}
	if m.cfg.DB != nil {
		cmds = append(cmds, pollLockCmd(m.cfg.DB))
	}
	return tea.Batch(cmds...)
}

// Update routes a message to its handler.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height, m.ready = msg.Width, msg.Height, true
		return m.relayout(), nil
	case tea.KeyMsg:
		return m.handleKey(msg)
	case tea.MouseMsg:
		return m.handleMouse(msg)
	case spinner.TickMsg:
		return m.tickSpinner(msg)
	case graphLoadedMsg:
		return m.onGraph(msg)
	case stateLoadedMsg:
		return m.onState(msg)
	case stateRetryMsg:
		return m, m.readState()
	case lockTickMsg:
		return m, pollLockCmd(m.cfg.DB)
	case lockMsg:
		return m.onLock(msg)
	case planReadyMsg:
		return m.onPlan(msg)
	case runEventsMsg:
		return m.onEvents(msg)
	case runTickMsg:
		return m.onRunTick()
	case fileLoadedMsg:
		m.reads++
		m.sources[msg.path] = fileText{loaded: true, text: msg.text, err: msg.err, gen: m.reads}
		return m.refreshDetail(), nil
	case logWrittenMsg:
		return m.onLogWritten(msg)
	case revisionWrittenMsg:
		return m.onRevisionWritten(msg)
	case editorDoneMsg:
		return m.onEditorDone(msg)
	case noticeExpiredMsg:
		if msg.id == m.noticeID {
			m.notice = ""
		}
		return m, nil
	}
	return m, nil
}

// busy reports whether anything is under way (the spinner turns).
func (m Model) busy() bool {
	return m.loading > 0 || m.reading > 0 || m.planning > 0 || m.run != nil
}

// spin starts the spinner if it is not turning.
func (m Model) spin() (Model, tea.Cmd) {
	if m.spinning {
		return m, nil
	}
	m.spinning = true
	return m, m.spinner.Tick
}

// tickSpinner advances the spinner while something is under way and lets it
// stop otherwise, so an idle UI does nothing.
func (m Model) tickSpinner(msg spinner.TickMsg) (tea.Model, tea.Cmd) {
	if !m.busy() {
		m.spinning = false
		return m, nil
	}
	m.spinning = true
	var cmd tea.Cmd
	m.spinner, cmd = m.spinner.Update(msg)
	return m, cmd
}
