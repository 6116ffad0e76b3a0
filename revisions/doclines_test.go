package revisions

import (
	"slices"
	"testing"
)

func TestPyLinesSplitsAsPython(t *testing.T) {
	for in, want := range map[string][]string{
		"":                     nil,
		"a":                    {"a"},
		"a\n":                  {"a"},
		"a\r\nb\rc\vd\fe":      {"a", "b", "c", "d", "e"},
		"a\u0085b\u2028c\n\nd": {"a", "b", "c", "", "d"},
		"\n\nx":                {"", "", "x"},
	} {
		if got := pyLines(in); !slices.Equal(got, want) {
			t.Errorf("pyLines(%q) = %q, want %q", in, got, want)
		}
	}
}
