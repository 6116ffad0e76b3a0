package ui

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"retort/engine"
	"retort/revisions"
	"retort/ui/detail"
	"retort/ui/doc"
	"retort/ui/pane"
	"retort/ui/seg"
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
		for _, l := range m.detailPane().Lines() {
			if strings.Contains(l.Plain(), `op.execute("SELECT 1")`) {
				return true
			}
		}
		return false
	})
	path := m.loaded.hist.Rev(m.panes.history().Cursor()).Path
	if loaded, err := m.detailPane().Source(path); !loaded || err != nil {
		t.Fatalf("the source of %s: loaded %v, error %v", path, loaded, err)
	}

	sqlDir := fixture("linear")
	s = startUI(t, Config{Dirs: []string{sqlDir}}, 120, 40)
	s.settle()
	m = s.selectRev("2b0000000002")
	if n := m.detailPane().Sources(); n != 0 {
		t.Fatalf("a .sql revision's file was read for the Detail pane: %d files", n)
	}
}

// The Detail pane keeps its scroll position when the same revision's
// content is rebuilt (the database state read again, after a run or a
// reload), and goes back to the top for another revision.
func TestDetailKeepsScrollOnRefresh(t *testing.T) {
	g, err := revisions.Load(fixture("linear"))
	if err != nil {
		t.Fatal(err)
	}
	var m tea.Model = New(Config{Dirs: []string{fixture("linear")}, Now: fixedNow})
	m, _ = m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m, _ = m.Update(graphLoadedMsg{hist: pane.Build(g, []string{fixture("linear")})})
	m, _ = m.Update(stateLoadedMsg{rows: []string{"2b0000000002"}})
	m, _ = m.Update(keyMsg("tab")) // focus the Detail pane
	m, _ = m.Update(keyMsg("j"))
	m, _ = m.Update(keyMsg("j"))
	m, _ = m.Update(keyMsg("j"))
	if got := m.(Model).detailPane().Offset(); got != 3 {
		t.Fatalf("the Detail pane scrolled to %d, want 3", got)
	}
	key := m.(Model).detailPane().Key()
	m, _ = m.Update(stateLoadedMsg{rows: []string{"4d0000000004"}})
	d := m.(Model).detailPane()
	if d.Key() == key {
		t.Fatal("the new state did not rebuild the Detail pane")
	}
	if d.Offset() != 3 {
		t.Errorf("after the state was read again the Detail pane is at %d, want 3", d.Offset())
	}
	if !slices.ContainsFunc(d.Lines(), func(l seg.Line) bool { return strings.Contains(l.Plain(), "yes, a row of the version table") }) {
		t.Error("the refreshed Detail pane does not show the new state")
	}
	// A reload (r, the editor) builds the history again: same place.
	m, _ = m.Update(graphLoadedMsg{hist: pane.Build(g, []string{fixture("linear")})})
	m, _ = m.Update(stateLoadedMsg{rows: []string{"4d0000000004"}})
	if got := m.(Model).detailPane().Offset(); got != 3 {
		t.Errorf("after a reload the Detail pane is at %d, want 3", got)
	}
	m, _ = m.Update(keyMsg("tab"))
	m, _ = m.Update(keyMsg("tab")) // back to History
	m, _ = m.Update(keyMsg("j"))
	if got := m.(Model).detailPane().Offset(); got != 0 {
		t.Errorf("another revision's Detail starts at line %d, want 0", got)
	}
}

