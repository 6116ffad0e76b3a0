package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"retort/engine/pgtest"
	"retort/models"
)

// TestFailurePrintsDetailAndHint: the progress shows a WARNING's detail and
// hint, and a failed step's SQLSTATE, detail, hint, statement and line.
func TestFailurePrintsDetailAndHint(t *testing.T) {
	dir := t.TempDir()
	rev := "-- Revision ID: f1\n-- Revises:\n-- Message: noisy\n\n-- +upgrade\n" +
		"DO $$ BEGIN RAISE WARNING 'careful' USING DETAIL = 'w detail', HINT = 'w hint'; END $$;\n" +
		"DO $$ BEGIN RAISE EXCEPTION 'boom' USING ERRCODE = 'P0099', DETAIL = 'e detail', HINT = 'e hint'; END $$;\n" +
		"\n-- +downgrade\nSELECT 1;\n"
	if err := os.WriteFile(filepath.Join(dir, "f1_noisy.sql"), []byte(rev), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := runCLI(t, "--dir", dir, "--db", pgtest.NewDatabase(t), "upgrade", "heads")
	if code == 0 {
		t.Fatalf("upgrade succeeded:\n%s", errOut)
	}
	for _, want := range []string{
		"  WARNING: careful\n    DETAIL: w detail\n    HINT: w hint\n",
		"boom (SQLSTATE P0099)",
		"    DETAIL: e detail\n    HINT: e hint\n    statement (" + filepath.Join(dir, "f1_noisy.sql") + ":7): DO $$ BEGIN RAISE EXCEPTION",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
}

// TestProgressShowsControlCharacters: the progress lines quote revision
// files and the database; their escape sequences and control characters
// never reach the terminal, and show as visible stand-ins, with nothing
// removed.
func TestProgressShowsControlCharacters(t *testing.T) {
	var out strings.Builder
	p := &progressPrinter{w: &out}
	rev := &models.Revision{ID: "a1", Message: "evil \x1b[2J\x1b]0;title\x07message\r"}
	step := &models.Step{Revision: rev, Direction: models.Upgrade, To: []string{"a1"}}
	p.event(models.Event{Kind: models.EventStepStarted, Step: step, Total: 1})
	p.event(models.Event{Kind: models.EventNotice, Step: step, Severity: "NOTICE", Message: "bell\x07 and \x1b[31mred\x1b[0m"})
	p.event(models.Event{Kind: models.EventStepFailed, Step: step, Err: errors.New("boom \x1b[1mbold\x1b[0m\x08 \u202eevil")})
	got := out.String()
	if strings.ContainsAny(got, "\x1b\x07\x08\r\u202e") {
		t.Fatalf("control characters reached the output: %q", got)
	}
	for _, want := range []string{"evil ␛[2J␛]0;title␇message␍", "bell␇ and ␛[31mred␛[0m", "boom ␛[1mbold␛[0m␈ <U+202E>evil"} {
		if !strings.Contains(got, want) {
			t.Errorf("output %q lacks %q", got, want)
		}
	}
}
