package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"retort/ui/pane"
)

// echoPane is a pane defined only here, to show that a pane is a type and a
// line in the list: it records the keys it gets, x starts a command
// (asynchronous work) whose answer it takes back, and o opens a modal.
type echoPane struct {
	pane.Common
	echo, open key.Binding
	keys       []string
	echoed     []string
}

// echoMsg is the answer of the command x starts.
type echoMsg struct{ text string }

func newEchoPane(c *pane.Context) echoPane {
	return echoPane{Common: pane.Common{Context: c},
		echo: key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "echo back")),
		open: key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open a note"))}
}

func (p echoPane) Update(msg tea.Msg) (pane.Pane, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		p.keys = append(slices.Clip(p.keys), msg.String())
		switch {
		case key.Matches(msg, p.echo):
			text := fmt.Sprintf("echo of key %d", len(p.keys))
			return p, func() tea.Msg { return echoMsg{text: text} }
		case key.Matches(msg, p.open):
			return p, pane.Open(noteModal{Common: pane.Common{Context: p.Context}, note: "a note from the echo pane"})
		}
	case echoMsg:
		p.echoed = append(slices.Clip(p.echoed), msg.text)
	}
	return p, nil
}

func (p echoPane) View() []string {
	lines := []string{
		fmt.Sprintf("echo pane %dx%d", p.Width, p.Height),
		"keys " + strings.Join(p.keys, " "),
		"echoed " + strings.Join(p.echoed, ", "),
	}
	for k := range lines {
		lines[k] = p.Styles.Pad(lines[k], p.Width)
	}
	return lines[:min(len(lines), p.Height)]
}

func (p echoPane) SetSize(w, h int) pane.Pane {
	p.Width, p.Height = w, h
	return p
}

func (p echoPane) SetFocus(on bool) pane.Pane {
	p.Focused = on
	return p
}

func (p echoPane) Title(int) string { return "Echo" }

func (p echoPane) Info() string { return "" }

func (p echoPane) ShortHelp() []key.Binding { return []key.Binding{p.echo} }

func (p echoPane) FullHelp() [][]key.Binding { return [][]key.Binding{{p.echo, p.open}} }

// noteModal is a modal defined only here, to show that a modal is a type
// and the line that opens it (echoPane's o): it shows a note and records
// the keys it gets until esc closes it.
type noteModal struct {
	pane.Common
	note   string
	keys   []string
	closed bool
}

func (n noteModal) Update(msg tea.Msg) (pane.Pane, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok {
		if k.Type == tea.KeyEsc {
			n.closed = true
			return n, nil
		}
		n.keys = append(slices.Clip(n.keys), k.String())
	}
	return n, nil
}

func (n noteModal) View() []string {
	return []string{n.Styles.Pad(n.note, n.Width), n.Styles.Pad("keys "+strings.Join(n.keys, " "), n.Width)}
}

func (n noteModal) SetSize(w, h int) pane.Pane {
	n.Width, n.Height = w, h
	return n
}

func (n noteModal) SetFocus(on bool) pane.Pane {
	n.Focused = on
	return n
}

func (n noteModal) Title(int) string { return "Note" }

func (n noteModal) Info() string { return "" }

