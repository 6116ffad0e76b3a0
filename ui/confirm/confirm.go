// Package confirm is the action modal: it shows a plan and the exact SQL it
// runs, asks for confirmation (one key for an upgrade or a stamp, the
// target's id typed for anything that downgrades), then turns into the
// run's progress and its outcome. The root model opens it, hands it the
// plan and the run's events, and acts on the outcome of each key.
package confirm

import (
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"retort/engine"
	"retort/models"
	"retort/ui/input"
	"retort/ui/pane"
	"retort/ui/seg"
	"retort/ui/theme"
	"retort/visible"
)

// Phase is where an action stands.
type Phase uint8

const (
	// PhasePlanning: the plan is being computed.
	PhasePlanning Phase = iota
	// PhaseConfirm: the plan and its SQL are shown; nothing ran yet.
	PhaseConfirm
	// PhaseRefused: the action cannot run; the reason is shown.
	PhaseRefused
	// PhaseRunning: the plan runs; the modal shows the progress.
	PhaseRunning
	// PhaseDone: the run ended; the outcome is shown.
	PhaseDone
)

// Keys are the modal's keys. Letters are left to the typed confirmation
// of a downgrade, so scrolling there uses the arrows only, and y and n run
// and cancel only where no id is typed.
type Keys struct {
	Run, Cancel, Close, Up, Down, PageUp, PageDown key.Binding
	// RunOrY and CancelOrN run and cancel where no id is typed (n and q
	// cancel).
	RunOrY, CancelOrN key.Binding
	// Interrupt, Scroll and Page only name keys in the footer: the root
	// model takes ctrl+c in every mode.
	Interrupt, Scroll, Page key.Binding
}

// NewKeys are the modal's keys, named in st's glyphs.
func NewKeys(st *theme.Styles) Keys {
	return Keys{
		Run:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "run")),
		Cancel:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		Close:     key.NewBinding(key.WithKeys("enter", "esc", "q"), key.WithHelp("enter/esc", "close")),
		Up:        key.NewBinding(key.WithKeys("up"), key.WithHelp(st.Sym("↑", "up"), "scroll up")),
		Down:      key.NewBinding(key.WithKeys("down"), key.WithHelp(st.Sym("↓", "down"), "scroll down")),
		PageUp:    key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown:  key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
		Interrupt: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "cancel the run")),
		RunOrY:    key.NewBinding(key.WithKeys("enter", "y"), key.WithHelp("enter/y", "run")),
		CancelOrN: key.NewBinding(key.WithKeys("esc", "n", "q"), key.WithHelp("esc/n", "cancel")),
		Scroll:    key.NewBinding(key.WithKeys("up", "down"), key.WithHelp(st.Sym("↑/↓", "up/down"), "scroll")),
		Page:      key.NewBinding(key.WithKeys("pgup", "pgdown"), key.WithHelp("pgup/pgdn", "page")),
	}
}

// ShortHelp are the keys that do something in the modal's phase, for the
// screen's footer: the essential ones (always shown whole), then the
// scrolling ones.
func (m Model) ShortHelp() (essential, more []key.Binding) {
	k := m.keys
	more = []key.Binding{k.Scroll, k.Page}
	switch {
	case m.phase == PhaseRunning:
		return []key.Binding{k.Interrupt}, more
	case m.phase == PhaseConfirm && !m.preview && m.guard == "":
		return []key.Binding{k.RunOrY, k.CancelOrN}, more
	case m.phase == PhaseConfirm && !m.preview:
		return []key.Binding{k.Run, k.Cancel}, more
	}
	// Planning, preview, refused, done: enter, esc and q close.
	return []key.Binding{k.Close}, more
}

// Model is the action modal.
type Model struct {
	st    *theme.Styles
	keys  Keys
	phase Phase
	title string
	plan  *models.Plan
	// body is the scrollable part: steps and SQL, or the refusal.
	body          []seg.Line
	wrapped       []seg.Line
	offset        int
	width, height int
	// guard is the text to type before a downgrade runs ("" for one key),
	// accept the other texts that are taken for it; verb names what runs
	// in the prompt.
	guard, verb string
	accept      []string
	input       input.Model
	wrong       string
	destructive int
	// sqlHead is the body's line that introduces the SQL.
	sqlHead int
	preview bool
	prog    progress
	result  []seg.Line
}

