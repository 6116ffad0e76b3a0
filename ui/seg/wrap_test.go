package seg

import (
	"slices"
	"strings"
	"testing"
)

// Wrapped lines break between words and keep an indentation: under a
// field's value, or two columns deeper than the line.
func TestWrapAtWords(t *testing.T) {
	sql := Plain("    UPDATE alembic_version SET version_num='3c0000000003' WHERE alembic_version.version_num = '4d0000000004';")
	got := plainLines(Wrap([]Line{sql}, 70))
	want := []string{
		"    UPDATE alembic_version SET version_num='3c0000000003' WHERE ",
		"      alembic_version.version_num = '4d0000000004';",
	}
	if !slices.Equal(got, want) {
		t.Errorf("the statement wrapped as\n%q\nwant\n%q", got, want)
	}
	field := Line{{Text: "file      "}, {Text: "examples/library/dd2e9516bcc5_add_the_patron_locale.sql", Hang: true}}
	got = plainLines(Wrap([]Line{field}, 36))
	want = []string{
		"file      examples/library/",
		"          dd2e9516bcc5_add_the_",
		"          patron_locale.sql",
	}
	if !slices.Equal(got, want) {
		t.Errorf("the path wrapped as\n%q\nwant\n%q", got, want)
	}
	word := Plain(strings.Repeat("x", 25))
	for _, l := range Wrap([]Line{word}, 10) {
		if l.Width() > 10 {
			t.Errorf("a long word wrapped to a line %d wide: %q", l.Width(), l.Plain())
		}
	}
}

func plainLines(ls []Line) []string {
	out := make([]string, len(ls))
	for k, l := range ls {
		out[k] = l.Plain()
	}
	return out
}
