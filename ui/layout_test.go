package ui

import (
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"retort/engine"
)

// Every frame fills the terminal exactly: as many lines as rows, each as
// wide as the terminal, at every size from the absurdly small to the large,
// on the main screen and the help screen. A line one cell too wide wraps in
// a real terminal and shifts everything below it.
func TestFramesFitTheTerminal(t *testing.T) {
	dir := filepath.Join("..", "examples", "library")
	db := openDB(t, "sqlite://", engine.WithAudit(false))
	upgradeTo(t, db, dir, "f0432a2ef6c7")
	s := startUI(t, Config{Dirs: []string{dir}, DB: db}, 120, 36)
	s.settle()
	s.selectRev("226fb0ba9c98")
	base := s.quit()
	sizes := [][2]int{{0, 0}, {1, 1}, {5, 3}, {10, 5}, {20, 8}, {40, 12}, {59, 15}, {60, 16}, {79, 23}, {80, 24}, {100, 30}, {120, 36}, {161, 49}, {250, 70}}
	for _, sz := range sizes {
		w, h := sz[0], sz[1]
		next, _ := base.Update(tea.WindowSizeMsg{Width: w, Height: h})
		checkFrame(t, "main", w, h, next.View())
		help, _ := next.Update(keyMsg("?"))
		checkFrame(t, "help", w, h, help.View())
	}
}

func checkFrame(t *testing.T, screen string, w, h int, view string) {
	t.Helper()
	if w == 0 || h == 0 {
		return // no size yet: anything short is fine, as long as it did not panic
	}
	lines := strings.Split(view, "\n")
	if len(lines) != h {
		t.Errorf("%s at %dx%d: %d lines, want %d", screen, w, h, len(lines), h)
	}
	for k, l := range lines {
		if got := ansi.StringWidth(l); got != w {
			t.Errorf("%s at %dx%d: line %d is %d wide: %q", screen, w, h, k, got, l)
			return
		}
	}
}
