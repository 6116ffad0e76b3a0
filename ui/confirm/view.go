package confirm

import (
	"fmt"

	"retort/ui/pane"
	"retort/ui/seg"
)

// headerLines are the fixed lines above the body: the progress of a run or
// its outcome.
func (m Model) headerLines() []seg.Line {
	switch m.phase {
	case PhasePlanning:
		return []seg.Line{seg.Styled(&m.st.Dim, "computing the plan"+m.st.Dots())}
	case PhaseRunning:
		p := m.prog
		lines := []seg.Line{
			seg.Styled(&m.st.Bold, fmt.Sprintf("step %d of %d  %s", max(p.step, 1), p.steps, p.stepOf)),
			seg.Plain(m.StatementLine()),
			seg.Plain("elapsed " + FormatDuration(m.st, p.now.Sub(p.started))),
		}
		if p.cancelling {
			lines = append(lines, seg.Styled(&m.st.Warn, "cancelling after the current statement; the step will roll back"+m.st.Dots()))
		}
		return append(lines, seg.Plain(""))
	case PhaseDone:
		return append(append([]seg.Line(nil), m.result...), seg.Plain(""))
	}
	return nil
}

// StatementLine says what the run is doing: taking the lock, running a
// statement of the step (its position and first line), committing.
func (m Model) StatementLine() string {
	p := m.prog
	switch {
	case p.step == 0:
		return "taking the migration lock" + m.st.Dots()
	case len(p.stmtTexts) == 0:
		return "changing the version table"
	case p.stmt >= len(p.stmtTexts):
		return "committing the step"
	}
	return fmt.Sprintf("statement %d of %d: %s", p.stmt+1, len(p.stmtTexts), p.stmtTexts[p.stmt])
}

// footerLines are the fixed lines below the body: the confirmation prompt,
// or what a key does in this phase. The keys themselves are listed once, in
// the screen's footer (Model.ShortHelp).
func (m Model) footerLines() []seg.Line {
	st := m.st
	switch m.phase {
	case PhaseConfirm:
		switch {
		case m.preview:
			return []seg.Line{seg.Plain(""), seg.Styled(&st.Dim, "A preview: nothing runs from here.")}
		case m.guard == "":
			return []seg.Line{seg.Plain(""), seg.Styled(&st.Bold, "Press enter (or y) to run, esc to cancel.")}
		}
		wrong := seg.Plain("")
		if m.wrong != "" {
			wrong = seg.Styled(&st.ErrText, m.wrong)
		}
		return []seg.Line{
			seg.Plain(""),
			append(seg.Line{{Style: &st.Bold, Text: "Type " + m.guard + " to " + m.verb + ":  "}}, m.input.Segs(st)...),
			wrong,
		}
	case PhaseRunning:
		return []seg.Line{seg.Plain(""), seg.Styled(&st.Dim, "Cancelling stops after the current statement and rolls the step back; the log pane lists every statement.")}
	}
	return nil
}

// header and footer are headerLines and footerLines wrapped to the width.
func (m Model) header() []seg.Line { return seg.Wrap(m.headerLines(), m.width) }
func (m Model) footer() []seg.Line { return seg.Wrap(m.footerLines(), m.width) }

// BodyHeight is the number of body lines that fit between header and
// footer.
func (m Model) BodyHeight() int {
	return max(1, m.height-len(m.header())-len(m.footer()))
}

// View draws the modal's inner lines, each exactly m.width wide.
func (m Model) View() []string {
	out := make([]string, 0, m.height)
	footer := m.footer()
	for _, l := range m.header() {
		out = append(out, l.Render(m.st, m.width))
	}
	h := m.BodyHeight()
	end := min(m.offset+h, len(m.wrapped))
	for _, l := range m.wrapped[m.offset:end] {
		out = append(out, l.Render(m.st, m.width))
	}
	for len(out) < m.height-len(footer) {
		out = append(out, seg.Line(nil).Render(m.st, m.width))
	}
	for _, l := range footer {
		out = append(out, l.Render(m.st, m.width))
	}
	if len(out) > m.height {
		out = out[:m.height]
	}
	return out
}

// ScrollInfo says where the body is scrolled.
func (m Model) ScrollInfo() string {
	return pane.ScrollInfo(m.offset, m.BodyHeight(), len(m.wrapped))
}
