package rehearse

import (
	"fmt"
	"strings"
	"time"

	"retort/engine/report"
	"retort/schema"
)

// shownRows bounds the lost and gained rows Text shows per table.
const shownRows = 10

// label is how Text names a status, padded to one width.
func label(s Status) string {
	name := map[Status]string{RoundTrip: "ok", Differs: "DIFFERS", Failed: "FAILED", NotRehearsed: "NOT REHEARSED"}[s]
	return fmt.Sprintf("%-13s", name)
}

// Text shows an outcome as `retort rehearse` prints it: its status, the
// revision, its message and how long it took, then what the downgrade did
// not restore (the schema, grouped by table, then the rows), how the
// second upgrade differs from the first, or what failed. Raw text: what
// comes from files and databases is not escaped (show it through package
// visible).
func Text(o Outcome) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s  %s  (%s)\n", label(o.Status), o.Revision, o.Message, o.Duration.Round(time.Millisecond))
	if o.Error != "" {
		how := "failed"
		if o.Status == NotRehearsed {
			how = "was not possible"
		}
		fmt.Fprintf(&b, "  the %s %s: %s\n", o.Phase, how, indent(o.Error, "    "))
		for _, f := range report.FailureFields(o.Failure) {
			fmt.Fprintf(&b, "    %s\n", f.String())
		}
	}
	if len(o.Schema) > 0 {
		b.WriteString("  the downgrade did not restore the schema (- before the upgrade, + after the downgrade):\n")
		b.WriteString(indent("    "+strings.TrimRight(schema.DiffText(o.Schema), "\n"), "    ") + "\n")
	}
	if len(o.Rows) > 0 {
		b.WriteString("  the downgrade did not restore the rows:\n")
		for _, c := range o.Rows {
			writeRows(&b, c)
		}
	}
	if len(o.Again) > 0 {
		b.WriteString("  the second upgrade does not give the first's schema (- first, + second):\n")
		b.WriteString(indent("    "+strings.TrimRight(schema.DiffText(o.Again), "\n"), "    ") + "\n")
	}
	return b.String()
}

// writeRows shows one table's rows that differ.
func writeRows(b *strings.Builder, c RowsChange) {
	fmt.Fprintf(b, "    %s: %s before the upgrade, %d after the downgrade\n", c.Table, plural(c.Before, "row"), c.After)
	if len(c.Lost)+len(c.Gained) == 0 && c.Before == c.After {
		b.WriteString("      the same number of rows, with other values (too many rows to show which)\n")
	}
	for _, part := range []struct {
		what string
		rows []string
	}{{"lost", c.Lost}, {"gained", c.Gained}} {
		for k, r := range part.rows {
			if k == shownRows {
				fmt.Fprintf(b, "      ... and %d more %s\n", len(part.rows)-shownRows, part.what)
				break
			}
			fmt.Fprintf(b, "      %s: %s\n", part.what, r)
		}
	}
}

// Summary is the line `retort rehearse` ends with.
func (r *Result) Summary() string {
	var parts []string
	for _, s := range []Status{RoundTrip, Differs, Failed, NotRehearsed} {
		if n := r.Count(s); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s))
		}
	}
	if len(parts) == 0 {
		return "nothing rehearsed\n"
	}
	return fmt.Sprintf("%s rehearsed on %s: %s\n", plural(len(r.Outcomes), "revision"), r.Dialect, strings.Join(parts, ", "))
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// indent indents the lines of s after the first.
func indent(s, by string) string {
	return strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+by)
}
