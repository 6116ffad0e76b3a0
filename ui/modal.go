package ui

import (
	"context"
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"retort/models"
	"retort/visible"
)

// modalKey gives a key to the action modal and acts on what it decided.
func (m Model) modalKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if msg.String() == "ctrl+c" && m.run == nil {
		return m, tea.Quit // idle: nothing runs, so ctrl+c quits as anywhere
	}
	phase := m.modal.phase
	var out confirmOutcome
	m.modal, out = m.modal.Update(msg)
	switch out {
	case closeModal:
		m.mode = modeNormal
		m.keys.setEnabled(true)
		if phase == phaseConfirm && !m.modal.preview {
			m.log = m.log.add(m.cfg.Now(), logInfo, "cancelled: nothing ran")
		}
	case runPlan:
		return m.startRunning()
	case interruptRun:
		return m.interrupt(), nil
	}
	return m, nil
}

// onPlan shows a computed plan in the modal, or why it cannot run. A plan
// that arrives after its modal was closed is dropped; one computed on a
// graph that has been reloaded since is refused.
func (m Model) onPlan(msg planReadyMsg) (tea.Model, tea.Cmd) {
	m.planning = max(0, m.planning-1)
	if m.mode != modeModal || m.modal.phase != phasePlanning || m.modal.req != msg.req {
		return m, nil
	}
	switch {
	case m.hist == nil || msg.req.g != m.hist.g:
		m.modal = m.modal.refuse(reloadedDuringPlan, nil)
	case msg.err != nil:
		m.modal = m.modal.refuse(errText(msg.err), msg.plan)
	case msg.plan == nil || msg.plan.Empty():
		m.modal = m.modal.refuse("nothing to do: the database is already there", nil)
	default:
		preview := msg.req.kind == actPreview
		guard, guardID := "", ""
		if guarded(msg.plan) && !preview {
			guard, guardID = guardTarget(msg.plan, msg.req)
		}
		m.modal = m.modal.showPlan(msg.plan, msg.sql, guard, guardID, preview)
	}
	return m, nil
}

// reloadedDuringPlan is why a plan of a graph that has been reloaded since
// the key was pressed does not run.
const reloadedDuringPlan = "the revision files were reloaded while this plan was prepared or shown, " +
	"so it may not match them: nothing ran. Close this (esc) and press the key again."

// dropStalePlan refuses the modal's plan when the graph it was computed on
// has just been replaced; a plan being run, or already refused or done, is
// left alone.
func (m Model) dropStalePlan() Model {
	if m.mode != modeModal || m.hist == nil || m.modal.req.g == m.hist.g {
		return m
	}
	if m.modal.phase == phasePlanning || m.modal.phase == phaseConfirm {
		m.modal = m.modal.refuse(reloadedDuringPlan, nil)
		m.log = m.log.add(m.cfg.Now(), logWarn, "the files were reloaded: the open plan was dropped, nothing ran")
	}
	return m
}

// guardTarget is what the user types to run a downgrade: the target
// revision's short id (its full id is accepted too), "base" when the
// downgrade empties the version table. Both are the ids as the screen
// shows them (through package visible: an id read from a file may hold
// escape sequences, typed as the screen shows them).
func guardTarget(plan *models.Plan, req actionReq) (string, string) {
	id := req.id
	if req.kind != actDowngradeTo {
		last := plan.Steps[len(plan.Steps)-1]
		if len(last.To) == 0 {
			return "base", "base"
		}
		id = last.To[0]
	}
	return visible.Line(models.ShortID(id)), visible.Line(id)
}

// startRunning runs the confirmed plan: the engine's events come back
// through waitEventsCmd; the modal shows the progress. The run starts here
// rather than in a Cmd (startRun only starts a goroutine) so that the model
// holds it from this moment: a program that ends right after the key still
// knows a run is going and can stop it (see StopRun).
func (m Model) startRunning() (tea.Model, tea.Cmd) {
	plan := m.modal.plan
	ctx, cancel := context.WithCancel(m.cfg.Context)
	live := startRun(ctx, m.cfg.Context, m.cfg.DB, plan)
	m.run = &runState{plan: plan, cancel: cancel, live: live}
	now := m.cfg.Now()
	m.modal = m.modal.startRun(now)
	m.log = m.log.add(now, logInfo, fmt.Sprintf("%s: running %s",
		visible.Line(m.modal.title), plural(len(plan.Steps), "step")))
	m, spin := m.spin()
	return m, tea.Batch(waitEventsCmd(live.events), runTickCmd(), spin)
}

// interrupt cancels the run: the engine stops after the statement that is
// running and rolls its step back.
func (m Model) interrupt() Model {
	if m.run == nil || m.modal.prog.cancelling {
		return m
	}
	m.run.cancel()
	m.modal.prog.cancelling = true
	m.log = m.log.add(m.cfg.Now(), logWarn, "cancelling after the current statement; the step will roll back")
	return m
}
