// Package detail is the Detail pane: the selected revision's header, its
// upgrade and downgrade SQL (keywords highlighted) or, for an Alembic .py
// revision, its source, which the pane reads itself, in a command.
package detail

import (
	"fmt"
	"maps"
	"os"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"retort/models"
	"retort/ui/doc"
	"retort/ui/pane"
	"retort/ui/seg"
)

// Model is the Detail pane. Its lines are built when what it shows changes
// and only the visible ones are rendered.
type Model struct {
	pane.Common
	keys  pane.ScrollKeys
	title string
	// key identifies what is shown (revision, state, source), so that the
	// content is rebuilt only when it changes.
	key string
	// shown is the revision part of the key of the content last set (see
	// contentOf): it survives a cleared key (a reload forces a rebuild
	// that way), so the scroll position does too.
	shown   string
	content doc.Doc
	wrapped doc.Wrapped
	// want is the scroll position asked for (by the keys, the wheel);
	// offset is want clamped to the content as it is now. The content of
	// the same revision can be shorter for a moment (the database state,
	// or a .py source, being read again after a reload), and clamping want
	// itself would lose the place.
	want, offset int
	visible      []string

	// session is what the pane shows the selection of.
	session pane.Session
	// sources are the .py files read (or being read), by path; reads
	// counts the reads (fileText.gen).
	sources map[string]fileText
	reads   int
}

// New is the Detail pane, empty until the session brings a selection.
func New(c *pane.Context) Model {
	return Model{Common: pane.Common{Context: c}, keys: pane.NewScrollKeys(c.Styles), sources: map[string]fileText{}}
}

// SourceMsg is a revision file read for the pane.
type SourceMsg struct {
	Path, Text string
	Err        error
}

// ReadSource reads a revision file for the pane.
func ReadSource(path string) tea.Cmd {
	return func() tea.Msg {
		b, err := os.ReadFile(path)
		if err != nil {
			return SourceMsg{Path: path, Err: fmt.Errorf("reading %s: %w", path, err)}
		}
		return SourceMsg{Path: path, Text: string(b)}
	}
}

// Update takes the session (a new selection, history or database state
// rebuilds the pane, and a .py revision's source is read), the sources it
// read, and the scrolling keys and wheel.
func (m Model) Update(msg tea.Msg) (pane.Pane, tea.Cmd) {
	switch msg := msg.(type) {
	case pane.SessionMsg:
		if msg.Session.Hist != m.session.Hist {
			// The files may have changed (r, the editor): read .py
			// sources again (showing the text read before until then, so
			// the pane keeps its length and its place), and rebuild even
			// when the key (revision id, state) is the same as before.
			m.sources = staleSources(m.sources)
			m.key = ""
		}
		m.session = msg.Session
		m = m.refresh()
		return m.loadSource()
	case SourceMsg:
		m.reads++
		m.sources = maps.Clone(m.sources)
		m.sources[msg.Path] = fileText{loaded: true, text: msg.Text, err: msg.Err, gen: m.reads}
		return m.refresh(), nil
	case tea.KeyMsg, tea.MouseMsg:
		if off, ok := m.keys.Scroll(msg, m.offset, m.wrapped.Len(), m.Height); ok {
			m.want, m.offset = off, off
			m = m.prepare()
		}
	}
	return m, nil
}

// refresh rebuilds the pane for the selected row when what it shows
// changed.
func (m Model) refresh() Model {
	s := m.session
	if s.Hist == nil {
		return m
	}
	key, title, content := contentFor(m.Styles, s.Hist, s.DB, m.sources, s.Selected)
	if key == m.key && key != "" {
		return m
	}
	return m.setContent(key, title, content)
}

// loadSource reads the selected .py revision's file, once per load of the
// history. A text read before the reload stays on screen until the new
// read arrives.
func (m Model) loadSource() (pane.Pane, tea.Cmd) {
	rev := m.session.Hist.Rev(m.session.Selected)
	if rev == nil || rev.Format != models.FormatPython {
		return m, nil
	}
	src, ok := m.sources[rev.Path]
	if ok && !src.stale {
		return m, nil // read, or being read
	}
	src.stale = false
	m.sources = maps.Clone(m.sources)
	m.sources[rev.Path] = src
	return m, ReadSource(rev.Path)
}

// staleSources are the sources read so far, marked to be read again; a
// read still under way is dropped (and made again when needed).
func staleSources(old map[string]fileText) map[string]fileText {
	out := make(map[string]fileText, len(old))
	for path, src := range old {
		if src.loaded {
			src.stale = true
			out[path] = src
		}
	}
	return out
}

// setContent replaces what the pane shows. The position goes back to the
// top only when it is another revision: the same one refreshed (the
// database state read again after a run or a reload, its source read) keeps
// its place, drawn clamped to the new length.
func (m Model) setContent(key, title string, content doc.Doc) Model {
	if contentOf(key) != m.shown {
		m.want = 0
	}
	m.key, m.shown, m.title, m.content = key, contentOf(key), title, content
	return m.rewrap()
}

// contentOf is the part of a content key that names what is shown (see
// contentFor).
func contentOf(key string) string {
	k, _, _ := strings.Cut(key, "\x00")
	return k
}

// SetSize sets the pane's inner size.
func (m Model) SetSize(w, h int) pane.Pane {
	m.Width, m.Height = w, h
	return m.rewrap()
}

// SetFocus says whether the pane has the keyboard.
func (m Model) SetFocus(on bool) pane.Pane {
	m.Focused = on
	return m
}

func (m Model) rewrap() Model {
	m.wrapped = m.content.Wrap(m.Width)
	m.offset = pane.ClampOffset(m.want, m.wrapped.Len(), m.Height)
	return m.prepare()
}

// prepare draws the rows on screen (only those: a large section is
// highlighted as it is drawn).
func (m Model) prepare() Model {
	m.visible = m.wrapped.Render(m.Styles, m.offset, m.Height)
	return m
}

// View is the visible lines, each exactly the pane's width.
func (m Model) View() []string { return m.visible }

// Title is the revision's short id and badges; the id alone when both do
// not fit in room (the badges go before the id is cut).
func (m Model) Title(room int) string {
	if m.title == "" {
		return "Detail"
	}
	if id, _, ok := strings.Cut(m.title, m.Styles.Sym(" · ", " | ")); ok && ansi.StringWidth(m.title) > room {
		return id
	}
	return m.title
}

// Info says where the pane is scrolled, for its border.
func (m Model) Info() string { return pane.ScrollInfo(m.offset, m.Height, m.wrapped.Len()) }

// ShortHelp is empty: the footer's room goes to the actions.
func (m Model) ShortHelp() []key.Binding { return nil }

// FullHelp are the scrolling keys.
func (m Model) FullHelp() [][]key.Binding { return m.keys.FullHelp() }

// Key identifies what the pane shows ("" for nothing).
func (m Model) Key() string { return m.key }

// Lines are the pane's lines before they are wrapped (without a large
// section's, which are drawn from the revision's text).
func (m Model) Lines() []seg.Line { return m.content.Lines() }

// Wrapped is how many rows the content takes once wrapped.
func (m Model) Wrapped() int { return m.wrapped.Len() }

// Offset is the first line shown.
func (m Model) Offset() int { return m.offset }

// Source says whether the file at path was read for the pane, and the
// error reading it.
func (m Model) Source(path string) (read bool, err error) {
	src := m.sources[path]
	return src.loaded, src.err
}

// Sources is how many files the pane read or is reading.
func (m Model) Sources() int { return len(m.sources) }
