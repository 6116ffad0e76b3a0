package ui

import (
	"context"
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"retort/engine"
	"retort/models"
	"retort/ui/confirm"
	"retort/ui/history"
	"retort/ui/pane"
	"retort/ui/theme"
	"retort/visible"
)

// actionFlow is an action from its key to its end: the modal that shows
// its plan, asks for the confirmation and follows the run, and the run.
type actionFlow struct {
	open  bool
	modal confirm.Model
	// req is the action the modal shows; seq numbers the actions asked
	// for (see actionReq.seq).
	req actionReq
	seq int
	run *runState
	// width and height are the modal's inner size.
	width, height int
}

// runState is a plan being run.
type runState struct {
	plan   *models.Plan
	cancel context.CancelFunc
	live   *engine.Run
}

func newActionFlow(st *theme.Styles) actionFlow { return actionFlow{modal: confirm.New(st, "")} }

// running reports a run going on.
func (f actionFlow) running() bool { return f.run != nil }

// setSize gives the modal its inner size.
func (f actionFlow) setSize(w, h int) actionFlow {
	f.width, f.height = w, h
	f.modal = f.modal.SetSize(w, h)
	return f
}

// start opens the modal of an action, whose plan is being computed; req
// comes back numbered.
func (f actionFlow) start(st *theme.Styles, req actionReq, title string) (actionFlow, actionReq) {
	f.seq++
	req.seq = f.seq
	f.open, f.req = true, req
	f.modal = confirm.New(st, title).SetSize(f.width, f.height)
	return f, req
}

// showPlan shows a computed plan in the modal, or why it cannot run. A plan
// that arrives after its modal was closed is dropped; one computed on a
// graph that has been reloaded since (h is the graph now) is refused.
func (f actionFlow) showPlan(msg planReadyMsg, h *pane.History) actionFlow {
	if !f.open || f.modal.Phase() != confirm.PhasePlanning || f.req != msg.req {
		return f
	}
	switch {
	case h == nil || msg.req.g != h.G:
		f.modal = f.modal.Refuse(reloadedDuringPlan, nil)
	case msg.err != nil:
		f.modal = f.modal.Refuse(errText(msg.err), msg.plan)
	case msg.plan == nil || msg.plan.Empty():
		f.modal = f.modal.Refuse("nothing to do: the database is already there", nil)
	default:
		c := confirm.Confirmation{Preview: msg.req.kind == actPreview, Drops: stampDrops(msg.req.g, msg.plan)}
		if (guarded(msg.plan) || len(c.Drops) > 0) && !c.Preview {
			c.Guard, c.Accept = guardTarget(msg.plan, msg.req)
			if msg.plan.Command == "stamp" {
				c.Verb = "stamp"
			}
		}
		f.modal = f.modal.ShowPlan(msg.plan, msg.preview, c)
	}
	return f
}

// reloadedDuringPlan is why a plan of a graph that has been reloaded since
// the key was pressed does not run.
const reloadedDuringPlan = "the revision files were reloaded while this plan was prepared or shown, " +
	"so it may not match them: nothing ran. Close this (esc) and press the key again."

// dropStale refuses the modal's plan when the graph it was computed on has
// just been replaced by h's; a plan being run, or already refused or done,
// is left alone. dropped says it refused one.
func (f actionFlow) dropStale(h *pane.History) (next actionFlow, dropped bool) {
	if !f.open || h == nil || f.req.g == h.G {
		return f, false
	}
	if p := f.modal.Phase(); p == confirm.PhasePlanning || p == confirm.PhaseConfirm {
		f.modal = f.modal.Refuse(reloadedDuringPlan, nil)
		return f, true
	}
	return f, false
}

// key gives a key to the modal: what it decided, and whether that closed a
// plan shown for confirmation (nothing ran).
func (f actionFlow) key(msg tea.KeyMsg) (next actionFlow, out confirm.Outcome, cancelled bool) {
	phase := f.modal.Phase()
	f.modal, out = f.modal.Update(msg)
	if out == confirm.Close {
		f.open = false
		cancelled = phase == confirm.PhaseConfirm && !f.modal.Preview()
	}
	return f, out, cancelled
}

// startRun runs the confirmed plan under a context derived from ctx (the
// program's) and turns the modal into its progress.
func (f actionFlow) startRun(ctx context.Context, e Engine, now time.Time) actionFlow {
	plan := f.modal.Plan()
	runCtx, cancel := context.WithCancel(ctx)
	f.run = &runState{plan: plan, cancel: cancel, live: e.Start(runCtx, plan)}
	f.modal = f.modal.StartRun(now)
	return f
}

// interrupt cancels the run: the engine stops after the statement that is
// running and rolls its step back. ok is false when it was cancelled
// already.
func (f actionFlow) interrupt() (next actionFlow, ok bool) {
	if f.run == nil || f.modal.Cancelling() {
		return f, false
	}
	f.run.cancel()
	f.modal = f.modal.Cancel()
	return f, true
}

// finish shows how the run ended.
func (f actionFlow) finish(st *theme.Styles, now time.Time) actionFlow {
	run := f.run
	run.cancel() // releases the context
	f.run = nil
	// The result is the run's own, not the EventRunDone event's, which
	// a reader gone with the program's context may not have read.
	f.modal = f.modal.Finish(confirm.RunResult(st, run.plan, run.live.Wait(), now.Sub(f.modal.Started())))
	return f
}

