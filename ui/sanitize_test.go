package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"retort/ui/confirm"
	"retort/ui/pane"
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
// File names, revision ids and notices with escape sequences in them are
// drawn with the sequences visible and never raw: in the Detail pane's file
// field, in the list of a missing revision's children, in the "reading"
// line of a .py source, in the rows of a revision whose id holds one (an
// error for it, but it is still drawn), and in the footer's notices.
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
		if rev := d.m.loaded.hist.Rev(d.m.panes.history().Cursor()); rev == nil || rev.ID != base {
			t.Fatalf("the second row is %v, want %q", rev, base)
		}
		requireClean(t, "the base selected", d)

		d.update(msgOf[planReadyMsg](t, d.press("D")))
		if d.m.actions.modal.Phase() != confirm.PhaseConfirm || d.m.actions.modal.Guard() != "d4X" {
			t.Fatalf("D on the base: phase %d, guard %q; want the plan guarded by d4X", d.m.actions.modal.Phase(), d.m.actions.modal.Guard())
		}
		requireClean(t, "the downgrade's confirmation", d)
		d.typeText("d4Y")
		d.press("enter")
		requireClean(t, "a wrong id typed", d)
		d.press("ctrl+u")
		d.typeText("d4X")
		run := d.press("enter")
		if d.m.actions.run == nil {
			t.Fatalf("the id as shown (d4X) did not run the downgrade: %s", d.m.actions.modal.Wrong())
		}
		d.finishRun(run)
		requireRows(t, url, base)
		requireClean(t, "the downgrade's outcome", d)

		d.m, _ = d.m.say(pane.LogErr, "cannot write "+hostile+"/tmp/x")
		requireClean(t, "an error notice", d)
		d.m, _ = d.m.say(pane.LogInfo, "wrote "+hostile)
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
		if rev := d.m.loaded.hist.Rev(d.m.panes.history().Cursor()); rev == nil || rev.ID != base || rev.Problem == nil {
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
		if !strings.Contains(plainLines(d.m.detailPane().Lines())[len(d.m.detailPane().Lines())-1], "reading ") {
			t.Fatalf("the Detail pane does not say the source is being read: %q", plainLines(d.m.detailPane().Lines()))
		}
		requireClean(t, "a .py source being read", d)
		d.press("j") // the missing parent, named by the file
		if d.m.loaded.hist.Rev(d.m.panes.history().Cursor()) != nil {
			t.Fatal("the second row is not the missing parent")
		}
		requireClean(t, "the missing parent selected", d)
	})
}

// hiddenDelete is SQL whose middle an escape sequence would hide if it were
// removed with its payload: ESC ] starts a window title that BEL ends, so
// a screen that strips it shows "DELETE FROM important WHERE id = -1 /**/;"
// while every row is deleted. deleteAll deletes every row of a second
// table, its text broken by the same sequence.
const (
	hiddenDelete = "DELETE FROM important WHERE id = -1 /*\x1b]0;*/ OR true /*\x07*/;"
	deleteAll    = "DELETE /*\x1b]0;*/ FROM important_copy /*\x07*/;"
)

// The screen shows them whole, the escape sequences' characters visible:
// the Detail pane as the file has them, the preview as they run (the
// engine runs a statement without the comment after it).
var (
	shownInFile = []string{
		"DELETE FROM important WHERE id = -1 /*␛]0;*/ OR true /*␇*/;",
		"DELETE /*␛]0;*/ FROM important_copy /*␇*/;",
	}
	shownInPlan = []string{
		"  ! DELETE FROM important WHERE id = -1 /*␛]0;*/ OR true;   ← holds control characters a terminal would hide",
		"  ! DELETE /*␛]0;*/ FROM important_copy;   ← deletes every row; holds control characters",
	}
)

// SQL with escape sequences in it is shown whole, the escapes visible, in
// the Detail pane and in a guarded downgrade's preview, where both
// statements are flagged: the one that deletes every row, and the one whose
// text holds control characters (its WHERE is always true): what the
// screen shows is what runs.
func TestEscapedSQLShownWhole(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "versions")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "a10000000001_base.sql", "-- Revision ID: a10000000001\n-- Revises:\n-- Message: base\n\n"+
		"-- +upgrade\nCREATE TABLE important (id INTEGER);\nCREATE TABLE important_copy (id INTEGER);\n\n"+
		"-- +downgrade\nDROP TABLE important_copy;\nDROP TABLE important;\n")
	writeFile(t, dir, "b20000000002_clean_up.sql", "-- Revision ID: b20000000002\n-- Revises: a10000000001\n-- Message: clean up\n\n"+
		"-- +upgrade\nSELECT 1;\n\n-- +downgrade\n"+hiddenDelete+"\n"+deleteAll+"\n")
	db := openDB(t, "sqlite:"+filepath.Join(t.TempDir(), "app.db"))
	upgradeTo(t, db, dir, "head")
	d := newDriver(t, Config{Dirs: []string{dir}, DB: db}, 200, 50)

	screen := d.m.View()
	for _, want := range shownInFile {
		if !strings.Contains(screen, want) {
			t.Errorf("the Detail pane does not show %q whole:\n%s", want, screen)
		}
	}
	requireClean(t, "the Detail pane", d)

	d.selectRev("a10000000001")
	d.update(msgOf[planReadyMsg](t, d.press("D")))
	if d.m.actions.modal.Phase() != confirm.PhaseConfirm || d.m.actions.modal.Guard() == "" {
		t.Fatalf("D on the base: phase %d, guard %q; want a guarded plan", d.m.actions.modal.Phase(), d.m.actions.modal.Guard())
	}
	screen = d.m.View()
	for _, want := range shownInPlan {
		if !strings.Contains(screen, want) {
			t.Errorf("the downgrade's preview does not show %q:\n%s", want, screen)
		}
	}
	if d.m.actions.modal.Destructive() != 2 {
		t.Errorf("the downgrade's preview counts %d destructive statements", d.m.actions.modal.Destructive())
	}
	requireClean(t, "the downgrade's preview", d)
}
