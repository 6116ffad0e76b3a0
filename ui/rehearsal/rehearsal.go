// Package rehearsal is the modal of a rehearsal started from the UI: the
// selected revision upgraded, downgraded and upgraded again in a scratch
// database (package rehearse, as `retort rehearse REV` does it; never the
// live database), its progress while it runs, then its outcome with the
// exact differences, scrollable.
package rehearsal

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"retort/models"
	"retort/rehearse"
	"retort/scratch"
	"retort/ui/pane"
	"retort/ui/seg"
	"retort/ui/theme"
	"retort/visible"
)

// Deps are what a rehearsal needs from the root model.
type Deps struct {
	// Ctx is the program's: the rehearsal stops when it ends, or when
	// the modal closes (the scratch database is removed either way).
	Ctx   context.Context
	Graph *models.Graph
	// Rev is the revision's position in Graph.
	Rev int
	// Scratch says where the scratch database is made.
	Scratch scratch.Config
}

// stepMsg says which step of a run in the scratch database started.
type stepMsg struct {
	job  *pane.Job
	step string
}

// doneMsg is the rehearsal's result, or the trouble that kept it from
// being one (no scratch database could be made).
type doneMsg struct {
	job *pane.Job
	res *rehearse.Result
	err error
}

// start runs the rehearsal in the background.
func start(d Deps) (*pane.Job, tea.Cmd) {
	return pane.StartJob(d.Ctx, func(ctx context.Context, j *pane.Job) {
		opts := rehearse.Options{Events: func(ev models.Event) {
			if ev.Kind == models.EventStepStarted && ev.Step != nil {
				j.Offer(stepMsg{job: j, step: fmt.Sprintf("%s (step %d of %d)", ev.Step.ShortLog(), ev.Index+1, ev.Total)})
			}
		}}
		res, err := rehearse.Run(ctx, d.Graph, d.Scratch, []int{d.Rev}, opts)
		j.Send(doneMsg{job: j, res: res, err: err})
	})
}

// Keys are the modal's keys.
type Keys struct {
	Close                                   key.Binding
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
}

// NewKeys are the modal's keys, named in st's glyphs.
func NewKeys(st *theme.Styles) Keys {
	s := pane.NewScrollKeys(st)
	return Keys{
		Close: key.NewBinding(key.WithKeys("esc", "q", "enter"), key.WithHelp("esc", "close")),
		Up:    s.Up, Down: s.Down, PageUp: s.PageUp, PageDown: s.PageDown, Top: s.Top, Bottom: s.Bottom,
	}
}

// Model is the rehearsal modal.
type Model struct {
	pane.Common
	keys         Keys
	deps         Deps
	job          *pane.Job
	started, now time.Time
	step         string
	res          *rehearse.Result
	err          error
	// body is the outcome, wrapped to the width; offset its scroll.
	body    []seg.Line
	wrapped []seg.Line
	offset  int
	closed  bool
}

var _ pane.Modal = Model{}

// New starts rehearsing deps.Rev and returns the modal that follows it.
func New(c *pane.Context, deps Deps) (Model, tea.Cmd) {
	m := Model{Common: pane.Common{Context: c}, keys: NewKeys(c.Styles), deps: deps, started: c.Now(), now: c.Now(),
		step: "making the scratch database"}
	var cmd tea.Cmd
	m.job, cmd = start(deps)
	return m, cmd
}

// Outcome is the revision's outcome once rehearsed (nil before, and when
// it could not be).
func (m Model) Outcome() *rehearse.Outcome {
	if m.res == nil || len(m.res.Outcomes) == 0 {
		return nil
	}
	return &m.res.Outcomes[0]
}

// Err is the trouble that kept the rehearsal from running.
func (m Model) Err() error { return m.err }

// Done reports that the rehearsal ended.
func (m Model) Done() bool { return m.res != nil || m.err != nil }

// Typing implements pane.Modal.
func (m Model) Typing() bool { return false }

// Closed implements pane.Modal.
func (m Model) Closed() bool { return m.closed }

// SetSize implements pane.Pane.
func (m Model) SetSize(w, h int) pane.Pane {
	m.Width, m.Height = w, h
	return m.rewrap()
}

// SetFocus implements pane.Pane.
func (m Model) SetFocus(on bool) pane.Pane {
	m.Focused = on
	return m
}

// Title names the revision.
func (m Model) Title(int) string {
	rev := m.deps.Graph.Revisions[m.deps.Rev]
	return "Rehearse " + visible.Line(rev.ShortID()) + m.Styles.Sym(" · ", " | ") + "scratch database"
}

// Info is how far the outcome is scrolled.
func (m Model) Info() string { return pane.ScrollInfo(m.offset, m.Height, len(m.wrapped)) }

// ShortHelp are the footer's keys.
func (m Model) ShortHelp() []key.Binding {
	k := m.keys
	if !m.Done() {
		return []key.Binding{key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "stop and close"))}
	}
	return []key.Binding{k.Close, k.Up, k.Down, k.PageDown}
}

// FullHelp are the modal's keys.
func (m Model) FullHelp() [][]key.Binding {
	k := m.keys
	return [][]key.Binding{{k.Close, k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}}
}