// Confirmation is what a plan asks before it runs.
type Confirmation struct {
	// Guard is the text the prompt asks to type before the plan runs (""
	// for one key); the texts in Accept are taken too.
	Guard  string
	Accept []string
	// Verb names what runs in the prompt ("Type 2b0000000002 to stamp"):
	// "downgrade" when empty.
	Verb string
	// Drops are the revisions the plan marks as not applied without
	// running their downgrade (a stamp back down), listed before its SQL.
	Drops []*models.Revision
	// Preview: nothing runs from the modal, which only closes.
	Preview bool
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

// New is the modal of an action whose plan is being computed.
func New(st *theme.Styles, title string) Model {
	return Model{st: st, keys: NewKeys(st), title: title, phase: PhasePlanning, input: input.New(128)}
}

// Refuse shows why the action cannot run, and the plan's steps when there
// is a plan (a step without a downgrade section is named before anything
// runs).
func (m Model) Refuse(reason string, plan *models.Plan) Model {
	m.phase, m.plan = PhaseRefused, plan
	m.body = nil
	for _, l := range strings.Split(textLines(reason), "\n") {
		m.body = append(m.body, seg.Styled(&m.st.ErrText, l))
	}
	if plan != nil && len(plan.Steps) > 0 {
		m.body = append(m.body, seg.Plain(""), seg.Styled(&m.st.Bold, "The plan, which will not run:"))
		for k := range plan.Steps {
			m.body = append(m.body, stepLine(m.st, k, &plan.Steps[k]))
		}
	}
	return m.rewrap()
}

// textLines shows a multi-line message, without its final line breaks.
func textLines(s string) string { return strings.TrimRight(visible.Text(s, "    "), "\n") }

// ShowPlan shows the plan and its SQL (the engine's preview) and waits
// for the confirmation c asks: the typed guard when it has one, one key
// otherwise; a preview only closes.
func (m Model) ShowPlan(plan *models.Plan, p *engine.Preview, c Confirmation) Model {
	m.phase, m.plan, m.guard, m.accept, m.preview = PhaseConfirm, plan, c.Guard, c.Accept, c.Preview
	m.verb = c.Verb
	if m.verb == "" {
		m.verb = "downgrade"
	}
	m.body, m.sqlHead, m.destructive = planBody(m.st, plan, p, c.Drops)
	return m.rewrap()
}

// SetSize gives the modal its inner size.
func (m Model) SetSize(w, h int) Model {
	m.width, m.height = w, h
	return m.rewrap()
}

func (m Model) rewrap() Model {
	m.wrapped = seg.Wrap(m.body, m.width)
	m.offset = pane.ClampOffset(m.offset, len(m.wrapped), m.BodyHeight())
	return m
}

// Typing reports whether the modal has a text input: the typed id of a
// downgrade, before it runs.
func (m Model) Typing() bool {
	return m.phase == PhaseConfirm && !m.preview && m.guard != ""
}

// Outcome is what a key did to the modal.
type Outcome uint8

const (
	// Stay: the modal stays open.
	Stay Outcome = iota
	// Close: the modal is closed, nothing ran.
	Close
	// Run: the plan is confirmed: run it.
	Run
)

// Update handles a key in the modal.
func (m Model) Update(msg tea.KeyMsg) (Model, Outcome) {
	k := m.keys
	if off, ok := m.scroll(msg); ok {
		m.offset = off
		return m, Stay
	}
	switch m.phase {
	case PhaseRunning:
		return m, Stay
	case PhaseConfirm:
		return m.confirmKey(msg)
	}
	// Planning, refused, done: any of enter, esc, q closes.
	if key.Matches(msg, k.Close) {
		return m, Close
	}
	return m, Stay
}

func (m Model) confirmKey(msg tea.KeyMsg) (Model, Outcome) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Cancel):
		return m, Close
	case m.preview:
		if key.Matches(msg, k.Close) {
			return m, Close
		}
	case m.guard == "":
		if key.Matches(msg, k.RunOrY) {
			return m, Run
		}
		if key.Matches(msg, k.CancelOrN) {
			return m, Close
		}
	case key.Matches(msg, k.Run):
		typed := strings.TrimSpace(m.input.Value())
		if typed == m.guard || slices.Contains(m.accept, typed) {
			m.wrong = ""
			return m, Run
		}
		m.wrong = m.st.Sym("“", "\"") + visible.Line(typed) + m.st.Sym("”", "\"") + " is not " + m.guard + ": nothing ran. Type " + m.guard + " to go on, esc to cancel."
		if typed == "" {
			m.wrong = "type " + m.guard + " first: nothing ran"
		}
	default:
		m.input, _ = m.input.Update(msg)
		m.wrong = ""
	}
	return m, Stay
}

