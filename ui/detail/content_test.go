package detail

import (
	"path/filepath"
	"testing"

	"retort/revisions"
)

// The Detail pane says which labels a revision declares.
func TestDetailLabels(t *testing.T) {
	g, err := revisions.Load(filepath.Join("..", "testdata", "histories", "labels"))
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{
		"f10000000001": "files (declared here)",
		"f20000000002": "files",
	} {
		i := g.Index[id]
		if got := labelList(g, i); got != want {
			t.Errorf("labels of %s: %q, want %q", id, got, want)
		}
	}
}
