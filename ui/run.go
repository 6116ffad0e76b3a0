package ui

import (
	"errors"
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"retort/engine"
	"retort/models"
	"retort/visible"
)

// onEvents logs a batch of engine events and follows them in the modal;
// when the channel closed, the run is over.
func (m Model) onEvents(msg runEventsMsg) (tea.Model, tea.Cmd) {
	if m.run == nil {
		return m, nil
	}
	for _, ev := range msg.events {
		m.log = logEvent(m.st, m.log, ev)
		m.modal = m.modal.onEvent(ev)
	}
	if !msg.closed {
		return m, waitEventsCmd(m.run.live.events)
	}
	return m.finishRun()
}

// finishRun shows the outcome and reads the version table again.
func (m Model) finishRun() (tea.Model, tea.Cmd) {
	run := m.run
	run.cancel() // releases the context
	m.run = nil
	// The result is Apply's own, not the EventRunDone event's: that event
	// may have been dropped when the program's context ended. The channel
	// closes only after Apply returned, so this does not wait.
	<-run.live.done
	now := m.cfg.Now()
	m.modal = m.modal.finish(runResult(m.st, run.plan, run.live.err, now.Sub(m.modal.prog.started)))
	return m, m.readState()
}

// onRunTick refreshes the elapsed time while the run goes on.
func (m Model) onRunTick() (tea.Model, tea.Cmd) {
	if m.run == nil {
		return m, nil
	}
	m.modal.prog.now = m.cfg.Now()
	return m, runTickCmd()
}

// logEvent adds an engine event to the log pane: statements with their
// duration and rows, notices, and failures with SQLSTATE and hint.
func logEvent(st *styles, l logModel, ev models.Event) logModel {
	t := ev.Time
	switch ev.Kind {
	case models.EventLockWaiting:
		return l.add(t, logWarn, ev.Message)
	case models.EventLockAcquired:
		return l.add(t, logInfo, "migration lock taken")
	case models.EventStepStarted:
		return l.add(t, logInfo, stepTitle(st, ev))
	case models.EventStatement:
		return l.add(t, logStmt, fmt.Sprintf("  %s  %s · %s",
			oneLine(ev.SQL), formatDuration(ev.Duration), plural(int(ev.Rows), "row")))
	case models.EventNotice:
		return l.add(t, logNotice, noticeText(ev))
	case models.EventStepDone:
		return l.add(t, logOK, "  ok · "+formatDuration(ev.Duration))
	case models.EventStepFailed:
		l = l.add(t, logErr, "  "+failedHow(ev.Err)+": "+errText(ev.Err))
		for _, line := range failureLines(st, ev.Failure) {
			l = l.add(t, logErr, "    "+line.plain())
		}
		return l
	case models.EventRunDone:
		return runDoneLine(l, ev)
	}
	return l
}

func stepTitle(st *styles, ev models.Event) string {
	s := fmt.Sprintf("step %d/%d", ev.Index+1, ev.Total)
	if ev.Step == nil {
		return s
	}
	s += "  " + describeStep(st, ev.Step)
	if ev.Step.Revision != nil && ev.Step.Revision.Message != "" {
		s += st.sym(" · ", " | ") + visible.Line(ev.Step.Revision.Message)
	}
	return s
}

func noticeText(ev models.Event) string {
	s := visible.Line(ev.Severity) + "  " + visible.Line(ev.Message)
	if ev.Detail != "" {
		s += "\n    detail " + visible.Line(ev.Detail)
	}
	if ev.Hint != "" {
		s += "\n    hint " + visible.Line(ev.Hint)
	}
	return s
}

// runDoneLine says how the run ended; a refusal before any step is said
// here, a failed step was said by its own event.
func runDoneLine(l logModel, ev models.Event) logModel {
	var pe *engine.PartialError
	switch {
	case ev.Err == nil:
		return l.add(ev.Time, logOK, "run done")
	case errors.As(ev.Err, &pe):
		return l.add(ev.Time, logErr, fmt.Sprintf("run stopped: %s committed; %s",
			plural(len(pe.Committed), "step"), errText(pe.Err)))
	}
	return l.add(ev.Time, logErr, "run refused, nothing ran: "+errText(ev.Err))
}

// oneLine squeezes a statement onto one line.
func oneLine(sql string) string {
	return strings.Join(strings.Fields(visible.Line(sql)), " ")
}
