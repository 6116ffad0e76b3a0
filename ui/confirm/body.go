package confirm

import (
	"fmt"
	"strings"
	"time"

	"retort/engine"
	"retort/engine/report"
	"retort/engine/sqlsplit"
	"retort/models"
	"retort/ui/plain"
	"retort/ui/seg"
	"retort/ui/theme"
	"retort/visible"
)

// planBody lists the plan's steps, the revisions it marks as not applied
// without running their downgrade (drops, of a stamp back down), then the
// SQL that will run (the engine's preview), each destructive statement
// prefixed with "!" and followed by why. It returns the lines, the position
// of the line that introduces the SQL, and the number of destructive
// statements.
func planBody(st *theme.Styles, plan *models.Plan, p *engine.Preview, drops []*models.Revision) ([]seg.Line, int, int) {
	var lines []seg.Line
	for k := range plan.Steps {
		lines = append(lines, stepLine(st, k, &plan.Steps[k]))
	}
	if len(drops) > 0 {
		lines = append(lines, seg.Plain(""), seg.Styled(&st.Destructive, fmt.Sprintf(
			"! the version table will no longer count these %d revision(s) as applied; their downgrades do not run:", len(drops))))
		for _, r := range drops {
			lines = append(lines, seg.Line{{Text: "    "}, {Style: &st.ID, Text: visible.Line(r.ShortID())},
				{Style: &st.Dim, Text: "  " + visible.Line(r.Message), Hang: true}})
		}
	}
	sqlLines, destructive := sqlListing(st, p), p.Destructive
	lines = append(lines, seg.Plain(""))
	head := len(lines)
	lines = append(lines, seg.Styled(&st.Bold, sqlHead(destructive, "SQL that will run, in this order")))
	return append(lines, sqlLines...), head, destructive
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
	line := seg.Line{{Text: fmt.Sprintf("%3d  ", k+1)}, {Style: style, Text: fmt.Sprintf("%-8s", status)}, {Text: report.Step(s, report.Glyphs{ASCII: st.ASCII}), Hang: true}}
	if s.Revision != nil && s.Revision.Message != "" {
		line = append(line, seg.Seg{Style: &st.Dim, Text: "   " + visible.Line(s.Revision.Message)})
	}
	return line
}

// stepLine is "  2  downgrade 4d00 → 3c00   index records".
func stepLine(st *theme.Styles, k int, s *models.Step) seg.Line {
	line := seg.Line{{Text: fmt.Sprintf("%3d  ", k+1)}, {Text: report.Step(s, report.Glyphs{ASCII: st.ASCII}), Hang: true}}
	if s.Revision != nil && s.Revision.Message != "" {
		line = append(line, seg.Seg{Style: &st.Dim, Text: "   " + visible.Line(s.Revision.Message)})
	}
	return line
}

// sqlListing lists the preview's items: comments dim, statements as they
// run, destructive ones marked (the engine flags them on their real text).
func sqlListing(st *theme.Styles, p *engine.Preview) []seg.Line {
	var lines []seg.Line
	for _, it := range p.Items {
		if it.Kind == engine.PreviewComment {
			lines = append(lines, seg.Line{{Text: "    "}, {Style: &st.Comment, Text: visible.Line(it.Text)}})
			continue
		}
		bad := it.Destructive != ""
		for k, l := range strings.Split(visible.Text(it.Text, "    ")+";", "\n") {
			switch {
			case bad && k == 0:
				lines = append(lines, seg.Line{{Style: &st.Destructive, Text: "  ! " + l},
					{Style: &st.Destructive, Text: st.Sym("   ← ", "   <- ") + it.Destructive}})
			case bad:
				lines = append(lines, seg.Styled(&st.Destructive, "    "+l))
			default:
				lines = append(lines, seg.Plain("    "+l))
			}
		}
	}
	return lines
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
			p.stepOf = report.Step(ev.Step, report.Glyphs{ASCII: m.st.ASCII})
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

// RunResult describes how a run ended, in engine/report's words.
func RunResult(st *theme.Styles, plan *models.Plan, err error, elapsed time.Duration) []seg.Line {
	// The error said in plain words (Go's "context canceled" is not a
	// sentence); report still finds what it wraps.
	o := report.Result(plan, plain.Wrap(err), elapsed, report.Glyphs{ASCII: st.ASCII})
	head := &st.ErrText
	if o.OK {
		head = &st.OKText
	}
	lines := []seg.Line{seg.Styled(head, o.Headline)}
	if o.Committed != "" {
		lines = append(lines, seg.Plain(o.Committed))
	}
	for _, f := range o.Failure {
		lines = append(lines, seg.Line{{Style: &st.Dim, Text: fmt.Sprintf("%-10s", f.Name)}, {Text: f.Value}})
	}
	return lines
}

// FormatDuration is a duration as engine/report writes it, in st's glyphs
// ("us" for "µs" in ASCII).
func FormatDuration(st *theme.Styles, d time.Duration) string {
	return report.Glyphs{ASCII: st.ASCII}.Duration(d)
}
