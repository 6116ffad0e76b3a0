package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"retort/visible"
)

// What the verbs print with. Text that comes from revision files (ids,
// messages, docstrings, paths) or from databases (error texts, version rows,
// audit rows) is printed through package visible, on stdout and stderr
// alike: control characters and escape sequences show as visible stand-ins
// ("␛]0;", "<U+202E>"), so that nothing reaches the terminal that drives it
// or reorders the text, and nothing is removed with what follows it. Line
// breaks and tabs are kept where Alembic prints them. JSON escapes them.

// printLine prints s and a line break on w, its controls shown visibly.
func printLine(w io.Writer, s string) {
	fmt.Fprintln(w, visible.Text(s, "\t"))
}

// printf formats as fmt.Fprintf does, then prints the text on w with its
// controls shown visibly: for a line that quotes files or databases.
func printf(w io.Writer, format string, args ...any) {
	fmt.Fprint(w, visible.Text(fmt.Sprintf(format, args...), "\t"))
}

// status prints Alembic's `<what> ...  done` line.
func (a *app) status(what string) { printf(a.stdout, "%s ...  done\n", what) }

// writeJSON prints v as indented JSON, with the characters a terminal acts
// on or does not draw escaped (Go's encoder leaves bidi controls raw).
func (a *app) writeJSON(v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encoding JSON: %w", err)
	}
	_, err := a.stdout.Write(visible.EscapeJSON(b.Bytes()))
	return err
}

// indentLines shows s with its controls visible (visible.Text is the same
// once more, so the line may then be printed with printf) and indents its
// lines after the first.
func indentLines(s, indent string) string {
	s = strings.TrimRight(visible.Text(s, "\t"), "\n")
	return strings.ReplaceAll(s, "\n", "\n"+indent)
}
