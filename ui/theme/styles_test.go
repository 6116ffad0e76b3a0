package theme

import (
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// paint draws text exactly as lipgloss's Render does, for every style it
// has a painter for, in colour and without.
func TestPaintIsRender(t *testing.T) {
	defer lipgloss.SetColorProfile(termenv.Ascii)
	for _, profile := range []termenv.Profile{termenv.TrueColor, termenv.ANSI, termenv.Ascii} {
		lipgloss.SetColorProfile(profile)
		st := New(false)
		if len(st.painters) < 20 {
			t.Fatalf("only %d styles have a painter", len(st.painters))
		}
		for s := range st.painters {
			for _, text := range []string{"x", "  two words  ", "─┤ ● ╌┐ 4d0000000004 ", "ÆØÅ 漢字"} {
				if got, want := st.Paint(s, text), s.Render(text); got != want {
					t.Errorf("profile %v: paint %q = %q, Render gives %q", profile, text, got, want)
				}
			}
		}
		if got, want := st.Paint(&st.LabelOwn, "files"), st.LabelOwn.Render("files"); got != want {
			t.Errorf("profile %v: an underlined style: %q, want %q", profile, got, want)
		}
	}
}
