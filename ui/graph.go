package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"retort/revisions"
)

// graphKeys are the keys of the History pane.
type graphKeys struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	Current, Heads, Focus, Mark             key.Binding
}

func newGraphKeys() graphKeys {
	return graphKeys{
		Up:       key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "top")),
		Bottom:   key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "bottom")),
		Current:  key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "jump to current")),
		Heads:    key.NewBinding(key.WithKeys("h"), key.WithHelp("h", "next head")),
		Focus:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "focus: show ancestry")),
		Mark:     key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "mark head for merge")),
	}
}

func (k graphKeys) ShortHelp() []key.Binding { return []key.Binding{k.Up, k.Down} }

func (k graphKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Current, k.Heads, k.Focus, k.Mark},
	}
}

func (k *graphKeys) setEnabled(on bool) {
	for _, b := range []*key.Binding{&k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.Top, &k.Bottom, &k.Current, &k.Heads, &k.Focus, &k.Mark} {
		b.SetEnabled(on)
	}
}

// graphModel is the History pane: one row per revision, newest first, the
// lanes then the id, labels, badges and message. Rows are rendered only when
// they are visible and kept until the geometry or the database state
// changes, so moving the cursor renders two rows.
type graphModel struct {
	st   *styles
	keys graphKeys
	h    *history
	db   *dbState
	// focusRev is the revision `enter` focused (-1: none) and focusAnc its
	// ancestry, by revision position.
	focusRev int
	focusAnc []bool
	// marked are the heads marked for a merge, by revision position.
	marked map[int]bool

	width, height int
	cursor, top   int
	cols          columns
	badges        []string
	cache         map[int]string
	visible       []string
}

func newGraphModel(st *styles) graphModel {
	return graphModel{st: st, keys: newGraphKeys(), focusRev: -1, marked: map[int]bool{}, cache: map[int]string{}}
}

// setHistory installs a newly loaded history, keeping the cursor on the
// revision it was on when it still exists.
func (m graphModel) setHistory(h *history) graphModel {
	keep := ""
	if m.h != nil && m.h.len() > 0 {
		keep = fullID(m.h, m.cursor)
	}
	// The database state is indexed by the old graph's revisions: drop it
	// until it is read again for the new one.
	m.h, m.db, m.cursor, m.top = h, nil, 0, 0
	m.focusRev, m.focusAnc = -1, nil
	m.marked = map[int]bool{}
	if r := h.find(keep); r >= 0 {
		m.cursor = r
	}
	return m.relayout()
}

// setState installs the database state.
func (m graphModel) setState(db *dbState) graphModel {
	m.db = db
	return m.relayout()
}

// setSize sets the pane's inner size.
func (m graphModel) setSize(w, h int) graphModel {
	m.width, m.height = w, h
	return m.relayout()
}

// relayout recomputes the columns and badges and drops the row cache.
func (m graphModel) relayout() graphModel {
	m.cache = map[int]string{}
	if m.h == nil {
		m.visible = nil
		return m
	}
	m.badges = m.allBadges()
	m.cols = m.layoutColumns()
	return m.scrollTo(m.cursor)
}

// Update handles the pane's keys (its mouse wheel is wheel's).
func (m graphModel) Update(msg tea.Msg) (graphModel, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && m.h.len() > 0 {
		return m.handleKey(k), nil
	}
	return m, nil
}

func (m graphModel) handleKey(msg tea.KeyMsg) graphModel {
	k := m.keys
	switch {
	case key.Matches(msg, k.Up):
		return m.scrollTo(m.cursor - 1)
	case key.Matches(msg, k.Down):
		return m.scrollTo(m.cursor + 1)
	case key.Matches(msg, k.PageUp):
		return m.scrollTo(m.cursor - max(1, m.height-1))
	case key.Matches(msg, k.PageDown):
		return m.scrollTo(m.cursor + max(1, m.height-1))
	case key.Matches(msg, k.Top):
		return m.scrollTo(0)
	case key.Matches(msg, k.Bottom):
		return m.scrollTo(m.h.len() - 1)
	}
	return m
}

