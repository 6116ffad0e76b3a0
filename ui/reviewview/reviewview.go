// Package reviewview is the review view: a modal over the body that shows
// the branches a merge joins (or the marked heads) side by side in
// columns, each revision with the objects it touches, shared objects
// marked with a glyph and a colour, and on enter the statements of an
// object on each side (file and line) or of a revision. The analysis
// (package review) runs in the background; the view shows its progress.
//
// Columns are at least minColumn cells wide: as many branches as fit are
// side by side (two at 80 columns), and ←/→ scroll to the others.
package reviewview

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"retort/models"
	"retort/review"
	"retort/ui/pane"
	"retort/ui/seg"
	"retort/ui/theme"
	"retort/visible"
)

// minColumn is the narrowest a branch's column is drawn.
const minColumn = 34

// headerLines are the lines above the columns: what is reviewed, the
// common ancestor, what is shared, the columns' titles and a rule.
const headerLines = 5

// Keys are the view's keys.
type Keys struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	Left, Right, NextShared, PrevShared     key.Binding
	Open, Back, Close                       key.Binding
}

// NewKeys are the view's keys, named in st's glyphs.
func NewKeys(st *theme.Styles) Keys {
	return Keys{
		Up:         key.NewBinding(key.WithKeys("k", "up"), key.WithHelp(st.Sym("↑/k", "up/k"), "up")),
		Down:       key.NewBinding(key.WithKeys("j", "down"), key.WithHelp(st.Sym("↓/j", "down/j"), "down")),
		PageUp:     key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDown:   key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down")),
		Top:        key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "top")),
		Bottom:     key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "bottom")),
		Left:       key.NewBinding(key.WithKeys("h", "left", "shift+tab"), key.WithHelp(st.Sym("←/→", "left/right"), "branch")),
		Right:      key.NewBinding(key.WithKeys("l", "right", "tab"), key.WithHelp(st.Sym("→/l", "right/l"), "next branch")),
		NextShared: key.NewBinding(key.WithKeys("]"), key.WithHelp("]/[", "next/previous shared")),
		PrevShared: key.NewBinding(key.WithKeys("["), key.WithHelp("[", "previous shared")),
		Open:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "statements")),
		Back:       key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Close:      key.NewBinding(key.WithKeys("esc", "q"), key.WithHelp("esc/q", "close")),
	}
}

// Model is the review view.
type Model struct {
	pane.Common
	keys Keys
	deps Deps
	job  *pane.Job
	// started and now time the analysis; stage and progress say how far
	// it is.
	started, now time.Time
	stage        string
	progress     review.Progress
	r            *review.Review
	err          error
	cols         []column
	// focus is the column with the cursor, left the first one shown.
	focus, left int
	// detail, while set, is shown instead of the columns.
	detail *detail
	closed bool
}

var _ pane.Modal = Model{}

// New starts the review of deps.Target and returns the view showing its
// progress, and the command that follows it.
func New(c *pane.Context, deps Deps) (Model, tea.Cmd) {
	m := Model{Common: pane.Common{Context: c}, keys: NewKeys(c.Styles), deps: deps, started: c.Now(), now: c.Now(), stage: "starting"}
	var cmd tea.Cmd
	m.job, cmd = start(deps)
	return m, cmd
}

// Review is the review once done (nil before, and after a failure).
func (m Model) Review() *review.Review { return m.r }

// Err is why the review failed.
func (m Model) Err() error { return m.err }

// Done reports that the analysis ended.
func (m Model) Done() bool { return m.r != nil || m.err != nil }

// Typing implements pane.Modal: the view has no text field.
func (m Model) Typing() bool { return false }

// Closed implements pane.Modal.
func (m Model) Closed() bool { return m.closed }

// SetSize implements pane.Pane.
func (m Model) SetSize(w, h int) pane.Pane {
	m.Width, m.Height = w, h
	m = m.rescroll()
	return m
}

// SetFocus implements pane.Pane.
func (m Model) SetFocus(on bool) pane.Pane {
	m.Focused = on
	return m
}

// Title names what is reviewed.
func (m Model) Title(int) string {
	t := "Review"
	if m.deps.Target.Merge >= 0 {
		t += " · merge " + visible.Line(models.ShortID(m.deps.Graph.Revisions[m.deps.Target.Merge].ID))
	} else {
		t += " · " + itoa(len(m.deps.Target.Heads)) + " heads"
	}
	if m.detail != nil {
		t += " · " + m.detail.title
	}
	return m.Styles.Sym(t, strings.ReplaceAll(t, "·", "|"))
}

