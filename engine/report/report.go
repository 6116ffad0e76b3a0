// Package report writes how a run goes and how it ended, as people read
// it: the progress lines the CLI prints on stderr, the lines of the UI's log
// pane, the outcome the UI's plan modal shows after a run, and what the
// CLI says of a run its interruption stopped. It is written once here for
// both; text from revision files and databases (messages, ids, SQL, errors)
// goes through package visible, which shows control characters instead of
// letting them act on the terminal.
package report

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"retort/engine"
	"retort/models"
	"retort/revisions"
	"retort/visible"
)

// Glyphs chooses between Unicode symbols (✓ ✕ → ·) and their ASCII forms
// (OK FAILED -> |), as the UI's ASCII mode does.
type Glyphs struct {
	ASCII bool
}

func (g Glyphs) sym(unicode, ascii string) string {
	if g.ASCII {
		return ascii
	}
	return unicode
}

// line shows text on one line: line breaks and tabs become spaces.
func line(s string) string { return visible.Line(s) }

// text shows text keeping its line breaks, tabs as four spaces (the log
// pane's lines).
func text(s string) string { return visible.Text(s, "    ") }

// Duration is a duration as the UI writes it: "740 µs", "12 ms", "1.5 s",
// "1m23s".
func Duration(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%d µs", d.Microseconds())
	case d < time.Second:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
	return d.Round(time.Second).String()
}

// Duration is Duration in the glyphs: "740 us" in ASCII.
func (g Glyphs) Duration(d time.Duration) string {
	return strings.Replace(Duration(d), "µs", g.sym("µs", "us"), 1)
}

// Step names a step for the UI: "upgrade a1b2c3d4e5f6 → b2" with short ids,
// "base" for none; a stamp names the rows it leaves ("stamp b2 → m3  x4").
func Step(s *models.Step, g Glyphs) string {
	arrow := g.sym(" → ", " -> ")
	if s.Direction == models.Stamp {
		return "stamp " + rowList(s.Before) + arrow + rowList(s.After)
	}
	return s.Direction.String() + " " + rowList(s.From) + arrow + rowList(s.To)
}

// rowList names revisions by short id, "base" for none.
func rowList(ids []string) string {
	if len(ids) == 0 {
		return "base"
	}
	out := make([]string, len(ids))
	for k, id := range ids {
		out[k] = line(models.ShortID(id))
	}
	return strings.Join(out, "  ")
}

// FailedHow says what became of a failed step: rolled back, unless the
// engine could not tell whether its COMMIT went through.
func FailedHow(err error) string {
	if errors.Is(err, engine.ErrCommitUnknown) {
		return "failed, outcome unknown: check the version table"
	}
	return "failed, rolled back"
}

// StoppedHow says how the step at which a run stopped ended.
func StoppedHow(pe *engine.PartialError) string {
	switch {
	case errors.Is(pe, engine.ErrCommitUnknown):
		return "the outcome of the last step is unknown: check the version table"
	case pe.Failure == nil:
		return "it stopped between two steps"
	case pe.Failure.Ran > 0:
		return fmt.Sprintf("the failed step runs outside a transaction: %d of its statements stay applied", pe.Failure.Ran)
	}
	return "the failed step rolled back"
}

// Field is one thing the database said about a failed statement.
type Field struct {
	Name, Value string
}

// String is the field as one line: the name in a column of ten.
func (f Field) String() string { return fmt.Sprintf("%-10s", f.Name) + f.Value }

// FailureFields are what the database said about a failed statement, in
// order: sqlstate, error, detail, hint, at (file:line), statement, and for
// a `Transaction: none` step the statements that ran. Values are on one
// line each; empty ones are left out.
func FailureFields(f *models.Failure) []Field {
	if f == nil {
		return nil
	}
	var out []Field
	add := func(name, v string) {
		if v != "" {
			out = append(out, Field{Name: name, Value: line(v)})
		}
	}
	add("sqlstate", f.SQLState)
	add("error", f.Message)
	add("detail", f.Detail)
	add("hint", f.Hint)
	switch {
	case f.Path != "" && f.Line > 0:
		add("at", fmt.Sprintf("%s:%d", f.Path, f.Line))
	case f.Path != "":
		// A failure of the step as a whole (the version table moved, its
		// COMMIT failed) is at no line of the file.
		add("at", f.Path)
	}
	add("statement", f.Statement)
	if f.Ran > 0 {
		add("ran", fmt.Sprintf("%d statement(s) of this non-transactional step ran and stay applied", f.Ran))
	}
	return out
}

// errText is an error's message, with Alembic's hidden reason when there is
// one.
func errText(err error) string {
	if err == nil {
		return ""
	}
	var ce *revisions.CommandError
	if errors.As(err, &ce) && ce.Detail != "" {
		return ce.Message + " (" + ce.Detail + ")"
	}
	return err.Error()
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
