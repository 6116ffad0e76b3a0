package cli

import (
	"errors"
	"fmt"
	"io"
	"time"

	"retort/engine"
	"retort/models"
)

// The progress of a run on stderr.

// progressPrinter shows a run as it goes, in the spirit of Alembic's
// "Running upgrade a -> b, message" log lines.
type progressPrinter struct {
	w io.Writer
}

func (p *progressPrinter) event(ev models.Event) {
	switch ev.Kind {
	case models.EventLockWaiting:
		printf(p.w, "waiting for the lock: %s\n", indentLines(ev.Message, "  "))
	case models.EventStepStarted:
		line := "Running " + ev.Step.ShortLog()
		if ev.Step.Revision != nil && ev.Step.Revision.Message != "" {
			line += ", " + indentLines(ev.Step.Revision.Message, "")
		}
		printf(p.w, "[%d/%d] %s\n", ev.Index+1, ev.Total, line)
	case models.EventNotice:
		printf(p.w, "  %s: %s\n", ev.Severity, indentLines(ev.Message, "    "))
		p.detailHint(ev.Detail, ev.Hint)
	case models.EventStepDone:
		fmt.Fprintf(p.w, "  done in %s\n", ev.Duration.Round(time.Millisecond))
	case models.EventStepFailed:
		how := "failed, rolled back"
		if errors.Is(ev.Err, engine.ErrCommitUnknown) {
			how = "failed, outcome unknown: check the version table"
		}
		printf(p.w, "  %s: %s\n", how, indentLines(ev.Err.Error(), "    "))
		if f := ev.Failure; f != nil {
			p.detailHint(f.Detail, f.Hint)
			if f.Statement != "" {
				printf(p.w, "    statement (%s:%d): %s\n", f.Path, f.Line, indentLines(f.Statement, "      "))
			}
		}
	}
}

// detailHint prints the DETAIL and HINT the database gave with a notice or
// an error, as psql does.
func (p *progressPrinter) detailHint(detail, hint string) {
	if detail != "" {
		printf(p.w, "    DETAIL: %s\n", indentLines(detail, "      "))
	}
	if hint != "" {
		printf(p.w, "    HINT: %s\n", indentLines(hint, "      "))
	}
}
