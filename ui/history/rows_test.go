package history

import (
	"strings"
	"testing"

	"retort/ui/theme"
)

// Labels that do not fit share the room, so that each stays recognisable.
func TestFitLabels(t *testing.T) {
	st := theme.New(false)
	for _, c := range []struct {
		w    int
		want string
	}{
		{30, "catalog,circulation"},
		{16, "catalog,circula…"},
		{10, "cata,circu"},
		{8, "cat,circ"},
		{3, "ca…"},
	} {
		if got := strings.Join(fitLabels(st, []string{"catalog", "circulation"}, c.w), ","); got != c.want {
			t.Errorf("at %d columns: %q, want %q", c.w, got, c.want)
		}
	}
}