// The Detail pane keeps its scroll position through a reload, for a .sql
// revision (whose content is shorter while the database state is read
// again: no audit or drift lines) and for a .py one (whose source is read
// again): the position asked for is kept, and only clamped to draw.
func TestDetailScrollSurvivesReload(t *testing.T) {
	t.Run("sql", func(t *testing.T) {
		dir := fixture("linear")
		g, err := revisions.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		state := stateLoadedMsg{
			rows:  []string{"4d0000000004"},
			audit: map[string]engine.LogEntry{"4d0000000004": {Revision: "4d0000000004", Direction: "upgrade", Outcome: "ok", OSUser: "dba", Host: "ops", FinishedAt: fixedNow()}},
			drift: map[string]engine.DriftInfo{"4d0000000004": {Changed: true}},
		}
		var m tea.Model = New(Config{Dirs: []string{dir}, Now: fixedNow})
		m, _ = m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		m, _ = m.Update(graphLoadedMsg{hist: pane.Build(g, []string{dir})})
		m, _ = m.Update(state)
		m, _ = m.Update(keyMsg("tab"))
		m, _ = m.Update(keyMsg("G"))
		want := m.(Model).detailPane().Offset()
		if want == 0 {
			t.Fatal("the Detail pane does not scroll at 80x24; this test needs one that does")
		}
		m, _ = m.Update(graphLoadedMsg{hist: pane.Build(g, []string{dir})})
		m, _ = m.Update(state)
		if got := m.(Model).detailPane().Offset(); got != want {
			t.Errorf("after a reload the Detail pane is at %d, want %d", got, want)
		}
		m, _ = m.Update(state) // read again after a run
		if got := m.(Model).detailPane().Offset(); got != want {
			t.Errorf("after the state was read again the Detail pane is at %d, want %d", got, want)
		}
	})
	t.Run("py", func(t *testing.T) {
		dir := filepath.Join("..", "testdata", "pyforms", "alembic", "versions")
		d := newDriver(t, Config{Dirs: []string{dir}}, 80, 20)
		d.update(stateLoadedMsg{rows: []string{"2b0000000002"}})
		d.selectRev("3c0000000003")
		path := d.m.loaded.hist.Rev(d.m.panes.history().Cursor()).Path
		d.update(detail.ReadSource(path)())
		d.press("tab", "G")
		want := d.m.detailPane().Offset()
		if want == 0 {
			t.Fatal("the Detail pane does not scroll at 80x20; this test needs one that does")
		}
		read := d.update(loadGraphCmd([]string{dir})())
		if got := d.m.detailPane().Offset(); got != want {
			t.Errorf("while the source is read again the Detail pane is at %d, want %d", got, want)
		}
		if containsLine(d.m.detailPane().View(), "reading ") {
			t.Errorf("while the source is read again the Detail pane says so instead of showing it:\n%s", strings.Join(d.m.detailPane().View(), "\n"))
		}
		d.update(msgOf[detail.SourceMsg](t, read))
		d.update(stateLoadedMsg{rows: []string{"2b0000000002"}})
		if got := d.m.detailPane().Offset(); got != want {
			t.Errorf("after a reload the Detail pane is at %d, want %d", got, want)
		}
		d.update(stateLoadedMsg{rows: []string{"2b0000000002"}}) // read again after a run
		if got := d.m.detailPane().Offset(); got != want {
			t.Errorf("after the state was read again the Detail pane is at %d, want %d", got, want)
		}
	})
}

// TestLargeSectionDrawnByRows: a revision whose upgrade section is larger
// than doc.LargeSQL is shown a row a line, from the revision's own text:
// the pane says so, scrolls to its last line and on to the downgrade
// section, and holds no copy of the section (its lines are drawn as they
// are shown).
func TestLargeSectionDrawnByRows(t *testing.T) {
	dir := writeLargeHistory(t, doc.LargeSQL+64<<10)
	d := newDriver(t, Config{Dirs: []string{dir}}, 120, 36)
	d.selectRev("5e0000000005")
	p := d.m.detailPane()
	text := strings.Join(p.View(), "\n")
	if !strings.Contains(text, "MB, ") || !strings.Contains(text, "each line one row") || !strings.Contains(text, "CREATE TABLE legacy") {
		t.Fatalf("the Detail pane does not show the large section as rows:\n%s", text)
	}
	for _, l := range p.Lines() {
		if strings.Contains(l.Plain(), "INSERT INTO legacy") {
			t.Fatalf("the large section was copied into the pane's lines: %q", l.Plain())
		}
	}
	rev := d.m.loaded.hist.Rev(d.m.panes.history().Cursor())
	rows := strings.Count(rev.Upgrade.SQL, "\n")
	if p.Wrapped() < rows {
		t.Fatalf("the pane has %d rows for a section of %d lines", p.Wrapped(), rows)
	}
	d.press("tab", "G")
	text = strings.Join(d.m.detailPane().View(), "\n")
	if !strings.Contains(text, "DROP TABLE legacy") || !strings.Contains(text, "── downgrade ──") {
		t.Fatalf("the end of the pane:\n%s", text)
	}
	lines := strings.Split(strings.TrimRight(rev.Upgrade.SQL, "\n"), "\n")
	if last := lines[len(lines)-1]; !strings.Contains(text, last[:40]) {
		t.Fatalf("the end of the pane does not show the section's last line %q:\n%s", last, text)
	}
}
