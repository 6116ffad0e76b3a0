package pane

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"retort/ui/theme"
)

// ScrollKeys scroll a pane of text (Detail, Log, the help screen) when it
// has the focus.
type ScrollKeys struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
}

// NewScrollKeys are the arrows, j/k, the page keys and g/G, named in st's
// glyphs.
func NewScrollKeys(st *theme.Styles) ScrollKeys {
	return ScrollKeys{
		Up:       key.NewBinding(key.WithKeys("k", "up"), key.WithHelp(st.Sym("↑/k", "up/k"), "scroll up")),
		Down:     key.NewBinding(key.WithKeys("j", "down"), key.WithHelp(st.Sym("↓/j", "down/j"), "scroll down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "top")),
		Bottom:   key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "bottom")),
	}
}

// ShortHelp implements help.KeyMap.
func (k ScrollKeys) ShortHelp() []key.Binding { return []key.Binding{k.Up, k.Down} }

// FullHelp implements help.KeyMap.
func (k ScrollKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}}
}

// Scroll applies a scrolling key or wheel event to an offset into total
// lines shown height at a time; ok is false when msg is not one.
func (k ScrollKeys) Scroll(msg tea.Msg, off, total, height int) (int, bool) {
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
		if step = WheelStep(msg); step == 0 {
			return off, false
		}
	default:
		return off, false
	}
	return ClampOffset(off+step, total, height), true
}

// ClampOffset keeps an offset within [0, total-height].
func ClampOffset(off, total, height int) int {
	return max(0, min(off, total-height))
}

// WheelLines is how many lines one notch of the mouse wheel scrolls
// (lazygit's default scrollHeight).
const WheelLines = 3

// WheelStep is how far a wheel event scrolls: up is negative, 0 for an
// event that is not the wheel.
func WheelStep(msg tea.MouseMsg) int {
	switch msg.Button {
	case tea.MouseButtonWheelUp:
		return -WheelLines
	case tea.MouseButtonWheelDown:
		return WheelLines
	}
	return 0
}

// ScrollInfo is "12-30/240" for a pane showing lines 12 to 30 of 240, or
// "" when everything fits.
func ScrollInfo(off, height, total int) string {
	if total <= height || height <= 0 {
		return ""
	}
	return fmt.Sprintf("%d-%d/%d", off+1, min(off+height, total), total)
}