// Info is which branches are shown, or how far the statements are
// scrolled.
func (m Model) Info() string {
	if m.detail != nil {
		return pane.ScrollInfo(m.detail.offset, m.Height, len(m.detail.wrapped))
	}
	if n, shown := len(m.cols), m.shown(); shown < n {
		return fmt.Sprintf("branches %d-%d/%d", m.left+1, m.left+shown, n)
	}
	return ""
}

// ShortHelp are the keys the footer shows.
func (m Model) ShortHelp() []key.Binding {
	k := m.keys
	switch {
	case m.detail != nil:
		return []key.Binding{k.Back, k.Up, k.Down, k.PageDown}
	case m.r == nil:
		return []key.Binding{k.Close}
	}
	return []key.Binding{k.Open, k.Left, k.NextShared, k.Close}
}

// FullHelp are the view's keys.
func (m Model) FullHelp() [][]key.Binding {
	k := m.keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}, {k.Left, k.Right, k.NextShared, k.PrevShared, k.Open, k.Back, k.Close}}
}

// Update follows the analysis and takes the keys.
func (m Model) Update(msg tea.Msg) (pane.Pane, tea.Cmd) {
	switch msg := msg.(type) {
	case progressMsg:
		if msg.job != m.job {
			return m, nil
		}
		if msg.stage != "" {
			m.stage = msg.stage
		} else {
			m.stage, m.progress = "", msg.p
		}
		return m, m.job.Listen()
	case doneMsg:
		if msg.job != m.job {
			return m, nil
		}
		return m.finish(msg)
	case pane.JobTickMsg:
		if msg.Job != m.job || m.Done() || m.closed {
			return m, nil
		}
		m.now = m.Now()
		return m, m.job.Tick()
	case tea.KeyMsg:
		return m.key(msg)
	}
	return m, nil
}

// finish shows the review, or why there is none.
func (m Model) finish(msg doneMsg) (pane.Pane, tea.Cmd) {
	m.now = m.Now()
	m.job.Cancel()
	if msg.err != nil {
		m.err = msg.err
		return m, pane.Say(pane.LogErr, "review: "+msg.err.Error())
	}
	m.r = msg.r
	m.cols = buildColumns(m.Styles, m.r)
	for k := range m.cols {
		if m.cols[k].items[m.cols[k].cursor].flagged {
			m.focus = k
			break
		}
	}
	m = m.rescroll()
	took := pane.Elapsed(m.now.Sub(m.started))
	if n := len(m.r.Shared); n > 0 {
		return m, pane.Say(pane.LogWarn, fmt.Sprintf("review: %s touched by more than one branch (%s)", plural(n, "object"), took))
	}
	return m, pane.Say(pane.LogOK, "review: no object is touched by more than one branch ("+took+")")
}

// key handles a key: in the statements, scrolling and back; in the
// columns, moving, opening and closing.
func (m Model) key(msg tea.KeyMsg) (pane.Pane, tea.Cmd) {
	k := m.keys
	if m.detail != nil {
		return m.detailKey(msg), nil
	}
	if key.Matches(msg, k.Close) {
		m.closed = true
		m.job.Cancel()
		return m, nil
	}
	if len(m.cols) == 0 {
		return m, nil
	}
	m.cols = slices.Clone(m.cols) // copies of the model share the old ones
	c := &m.cols[m.focus]
	h := m.rows()
	switch {
	case key.Matches(msg, k.Up):
		c.moveTo(c.cursor-1, h)
	case key.Matches(msg, k.Down):
		c.moveTo(c.cursor+1, h)
	case key.Matches(msg, k.PageUp):
		c.moveTo(c.cursor-max(1, h-1), h)
	case key.Matches(msg, k.PageDown):
		c.moveTo(c.cursor+max(1, h-1), h)
	case key.Matches(msg, k.Top):
		c.moveTo(0, h)
	case key.Matches(msg, k.Bottom):
		c.moveTo(len(c.lines)-1, h)
	case key.Matches(msg, k.Left):
		m.focus = max(0, m.focus-1)
	case key.Matches(msg, k.Right):
		m.focus = min(len(m.cols)-1, m.focus+1)
	case key.Matches(msg, k.NextShared):
		m = m.jumpShared(1)
	case key.Matches(msg, k.PrevShared):
		m = m.jumpShared(-1)
	case key.Matches(msg, k.Open):
		m = m.open()
	}
	return m.rescroll(), nil
}

