// Package audit is the audit log view: retort_log, the table in which
// retort records every step it runs or stamps, newest first. Each row says
// when a step finished, what it did to which revision, how it ended, how
// long it took, and who ran it from which machine as which database user,
// and marks an applied file that changed since (drift). The view filters
// by revision, branch, outcome, day and user, and enter shows an entry in
// full with the SQL of its revision's file, saying whether that file is
// still the one that ran. It is a modal (pane.Modal) that reads the log
// itself, in a command.
package audit

import (
	"context"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"retort/engine"
	"retort/ui/doc"
	"retort/ui/input"
	"retort/ui/pane"
)

// Limit is how many entries the view reads, newest first.
const Limit = 10000

// readTimeout bounds the read of the log.
const readTimeout = 15 * time.Second

// Keys are the view's keys.
type Keys struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	Open, Filter, Outcome, Reload, Clear    key.Binding
	Close, Back                             key.Binding
	// Accept and Cancel end the filter's typing.
	Accept, Cancel key.Binding
}

// NewKeys are the view's keys, their help in the glyphs of st.
func NewKeys(sym func(unicode, ascii string) string) Keys {
	b := func(keys []string, k, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, desc))
	}
	return Keys{
		Up:       b([]string{"k", "up"}, sym("↑/k", "up/k"), "up"),
		Down:     b([]string{"j", "down"}, sym("↓/j", "down/j"), "down"),
		PageUp:   b([]string{"pgup", "ctrl+b"}, "pgup", "page up"),
		PageDown: b([]string{"pgdown", "ctrl+f"}, "pgdn", "page down"),
		Top:      b([]string{"g", "home"}, "g", "top"),
		Bottom:   b([]string{"G", "end"}, "G", "bottom"),
		Open:     b([]string{"enter"}, "enter", "open entry"),
		Filter:   b([]string{"/"}, "/", "filter"),
		Outcome:  b([]string{"o"}, "o", "outcome"),
		Reload:   b([]string{"r"}, "r", "read again"),
		Clear:    b([]string{"esc"}, "esc", "clear/close"),
		Close:    b([]string{"q", "a"}, "q", "close"),
		Back:     b([]string{"esc", "enter", "q"}, "esc", "back to the list"),
		Accept:   b([]string{"enter"}, "enter", "keep filter"),
		Cancel:   b([]string{"esc"}, "esc", "cancel"),
	}
}

// Model is the audit log view.
type Model struct {
	pane.Common
	keys    Keys
	session pane.Session
	engine  pane.Engine
	// idWidth is how many characters of an id the History shows.
	idWidth int

	entries []engine.LogEntry
	loading bool
	err     string
	seq     int

	// filter is the filter's text field while it is typed; query the
	// filter in force; outcome the outcome shown (outcomes[outcome]).
	filter  input.Model
	typing  bool
	query   string
	outcome int
	// shown are the entries the filter lets through, by position.
	shown       []int
	cursor, top int

	// entry is the entry shown in full (-1: the list), its text laid out
	// and scrolled.
	entry  int
	text   doc.Wrapped
	offset int

	closed bool
}

// outcomes are the outcome filters o cycles through ("" for all).
func outcomes() []string {
	return []string{"", engine.OutcomeOK, engine.OutcomeFailed, engine.OutcomeCancelled}
}

// New is the view of the log of the session's database, the History's
// ids idWidth characters wide.
func New(c *pane.Context, s pane.Session, idWidth int) Model {
	return Model{Common: pane.Common{Context: c}, keys: NewKeys(c.Styles.Sym), session: s, engine: s.Engine,
		idWidth: idWidth, entry: -1, loading: true}
}

// loadedMsg is the log as read.
type loadedMsg struct {
	seq     int
	entries []engine.LogEntry
	err     error
}

// Init reads the log.
func (m Model) Init() tea.Cmd { return m.read() }

// read reads the log in a command.
func (m Model) read() tea.Cmd {
	e, seq := m.engine, m.seq
	if e == nil {
		return nil
	}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), readTimeout)
		defer cancel()
		entries, err := e.Log(ctx, Limit)
		return loadedMsg{seq: seq, entries: entries, err: err}
	}
}

// Typing reports the filter being typed.
func (m Model) Typing() bool { return m.typing }

// Closed reports the view closed.
func (m Model) Closed() bool { return m.closed }

// SetSize gives the view its inner size.
func (m Model) SetSize(w, h int) pane.Pane {
	m.Width, m.Height = w, h
	if m.entry >= 0 {
		m = m.showEntry(m.entry)
	}
	return m.scrollTo(m.cursor)
}

// SetFocus says whether the view has the keyboard.
func (m Model) SetFocus(on bool) pane.Pane {
	m.Focused = on
	return m
}

// Entries are the entries read, newest first; Shown those the filter
// lets through.
func (m Model) Entries() []engine.LogEntry { return m.entries }

// Shown are the entries the filter lets through.
func (m Model) Shown() []engine.LogEntry {
	out := make([]engine.LogEntry, len(m.shown))
	for k, i := range m.shown {
		out[k] = m.entries[i]
	}
	return out
}

// Entry is the entry shown in full, ok false on the list.
func (m Model) Entry() (engine.LogEntry, bool) {
	if m.entry < 0 {
		return engine.LogEntry{}, false
	}
	return m.entries[m.entry], true
}

// Text is the entry's text as shown in full, plain.
func (m Model) Text() []string { return m.text.Plain(m.Styles) }

// Loading reports the log being read.
func (m Model) Loading() bool { return m.loading }
