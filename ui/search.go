package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// searchKeys start a search and move between its matches. `n` is "new
// revision", so matches are reached with ] and [ (and, while typing, with
// ctrl+n/ctrl+p or the arrows).
type searchKeys struct {
	Start, Next, Prev key.Binding
}

func newSearchKeys() searchKeys {
	return searchKeys{
		Start: key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search")),
		Next:  key.NewBinding(key.WithKeys("]"), key.WithHelp("]", "next match")),
		Prev:  key.NewBinding(key.WithKeys("["), key.WithHelp("[", "previous match")),
	}
}

func (k *searchKeys) setEnabled(on bool) {
	for _, b := range []*key.Binding{&k.Start, &k.Next, &k.Prev} {
		b.SetEnabled(on)
	}
}

// searchModel is the search box in the footer and the matches of the last
// search. The search looks in ids, branch labels and messages, ignoring
// case, and moves the cursor as the query is typed.
type searchModel struct {
	input   inputModel
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

func (m searchModel) start(cursor int) searchModel {
	return searchModel{input: newInput(200), typing: true, origin: cursor}
}

// Update handles a key while typing.
func (m searchModel) Update(msg tea.KeyMsg, h *history) (searchModel, searchOutcome) {
	switch msg.String() {
	case "enter":
		m.typing = false
		return m, searchAccepted
	case "esc":
		m.typing, m.query, m.matches = false, "", nil
		return m, searchCancelled
	case "ctrl+n", "down":
		return m, searchNext
	case "ctrl+p", "up":
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
func (m searchModel) rebase(old, h *history) searchModel {
	if m.query != "" {
		m.matches = findMatches(h, m.query)
	}
	if old.len() > 0 && m.origin < old.len() {
		if r := h.find(fullID(old, m.origin)); r >= 0 {
			m.origin = r
			return m
		}
	}
	m.origin = max(0, min(m.origin, h.len()-1))
	return m
}

// findMatches lists the rows whose id, labels or message contain q.
func findMatches(h *history, q string) []int {
	q = strings.ToLower(strings.TrimSpace(q))
	if q == "" || h == nil {
		return nil
	}
	var out []int
	for r, s := range h.haystack {
		if strings.Contains(s, q) {
			out = append(out, r)
		}
	}
	return out
}

// position is "3/17" for the match at row r, "" when r is not a match.
func (m searchModel) position(r int) int {
	for k, x := range m.matches {
		if x == r {
			return k + 1
		}
	}
	return 0
}
