package ui

import (
	"io"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// environ is a fixed environment for termenv.
type environ map[string]string

func (e environ) Environ() []string {
	var out []string
	for k, v := range e {
		out = append(out, k+"="+v)
	}
	return out
}

func (e environ) Getenv(k string) string { return e[k] }

// TestNoColor: the styles are lipgloss's default renderer's, whose colour
// profile comes from the environment of a terminal (termenv's
// EnvColorProfile, which honours NO_COLOR): on a colour terminal the screen
// has escape sequences, with NO_COLOR set it has none at all (no colour, no
// bold, no reverse), and the glyphs and words still say everything.
func TestNoColor(t *testing.T) {
	for _, c := range []struct {
		name    string
		env     environ
		escapes bool
	}{
		{"colour terminal", environ{"TERM": "xterm-256color", "COLORTERM": "truecolor"}, true},
		{"NO_COLOR", environ{"TERM": "xterm-256color", "COLORTERM": "truecolor", "NO_COLOR": "1"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			// What the program's default renderer does on a terminal with
			// this environment (TestMain pinned the real one to ASCII).
			r := lipgloss.NewRenderer(io.Discard, termenv.WithEnvironment(c.env), termenv.WithTTY(true))
			r.SetHasDarkBackground(true)
			old := lipgloss.DefaultRenderer()
			lipgloss.SetDefaultRenderer(r)
			t.Cleanup(func() { lipgloss.SetDefaultRenderer(old) })

			d := newDriver(t, Config{Dirs: []string{fixture("branches")}}, 100, 30)
			d.press("j", "enter") // the cursor, a focused ancestry, highlighted SQL
			view := d.m.View()
			if got := strings.Contains(view, "\x1b["); got != c.escapes {
				t.Fatalf("escape sequences in the screen: %v, want %v:\n%q", got, c.escapes, view)
			}
			if !c.escapes && (!strings.Contains(view, "▶") || !strings.Contains(view, "head")) {
				t.Fatalf("without colour the cursor glyph or the badges are gone:\n%s", view)
			}
		})
	}
}
