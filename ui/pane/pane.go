// Package pane is the contract every part of the screen drawn in a box
// keeps (the History, Detail and Log panes, and the views later tasks add)
// and what they share: the Context (the look, the configuration),
// embedded in each pane through Common with its size and focus, and the
// Session (the database once it is open, the loaded history, the database
// state, the selection), which the root model hands every pane as a
// message whenever it changes.
//
// A new pane is a type that implements Pane, with Common embedded, and one
// line in the root model's list of panes (ui/panes.go). A new modal is a
// type that implements Modal, and one line where it is opened: a command
// Open returns.
package pane

import (
	"time"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"

	"retort/ui/theme"
)

// Pane is a part of the screen drawn in a box with a border. It is a value,
// as bubbletea models are: Update and the setters return the pane as it now
// is, and the root keeps that.
type Pane interface {
	// Update handles a message: a key while the pane has the focus, a
	// mouse event over it (its X and Y counted from the pane's first inner
	// cell), a SessionMsg, and the answers of the commands it started,
	// which come back to it whatever their type. The command it returns is
	// run: a pane starts its own asynchronous work.
	Update(msg tea.Msg) (Pane, tea.Cmd)
	// View is the pane's inner lines, each exactly its width, at most its
	// height.
	View() []string
	// SetSize gives the pane its inner size.
	SetSize(width, height int) Pane
	// SetFocus says whether the pane has the keyboard.
	SetFocus(focused bool) Pane
	// Title names the pane in its border, which has room columns for it
	// (the border cuts a longer title).
	Title(room int) string
	// Info is the right side of the border, where the pane says how far
	// it is scrolled; "" for nothing.
	Info() string
	// ShortHelp is the keys the footer shows while the pane has the
	// focus, FullHelp its keys for the help screen, in groups.
	help.KeyMap
}

// Modal is a pane drawn over the others, in their place, that has the
// keyboard until it closes: its Update gets every key but ctrl+c, the
// mouse, the session whenever it changes, and the answers of the commands
// it started. A modal with an Init() tea.Cmd method has it run when it
// opens. (The action modal, which starts runs, is the root model's own:
// see ui/modal.go.)
type Modal interface {
	Pane
	// Typing reports a text field with the keyboard: runes typed in a
	// burst are text, not keys.
	Typing() bool
	// Closed reports that the modal is done: the root model drops it.
	Closed() bool
}

// OpenMsg asks the root model to show a modal.
type OpenMsg struct{ Modal Modal }

// Open is a command that shows a modal: how a pane opens one.
func Open(m Modal) tea.Cmd {
	return func() tea.Msg { return OpenMsg{Modal: m} }
}

// Context is what every pane shares, read-only, by pointer.
type Context struct {
	// Styles is the look, with the glyph set (Styles.Glyphs).
	Styles *theme.Styles
	// Dirs are the versions directories.
	Dirs []string
	// Now is the clock.
	Now func() time.Time
}

// Common is embedded in every pane: the shared context, the pane's inner
// size and whether it has the focus.
type Common struct {
	*Context
	Width, Height int
	Focused       bool
}

// Session is what the root model knows that the panes show. Its pointers
// are never written to after they are handed out, so model copies share
// them.
type Session struct {
	// Engine is the database, nil without one and until the UI opened it.
	Engine Engine
	// Hist is the history read from the files, nil until it is.
	Hist *History
	// DB is the database state, nil until it is read (and without a
	// database).
	DB *State
	// Selected is the History cursor's row, -1 for none: the revision the
	// actions act on.
	Selected int
	// Query and Matches are the last search: its text, and the rows that
	// match it.
	Query   string
	Matches []int
	// Running: a plan is being run.
	Running bool
}

// SessionMsg hands every pane the session after it changed.
type SessionMsg struct{ Session Session }

// LogKind is what a line of the session log, or a notice, reports.
type LogKind uint8

const (
	LogInfo LogKind = iota
	LogOK
	LogWarn
	LogErr
	LogStmt
	LogNotice
)

// NoticeMsg asks the root model to show a notice in the footer for a few
// seconds, and to log it.
type NoticeMsg struct {
	Kind LogKind
	Text string
}

// Say is a command that shows a notice: how a pane tells the user
// something, such as why a key did nothing.
func Say(kind LogKind, text string) tea.Cmd {
	return func() tea.Msg { return NoticeMsg{Kind: kind, Text: text} }
}
