package ui

import (
	"retort/engine/report"
	"retort/models"
	"retort/ui/logpane"
	"retort/ui/pane"
	"retort/ui/plain"
	"retort/ui/theme"
)

// logEvent adds an engine event to the log pane: statements with their
// duration and rows, notices, and failures with SQLSTATE and hint, in the
// words engine/report writes for every reader of a run (its error said in
// plain words: Go's "context canceled" is not a sentence).
func logEvent(st *theme.Styles, l logpane.Model, ev models.Event) logpane.Model {
	ev.Err = plain.Wrap(ev.Err)
	for _, line := range report.LogLines(ev, report.Glyphs{ASCII: st.ASCII}) {
		l = l.Add(ev.Time, pane.LogKind(line.Level), line.Text)
	}
	return l
}
