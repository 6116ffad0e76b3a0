package ui

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"retort/models"
	"retort/visible"
)

// confirmPhase is where an action stands.
type confirmPhase uint8

const (
	// phasePlanning: the plan is being computed.
	phasePlanning confirmPhase = iota
	// phaseConfirm: the plan and its SQL are shown; nothing ran yet.
	phaseConfirm
	// phaseRefused: the action cannot run; the reason is shown.
	phaseRefused
	// phaseRunning: the plan runs; the modal shows the progress.
	phaseRunning
	// phaseDone: the run ended; the outcome is shown.
	phaseDone
)

// confirmKeys are the modal's keys. Letters are left to the typed
// confirmation of a downgrade, so scrolling there uses the arrows only.
type confirmKeys struct {
	Run, Cancel, Close, Up, Down, PageUp, PageDown, Interrupt key.Binding
	// RunOrY, CancelOrN, Scroll and Page only name keys in the footer.
	RunOrY, CancelOrN, Scroll, Page key.Binding
}

func newConfirmKeys() confirmKeys {
	return confirmKeys{
		Run:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "run")),
		Cancel:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		Close:     key.NewBinding(key.WithKeys("enter", "esc", "q"), key.WithHelp("enter/esc", "close")),
		Up:        key.NewBinding(key.WithKeys("up"), key.WithHelp("↑", "scroll up")),
		Down:      key.NewBinding(key.WithKeys("down"), key.WithHelp("↓", "scroll down")),
		PageUp:    key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown:  key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
		Interrupt: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "cancel the run")),
		RunOrY:    key.NewBinding(key.WithKeys("enter", "y"), key.WithHelp("enter/y", "run")),
		CancelOrN: key.NewBinding(key.WithKeys("esc", "n"), key.WithHelp("esc/n", "cancel")),
		Scroll:    key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "scroll")),
		Page:      key.NewBinding(key.WithKeys("pgup", "pgdown"), key.WithHelp("pgup/pgdn", "page")),
	}
}

// shortHelp are the keys that do something in the modal's phase, for the
// screen's footer: the essential ones (always shown whole), then the
// scrolling ones.
func (m confirmModel) shortHelp() (essential, more []key.Binding) {
	k := m.keys
	more = []key.Binding{k.Scroll, k.Page}
	switch {
	case m.phase == phaseRunning:
		return []key.Binding{k.Interrupt}, more
	case m.phase == phaseConfirm && !m.preview && m.guard == "":
		return []key.Binding{k.RunOrY, k.CancelOrN}, more
	case m.phase == phaseConfirm && !m.preview:
		return []key.Binding{k.Run, k.Cancel}, more
	}
	// Planning, preview, refused, done: enter, esc and q close.
	return []key.Binding{k.Close}, more
}

// confirmModel is the action modal: it shows the plan and the exact SQL,
// asks for confirmation (one key for an upgrade or a stamp, the target's id
// typed for anything that downgrades), then turns into the run's progress
// and its outcome.
type confirmModel struct {
	st    *styles
	keys  confirmKeys
	req   actionReq
	phase confirmPhase
	title string
	plan  *models.Plan
	// body is the scrollable part: steps and SQL, or the refusal.
	body          []segLine
	wrapped       []segLine
	offset        int
	width, height int
	// guard is the text to type before a downgrade runs ("" for one key),
	// guardID the full id that is accepted too.
	guard, guardID string
	input          inputModel
	wrong          string
	destructive    int
	preview        bool
	prog           progress
	result         []segLine
}

// progress is the state of a running plan, as the events tell it.
type progress struct {
	started, now time.Time
	step, steps  int
	// stmt is how many statements of the step ran; stmtTexts are the
	// step's statements (first lines), split when the step started.
	stmt       int
	stmtTexts  []string
	stepOf     string
	done       []bool
	cancelling bool
}

func newConfirm(st *styles, req actionReq, title string) confirmModel {
	return confirmModel{st: st, keys: newConfirmKeys(), req: req, title: title, phase: phasePlanning, input: newInput(128)}
}

// refuse shows why the action cannot run, and the plan's steps when there
// is a plan (a step without a downgrade section is named before anything
// runs).
func (m confirmModel) refuse(reason string, plan *models.Plan) confirmModel {
	m.phase, m.plan = phaseRefused, plan
	m.body = nil
	for _, l := range strings.Split(textLines(reason), "\n") {
		m.body = append(m.body, styledLine(&m.st.errText, l))
	}
	if plan != nil && len(plan.Steps) > 0 {
		m.body = append(m.body, plainLine(""), styledLine(&m.st.bold, "The plan, which will not run:"))
		for k := range plan.Steps {
			m.body = append(m.body, stepLine(m.st, k, &plan.Steps[k]))
		}
	}
	return m.rewrap()
}

// textLines shows a multi-line message, without its final line breaks.
func textLines(s string) string { return strings.TrimRight(visible.Text(s, "    "), "\n") }