// scrollTo moves the cursor to row r (clamped) and scrolls it into view.
func (m graphModel) scrollTo(r int) graphModel {
	n := m.h.len()
	m.cursor = max(0, min(r, n-1))
	if m.cursor < m.top {
		m.top = m.cursor
	}
	if m.height > 0 && m.cursor >= m.top+m.height {
		m.top = m.cursor - m.height + 1
	}
	m.top = max(0, min(m.top, n-m.height))
	return m.prepare()
}

// clickRow moves the cursor to the row shown on line y of the pane.
func (m graphModel) clickRow(y int) graphModel {
	if y < 0 || y >= m.height {
		return m
	}
	return m.scrollTo(m.top + y)
}

// nextOf moves the cursor to the first of rows (sorted) after it, wrapping.
func (m graphModel) nextOf(rows []int) (graphModel, bool) {
	if len(rows) == 0 {
		return m, false
	}
	for _, r := range rows {
		if r > m.cursor {
			return m.scrollTo(r), true
		}
	}
	return m.scrollTo(rows[0]), true
}

// prevOf moves the cursor to the last of rows (sorted) before it, wrapping.
func (m graphModel) prevOf(rows []int) (graphModel, bool) {
	if len(rows) == 0 {
		return m, false
	}
	for k := len(rows) - 1; k >= 0; k-- {
		if rows[k] < m.cursor {
			return m.scrollTo(rows[k]), true
		}
	}
	return m.scrollTo(rows[len(rows)-1]), true
}

// toggleFocus focuses the cursor's revision (its ancestry is highlighted),
// or clears the focus when it is already focused.
func (m graphModel) toggleFocus() graphModel {
	rev := m.h.entries[m.cursor].Rev
	if rev < 0 || rev == m.focusRev {
		m.focusRev, m.focusAnc = -1, nil
	} else {
		m.focusRev, m.focusAnc = rev, revisions.Needed(m.h.g, rev)
	}
	m.cache = map[int]string{}
	return m.prepare()
}

// clearFocus drops the focus, if any.
func (m graphModel) clearFocus() graphModel {
	if m.focusRev < 0 {
		return m
	}
	m.focusRev, m.focusAnc = -1, nil
	m.cache = map[int]string{}
	return m.prepare()
}

// toggleMark marks or unmarks the cursor's revision for a merge; only heads
// can be merged.
func (m graphModel) toggleMark() (graphModel, string) {
	rev := m.h.entries[m.cursor].Rev
	if rev < 0 || !m.h.g.IsHead(rev) {
		return m, "only heads can be marked for a merge"
	}
	marked := make(map[int]bool, len(m.marked)+1)
	for k, v := range m.marked {
		marked[k] = v
	}
	if marked[rev] {
		delete(marked, rev)
	} else {
		marked[rev] = true
	}
	m.marked = marked
	delete(m.cache, m.cursor)
	return m.prepare(), ""
}

// markedIDs are the marked heads in history order (top to bottom).
func (m graphModel) markedIDs() []string {
	var out []string
	for _, r := range m.h.heads {
		if rev := m.h.entries[r].Rev; m.marked[rev] {
			out = append(out, m.h.g.Revisions[rev].ID)
		}
	}
	return out
}

// prepare renders the visible rows (from the cache where it can).
func (m graphModel) prepare() graphModel {
	if m.h == nil || m.height <= 0 || m.width <= 0 {
		m.visible = nil
		return m
	}
	end := min(m.top+m.height, m.h.len())
	vis := make([]string, 0, m.height)
	for r := m.top; r < end; r++ {
		if r == m.cursor {
			vis = append(vis, m.renderRow(r, true))
			continue
		}
		line, ok := m.cache[r]
		if !ok {
			line = m.renderRow(r, false)
			m.cache[r] = line
		}
		vis = append(vis, line)
	}
	m.visible = vis
	return m
}

// View is the visible rows, each exactly the pane's width.
func (m graphModel) View() []string {
	if m.h == nil {
		return []string{m.st.pad("reading the versions directory…", m.width)}
	}
	if m.h.len() == 0 {
		return []string{m.st.pad("no revisions in "+joinDirs(m.h.dirs), m.width)}
	}
	return m.visible
}

// selected is the cursor's row, -1 when there is none.
func (m graphModel) selected() int {
	if m.h.len() == 0 {
		return -1
	}
	return m.cursor
}