// detailKey scrolls the statements, or goes back to the columns.
func (m Model) detailKey(msg tea.KeyMsg) Model {
	if key.Matches(msg, m.keys.Back, m.keys.Close) {
		m.detail = nil
		return m
	}
	d := *m.detail
	scroll := pane.ScrollKeys{Up: m.keys.Up, Down: m.keys.Down, PageUp: m.keys.PageUp, PageDown: m.keys.PageDown, Top: m.keys.Top, Bottom: m.keys.Bottom}
	d.offset, _ = scroll.Scroll(msg, d.offset, len(d.wrapped), m.Height)
	m.detail = &d
	return m
}

// open shows the statements of the cursor's object, or of its revision.
func (m Model) open() Model {
	c := m.cols[m.focus]
	it := c.items[c.cursor]
	var d detail
	switch {
	case it.obj != nil:
		d = objectDetail(m.Styles, m.r, *it.obj, m.deps.Path)
	case it.rev != nil:
		d = revisionDetail(m.Styles, it.rev, m.deps.Path)
	default:
		return m
	}
	d = d.wrap(m.Width, m.Height)
	m.detail = &d
	return m
}

// jumpShared moves the cursor to the next (dir 1) or previous (-1) flagged
// line, through the columns in order, wrapping.
func (m Model) jumpShared(dir int) Model {
	type pos struct{ col, line int }
	var all []pos
	for k, c := range m.cols {
		for n, it := range c.items {
			if it.flagged {
				all = append(all, pos{k, n})
			}
		}
	}
	if len(all) == 0 {
		return m
	}
	cur := pos{m.focus, m.cols[m.focus].cursor}
	next := all[0]
	if dir < 0 {
		next = all[len(all)-1]
	}
	for k := range all {
		p := all[k]
		if dir < 0 {
			p = all[len(all)-1-k]
		}
		after := p.col > cur.col || p.col == cur.col && p.line > cur.line
		before := p.col < cur.col || p.col == cur.col && p.line < cur.line
		if dir > 0 && after || dir < 0 && before {
			next = p
			break
		}
	}
	m.focus = next.col
	m.cols[m.focus].moveTo(next.line, m.rows())
	return m
}

// rescroll keeps the focused column shown and every cursor in view, after
// a move or a resize; the statements are wrapped to the width again.
func (m Model) rescroll() Model {
	if m.detail != nil {
		d := m.detail.wrap(m.Width, m.Height)
		m.detail = &d
	}
	if len(m.cols) == 0 {
		return m
	}
	cols := slices.Clone(m.cols)
	for k := range cols {
		cols[k].moveTo(cols[k].cursor, m.rows())
	}
	m.cols = cols
	shown := m.shown()
	if m.focus < m.left {
		m.left = m.focus
	}
	if m.focus >= m.left+shown {
		m.left = m.focus - shown + 1
	}
	m.left = max(0, min(m.left, len(m.cols)-shown))
	return m
}

// shown is how many columns fit side by side.
func (m Model) shown() int {
	sep := 3
	return max(1, min(len(m.cols), (m.Width+sep)/(minColumn+sep)))
}

// rows is the height of the columns' lines.
func (m Model) rows() int { return max(1, m.Height-headerLines) }

// View draws the progress, the error, the statements or the columns.
func (m Model) View() []string {
	var lines []string
	switch {
	case m.Width <= 0 || m.Height <= 0:
		return nil
	case m.detail != nil:
		d := m.detail
		for k := d.offset; k < len(d.wrapped) && k < d.offset+m.Height; k++ {
			lines = append(lines, d.wrapped[k].Render(m.Styles, m.Width))
		}
	case m.err != nil:
		for _, l := range seg.Wrap([]seg.Line{seg.Styled(&m.Styles.ErrText, "The review failed: "+visible.Line(m.err.Error()))}, m.Width) {
			lines = append(lines, l.Render(m.Styles, m.Width))
		}
	case m.r == nil:
		lines = m.progressView()
	default:
		lines = m.reviewView()
	}
	for len(lines) < m.Height {
		lines = append(lines, strings.Repeat(" ", m.Width))
	}
	return lines[:m.Height]
}