// guardTarget is what the user types to run a downgrade: the target
// revision's id as the History shows it (eight characters on a narrow
// screen, else the short id of twelve), "base" when the downgrade empties
// the version table; and the other forms taken for it: the id as the
// History shows it at other widths, and the full id. All are the ids as
// the screen shows them (through package visible: an id read from a file
// may hold escape sequences, typed as the screen shows them).
func guardTarget(plan *models.Plan, req actionReq) (string, []string) {
	id := req.id
	if req.kind != actDowngradeTo && req.kind != actStamp {
		last := plan.Steps[len(plan.Steps)-1]
		if len(last.To) == 0 {
			return "base", nil
		}
		id = last.To[0]
	}
	short := []rune(models.ShortID(id))
	shown := short
	if req.idWidth > 0 && len(short) > req.idWidth {
		shown = short[:req.idWidth]
	}
	accept := []string{visible.Line(string(short)), visible.Line(id)}
	if len(short) > history.ShortIDWidth {
		accept = append(accept, visible.Line(string(short[:history.ShortIDWidth])))
	}
	return visible.Line(string(shown)), accept
}

// modalKey gives a key to the open modal; the action modal's decisions are
// acted on here.
func (m Model) modalKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if !m.actions.open {
		var cmd tea.Cmd
		m.modal, cmd = updateModal(m.modal, msg)
		return m, cmd
	}
	var out confirm.Outcome
	var cancelled bool
	m.actions, out, cancelled = m.actions.key(msg)
	switch {
	case cancelled:
		m = m.logf(pane.LogInfo, "cancelled: nothing ran")
	case out == confirm.Run:
		return m.startRunning()
	}
	return m, nil
}

// onPlan shows a computed plan.
func (m Model) onPlan(msg planReadyMsg) (tea.Model, tea.Cmd) {
	m.work.planning = max(0, m.work.planning-1)
	m.actions = m.actions.showPlan(msg, m.loaded.hist)
	return m, nil
}

// startRunning runs the confirmed plan: the engine's events come back
// through waitEventsCmd; the modal shows the progress. The run starts here
// rather than in a Cmd (Start only starts a goroutine) so that the model
// holds it from this moment: a program that ends right after the key still
// knows a run is going and can stop it (see StopRun).
func (m Model) startRunning() (tea.Model, tea.Cmd) {
	now := m.cfg.Now()
	m.actions = m.actions.startRun(m.cfg.Context, m.cfg.DB, now)
	m = m.logf(pane.LogInfo, fmt.Sprintf("%s: running %s",
		visible.Line(m.actions.modal.Title()), plural(len(m.actions.run.plan.Steps), "step")))
	m, spin := m.spin()
	m, pub := m.publish()
	return m, tea.Batch(waitEventsCmd(m.cfg.Context, m.actions.run.live), runTickCmd(), spin, pub)
}

// onEvents logs a batch of engine events and follows them in the modal;
// when the channel closed, the run is over.
func (m Model) onEvents(msg runEventsMsg) (tea.Model, tea.Cmd) {
	if !m.actions.running() {
		return m, nil
	}
	log := m.panes.log()
	moved := false
	for _, ev := range msg.events {
		log = logEvent(m.ctx.Styles, log, ev)
		m.actions.modal = m.actions.modal.OnEvent(ev)
		m.lock = m.lock.onEvent(ev)
		if ev.Kind == models.EventStepDone && ev.Step != nil {
			m.loaded = m.loaded.stepDone(ev.Step.After)
			moved = true
		}
	}
	m.panes = put(m.panes, log)
	var pub tea.Cmd
	if moved {
		// The status bar and the panes show the rows the committed
		// step left, not the state read before the run.
		m, pub = m.publish()
	}
	if !msg.closed {
		return m, tea.Batch(waitEventsCmd(m.cfg.Context, m.actions.run.live), pub)
	}
	m.actions = m.actions.finish(m.ctx.Styles, m.cfg.Now())
	m.lock = m.lock.runEnded()
	m, read := m.readState()
	m, pub = m.publish()
	return m, tea.Batch(read, pub)
}

// onRunTick refreshes the elapsed time while the run goes on.
func (m Model) onRunTick() (tea.Model, tea.Cmd) {
	if !m.actions.running() {
		return m, nil
	}
	m.actions.modal = m.actions.modal.Tick(m.cfg.Now())
	return m, runTickCmd()
}

// open shows a modal, and runs its Init when it has one: a modal that
// starts work of its own when it opens (the audit log reads the log).
func (m Model) open(md pane.Modal) (Model, tea.Cmd) {
	m.modal = openModal(md, m.layout().body)
	if i, ok := m.modal.(interface{ Init() tea.Cmd }); ok {
		return m, i.Init()
	}
	return m, nil
}

// openModal sizes a modal a pane opened to the body, which it takes the
// place of.
func openModal(md pane.Modal, body theme.Rect) pane.Modal {
	md, _ = md.SetSize(body.Inner()).SetFocus(true).(pane.Modal)
	return md
}

// updateModal gives msg to a modal a pane opened: nil once it closed.
func updateModal(md pane.Modal, msg tea.Msg) (pane.Modal, tea.Cmd) {
	next, cmd := md.Update(msg)
	if md, ok := next.(pane.Modal); ok && !md.Closed() {
		return md, cmd
	}
	return nil, cmd
}
