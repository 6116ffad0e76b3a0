package audit

import (
	"strings"
	"time"

	"retort/engine"
	"retort/ui/pane"
)

// filter is what the view lets through: entries that match every word of
// the query, and have the outcome when one is chosen. A word matches an
// entry when it is the start of one of its revisions' ids, one of their
// branch labels, its outcome, its direction, the start of its day
// (2026-11-24, 2026-11), "today" or "yesterday", or part of who ran it
// (OS user, host, database user). Case is ignored.
type filter struct {
	words   []string
	outcome string
	hist    *pane.History
	today   string
	yday    string
}

// day is how entries' days are written, in local time.
const day = "2006-01-02"

func newFilter(query, outcome string, h *pane.History, now time.Time) filter {
	now = now.Local()
	return filter{words: strings.Fields(strings.ToLower(query)), outcome: outcome, hist: h,
		today: now.Format(day), yday: now.AddDate(0, 0, -1).Format(day)}
}

// revisionsOf are the revisions an entry names: its revision, or for a
// stamp the ones it stamped.
func revisionsOf(e engine.LogEntry) []string {
	return strings.Split(e.Revision, ",")
}

// labelsOf are the branch labels the entry's revisions carry.
func (f filter) labelsOf(e engine.LogEntry) []string {
	if f.hist == nil {
		return nil
	}
	var out []string
	for _, id := range revisionsOf(e) {
		if i, ok := f.hist.G.Index[id]; ok {
			out = append(out, f.hist.G.EffectiveLabels[i]...)
		}
	}
	return out
}

func (f filter) matches(e engine.LogEntry) bool {
	if f.outcome != "" && e.Outcome != f.outcome {
		return false
	}
	for _, w := range f.words {
		if !f.word(e, w) {
			return false
		}
	}
	return true
}

// word reports whether the entry matches one word of the query.
func (f filter) word(e engine.LogEntry, w string) bool {
	date := e.FinishedAt.Local().Format(day)
	switch {
	case w == "today":
		return date == f.today
	case w == "yesterday":
		return date == f.yday
	case w == strings.ToLower(e.Outcome), w == strings.ToLower(e.Direction), strings.HasPrefix(date, w):
		return true
	}
	for _, id := range revisionsOf(e) {
		if strings.HasPrefix(strings.ToLower(id), w) {
			return true
		}
	}
	for _, l := range f.labelsOf(e) {
		if strings.ToLower(l) == w {
			return true
		}
	}
	for _, who := range []string{e.OSUser, e.Host, e.DBUser} {
		if strings.Contains(strings.ToLower(who), w) {
			return true
		}
	}
	return false
}
