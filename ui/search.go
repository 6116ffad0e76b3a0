package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"retort/ui/input"
	"retort/ui/pane"
)

// searchBoxKeys are the keys of the search box besides the text it edits
// (the help screen's legend names them).
type searchBoxKeys struct {
	Accept, Cancel, Next, Prev key.Binding
}

func newSearchBoxKeys() searchBoxKeys {
	return searchBoxKeys{
		Accept: key.NewBinding(key.WithKeys("enter")),
		Cancel: key.NewBinding(key.WithKeys("esc")),
		Next:   key.NewBinding(key.WithKeys("ctrl+n", "down")),
		Prev:   key.NewBinding(key.WithKeys("ctrl+p", "up")),
	}
}

// search is the search box in the footer and the matches of the last
// search. The search looks in ids, branch labels and messages, ignoring
// case, and moves the cursor as the query is typed.
type search struct {
	input   input.Model
	typing  bool
	query   string
	matches []int
	// origin is the cursor row when the search started; esc goes back.
	origin int
}

// searchOutcome says what a key did while typing.
type searchOutcome uint8

const (
	searchEdited searchOutcome = iota
	searchNext
	searchPrev
	searchAccepted
	searchCancelled
)

func (m search) start(cursor int) search {
	return search{input: input.New(200), typing: true, origin: cursor}
}

// Update handles a key while typing.
func (m search) update(msg tea.KeyMsg, h *pane.History) (search, searchOutcome) {
	k := newSearchBoxKeys()
	switch {
	case key.Matches(msg, k.Accept):
		m.typing = false
		return m, searchAccepted
	case key.Matches(msg, k.Cancel):
		m.typing, m.query, m.matches = false, "", nil
		return m, searchCancelled
	case key.Matches(msg, k.Next):
		return m, searchNext
	case key.Matches(msg, k.Prev):
		return m, searchPrev
	}
	m.input, _ = m.input.Update(msg)
	m.query = m.input.Value()
	m.matches = findMatches(h, m.query)
	return m, searchEdited
}

// rebase moves the search onto a reloaded history: its matches are rows
// of the history it was typed on, so they are found again in h (which may
// have gained or lost rows above them), and the row it started on follows
// its revision (stays in range when that is gone).
func (m search) rebase(old, h *pane.History) search {
	if m.query != "" {
		m.matches = findMatches(h, m.query)
	}
	if old.Len() > 0 && m.origin < old.Len() {
		if r := h.Find(old.FullID(m.origin)); r >= 0 {
			m.origin = r
			return m
		}
	}
	m.origin = max(0, min(m.origin, h.Len()-1))
	return m
}

// findMatches lists the rows whose id, labels or message contain q.
func findMatches(h *pane.History, q string) []int {
	q = strings.ToLower(strings.TrimSpace(q))
	if q == "" || h == nil {
		return nil
	}
	var out []int
	for r, s := range h.Haystack {
		if strings.Contains(s, q) {
			out = append(out, r)
		}
	}
	return out
}

// searchKey handles a key typed into the search box: the cursor follows
// the matches as the query is typed.
func (m Model) searchKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	var out searchOutcome
	m.search, out = m.search.update(msg, m.loaded.hist)
	h := m.panes.history()
	switch out {
	case searchCancelled:
		h = h.ScrollTo(m.search.origin)
	case searchNext:
		h, _ = h.NextOf(m.search.matches)
	case searchPrev:
		h, _ = h.PrevOf(m.search.matches)
	case searchEdited:
		if r, ok := firstMatch(m.search.matches, m.search.origin); ok {
			h = h.ScrollTo(r)
		}
	}
	m.panes = m.panes.withHistory(h)
	return m.publish()
}

// firstMatch is the first of the matches at or below row origin, else the
// first of all; ok is false when there are none.
func firstMatch(matches []int, origin int) (int, bool) {
	for _, r := range matches {
		if r >= origin {
			return r, true
		}
	}
	if len(matches) > 0 {
		return matches[0], true
	}
	return 0, false
}