// showPlan shows the plan and its SQL and waits for the confirmation.
func (m confirmModel) showPlan(plan *models.Plan, sql, guard, guardID string, preview bool) confirmModel {
	m.phase, m.plan, m.guard, m.guardID, m.preview = phaseConfirm, plan, guard, guardID, preview
	m.body, m.destructive = planBody(m.st, plan, sql)
	return m.rewrap()
}

func (m confirmModel) setSize(w, h int) confirmModel {
	m.width, m.height = w, h
	return m.rewrap()
}

func (m confirmModel) rewrap() confirmModel {
	m.wrapped = wrapLines(m.body, m.width)
	m.offset = clampOffset(m.offset, len(m.wrapped), m.bodyHeight())
	return m
}

// typing reports whether the modal has a text input: the typed id of a
// downgrade, before it runs.
func (m confirmModel) typing() bool {
	return m.phase == phaseConfirm && !m.preview && m.guard != ""
}

// confirmOutcome is what a key did to the modal.
type confirmOutcome uint8

const (
	stayOpen confirmOutcome = iota
	closeModal
	runPlan
	interruptRun
)

// Update handles a key in the modal.
func (m confirmModel) Update(msg tea.KeyMsg) (confirmModel, confirmOutcome) {
	k := m.keys
	if off, ok := m.scroll(msg); ok {
		m.offset = off
		return m, stayOpen
	}
	switch m.phase {
	case phaseRunning:
		if key.Matches(msg, k.Interrupt) {
			return m, interruptRun
		}
		return m, stayOpen
	case phaseConfirm:
		return m.confirmKey(msg)
	}
	// Planning, refused, done: any of enter, esc, q closes.
	if key.Matches(msg, k.Close) {
		return m, closeModal
	}
	return m, stayOpen
}

func (m confirmModel) confirmKey(msg tea.KeyMsg) (confirmModel, confirmOutcome) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Cancel):
		return m, closeModal
	case m.preview:
		if key.Matches(msg, k.Close) {
			return m, closeModal
		}
	case m.guard == "":
		if key.Matches(msg, k.Run) || msg.String() == "y" {
			return m, runPlan
		}
		if msg.String() == "n" || msg.String() == "q" {
			return m, closeModal
		}
	case key.Matches(msg, k.Run):
		typed := strings.TrimSpace(m.input.Value())
		if typed == m.guard || typed == m.guardID {
			m.wrong = ""
			return m, runPlan
		}
		m.wrong = "“" + visible.Line(typed) + "” is not " + m.guard + ": nothing ran. Type " + m.guard + " to go on, esc to cancel."
		if typed == "" {
			m.wrong = "type " + m.guard + " first: nothing ran"
		}
	default:
		m.input, _ = m.input.Update(msg)
		m.wrong = ""
	}
	return m, stayOpen
}

// scroll handles the arrow and page keys (letters belong to the input).
func (m confirmModel) scroll(msg tea.KeyMsg) (int, bool) {
	k, h := m.keys, m.bodyHeight()
	switch {
	case key.Matches(msg, k.Up):
		return clampOffset(m.offset-1, len(m.wrapped), h), true
	case key.Matches(msg, k.Down):
		return clampOffset(m.offset+1, len(m.wrapped), h), true
	case key.Matches(msg, k.PageUp):
		return clampOffset(m.offset-max(1, h-1), len(m.wrapped), h), true
	case key.Matches(msg, k.PageDown):
		return clampOffset(m.offset+max(1, h-1), len(m.wrapped), h), true
	}
	return m.offset, false
}

// scrollBy scrolls the body n lines (up when negative), as the wheel does.
func (m confirmModel) scrollBy(n int) confirmModel {
	m.offset = clampOffset(m.offset+n, len(m.wrapped), m.bodyHeight())
	return m
}

// startRun turns the modal into the run's progress.
func (m confirmModel) startRun(now time.Time) confirmModel {
	m.phase = phaseRunning
	m.prog = progress{started: now, now: now, steps: len(m.plan.Steps), done: make([]bool, len(m.plan.Steps))}
	return m
}

// finish shows the outcome of the run: the result above, and in the body
// what became of each step and the SQL in the past tense. A step is done
// when the engine said it committed, stopped when it started and did not
// (it failed, or was cancelled), and not run otherwise: a run refused
// before its first step (the lock, rows that changed) ran none, and one
// cancelled between two steps did not start the next.
func (m confirmModel) finish(result []segLine) confirmModel {
	m.phase = phaseDone
	m.result = result
	if m.plan == nil || len(m.body) < len(m.plan.Steps)+2 {
		return m.rewrap()
	}
	n := len(m.plan.Steps)
	body := append([]segLine(nil), m.body...) // shared with earlier copies
	done, stopped := 0, -1
	for k := range m.plan.Steps {
		status := "not run"
		switch {
		case k < len(m.prog.done) && m.prog.done[k]:
			status, done = "done", k+1
		case k == m.prog.step-1: // the step that started last (prog.step is 1-based)
			status, stopped = "stopped", k
		}
		body[k] = doneStepLine(m.st, k, &m.plan.Steps[k], status)
	}
	body[n+1] = styledLine(&m.st.bold, sqlHead(m.destructive, ranHead(done, stopped, n)))
	m.body = body
	return m.rewrap()
}
