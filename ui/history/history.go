// Package history is the History pane: the revision graph in lanes, one
// row per revision, and the cursor that selects the revision the actions
// act on.
package history

import (
	"strconv"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"retort/revisions"
	"retort/ui/pane"
	"retort/ui/theme"
)

// Keys are the History pane's own keys. (c, h and the search's move its
// cursor from any pane: the root model has them.)
type Keys struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	Focus, Mark                             key.Binding
}

// NewKeys are the History pane's keys, named in st's glyphs.
func NewKeys(st *theme.Styles) Keys {
	return Keys{
		Up:       key.NewBinding(key.WithKeys("k", "up"), key.WithHelp(st.Sym("↑/k", "up/k"), "up")),
		Down:     key.NewBinding(key.WithKeys("j", "down"), key.WithHelp(st.Sym("↓/j", "down/j"), "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "top")),
		Bottom:   key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "bottom")),
		Focus:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "focus: show ancestry")),
		Mark:     key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "mark head for merge")),
	}
}

// Model is the History pane: one row per revision, newest first, the
// lanes then the id, labels, badges and message. Rows are rendered only when
// they are visible and kept until the geometry or the database state
// changes, so moving the cursor renders two rows.
type Model struct {
	pane.Common
	keys Keys
	h    *pane.History
	db   *pane.State
	// query and matches are the search's, for the border.
	query   string
	matches []int
	// focusRev is the revision `enter` focused (-1: none) and focusAnc its
	// ancestry, by revision position.
	focusRev int
	focusAnc []bool
	// marked are the heads marked for a merge, by revision position.
	marked map[int]bool

	cursor, top int
	cols        columns
	badges      []string
	cache       map[int]string
	visible     []string
}

// New is the History pane, empty until the session brings a history.
func New(c *pane.Context) Model {
	return Model{Common: pane.Common{Context: c}, keys: NewKeys(c.Styles), focusRev: -1, marked: map[int]bool{}, cache: map[int]string{}}
}

// ShortHelp is empty: the footer's room goes to the actions, which work
// from any pane, and the arrows need no telling.
func (m Model) ShortHelp() []key.Binding { return nil }

// FullHelp are the pane's keys.
func (m Model) FullHelp() [][]key.Binding {
	k := m.keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}, {k.Focus, k.Mark}}
}

// Title names the pane.
func (m Model) Title(int) string { return "History" }

// Info is where the cursor is, and which match of the search it is on.
func (m Model) Info() string {
	n := m.h.Len()
	if n == 0 {
		return ""
	}
	info := ""
	if m.query != "" && len(m.matches) > 0 {
		info = "match " + itoa(position(m.matches, m.cursor)) + "/" + itoa(len(m.matches)) + "  "
	}
	return info + itoa(m.cursor+1) + "/" + itoa(n)
}

// position is the number of the match at row r, 0 when r is not a match.
func position(matches []int, r int) int {
	for k, x := range matches {
		if x == r {
			return k + 1
		}
	}
	return 0
}

// SetSize sets the pane's inner size.
func (m Model) SetSize(w, h int) pane.Pane {
	m.Width, m.Height = w, h
	return m.relayout()
}

// SetFocus says whether the pane has the keyboard.
func (m Model) SetFocus(on bool) pane.Pane {
	m.Focused = on
	return m
}

// Update takes the session (the history, the database state, the search),
// the pane's keys, and the mouse: a click selects a row, the wheel
// scrolls.
func (m Model) Update(msg tea.Msg) (pane.Pane, tea.Cmd) {
	switch msg := msg.(type) {
	case pane.SessionMsg:
		return m.setSession(msg.Session), nil
	case tea.KeyMsg:
		if m.h.Len() > 0 {
			return m.handleKey(msg)
		}
	case tea.MouseMsg:
		if msg.Action == tea.MouseActionPress && msg.Button == tea.MouseButtonLeft {
			return m.clickRow(msg.Y), nil
		}
		return m.wheel(msg), nil
	}
	return m, nil
}

// setSession installs what changed: a new history, a new database state.
func (m Model) setSession(s pane.Session) Model {
	m.query, m.matches = s.Query, s.Matches
	if s.Hist != m.h {
		m = m.setHistory(s.Hist)
	}
	if s.DB != m.db {
		m = m.setState(s.DB)
	}
	return m
}

// setHistory installs a newly loaded history, keeping the cursor on the
// revision it was on when it still exists.
func (m Model) setHistory(h *pane.History) Model {
	keep := ""
	if m.h != nil && m.h.Len() > 0 {
		keep = m.h.FullID(m.cursor)
	}
	// The database state is indexed by the old graph's revisions: drop it
	// until it is read again for the new one.
	m.h, m.db, m.cursor, m.top = h, nil, 0, 0
	m.focusRev, m.focusAnc = -1, nil
	m.marked = map[int]bool{}
	if r := h.Find(keep); r >= 0 {
		m.cursor = r
	}
	return m.relayout()
}

// setState installs the database state.
func (m Model) setState(db *pane.State) Model {
	m.db = db
	return m.relayout()
}

// relayout recomputes the columns and badges and drops the row cache.
func (m Model) relayout() Model {
	m.cache = map[int]string{}
	if m.h == nil {
		m.visible = nil
		return m
	}
	m.badges = m.allBadges()
	m.cols = m.layoutColumns()
	return m.ScrollTo(m.cursor)
}

