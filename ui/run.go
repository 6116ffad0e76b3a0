package ui

import (
	"errors"
	"fmt"
	"strings"

	"retort/engine"
	"retort/models"
	"retort/ui/confirm"
	"retort/ui/logpane"
	"retort/ui/pane"
	"retort/ui/theme"
	"retort/visible"
)

// logEvent adds an engine event to the log pane: statements with their
// duration and rows, notices, and failures with SQLSTATE and hint.
func logEvent(st *theme.Styles, l logpane.Model, ev models.Event) logpane.Model {
	t := ev.Time
	switch ev.Kind {
	case models.EventLockWaiting:
		return l.Add(t, pane.LogWarn, ev.Message)
	case models.EventLockAcquired:
		return l.Add(t, pane.LogInfo, "migration lock taken")
	case models.EventStepStarted:
		return l.Add(t, pane.LogInfo, stepTitle(st, ev))
	case models.EventStatement:
		return l.Add(t, pane.LogStmt, fmt.Sprintf("  %s  %s · %s",
			oneLine(ev.SQL), confirm.FormatDuration(ev.Duration), plural(int(ev.Rows), "row")))
	case models.EventNotice:
		return l.Add(t, pane.LogNotice, noticeText(ev))
	case models.EventStepDone:
		return l.Add(t, pane.LogOK, "  ok · "+confirm.FormatDuration(ev.Duration))
	case models.EventStepFailed:
		l = l.Add(t, pane.LogErr, "  "+confirm.FailedHow(ev.Err)+": "+errText(ev.Err))
		for _, line := range confirm.FailureLines(st, ev.Failure) {
			l = l.Add(t, pane.LogErr, "    "+line.Plain())
		}
		return l
	case models.EventRunDone:
		return runDoneLine(l, ev)
	}
	return l
}

func stepTitle(st *theme.Styles, ev models.Event) string {
	s := fmt.Sprintf("step %d/%d", ev.Index+1, ev.Total)
	if ev.Step == nil {
		return s
	}
	s += "  " + confirm.DescribeStep(st, ev.Step)
	if ev.Step.Revision != nil && ev.Step.Revision.Message != "" {
		s += st.Sym(" · ", " | ") + visible.Line(ev.Step.Revision.Message)
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
func runDoneLine(l logpane.Model, ev models.Event) logpane.Model {
	var pe *engine.PartialError
	switch {
	case ev.Err == nil:
		return l.Add(ev.Time, pane.LogOK, "run done")
	case errors.As(ev.Err, &pe):
		return l.Add(ev.Time, pane.LogErr, fmt.Sprintf("run stopped: %s committed; %s",
			plural(len(pe.Committed), "step"), errText(pe.Err)))
	}
	return l.Add(ev.Time, pane.LogErr, "run refused, nothing ran: "+errText(ev.Err))
}

// oneLine squeezes a statement onto one line.
func oneLine(sql string) string {
	return strings.Join(strings.Fields(visible.Line(sql)), " ")
}
