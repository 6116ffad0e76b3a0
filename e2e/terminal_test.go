package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// On a terminal, the CLI shows the control characters of revision files
// visibly, in the SQL `--sql` prints too (piped, that SQL is written as it
// runs): an escape sequence never clears the screen, retitles the window or
// hides part of a statement.
func TestCLIOnATerminalShowsControls(t *testing.T) {
	bin := buildRetort(t)
	dir := t.TempDir()
	versions := filepath.Join(dir, "versions")
	if err := os.MkdirAll(versions, 0o755); err != nil {
		t.Fatal(err)
	}
	rev := "-- Revision ID: a10000000001\n-- Revises:\n-- Message: base \x1b[2J\u202eevil\n\n" +
		"-- +upgrade\nDELETE FROM t WHERE id = -1 /*\x1b]0;pwned\x07*/ OR true;\n\n-- +downgrade\nSELECT 1;\n"
	if err := os.WriteFile(filepath.Join(versions, "a10000000001_base.sql"), []byte(rev), 0o644); err != nil {
		t.Fatal(err)
	}
	db := "sqlite:" + filepath.Join(dir, "app.db")
	for _, args := range [][]string{{"upgrade", "heads", "--sql"}, {"history", "-v"}} {
		argv := append([]string{bin, "--dir", versions, "--db", db}, args...)
		s := startTmux(t, dir, 160, 40, nil, argv...)
		scr := s.waitFor("the command to end", func(scr string) bool { return exitLine.MatchString(scr) })
		if !strings.Contains(scr, "[exited 0]") {
			t.Fatalf("%v failed:\n%s", args, scr)
		}
		want := "/*␛]0;pwned␇*/ OR true"
		if args[0] == "history" {
			want = "base ␛[2J<U+202E>evil"
		}
		if !strings.Contains(scr, want) {
			t.Errorf("%v: the screen lacks %q:\n%s", args, want, scr)
		}
		if title := s.tmux("display-message", "-p", "-t", "retort", "#{pane_title}"); strings.Contains(title, "pwned") {
			t.Errorf("%v retitled the terminal: %q", args, title)
		}
	}
}