// Update follows the rehearsal and takes the keys.
func (m Model) Update(msg tea.Msg) (pane.Pane, tea.Cmd) {
	switch msg := msg.(type) {
	case stepMsg:
		if msg.job != m.job {
			return m, nil
		}
		m.step = msg.step
		m.body = m.progress()
		return m.rewrap(), m.job.Listen()
	case pane.JobTickMsg:
		if msg.Job != m.job || m.Done() || m.closed {
			return m, nil
		}
		m.now = m.Now()
		m.body = m.progress()
		return m.rewrap(), m.job.Tick()
	case doneMsg:
		if msg.job != m.job {
			return m, nil
		}
		return m.finish(msg)
	case tea.KeyMsg:
		if key.Matches(msg, m.keys.Close) {
			m.closed = true
			m.job.Cancel()
			return m, nil
		}
		scroll := pane.ScrollKeys{Up: m.keys.Up, Down: m.keys.Down, PageUp: m.keys.PageUp, PageDown: m.keys.PageDown, Top: m.keys.Top, Bottom: m.keys.Bottom}
		m.offset, _ = scroll.Scroll(msg, m.offset, len(m.wrapped), m.Height)
	}
	return m, nil
}

// finish shows the outcome, or why there is none, and says it in the log.
func (m Model) finish(msg doneMsg) (pane.Pane, tea.Cmd) {
	m.now = m.Now()
	m.job.Cancel()
	rev := m.deps.Graph.Revisions[m.deps.Rev]
	short := visible.Line(rev.ShortID())
	if msg.err != nil {
		m.err = msg.err
		m.body = m.refusal()
		return m.rewrap(), pane.Say(pane.LogErr, "rehearsal of "+short+" not run: "+msg.err.Error())
	}
	m.res = msg.res
	o := m.Outcome()
	if o == nil {
		m.err = fmt.Errorf("the rehearsal gave no outcome")
		m.body = m.refusal()
		return m.rewrap(), pane.Say(pane.LogErr, "rehearsal of "+short+": no outcome")
	}
	m.body = m.outcome(o)
	kind := pane.LogOK
	if o.Status != rehearse.RoundTrip {
		kind = pane.LogWarn
	}
	return m.rewrap(), pane.Say(kind, fmt.Sprintf("rehearsal of %s in a scratch %s database: %s", short, m.res.Dialect, o.Status))
}

// progress is the body while the rehearsal runs.
func (m Model) progress() []seg.Line {
	st := m.Styles
	return []seg.Line{
		seg.Styled(&st.Bold, "Rehearsing in a scratch database (never the live one): upgrade, downgrade, upgrade again"+st.Dots()),
		seg.Plain(""),
		seg.Plain(visible.Line(m.step) + st.Dots()),
		seg.Plain("elapsed " + pane.Elapsed(m.now.Sub(m.started))),
	}
}

// refusal is the body when no rehearsal could run.
func (m Model) refusal() []seg.Line {
	st := m.Styles
	return []seg.Line{
		seg.Styled(&st.ErrText, "Not rehearsed: "+visible.Line(m.err.Error())),
		seg.Plain(""),
		seg.Styled(&st.Dim, "A rehearsal runs in a scratch database retort makes and removes: a temporary SQLite file, "+
			"or on PostgreSQL a database created on the configured server (the role needs CREATEDB). Nothing was run on the live database."),
	}
}

// outcome is the body once rehearsed: the status in words, then the
// outcome as `retort rehearse` prints it, with the exact differences.
func (m Model) outcome(o *rehearse.Outcome) []seg.Line {
	st := m.Styles
	head := map[rehearse.Status]seg.Line{
		rehearse.RoundTrip:    seg.Styled(&st.OKText, st.Sym("✓", "ok:")+" round-trip: the downgrade restored the schema and the rows, and the second upgrade gave the first's schema"),
		rehearse.Differs:      seg.Styled(&st.Destructive, st.Sym("✗", "x")+" DIFFERS: see below what was not restored"),
		rehearse.Failed:       seg.Styled(&st.Destructive, st.Sym("✗", "x")+" FAILED: a step failed in the scratch database"),
		rehearse.NotRehearsed: seg.Styled(&st.Warn, "! NOT REHEARSED: the revision could not be run"),
	}[o.Status]
	lines := []seg.Line{head, seg.Styled(&st.Dim, fmt.Sprintf("in a scratch %s database, removed after; the live database was not touched", m.res.Dialect)), seg.Plain("")}
	for _, l := range strings.Split(strings.TrimRight(visible.Text(rehearse.Text(*o), "    "), "\n"), "\n") {
		lines = append(lines, seg.Plain(l))
	}
	return lines
}

// rewrap wraps the body to the width.
func (m Model) rewrap() Model {
	if len(m.body) == 0 {
		m.body = m.progress()
	}
	m.wrapped = seg.Wrap(m.body, m.Width)
	m.offset = pane.ClampOffset(m.offset, len(m.wrapped), m.Height)
	return m
}

// View is the body's lines shown.
func (m Model) View() []string {
	if m.Width <= 0 || m.Height <= 0 {
		return nil
	}
	out := make([]string, m.Height)
	for k := range out {
		if n := m.offset + k; n < len(m.wrapped) {
			out[k] = m.wrapped[n].Render(m.Styles, m.Width)
		} else {
			out[k] = strings.Repeat(" ", m.Width)
		}
	}
	return out
}
