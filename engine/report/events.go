package report

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"retort/engine"
	"retort/models"
	"retort/visible"
)

// Level is what a log line reports, which picks its style in the UI's log
// pane; in the order of the pane's own kinds.
type Level uint8

const (
	Info Level = iota
	OK
	Warn
	Error
	Statement
	Notice
)

// Line is one entry of the UI's log. Its text may hold line breaks: the
// pane shows each line as an entry of the same level.
type Line struct {
	Level Level
	Text  string
}

// LogLines are the log lines of an event: statements with their duration
// and rows, notices, failures with SQLSTATE and hint, the lock, the steps
// and the end of the run.
func LogLines(ev models.Event, g Glyphs) []Line {
	switch ev.Kind {
	case models.EventLockWaiting:
		return []Line{{Warn, text(ev.Message)}}
	case models.EventLockAcquired:
		return []Line{{Info, "migration lock taken"}}
	case models.EventStepStarted:
		return []Line{{Info, StepTitle(ev, g)}}
	case models.EventStatement:
		return []Line{{Statement, fmt.Sprintf("  %s  %s%s%s",
			OneLine(ev.SQL), g.Duration(ev.Duration), g.sym(" · ", " | "), plural(int(ev.Rows), "row"))}}
	case models.EventNotice:
		return []Line{{Notice, noticeText(ev)}}
	case models.EventStepDone:
		return []Line{{OK, "  ok" + g.sym(" · ", " | ") + g.Duration(ev.Duration)}}
	case models.EventStepFailed:
		out := []Line{{Error, "  " + FailedHow(ev.Err) + ": " + text(errText(ev.Err))}}
		for _, f := range FailureFields(ev.Failure) {
			out = append(out, Line{Error, "    " + f.String()})
		}
		return out
	case models.EventRunDone:
		return []Line{runDone(ev)}
	}
	return nil
}

// StepTitle is "step 2/5  upgrade a → b · message".
func StepTitle(ev models.Event, g Glyphs) string {
	s := fmt.Sprintf("step %d/%d", ev.Index+1, ev.Total)
	if ev.Step == nil {
		return s
	}
	s += "  " + Step(ev.Step, g)
	if ev.Step.Revision != nil && ev.Step.Revision.Message != "" {
		s += g.sym(" · ", " | ") + line(ev.Step.Revision.Message)
	}
	return s
}

// OneLine squeezes a statement onto one line, its runs of spaces and line
// breaks one space each.
func OneLine(sql string) string {
	return strings.Join(strings.Fields(line(sql)), " ")
}

func noticeText(ev models.Event) string {
	s := line(ev.Severity) + "  " + line(ev.Message)
	if ev.Detail != "" {
		s += "\n    detail " + line(ev.Detail)
	}
	if ev.Hint != "" {
		s += "\n    hint " + line(ev.Hint)
	}
	return s
}

// runDone says how the run ended; a refusal before any step is said here,
// a failed step was said by its own event.
func runDone(ev models.Event) Line {
	var pe *engine.PartialError
	switch {
	case ev.Err == nil:
		return Line{OK, "run done"}
	case errors.As(ev.Err, &pe):
		return Line{Error, fmt.Sprintf("run stopped: %s committed; %s", plural(len(pe.Committed), "step"), text(errText(pe.Err)))}
	}
	return Line{Error, "run refused, nothing ran: " + text(errText(ev.Err))}
}

// Progress is what the CLI prints on stderr for an event, in the spirit of
// Alembic's "Running upgrade a -> b, message" log lines: "" for an event it
// does not show, else whole lines. Continuation lines are indented under
// their first.
func Progress(ev models.Event) string {
	var b strings.Builder
	switch ev.Kind {
	case models.EventLockWaiting:
		fmt.Fprintf(&b, "waiting for the lock: %s\n", indented(ev.Message, "  "))
	case models.EventStepStarted:
		l := "Running " + indented(ev.Step.ShortLog(), "")
		if ev.Step.Revision != nil && ev.Step.Revision.Message != "" {
			l += ", " + indented(ev.Step.Revision.Message, "")
		}
		fmt.Fprintf(&b, "[%d/%d] %s\n", ev.Index+1, ev.Total, l)
	case models.EventNotice:
		fmt.Fprintf(&b, "  %s: %s\n", indented(ev.Severity, ""), indented(ev.Message, "    "))
		detailHint(&b, ev.Detail, ev.Hint)
	case models.EventStepDone:
		fmt.Fprintf(&b, "  done in %s\n", ev.Duration.Round(time.Millisecond))
	case models.EventStepFailed:
		fmt.Fprintf(&b, "  %s: %s\n", FailedHow(ev.Err), indented(ev.Err.Error(), "    "))
		if f := ev.Failure; f != nil {
			detailHint(&b, f.Detail, f.Hint)
			if f.Statement != "" {
				fmt.Fprintf(&b, "    statement (%s:%d): %s\n", indented(f.Path, ""), f.Line, indented(f.Statement, "      "))
			}
		}
	}
	return b.String()
}

// detailHint writes the DETAIL and HINT the database gave with a notice or
// an error, as psql does.
func detailHint(b *strings.Builder, detail, hint string) {
	if detail != "" {
		fmt.Fprintf(b, "    DETAIL: %s\n", indented(detail, "      "))
	}
	if hint != "" {
		fmt.Fprintf(b, "    HINT: %s\n", indented(hint, "      "))
	}
}

// indented shows s (control characters visible, tabs kept) with the lines
// after the first indented.
func indented(s, indent string) string {
	s = visible.Text(s, "\t")
	return strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+indent)
}
