package ui

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/charmbracelet/x/exp/teatest"

	"retort/engine"
	"retort/ui/confirm"
)

// goldenCase is a screen whose golden file is compared: a fixture history,
// the database state it starts from (an in-memory SQLite database, whose
// URL is the same on every run, without the audit log, whose times and
// users would differ), the keys pressed, and the terminal size.
type goldenCase struct {
	name     string
	history  string
	upgrades []string // targets applied with the engine before the UI starts
	keys     func(s *session)
	w, h     int
}

func goldenCases() []goldenCase {
	return []goldenCase{
		{name: "linear_80x24", history: "linear", upgrades: []string{"2b0000000002"}, w: 80, h: 24},
		{name: "branches_80x24", history: "branches", upgrades: []string{"4d0000000004", "6f0000000006"}, w: 80, h: 24,
			keys: func(s *session) { s.selectRev("8b0000000008") }},
		{name: "labels_depends_80x24", history: "labels", upgrades: []string{"c20000000002"}, w: 80, h: 24,
			keys: func(s *session) { s.selectRev("f20000000002") }},
		{name: "downgrade_modal_80x24", history: "linear", upgrades: []string{"head"}, w: 80, h: 24,
			keys: func(s *session) {
				s.selectRev("2b0000000002")
				s.press("D")
				s.waitModel("the downgrade plan", modalAt(confirm.PhaseConfirm))
				s.typeText("2b00")
				s.waitModel("the typed text", func(m Model) bool { return m.actions.modal.Typed().Value() == "2b00" })
			}},
		{name: "upgrade_done_80x24", history: "linear", upgrades: []string{"2b0000000002"}, w: 80, h: 24,
			keys: func(s *session) {
				s.selectRev("4d0000000004")
				s.press("U")
				s.waitModel("the upgrade plan", modalAt(confirm.PhaseConfirm))
				s.press("y")
				s.waitModel("the run's outcome", modalAt(confirm.PhaseDone))
			}},
		{name: "help_80x24", history: "linear", w: 80, h: 24,
			keys: func(s *session) {
				s.press("?")
				s.waitModel("the help screen", func(m Model) bool { return m.mode() == modeHelp })
			}},
		{name: "help_bottom_80x24", history: "linear", w: 80, h: 24,
			keys: func(s *session) {
				s.press("?", "G")
				s.waitModel("the help screen's end", func(m Model) bool { return m.mode() == modeHelp && m.help.offset > 0 })
			}},
		{name: "branches_160x48", history: "branches", upgrades: []string{"4d0000000004", "6f0000000006"}, w: 160, h: 48,
			keys: func(s *session) { s.selectRev("4d0000000004"); s.press("enter") }},
	}
}

// TestGolden compares whole screens with testdata/TestGolden/*.golden
// (go test ./ui -run TestGolden -update rewrites them).
func TestGolden(t *testing.T) {
	for _, c := range goldenCases() {
		t.Run(c.name, func(t *testing.T) {
			teatest.RequireEqualOutput(t, []byte(goldenScreen(t, c)))
		})
	}
}

// goldenScreen runs a case and returns the final screen.
func goldenScreen(t *testing.T, c goldenCase) string {
	t.Helper()
	db := openDB(t, "sqlite://", engine.WithAudit(false))
	for _, target := range c.upgrades {
		upgradeTo(t, db, fixture(c.history), target)
	}
	s := startUI(t, Config{Dirs: []string{fixture(c.history)}, DB: db}, c.w, c.h)
	s.settle()
	if c.keys != nil {
		c.keys(s)
	}
	s.waitModel("the UI to settle", func(m Model) bool { return settled(m) || m.mode() == modeModal && !m.busy() })
	return s.quit().View()
}

// TestScreenCapture writes testdata/screen.txt, the main screen on
// examples/library at 120x36 with both branches partly applied (the
// README's captures come from tmux, on another state), and checks it is up
// to date.
func TestScreenCapture(t *testing.T) {
	dir := filepath.Join("..", "examples", "library")
	db := openDB(t, "sqlite://", engine.WithAudit(false))
	upgradeTo(t, db, dir, "f0432a2ef6c7")
	upgradeTo(t, db, dir, "c8c5115d28d0")
	s := startUI(t, Config{Dirs: []string{dir}, DB: db}, 120, 36)
	s.settle()
	s.selectRev("226fb0ba9c98")
	got := s.quit().View() + "\n"
	path := filepath.Join("testdata", "screen.txt")
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./ui -run TestScreenCapture -update to write it)", err)
	}
	if string(want) != got {
		t.Fatalf("%s is out of date (go test ./ui -run TestScreenCapture -update); got:\n%s", path, got)
	}
}
