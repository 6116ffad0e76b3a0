package ui

import (
	"fmt"
)

// headerLines are the fixed lines above the body: the progress of a run or
// its outcome.
func (m confirmModel) headerLines() []segLine {
	switch m.phase {
	case phasePlanning:
		return []segLine{styledLine(&m.st.dim, "computing the plan…")}
	case phaseRunning:
		p := m.prog
		lines := []segLine{
			styledLine(&m.st.bold, fmt.Sprintf("step %d of %d  %s", max(p.step, 1), p.steps, p.stepOf)),
			plainLine(m.statementLine()),
			plainLine("elapsed " + formatDuration(p.now.Sub(p.started))),
		}
		if p.cancelling {
			lines = append(lines, styledLine(&m.st.warn, "cancelling after the current statement; the step will roll back…"))
		}
		return append(lines, plainLine(""))
	case phaseDone:
		return append(append([]segLine(nil), m.result...), plainLine(""))
	}
	return nil
}

func (m confirmModel) statementLine() string {
	p := m.prog
	switch {
	case p.step == 0:
		return "taking the migration lock…"
	case len(p.stmtTexts) == 0:
		return "changing the version table"
	case p.stmt >= len(p.stmtTexts):
		return "committing the step"
	}
	return fmt.Sprintf("statement %d of %d: %s", p.stmt+1, len(p.stmtTexts), p.stmtTexts[p.stmt])
}

// footerLines are the fixed lines below the body: the confirmation prompt,
// or what a key does in this phase. The keys themselves are listed once, in
// the screen's footer (confirmModel.shortHelp).
func (m confirmModel) footerLines() []segLine {
	st := m.st
	switch m.phase {
	case phaseConfirm:
		switch {
		case m.preview:
			return []segLine{plainLine(""), styledLine(&st.dim, "A preview: nothing runs from here.")}
		case m.guard == "":
			return []segLine{plainLine(""), styledLine(&st.bold, "Press enter (or y) to run, esc to cancel.")}
		}
		wrong := plainLine("")
		if m.wrong != "" {
			wrong = styledLine(&st.errText, m.wrong)
		}
		return []segLine{
			plainLine(""),
			append(segLine{{st: &st.bold, text: "Type " + m.guard + " to downgrade:  "}}, m.input.segs(st)...),
			wrong,
		}
	case phaseRunning:
		return []segLine{plainLine(""), styledLine(&st.dim, "Cancelling stops after the current statement and rolls the step back; the log pane lists every statement.")}
	}
	return nil
}

// header and footer are headerLines and footerLines wrapped to the width.
func (m confirmModel) header() []segLine { return wrapLines(m.headerLines(), m.width) }
func (m confirmModel) footer() []segLine { return wrapLines(m.footerLines(), m.width) }

// bodyHeight is the number of body lines that fit between header and
// footer.
func (m confirmModel) bodyHeight() int {
	return max(1, m.height-len(m.header())-len(m.footer()))
}

// View draws the modal's inner lines, each exactly m.width wide.
func (m confirmModel) View() []string {
	out := make([]string, 0, m.height)
	footer := m.footer()
	for _, l := range m.header() {
		out = append(out, l.render(m.st, m.width))
	}
	h := m.bodyHeight()
	end := min(m.offset+h, len(m.wrapped))
	for _, l := range m.wrapped[m.offset:end] {
		out = append(out, l.render(m.st, m.width))
	}
	for len(out) < m.height-len(footer) {
		out = append(out, segLine(nil).render(m.st, m.width))
	}
	for _, l := range footer {
		out = append(out, l.render(m.st, m.width))
	}
	if len(out) > m.height {
		out = out[:m.height]
	}
	return out
}

// scrollInfo says where the body is scrolled.
func (m confirmModel) scrollInfo() string {
	return scrollInfo(m.offset, m.bodyHeight(), len(m.wrapped))
}
