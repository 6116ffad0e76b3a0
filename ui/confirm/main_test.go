package confirm

import (
	"os"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// TestMain fixes the colour profile: the tests compare plain text.
func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
	os.Exit(m.Run())
}

// fixedNow is the tests' clock.
func fixedNow() time.Time { return time.Date(2026, 11, 24, 16, 2, 11, 0, time.UTC) }
