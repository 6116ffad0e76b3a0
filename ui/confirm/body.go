package confirm

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"retort/engine"
	"retort/engine/sqlsplit"
	"retort/models"
	"retort/ui/pane"
	"retort/ui/seg"
	"retort/ui/theme"
	"retort/visible"
)

// planBody lists the plan's steps, then the SQL that will run (engine.DryRun's
// text), each destructive statement prefixed with "!" and followed by why.
func planBody(st *theme.Styles, plan *models.Plan, sql string) ([]seg.Line, int) {
	var lines []seg.Line
	for k := range plan.Steps {
		lines = append(lines, stepLine(st, k, &plan.Steps[k]))
	}
	sqlLines, destructive := sqlListing(st, sql)
	lines = append(lines, seg.Plain(""), seg.Styled(&st.Bold, sqlHead(destructive, "SQL that will run, in this order")))
	return append(lines, sqlLines...), destructive
}

// ranHead introduces the plan's SQL after the run, from the number of the
// last step done (0: none) and the step that started and stopped (-1:
// none).
func ranHead(done, stopped, steps int) string {
	switch {
	case stopped >= 0:
		return fmt.Sprintf("SQL of the plan: the run stopped at step %d of %d, and what follows it did not run", stopped+1, steps)
	case done == steps:
		return "SQL that ran, in this order"
	case done == 0:
		return "SQL of the plan, which did not run"
	}
	return fmt.Sprintf("SQL of the plan: the run stopped after step %d of %d, and what follows it did not run", done, steps)
}

// sqlHead is head, the introduction of the plan's SQL, with the number of
// destructive statements.
func sqlHead(destructive int, head string) string {
	switch destructive {
	case 0:
		return head + ":"
	case 1:
		return head + " (1 destructive statement):"
	}
	return head + fmt.Sprintf(" (%d destructive statements):", destructive)
}

// doneStepLine is a step after the run, with what became of it: done,
// stopped (it started, then failed or was cancelled: the result above says
// which), not run.
func doneStepLine(st *theme.Styles, k int, s *models.Step, status string) seg.Line {
	style := &st.OKText
	switch status {
	case "stopped":
		style = &st.ErrText
	case "not run":
		style = &st.Dim
	}
	line := seg.Line{{Text: fmt.Sprintf("%3d  ", k+1)}, {Style: style, Text: fmt.Sprintf("%-8s", status)}, {Text: DescribeStep(st, s), Hang: true}}
	if s.Revision != nil && s.Revision.Message != "" {
		line = append(line, seg.Seg{Style: &st.Dim, Text: "   " + visible.Line(s.Revision.Message)})
	}
	return line
}

// stepLine is "  2  downgrade 4d00 → 3c00   index records".
func stepLine(st *theme.Styles, k int, s *models.Step) seg.Line {
	line := seg.Line{{Text: fmt.Sprintf("%3d  ", k+1)}, {Text: DescribeStep(st, s), Hang: true}}
	if s.Revision != nil && s.Revision.Message != "" {
		line = append(line, seg.Seg{Style: &st.Dim, Text: "   " + visible.Line(s.Revision.Message)})
	}
	return line
}

// DescribeStep is "upgrade a → b" with short ids, base for none; a stamp
// names the rows.
func DescribeStep(st *theme.Styles, s *models.Step) string {
	arrow := st.Sym(" → ", " -> ")
	if s.Direction == models.Stamp {
		return "stamp " + rowList(s.Before) + arrow + rowList(s.After)
	}
	return s.Direction.String() + " " + rowList(s.From) + arrow + rowList(s.To)
}

// rowList names revisions by short id, "base" for none.
func rowList(ids []string) string {
	if len(ids) == 0 {
		return "base"
	}
	return pane.ShortIDs(ids)
}

// sqlListing turns DryRun's text into lines: comments dim, statements as
// they are, destructive ones marked. It counts the destructive statements.
func sqlListing(st *theme.Styles, sql string) ([]seg.Line, int) {
	var lines []seg.Line
	n, prev := 0, 0
	comments := func(gap string) {
		for _, l := range strings.Split(gap, "\n") {
			if t := strings.TrimSpace(l); strings.HasPrefix(t, "--") || strings.HasPrefix(t, "/*") {
				lines = append(lines, seg.Line{{Text: "    "}, {Style: &st.Comment, Text: visible.Line(t)}})
			}
		}
	}
	for _, stmt := range sqlsplit.Split(sql) {
		comments(sql[prev:stmt.Offset])
		prev = stmt.Offset + len(stmt.SQL)
		reason, bad := sqlsplit.Destructive(stmt.SQL)
		if bad {
			n++
		}
		for k, l := range strings.Split(visible.Text(stmt.SQL, "    ")+";", "\n") {
			switch {
			case bad && k == 0:
				lines = append(lines, seg.Line{{Style: &st.Destructive, Text: "  ! " + l},
					{Style: &st.Destructive, Text: st.Sym("   ← ", "   <- ") + reason}})
			case bad:
				lines = append(lines, seg.Styled(&st.Destructive, "    "+l))
			default:
				lines = append(lines, seg.Plain("    "+l))
			}
		}
	}
	comments(sql[min(prev, len(sql)):])
	return lines, n
}

