package ui

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestPythonSourceShown selects an Alembic .py revision: its file is read
// and the Detail pane shows its source; a .sql revision's file is not read
// again (its sections are already in the graph).
func TestPythonSourceShown(t *testing.T) {
	dir := filepath.Join("..", "testdata", "pyforms", "alembic", "versions")
	s := startUI(t, Config{Dirs: []string{dir}}, 120, 40)
	s.settle()
	s.selectRev("2b0000000002")
	m := s.waitModel("the source in the Detail pane", func(m Model) bool {
		for _, l := range m.detail.lines {
			if strings.Contains(l.plain(), `op.execute("SELECT 1")`) {
				return true
			}
		}
		return false
	})
	path := m.hist.rev(m.graph.cursor).Path
	if src := m.sources[path]; !src.loaded || src.err != nil {
		t.Fatalf("the source of %s: loaded %v, error %v", path, src.loaded, src.err)
	}

	sqlDir := fixture("linear")
	s = startUI(t, Config{Dirs: []string{sqlDir}}, 120, 40)
	s.settle()
	m = s.selectRev("2b0000000002")
	if len(m.sources) != 0 {
		t.Fatalf("a .sql revision's file was read for the Detail pane: %v", m.sources)
	}
}