func (n noteModal) ShortHelp() []key.Binding {
	return []key.Binding{key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close the note"))}
}

func (n noteModal) FullHelp() [][]key.Binding { return nil }

func (n noteModal) Typing() bool { return false }

func (n noteModal) Closed() bool { return n.closed }

// withEcho is the list of panes with the echo pane, which shares the
// Detail pane's place: the one line that registers it.
func withEcho() []paneSpec { return append(defaultPanes(), listed(placeSide, 1, newEchoPane)) }

// echo is the echo pane and its position.
func (m Model) echo() (echoPane, int) { return find[echoPane](m.panes) }

// echoKeys are the keys the echo pane got.
func echoKeys(m Model) []string {
	p, _ := m.echo()
	return p.keys
}

// echoed: the echo pane took these answers back.
func echoed(want ...string) func(m Model) bool {
	return func(m Model) bool {
		p, _ := m.echo()
		return slices.Equal(p.echoed, want)
	}
}

// TestPaneContract registers a pane with one line (withEcho) and drives it
// through the root model in a running program: it gets its size and its
// place on the screen, keys reach it once it has the focus and not before,
// its keys are in the footer while it has the focus and on the help
// screen, the command it returns runs, its message coming back to it, and
// the modal it opens has the keyboard until it closes.
func TestPaneContract(t *testing.T) {
	s := startPanes(t, Config{Dirs: []string{fixture("linear")}}, withEcho(), 120, 40)
	m := s.settle()
	p, k := m.echo()
	r := m.layout().rects[k]
	if w, h := r.Inner(); p.Width != w || p.Height != h || w == 0 || h == 0 {
		t.Fatalf("the pane is %dx%d, its box inside the border %dx%d", p.Width, p.Height, w, h)
	}
	if screen := m.View(); !strings.Contains(screen, "Echo") || !strings.Contains(screen, fmt.Sprintf("echo pane %dx%d", p.Width, p.Height)) {
		t.Fatalf("the pane is not on the screen:\n%s", screen)
	}
	if footer := m.footerView(); strings.Contains(footer, "echo back") {
		t.Fatalf("the footer shows the pane's keys while History has the focus: %q", footer)
	}
	if all := allHelp(m, 116); !strings.Contains(all, "Echo") || !strings.Contains(all, "x echo back") {
		t.Fatalf("the help screen does not list the pane's keys:\n%s", all)
	}

	s.press("j", "x") // History has the focus: j moves its cursor, x is nobody's
	m = s.waitModel("the cursor on the second row", func(m Model) bool { return m.panes.history().Cursor() == 1 })
	if keys := echoKeys(m); len(keys) != 0 {
		t.Fatalf("the pane got %q without the focus", keys)
	}

	s.press("tab", "tab", "tab")
	m = s.waitModel("the focus on the pane", func(m Model) bool { return m.screen.focus == k })
	if footer := m.footerView(); !strings.Contains(footer, "x echo back") {
		t.Fatalf("the footer lacks the focused pane's keys: %q", footer)
	}
	s.press("j", "x")
	m = s.waitModel("the echo of x", echoed("echo of key 2"))
	if keys := echoKeys(m); !slices.Equal(keys, []string{"j", "x"}) || m.panes.history().Cursor() != 1 {
		t.Fatalf("the pane got %q, the cursor is on row %d; want j x, and the cursor where it was", keys, m.panes.history().Cursor())
	}
	if screen := m.View(); !strings.Contains(screen, "echoed echo of key 2") {
		t.Fatalf("the pane does not show what came back:\n%s", screen)
	}

	s.press("o")
	m = s.waitModel("the note open", func(m Model) bool { return m.mode() == modeModal && m.modal != nil })
	if screen := m.View(); !strings.Contains(screen, "Note") || !strings.Contains(screen, "a note from the echo pane") ||
		!strings.Contains(m.footerView(), "esc close the note") {
		t.Fatalf("the note is not on the screen:\n%s", screen)
	}
	s.press("x", "j")
	m = s.waitModel("the keys in the note", func(m Model) bool {
		return m.modal != nil && slices.Equal(m.modal.(noteModal).keys, []string{"x", "j"})
	})
	if keys := echoKeys(m); len(keys) != 3 {
		t.Fatalf("keys reached the pane under the note: %q", keys)
	}
	s.press("esc")
	m = s.waitModel("the note closed", func(m Model) bool { return m.mode() == modeNormal })
	if m.modal != nil || !strings.Contains(m.View(), "echoed echo of key 2") {
		t.Fatalf("after esc the note is still open, or the pane is not back:\n%s", m.View())
	}
}