// OnEvent follows the run in the progress header. A step's statements are
// split once, when it starts: a statement event then costs O(1), whatever
// the size of the section, so that the UI keeps up with the engine (which
// waits for the UI to read its events while it holds the step's
// transaction).
func (m Model) OnEvent(ev models.Event) Model {
	p := &m.prog
	switch ev.Kind {
	case models.EventStepStarted:
		p.step, p.stmt = ev.Index+1, 0
		p.stmtTexts, p.stepOf = nil, ""
		if ev.Step != nil {
			p.stepOf = DescribeStep(m.st, ev.Step)
			p.stmtTexts = stepStatements(ev.Step)
		}
	case models.EventStatement:
		p.stmt++
	case models.EventStepDone:
		if ev.Index >= 0 && ev.Index < len(p.done) {
			p.done[ev.Index] = true
		}
	}
	return m
}

// stepStatements are the statements a step runs, first lines only.
func stepStatements(s *models.Step) []string {
	if s == nil || s.Revision == nil {
		return nil
	}
	sec := s.Revision.Upgrade
	if s.Direction == models.Downgrade {
		sec = s.Revision.Downgrade
	}
	var out []string
	for _, st := range sqlsplit.Split(sec.SQL) {
		first, _, _ := strings.Cut(st.SQL, "\n")
		out = append(out, visible.Line(first))
	}
	return out
}

// RunResult describes how a run ended.
func RunResult(st *theme.Styles, plan *models.Plan, err error, elapsed time.Duration) []seg.Line {
	if err == nil {
		return []seg.Line{seg.Styled(&st.OKText, fmt.Sprintf("%s done: %d step(s) committed in %s; version rows now %s",
			st.Sym("✓", "OK"), len(plan.Steps), FormatDuration(elapsed), rowList(plan.Final)))}
	}
	lines := []seg.Line{seg.Styled(&st.ErrText, st.Sym("✕ ", "FAILED ")+"stopped: "+visible.Line(err.Error()))}
	var pe *engine.PartialError
	if errors.As(err, &pe) {
		lines = append(lines, seg.Plain(fmt.Sprintf("committed %d step(s); %s", len(pe.Committed), stoppedHow(pe))))
		lines = append(lines, FailureLines(st, pe.Failure)...)
	}
	return lines
}

// FailureLines are what the database said about a failed statement.
func FailureLines(st *theme.Styles, f *models.Failure) []seg.Line {
	if f == nil {
		return nil
	}
	var lines []seg.Line
	add := func(name, v string) {
		if v != "" {
			lines = append(lines, seg.Line{{Style: &st.Dim, Text: fmt.Sprintf("%-10s", name)}, {Text: visible.Line(v)}})
		}
	}
	add("sqlstate", f.SQLState)
	add("error", f.Message)
	add("detail", f.Detail)
	add("hint", f.Hint)
	if f.Path != "" {
		add("at", fmt.Sprintf("%s:%d", f.Path, f.Line))
	}
	add("statement", f.Statement)
	if f.Ran > 0 {
		add("ran", fmt.Sprintf("%d statement(s) of this non-transactional step ran and stay applied", f.Ran))
	}
	return lines
}

// FormatDuration is "3 ms", "1.2 s".
func FormatDuration(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%d µs", d.Microseconds())
	case d < time.Second:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
	return d.Round(time.Second).String()
}

// FailedHow says what became of a failed step: rolled back, unless the
// engine could not tell whether its COMMIT went through.
func FailedHow(err error) string {
	if errors.Is(err, engine.ErrCommitUnknown) {
		return "failed, outcome unknown: check the version table"
	}
	return "failed, rolled back"
}

// stoppedHow says how the step at which a run stopped ended.
func stoppedHow(pe *engine.PartialError) string {
	switch {
	case errors.Is(pe, engine.ErrCommitUnknown):
		return "the outcome of the last step is unknown: check the version table"
	case pe.Failure == nil:
		return "it stopped between two steps"
	case pe.Failure.Ran > 0:
		return fmt.Sprintf("the failed step runs outside a transaction: %d of its statements stay applied", pe.Failure.Ran)
	}
	return "the failed step rolled back"
}