// scroll handles the arrow and page keys (letters belong to the input).
func (m Model) scroll(msg tea.KeyMsg) (int, bool) {
	k, h := m.keys, m.BodyHeight()
	switch {
	case key.Matches(msg, k.Up):
		return pane.ClampOffset(m.offset-1, len(m.wrapped), h), true
	case key.Matches(msg, k.Down):
		return pane.ClampOffset(m.offset+1, len(m.wrapped), h), true
	case key.Matches(msg, k.PageUp):
		return pane.ClampOffset(m.offset-max(1, h-1), len(m.wrapped), h), true
	case key.Matches(msg, k.PageDown):
		return pane.ClampOffset(m.offset+max(1, h-1), len(m.wrapped), h), true
	}
	return m.offset, false
}

// ScrollBy scrolls the body n lines (up when negative), as the wheel does.
func (m Model) ScrollBy(n int) Model {
	m.offset = pane.ClampOffset(m.offset+n, len(m.wrapped), m.BodyHeight())
	return m
}

// StartRun turns the modal into the run's progress.
func (m Model) StartRun(now time.Time) Model {
	m.phase = PhaseRunning
	m.prog = progress{started: now, now: now, steps: len(m.plan.Steps), done: make([]bool, len(m.plan.Steps))}
	return m
}

// Finish shows the outcome of the run: the result above, and in the body
// what became of each step and the SQL in the past tense. A step is done
// when the engine said it committed, stopped when it started and did not
// (it failed, or was cancelled), and not run otherwise: a run refused
// before its first step (the lock, rows that changed) ran none, and one
// cancelled between two steps did not start the next.
func (m Model) Finish(result []seg.Line) Model {
	m.phase = PhaseDone
	m.result = result
	if m.plan == nil || m.sqlHead == 0 || len(m.body) <= m.sqlHead {
		return m.rewrap()
	}
	n := len(m.plan.Steps)
	body := append([]seg.Line(nil), m.body...) // shared with earlier copies
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
	body[m.sqlHead] = seg.Styled(&m.st.Bold, sqlHead(m.destructive, ranHead(done, stopped, n)))
	m.body = body
	return m.rewrap()
}

// Cancel shows that the run is being cancelled.
func (m Model) Cancel() Model {
	m.prog.cancelling = true
	return m
}

// Tick refreshes the run's elapsed time.
func (m Model) Tick(now time.Time) Model {
	m.prog.now = now
	return m
}

// Phase is where the action stands.
func (m Model) Phase() Phase { return m.phase }

// Title names the action, for the modal's border.
func (m Model) Title() string { return m.title }

// Plan is the plan shown (nil before it is computed, or when refused
// without one).
func (m Model) Plan() *models.Plan { return m.plan }

// Preview reports a preview, which only closes.
func (m Model) Preview() bool { return m.preview }

// Guard is what must be typed before the plan runs ("" for one key).
func (m Model) Guard() string { return m.guard }

// Typed is the text typed into the guard's input, and its cursor.
func (m Model) Typed() input.Model { return m.input }

// Wrong says why the text typed was refused ("" when it was not).
func (m Model) Wrong() string { return m.wrong }

// Destructive is how many of the plan's statements are destructive.
func (m Model) Destructive() int { return m.destructive }

// Result is how the run ended, once it has.
func (m Model) Result() []seg.Line { return m.result }

// Body is the scrollable part: steps and SQL, or the refusal.
func (m Model) Body() []seg.Line { return m.body }

// Wrapped is the body wrapped to the width.
func (m Model) Wrapped() []seg.Line { return m.wrapped }

// Offset is the first line of the body shown.
func (m Model) Offset() int { return m.offset }

// Started is when the run started.
func (m Model) Started() time.Time { return m.prog.started }

// Statement is how many statements of the running step ran.
func (m Model) Statement() int { return m.prog.stmt }

// Cancelling reports a run being cancelled.
func (m Model) Cancelling() bool { return m.prog.cancelling }
