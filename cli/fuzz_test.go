package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"retort/visible"
)

// FuzzCLIOutput feeds arbitrary text (escape sequences, bidi controls, NUL,
// bytes that are not UTF-8) through a revision's message, SQL and branch
// label, and through a target the user types, into the CLI's
// human-readable outputs and JSON: no control byte reaches the terminal
// unescaped, and every output is valid UTF-8 (a stray 0x9b is CSI to an
// 8-bit terminal). `--sql` is left out: piped, it is the SQL to run, and a
// terminal gets it visibly (e2e's TestCLIOnATerminalShowsControls).
func FuzzCLIOutput(f *testing.F) {
	for _, s := range []string{"plain", "\x1b]0;title\a", "\x1b[2J", "a\u202eb\u2066c", "nul\x00", "\x9b31m", "\xff\xfe", "zero\u200bwidth", "tab\there\r\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		dir := t.TempDir()
		line := strings.NewReplacer("\n", " ", "\r", " ").Replace(text)
		rev := fmt.Sprintf("-- Revision ID: a10000000001\n-- Revises:\n-- Branch Labels: lab%s\n-- Message: m %s\n\n-- +upgrade\nSELECT '%s';\n\n-- +downgrade\nSELECT 1;\n",
			line, line, strings.ReplaceAll(text, "'", "''"))
		if err := os.WriteFile(filepath.Join(dir, "a10000000001_x.sql"), []byte(rev), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{
			{"history", "-v"}, {"history", "--json"}, {"heads", "-v"}, {"heads", "--json"},
			{"branches", "-v"}, {"show", "a10000000001"}, {"show", "a10000000001", "--json"},
			{"show", "x" + line},
		} {
			out, errOut, _ := runCLI(t, append([]string{"--dir", dir}, args...)...)
			requireNoControls(t, args, "stdout", out)
			requireNoControls(t, args, "stderr", errOut)
		}
	})
}

// requireNoControls fails when s holds a control character other than line
// breaks and tabs, an invisible one, or a byte that is not UTF-8.
func requireNoControls(t *testing.T, args []string, stream, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Fatalf("%v: %s is not UTF-8: %q", args, stream, s)
	}
	for _, r := range s {
		if r != '\n' && r != '\t' && visible.Control(r) {
			t.Fatalf("%v: %s holds %U raw: %q", args, stream, r, s)
		}
	}
}
