package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// scrollKeys scroll the Detail and Log panes when they have the focus.
type scrollKeys struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
}

func newScrollKeys() scrollKeys {
	return scrollKeys{
		Up:       key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("↑/k", "scroll up")),
		Down:     key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("↓/j", "scroll down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "top")),
		Bottom:   key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "bottom")),
	}
}

func (k scrollKeys) ShortHelp() []key.Binding { return []key.Binding{k.Up, k.Down} }

func (k scrollKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}}
}

func (k *scrollKeys) setEnabled(on bool) {
	for _, b := range []*key.Binding{&k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.Top, &k.Bottom} {
		b.SetEnabled(on)
	}
}

// scroll applies a scrolling key or wheel event to an offset into total
// lines shown height at a time; ok is false when msg is not one.
func (k scrollKeys) scroll(msg tea.Msg, off, total, height int) (int, bool) {
	step := 0
	switch msg := msg.(type) {
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, k.Up):
			step = -1
		case key.Matches(msg, k.Down):
			step = 1
		case key.Matches(msg, k.PageUp):
			step = -max(1, height-1)
		case key.Matches(msg, k.PageDown):
			step = max(1, height-1)
		case key.Matches(msg, k.Top):
			return 0, true
		case key.Matches(msg, k.Bottom):
			return max(0, total-height), true
		default:
			return off, false
		}
	case tea.MouseMsg:
		if step = wheelStep(msg); step == 0 {
			return off, false
		}
	default:
		return off, false
	}
	return clampOffset(off+step, total, height), true
}

// clampOffset keeps an offset within [0, total-height].
func clampOffset(off, total, height int) int {
	return max(0, min(off, total-height))
}

// wheelLines is how many lines one notch of the mouse wheel scrolls
// (lazygit's default scrollHeight).
const wheelLines = 3

// wheelStep is how far a wheel event scrolls: up is negative, 0 for an
// event that is not the wheel.
func wheelStep(msg tea.MouseMsg) int {
	switch msg.Button {
	case tea.MouseButtonWheelUp:
		return -wheelLines
	case tea.MouseButtonWheelDown:
		return wheelLines
	}
	return 0
}

// wheel scrolls the History rows without moving the selection, as lazygit's
// wheel does in its lists: the view moves, the selected revision stays
// selected (and may scroll out of sight, as it may there), so the Detail
// pane keeps showing it. The next cursor key brings it back into view
// (scrollTo). Moving the selection with the wheel would change what u, d
// or s act on while the user only meant to look.
func (m graphModel) wheel(msg tea.MouseMsg) graphModel {
	step := wheelStep(msg)
	if step == 0 || m.h.len() == 0 || m.height <= 0 {
		return m
	}
	m.top = clampOffset(m.top+step, m.h.len(), m.height)
	return m.prepare()
}