// progressView says what the analysis is doing and for how long.
func (m Model) progressView() []string {
	st, w := m.Styles, m.Width
	p := m.progress
	what := m.stage
	if what == "" {
		what = fmt.Sprintf("reading revision %d of %d", min(p.Done+1, p.Total), p.Total)
		if p.Revision != "" {
			what += ": " + visible.Line(models.ShortID(p.Revision))
		}
	}
	bar := ""
	if p.Total > 0 {
		n := 20 * p.Done / p.Total
		bar = "[" + strings.Repeat("#", n) + strings.Repeat(".", 20-n) + "]  "
	}
	return []string{
		st.Fit(st.Paint(&st.Bold, "Reviewing the branches"+st.Dots()), w),
		st.Pad("", w),
		st.Pad(bar+what+st.Dots(), w),
		st.Pad("elapsed "+pane.Elapsed(m.now.Sub(m.started)), w),
	}
}

// reviewView draws the header and the columns shown.
func (m Model) reviewView() []string {
	st, w := m.Styles, m.Width
	lines := []string{st.Fit(m.subject(), w), st.Fit(m.ancestry(), w), st.Fit(m.summary(), w)}
	shown := m.shown()
	sep := st.Paint(&st.Border, st.Sym(" │ ", " | "))
	widths := make([]int, shown)
	for k := range widths {
		widths[k] = (w - 3*(shown-1)) / shown
	}
	widths[shown-1] = w - 3*(shown-1) - widths[0]*(shown-1)
	titles, rules := make([]string, shown), make([]string, shown)
	bodies := make([][]string, shown)
	for k := range shown {
		c := &m.cols[m.left+k]
		focused := m.left+k == m.focus
		title := c.title
		style := &st.Bold
		if focused {
			title = st.Sym("▸ ", "> ") + title
			style = &st.TitleFocus
		}
		titles[k] = st.Fit(st.Paint(style, st.Cut(title, widths[k])), widths[k])
		rules[k] = st.Paint(&st.Border, strings.Repeat(st.Sym("─", "-"), widths[k]))
		bodies[k] = c.render(st, widths[k], m.rows(), focused)
	}
	lines = append(lines, strings.Join(titles, sep), strings.Join(rules, sep))
	for n := range m.rows() {
		row := make([]string, shown)
		for k := range shown {
			row[k] = bodies[k][n]
		}
		lines = append(lines, strings.Join(row, sep))
	}
	return lines
}

// subject says what is reviewed.
func (m Model) subject() string {
	st, r := m.Styles, m.r
	if r.Merge != nil {
		return st.Paint(&st.Bold, "merge ") + st.Paint(&st.ID, visible.Line(models.ShortID(r.Merge.ID))) + "  " + visible.Line(r.Merge.Message)
	}
	ids := make([]string, len(r.Heads))
	for k, h := range r.Heads {
		ids[k] = models.ShortID(h)
	}
	return st.Paint(&st.Bold, "heads ") + visible.Line(strings.Join(ids, ", "))
}

// ancestry names the common ancestors.
func (m Model) ancestry() string {
	st, r := m.Styles, m.r
	if len(r.Ancestors) == 0 {
		return "no common ancestor: the branches start at different bases"
	}
	parts := make([]string, len(r.Ancestors))
	for k, a := range r.Ancestors {
		parts[k] = st.Paint(&st.ID, visible.Line(models.ShortID(a.ID))) + " " + visible.Line(a.Message)
	}
	return "common ancestor " + strings.Join(parts, ", ")
}

// summary says what is shared, and what could not be analysed.
func (m Model) summary() string {
	st, r := m.Styles, m.r
	var s string
	if n := len(r.Shared); n > 0 {
		names := make([]string, n)
		for k, o := range r.Shared {
			names[k] = o.Object.String()
		}
		s = st.Paint(&st.Destructive, st.Sym("⚠", "!")+" "+plural(n, "object")+" shared: "+visible.Line(strings.Join(names, ", ")))
	} else {
		s = st.Paint(&st.OKText, "no object is touched by more than one branch")
	}
	if n := r.NotAnalysed(); n > 0 {
		s += st.Paint(&st.Warn, " · "+plural(n, "revision")+" not analysed")
	}
	return s
}
