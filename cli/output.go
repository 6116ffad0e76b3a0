package cli

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// What the verbs print with: JSON, status lines, and text quoted from files
// and databases.

// status prints Alembic's `<what> ...  done` line.
func (a *app) status(what string) { fmt.Fprintf(a.stdout, "%s ...  done\n", what) }

// writeJSON prints v as indented JSON.
func (a *app) writeJSON(v any) error {
	enc := json.NewEncoder(a.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// indentLines indents the lines of s after the first, with terminal
// escape sequences and control characters (from a revision file or the
// database) removed: they must not drive the user's terminal.
func indentLines(s, indent string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r >= 0x80 && r < 0xa0 {
			return -1
		}
		return r
	}, ansi.Strip(s))
	return strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+indent)
}
