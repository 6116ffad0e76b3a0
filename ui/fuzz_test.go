package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"retort/visible"
)

// FuzzUIOutput feeds arbitrary text (escape sequences, bidi controls, NUL,
// bytes that are not UTF-8) through a revision's message, SQL and branch
// label into the screen: the History and Detail panes, then the preview
// modal of its upgrade. No control character other than line breaks
// reaches the terminal (the styles draw none under the Ascii profile, so
// any would come from the file), and the screen is valid UTF-8.
func FuzzUIOutput(f *testing.F) {
	for _, s := range []string{"plain", "\x1b]0;title\a", "\x1b[2J", "a\u202eb\u2066c", "nul\x00", "\x9b31m", "\xff\xfe", "zero\u200bwidth", "tab\there\r\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		dir := filepath.Join(t.TempDir(), "versions")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		line := strings.NewReplacer("\n", " ", "\r", " ").Replace(text)
		rev := fmt.Sprintf("-- Revision ID: a10000000001\n-- Revises:\n-- Message: m %s\n\n-- +upgrade\nSELECT '%s';\n\n-- +downgrade\nSELECT 1;\n",
			line, strings.ReplaceAll(text, "'", "''"))
		writeFile(t, dir, "a10000000001_x.sql", rev)
		writeFile(t, dir, "b20000000002_y.sql", "-- Revision ID: b20000000002\n-- Revises: a10000000001\n-- Branch Labels: l"+line+"\n-- Message: y\n\n-- +upgrade\nSELECT 2;\n")
		// Not t.TempDir: a seed's name ("seed#8") would put a '#' in the URL.
		dbDir, err := os.MkdirTemp("", "retort-fuzz")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.RemoveAll(dbDir) })
		db := openDB(t, "sqlite:"+filepath.Join(dbDir, "app.db"))
		d := newDriver(t, Config{Dirs: []string{dir}, DB: db}, 120, 40)
		requireNoControls(t, "the main screen", d.m.View())
		d.press("j")
		requireNoControls(t, "the first revision selected", d.m.View())
		if cmd := d.press("p"); cmd != nil {
			if msg, ok := cmd().(planReadyMsg); ok {
				d.update(msg)
			}
		}
		requireNoControls(t, "the preview", d.m.View())
	})
}

func requireNoControls(t *testing.T, what, screen string) {
	t.Helper()
	if !utf8.ValidString(screen) {
		t.Fatalf("%s is not UTF-8: %q", what, screen)
	}
	for _, r := range screen {
		if r != '\n' && visible.Control(r) {
			t.Fatalf("%s holds %U raw:\n%s", what, r, screen)
		}
	}
}
