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

// Outcome is how a run ended, as the plan modal shows it after the run.
type Outcome struct {
	// OK: every step committed.
	OK bool
	// Headline is "✓ done: 2 step(s) committed in 12 ms; version rows now
	// b2" or "✕ stopped: <the error>".
	Headline string
	// Committed is, for a run that stopped partway, how many steps
	// committed and what became of the step it stopped at: "committed 1
	// step(s); the failed step rolled back". Empty otherwise.
	Committed string
	// Failure is what the database said about the failed statement.
	Failure []Field
}

// Lines are the outcome's lines, the failure's fields in their column.
func (o Outcome) Lines() []string {
	out := []string{o.Headline}
	if o.Committed != "" {
		out = append(out, o.Committed)
	}
	for _, f := range o.Failure {
		out = append(out, f.String())
	}
	return out
}

// Result is the outcome of a run of plan that returned err after elapsed.
func Result(plan *models.Plan, err error, elapsed time.Duration, g Glyphs) Outcome {
	if err == nil {
		return Outcome{OK: true, Headline: fmt.Sprintf("%s done: %d step(s) committed in %s; version rows now %s",
			g.sym("✓", "OK"), len(plan.Steps), g.Duration(elapsed), rowList(plan.Final))}
	}
	o := Outcome{Headline: g.sym("✕ ", "FAILED ") + "stopped: " + line(err.Error())}
	var pe *engine.PartialError
	if errors.As(err, &pe) {
		o.Committed = fmt.Sprintf("committed %d step(s); %s", len(pe.Committed), StoppedHow(pe))
		o.Failure = FailureFields(pe.Failure)
	}
	return o
}

// Interrupted says in words how a run that the end of the program
// interrupted ended, from its result.
func Interrupted(runErr error) string {
	var pe *engine.PartialError
	if runErr == nil {
		return "the run had reached its end and committed"
	}
	if !errors.As(runErr, &pe) {
		return "the run ended with an error: " + runErr.Error()
	}
	if errors.Is(runErr, engine.ErrCommitUnknown) {
		return "the outcome of the step in progress is unknown (its COMMIT was lost)"
	}
	committed := "no step had committed"
	if n := len(pe.Committed); n > 0 {
		committed = fmt.Sprintf("the %d step(s) that committed before stay committed", n)
	}
	switch {
	case pe.Failure == nil:
		return "it stopped between two steps; " + committed
	case pe.Failure.Ran > 0:
		return fmt.Sprintf("the step in progress runs outside a transaction: %d of its statements stay applied; %s", pe.Failure.Ran, committed)
	}
	return "the step in progress was rolled back; " + committed
}

// InterruptedRun is the line the CLI prints on stderr for a run that the
// end of the program interrupted: how it ended (runErr, its result) and
// the version rows it left (rows, or readErr when they could not be read).
func InterruptedRun(runErr error, rows []string, readErr error) string {
	table := "the version table could not be read: "
	switch {
	case readErr != nil:
		table += readErr.Error()
	case len(rows) == 0:
		table = "the version table says: base (no version rows)"
	default:
		table = "the version table says: " + strings.Join(rows, ", ")
	}
	return visible.Text("retort: interrupted during a run; "+Interrupted(runErr)+"; "+table, "\t") + "\n"
}
