package ui

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"
)

// detailModel is the Detail pane: the selected revision's header, its
// upgrade and downgrade SQL (keywords highlighted) or, for an Alembic .py
// revision, its source. Its lines are built when the selection changes and
// only the visible ones are rendered.
type detailModel struct {
	st    *styles
	keys  scrollKeys
	title string
	// key identifies what is shown (revision, state, source), so that the
	// content is rebuilt only when it changes.
	key string
	// shown is the revision part of the key of the content last set (see
	// contentOf): it survives a cleared key (a reload forces a rebuild
	// that way), so the scroll position does too.
	shown         string
	lines         []segLine
	wrapped       []segLine
	width, height int
	// want is the scroll position asked for (by the keys, the wheel);
	// offset is want clamped to the content as it is now. The content of
	// the same revision can be shorter for a moment (the database state,
	// or a .py source, being read again after a reload), and clamping want
	// itself would lose the place.
	want, offset int
	visible      []string
}

func newDetailModel(st *styles) detailModel {
	return detailModel{st: st, keys: newScrollKeys()}
}

// setContent replaces what the pane shows. The position goes back to the
// top only when it is another revision: the same one refreshed (the
// database state read again after a run or a reload, its source read) keeps
// its place, drawn clamped to the new length.
func (m detailModel) setContent(key, title string, lines []segLine) detailModel {
	if contentOf(key) != m.shown {
		m.want = 0
	}
	m.key, m.shown, m.title, m.lines = key, contentOf(key), title, lines
	return m.rewrap()
}

// contentOf is the part of a content key that names what is shown (see
// detailFor).
func contentOf(key string) string {
	k, _, _ := strings.Cut(key, "\x00")
	return k
}

func (m detailModel) setSize(w, h int) detailModel {
	m.width, m.height = w, h
	return m.rewrap()
}

func (m detailModel) rewrap() detailModel {
	m.wrapped = wrapLines(m.lines, m.width)
	m.offset = clampOffset(m.want, len(m.wrapped), m.height)
	return m.prepare()
}

// Update scrolls the pane.
func (m detailModel) Update(msg tea.Msg) (detailModel, tea.Cmd) {
	if off, ok := m.keys.scroll(msg, m.offset, len(m.wrapped), m.height); ok {
		m.want, m.offset = off, off
		m = m.prepare()
	}
	return m, nil
}

func (m detailModel) prepare() detailModel {
	end := min(m.offset+m.height, len(m.wrapped))
	vis := make([]string, 0, max(0, end-m.offset))
	for _, l := range m.wrapped[m.offset:end] {
		vis = append(vis, l.render(m.st, m.width))
	}
	m.visible = vis
	return m
}

// View is the visible lines, each exactly the pane's width.
func (m detailModel) View() []string { return m.visible }

// scrollInfo says where the pane is scrolled, for its border.
func (m detailModel) scrollInfo() string { return scrollInfo(m.offset, m.height, len(m.wrapped)) }
