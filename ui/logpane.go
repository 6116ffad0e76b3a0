package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"retort/visible"
)

// logKind is what a log line reports; it picks the style and the tag in the
// written file.
type logKind uint8

const (
	logInfo logKind = iota
	logOK
	logWarn
	logErr
	logStmt
	logNotice
)

var logTags = [...]string{logInfo: "info", logOK: "ok", logWarn: "warn", logErr: "error", logStmt: "sql", logNotice: "notice"}

// logEntry is one line of the session log.
type logEntry struct {
	t    time.Time
	kind logKind
	text string
}

// logModel is the Log pane: every event of the session, one line each,
// kept for the session and written to a file on demand. Appending is O(1)
// and only the visible window is rendered (a viewport re-measuring the whole
// history on each event would slow down as the session grows).
type logModel struct {
	st            *styles
	keys          scrollKeys
	entries       []logEntry
	width, height int
	offset        int
	// follow keeps the newest line in view; scrolling up turns it off,
	// scrolling back to the bottom turns it on again.
	follow  bool
	visible []string
}

func newLogModel(st *styles) logModel {
	return logModel{st: st, keys: newScrollKeys(), follow: true}
}

// add appends lines (a multi-line text becomes several), their control characters
// shown visibly.
func (m logModel) add(t time.Time, kind logKind, text string) logModel {
	for _, line := range strings.Split(strings.TrimRight(visible.Text(text, "    "), "\n"), "\n") {
		m.entries = append(m.entries, logEntry{t: t, kind: kind, text: line})
	}
	if m.follow {
		m.offset = clampOffset(len(m.entries), len(m.entries), m.height)
	}
	return m.prepare()
}

func (m logModel) setSize(w, h int) logModel {
	m.width, m.height = w, h
	if m.follow {
		m.offset = len(m.entries)
	}
	m.offset = clampOffset(m.offset, len(m.entries), m.height)
	return m.prepare()
}

// Update scrolls the pane.
func (m logModel) Update(msg tea.Msg) (logModel, tea.Cmd) {
	if off, ok := m.keys.scroll(msg, m.offset, len(m.entries), m.height); ok {
		m.offset = off
		m.follow = off >= len(m.entries)-m.height
		m = m.prepare()
	}
	return m, nil
}

func (m logModel) prepare() logModel {
	end := min(m.offset+m.height, len(m.entries))
	vis := make([]string, 0, max(0, end-m.offset))
	for _, e := range m.entries[m.offset:end] {
		vis = append(vis, m.renderEntry(e))
	}
	m.visible = vis
	return m
}

func (m logModel) renderEntry(e logEntry) string {
	line := segLine{{st: &m.st.dim, text: e.t.Format("15:04:05") + "  "}, {st: m.kindStyle(e.kind), text: e.text}}
	return line.render(m.st, m.width)
}

func (m logModel) kindStyle(k logKind) *lipgloss.Style {
	switch k {
	case logOK:
		return &m.st.okText
	case logWarn, logNotice:
		return &m.st.warn
	case logErr:
		return &m.st.errText
	case logStmt:
		return &m.st.dim
	}
	return nil
}

// View is the visible lines, each exactly the pane's width.
func (m logModel) View() []string { return m.visible }

func (m logModel) scrollInfo() string { return scrollInfo(m.offset, m.height, len(m.entries)) }

// text is the whole session log as written to a file.
func (m logModel) text() string {
	var b strings.Builder
	for _, e := range m.entries {
		fmt.Fprintf(&b, "%s  %-6s  %s\n", e.t.Format("2006-01-02 15:04:05.000"), logTags[e.kind], e.text)
	}
	return b.String()
}

// writeLogCmd writes the session log to dir/retort-session-<time>.log.
func writeLogCmd(dir string, now time.Time, text string) tea.Cmd {
	return func() tea.Msg {
		path := filepath.Join(dir, "retort-session-"+now.Format("20060102-150405")+".log")
		if abs, err := filepath.Abs(path); err == nil {
			path = abs
		}
		// The state directory may not exist yet; it is private (XDG).
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return logWrittenMsg{err: fmt.Errorf("writing the session log: %w", err)}
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			return logWrittenMsg{err: fmt.Errorf("writing the session log: %w", err)}
		}
		return logWrittenMsg{path: path}
	}
}

// scrollInfo is "12-30/240" for a pane showing lines 12 to 30 of 240, or
// "" when everything fits.
func scrollInfo(off, height, total int) string {
	if total <= height || height <= 0 {
		return ""
	}
	return fmt.Sprintf("%d-%d/%d", off+1, min(off+height, total), total)
}
