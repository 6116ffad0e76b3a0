package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// hostile is text that would drive the terminal: reverse video, a window
// title (ended by BEL), a cleared screen.
const hostile = "\x1b[7m\x1b]0;pwned\x07\x1b[2J"

// requireClean fails when the screen holds a control character: under the
// Ascii profile the styles draw none, so any comes from a file or a message.
func requireClean(t *testing.T, what string, d *driver) {
	t.Helper()
	view := d.m.View()
	if k := strings.IndexAny(view, "\x1b\x07\r"); k >= 0 {
		t.Fatalf("%s: the screen holds a control character at %d (%q):\n%s", what, k, view[max(0, k-20):min(len(view), k+20)], view)
	}
}

// writeFile writes a revision file, its name and text as given.
func writeFile(t *testing.T, dir, name, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// File names, revision ids and notices with escape sequences in them are
// drawn without them: in the Detail pane's file field, in the list of a
// missing revision's children, in the "reading" line of a .py source, in
// the rows of a revision whose id holds one (an error for it, but it is
// still drawn), and in the footer's notices.
func TestEscapesNeverReachTheScreen(t *testing.T) {
	t.Run("sql", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "versions")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		base := "d4X" // an id may not hold a control character: see "id" below
		writeFile(t, dir, "d4"+hostile+"_base.sql", "-- Revision ID: "+base+"\n-- Revises:\n-- Message: base\n\n"+
			"-- +upgrade\nCREATE TABLE a (id INTEGER);\n\n-- +downgrade\nDROP TABLE a;\n")
		writeFile(t, dir, "e5"+hostile+"_next.sql", "-- Revision ID: e50000000005\n-- Revises: "+base+"\n-- Message: next"+hostile+"\n\n"+
			"-- +upgrade\nCREATE TABLE b (id INTEGER);\n\n-- +downgrade\nDROP TABLE b;\n")
		url := "sqlite:" + filepath.Join(t.TempDir(), "app.db")
		db := openDB(t, url)
		upgradeTo(t, db, dir, "head")
		d := newDriver(t, Config{Dirs: []string{dir}, DB: db}, 120, 40)
		requireClean(t, "the head selected", d)
		d.press("j")
		if rev := d.m.hist.rev(d.m.graph.cursor); rev == nil || rev.ID != base {
			t.Fatalf("the second row is %v, want %q", rev, base)
		}
		requireClean(t, "the base selected", d)

		d.update(msgOf[planReadyMsg](t, d.press("D")))
		if d.m.modal.phase != phaseConfirm || d.m.modal.guard != "d4X" {
			t.Fatalf("D on the base: phase %d, guard %q; want the plan guarded by d4X", d.m.modal.phase, d.m.modal.guard)
		}
		requireClean(t, "the downgrade's confirmation", d)
		d.typeText("d4Y")
		d.press("enter")
		requireClean(t, "a wrong id typed", d)
		d.press("ctrl+u")
		d.typeText("d4X")
		run := d.press("enter")
		if d.m.run == nil {
			t.Fatalf("the id as shown (d4X) did not run the downgrade: %s", d.m.modal.wrong)
		}
		d.finishRun(run)
		requireRows(t, url, base)
		requireClean(t, "the downgrade's outcome", d)

		d.m, _ = d.m.say(logErr, "cannot write "+hostile+"/tmp/x")
		requireClean(t, "an error notice", d)
		d.m, _ = d.m.say(logInfo, "wrote "+hostile)
		requireClean(t, "a notice", d)
	})
	t.Run("id", func(t *testing.T) {
		// An id with an escape sequence is an error for its revision,
		// which is still drawn (marked unreadable), and its child with it.
		dir := filepath.Join(t.TempDir(), "versions")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		base := "d4\x1b[7mX"
		writeFile(t, dir, "d4_base.sql", "-- Revision ID: "+base+"\n-- Revises:\n-- Message: base\n\n-- +upgrade\n")
		writeFile(t, dir, "e5_next.sql", "-- Revision ID: e50000000005\n-- Revises: "+base+"\n-- Message: next\n\n-- +upgrade\n")
		d := newDriver(t, Config{Dirs: []string{dir}}, 120, 40)
		requireClean(t, "the head selected", d)
		d.press("j")
		if rev := d.m.hist.rev(d.m.graph.cursor); rev == nil || rev.ID != base || rev.Problem == nil {
			t.Fatalf("the second row is %v, want %q marked unreadable", rev, base)
		}
		requireClean(t, "the base selected", d)
	})
	t.Run("py", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "versions")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, dir, "f6"+hostile+"_orphan.py", "revision = 'f60000000006'\ndown_revision = 'aa0000000000'\n\n"+
			"def upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n")
		d := newDriver(t, Config{Dirs: []string{dir}}, 120, 40)
		if !strings.Contains(plainLines(d.m.detail.lines)[len(d.m.detail.lines)-1], "reading ") {
			t.Fatalf("the Detail pane does not say the source is being read: %q", plainLines(d.m.detail.lines))
		}
		requireClean(t, "a .py source being read", d)
		d.press("j") // the missing parent, named by the file
		if d.m.hist.rev(d.m.graph.cursor) != nil {
			t.Fatal("the second row is not the missing parent")
		}
		requireClean(t, "the missing parent selected", d)
	})
}