func (m Model) handleKey(msg tea.KeyMsg) (pane.Pane, tea.Cmd) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Up):
		return m.ScrollTo(m.cursor - 1), nil
	case key.Matches(msg, k.Down):
		return m.ScrollTo(m.cursor + 1), nil
	case key.Matches(msg, k.PageUp):
		return m.ScrollTo(m.cursor - max(1, m.Height-1)), nil
	case key.Matches(msg, k.PageDown):
		return m.ScrollTo(m.cursor + max(1, m.Height-1)), nil
	case key.Matches(msg, k.Top):
		return m.ScrollTo(0), nil
	case key.Matches(msg, k.Bottom):
		return m.ScrollTo(m.h.Len() - 1), nil
	case key.Matches(msg, k.Focus):
		return m.toggleFocus(), nil
	case key.Matches(msg, k.Mark):
		m, why := m.toggleMark()
		if why != "" {
			return m, pane.Say(pane.LogWarn, why)
		}
		return m, nil
	}
	return m, nil
}

// ScrollTo moves the cursor to row r (clamped) and scrolls it into view.
func (m Model) ScrollTo(r int) Model {
	n := m.h.Len()
	m.cursor = max(0, min(r, n-1))
	if m.cursor < m.top {
		m.top = m.cursor
	}
	if m.Height > 0 && m.cursor >= m.top+m.Height {
		m.top = m.cursor - m.Height + 1
	}
	m.top = max(0, min(m.top, n-m.Height))
	return m.prepare()
}

// clickRow moves the cursor to the row shown on line y of the pane.
func (m Model) clickRow(y int) Model {
	if y < 0 || y >= m.Height {
		return m
	}
	return m.ScrollTo(m.top + y)
}

// NextOf moves the cursor to the first of rows (sorted) after it, wrapping.
func (m Model) NextOf(rows []int) (Model, bool) {
	if len(rows) == 0 {
		return m, false
	}
	for _, r := range rows {
		if r > m.cursor {
			return m.ScrollTo(r), true
		}
	}
	return m.ScrollTo(rows[0]), true
}

// PrevOf moves the cursor to the last of rows (sorted) before it, wrapping.
func (m Model) PrevOf(rows []int) (Model, bool) {
	if len(rows) == 0 {
		return m, false
	}
	for k := len(rows) - 1; k >= 0; k-- {
		if rows[k] < m.cursor {
			return m.ScrollTo(rows[k]), true
		}
	}
	return m.ScrollTo(rows[len(rows)-1]), true
}

// toggleFocus focuses the cursor's revision (its ancestry is highlighted),
// or clears the focus when it is already focused.
func (m Model) toggleFocus() Model {
	rev := m.h.Entries[m.cursor].Rev
	if rev < 0 || rev == m.focusRev {
		m.focusRev, m.focusAnc = -1, nil
	} else {
		m.focusRev, m.focusAnc = rev, revisions.Needed(m.h.G, rev)
	}
	m.cache = map[int]string{}
	return m.prepare()
}

// ClearFocus drops the focus, if any.
func (m Model) ClearFocus() Model {
	if m.focusRev < 0 {
		return m
	}
	m.focusRev, m.focusAnc = -1, nil
	m.cache = map[int]string{}
	return m.prepare()
}

// toggleMark marks or unmarks the cursor's revision for a merge; only heads
// can be merged.
func (m Model) toggleMark() (Model, string) {
	rev := m.h.Entries[m.cursor].Rev
	if rev < 0 || !m.h.G.IsHead(rev) {
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

// MarkedIDs are the marked heads in history order (top to bottom).
func (m Model) MarkedIDs() []string {
	if m.h == nil {
		return nil
	}
	var out []string
	for _, r := range m.h.Heads {
		if rev := m.h.Entries[r].Rev; m.marked[rev] {
			out = append(out, m.h.G.Revisions[rev].ID)
		}
	}
	return out
}

// prepare renders the visible rows (from the cache where it can).
func (m Model) prepare() Model {
	if m.h == nil || m.Height <= 0 || m.Width <= 0 {
		m.visible = nil
		return m
	}
	end := min(m.top+m.Height, m.h.Len())
	vis := make([]string, 0, m.Height)
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
func (m Model) View() []string {
	if m.h == nil {
		return []string{m.Styles.Pad("reading the versions directory"+m.Styles.Dots(), m.Width)}
	}
	if m.h.Len() == 0 {
		return []string{m.Styles.Pad("no revisions in "+pane.JoinDirs(m.h.Dirs), m.Width)}
	}
	return m.visible
}

// Selected is the cursor's row, -1 when there is none.
func (m Model) Selected() int {
	if m.h.Len() == 0 {
		return -1
	}
	return m.cursor
}

// IDWidth is how many characters of an id the rows show.
func (m Model) IDWidth() int { return m.cols.id }

// Cursor is the cursor's row.
func (m Model) Cursor() int { return m.cursor }

// Top is the first row shown.
func (m Model) Top() int { return m.top }

// Focus is the revision enter focused (-1: none) and its ancestry, by
// revision position.
func (m Model) Focus() (int, []bool) { return m.focusRev, m.focusAnc }

// wheel scrolls the rows without moving the selection, as lazygit's wheel
// does in its lists: the view moves, the selected revision stays selected
// (and may scroll out of sight, as it may there), so the Detail pane keeps
// showing it. The next cursor key brings it back into view (ScrollTo).
// Moving the selection with the wheel would change what u, d or s act on
// while the user only meant to look.
func (m Model) wheel(msg tea.MouseMsg) Model {
	step := pane.WheelStep(msg)
	if step == 0 || m.h.Len() == 0 || m.Height <= 0 {
		return m
	}
	m.top = pane.ClampOffset(m.top+step, m.h.Len(), m.Height)
	return m.prepare()
}

func itoa(n int) string { return strconv.Itoa(n) }
