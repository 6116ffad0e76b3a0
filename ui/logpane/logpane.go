// Package logpane is the Log pane: every event of the session, one line
// each, kept for the session and written to a file on demand.
package logpane

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"retort/ui/pane"
	"retort/ui/seg"
	"retort/visible"
)

// entry is one line of the session log.
type entry struct {
	t    time.Time
	kind pane.LogKind
	text string
}

// Model is the Log pane. Appending is O(1) and only the visible window is
// rendered (a viewport re-measuring the whole history on each event would
// slow down as the session grows).
type Model struct {
	pane.Common
	keys    pane.ScrollKeys
	entries []entry
	offset  int
	// follow keeps the newest line in view; scrolling up turns it off,
	// scrolling back to the bottom turns it on again.
	follow  bool
	running bool
	visible []string
}

// New is an empty Log pane.
func New(c *pane.Context) Model {
	return Model{Common: pane.Common{Context: c}, keys: pane.NewScrollKeys(c.Styles), follow: true}
}

// Add appends lines (a multi-line text becomes several), their control
// characters shown visibly.
func (m Model) Add(t time.Time, kind pane.LogKind, text string) Model {
	for _, line := range strings.Split(strings.TrimRight(visible.Text(text, "    "), "\n"), "\n") {
		m.entries = append(m.entries, entry{t: t, kind: kind, text: line})
	}
	if m.follow {
		m.offset = pane.ClampOffset(len(m.entries), len(m.entries), m.Height)
	}
	return m.prepare()
}

// SetSize sets the pane's inner size.
func (m Model) SetSize(w, h int) pane.Pane {
	m.Width, m.Height = w, h
	if m.follow {
		m.offset = len(m.entries)
	}
	m.offset = pane.ClampOffset(m.offset, len(m.entries), m.Height)
	return m.prepare()
}

// SetFocus says whether the pane has the keyboard.
func (m Model) SetFocus(on bool) pane.Pane {
	m.Focused = on
	return m
}

// Update takes the session (whether a plan runs, for the title) and the
// scrolling keys and wheel.
func (m Model) Update(msg tea.Msg) (pane.Pane, tea.Cmd) {
	switch msg := msg.(type) {
	case pane.SessionMsg:
		m.running = msg.Session.Running
	case tea.KeyMsg, tea.MouseMsg:
		if off, ok := m.keys.Scroll(msg, m.offset, len(m.entries), m.Height); ok {
			m.offset = off
			m.follow = off >= len(m.entries)-m.Height
			m = m.prepare()
		}
	}
	return m, nil
}

func (m Model) prepare() Model {
	end := min(m.offset+m.Height, len(m.entries))
	vis := make([]string, 0, max(0, end-m.offset))
	for _, e := range m.entries[m.offset:end] {
		vis = append(vis, m.render(e))
	}
	m.visible = vis
	return m
}

func (m Model) render(e entry) string {
	line := seg.Line{{Style: &m.Styles.Dim, Text: e.t.Format("15:04:05") + "  "}, {Style: m.kindStyle(e.kind), Text: e.text}}
	return line.Render(m.Styles, m.Width)
}

func (m Model) kindStyle(k pane.LogKind) *lipgloss.Style {
	switch k {
	case pane.LogOK:
		return &m.Styles.OKText
	case pane.LogWarn, pane.LogNotice:
		return &m.Styles.Warn
	case pane.LogErr:
		return &m.Styles.ErrText
	case pane.LogStmt:
		return &m.Styles.Dim
	}
	return nil
}

// View is the visible lines, each exactly the pane's width.
func (m Model) View() []string { return m.visible }

// Title names the pane, and says when a plan is running.
func (m Model) Title(int) string {
	if m.running {
		return "Log" + m.Styles.Sym(" · ", " | ") + "running"
	}
	return "Log"
}

// Info says where the pane is scrolled, for its border.
func (m Model) Info() string { return pane.ScrollInfo(m.offset, m.Height, len(m.entries)) }

// ShortHelp is empty: the footer's room goes to the actions.
func (m Model) ShortHelp() []key.Binding { return nil }

// FullHelp are the scrolling keys.
func (m Model) FullHelp() [][]key.Binding { return m.keys.FullHelp() }

// Text is the whole session log as written to a file.
func (m Model) Text() string {
	var b strings.Builder
	for _, e := range m.entries {
		fmt.Fprintf(&b, "%s  %-6s  %s\n", e.t.Format("2006-01-02 15:04:05.000"), tag(e.kind), e.text)
	}
	return b.String()
}

// tag names a kind of line in the written file.
func tag(k pane.LogKind) string {
	switch k {
	case pane.LogOK:
		return "ok"
	case pane.LogWarn:
		return "warn"
	case pane.LogErr:
		return "error"
	case pane.LogStmt:
		return "sql"
	case pane.LogNotice:
		return "notice"
	}
	return "info"
}

// Has reports whether a line of the log contains s.
func (m Model) Has(s string) bool {
	for _, e := range m.entries {
		if strings.Contains(e.text, s) {
			return true
		}
	}
	return false
}

// Len is the number of lines.
func (m Model) Len() int { return len(m.entries) }

// Offset is the first line shown.
func (m Model) Offset() int { return m.offset }

// Follow reports whether the newest line is kept in view.
func (m Model) Follow() bool { return m.follow }
