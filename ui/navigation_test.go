package ui

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"retort/revisions"
	"retort/ui/pane"
)

// library is the bundled example history (30 revisions): long enough to
// page through at 80x24.
var library = filepath.Join("..", "examples", "library")

// key sends one named key that keyMsg has no name for.
func (d *driver) key(t tea.KeyType) { d.t.Helper(); d.update(tea.KeyMsg{Type: t}) }

// requireCursor fails unless the cursor is on row want and that row is in
// view.
func (d *driver) requireCursor(after string, want int) {
	d.t.Helper()
	g := d.m.panes.history()
	if g.Cursor() != want {
		d.t.Fatalf("after %s the cursor is on row %d, want %d", after, g.Cursor(), want)
	}
	if g.Cursor() < g.Top() || g.Cursor() >= g.Top()+g.Height {
		d.t.Fatalf("after %s row %d is out of view (rows %d-%d shown)", after, g.Cursor(), g.Top(), g.Top()+g.Height-1)
	}
}

// TestCursorKeys: j/k and the arrows move one row and stop at the ends;
// PgDn/PgUp move a page (the pane's height less one, so one row stays in
// view), g/G and home/end go to the ends; the Detail pane follows.
func TestCursorKeys(t *testing.T) {
	d := newDriver(t, Config{Dirs: []string{library}}, 80, 24)
	n, page := d.m.loaded.hist.Len(), d.m.panes.history().Height-1
	if n <= 2*page {
		t.Fatalf("%d revisions in a pane of %d rows: too few to page through", n, d.m.panes.history().Height)
	}
	d.press("k")
	d.requireCursor("k on the top row", 0)
	d.press("up")
	d.requireCursor("↑ on the top row", 0)
	d.press("j")
	d.requireCursor("j", 1)
	d.press("down")
	d.requireCursor("↓", 2)
	d.press("k")
	d.requireCursor("k", 1)
	d.press("up")
	d.requireCursor("↑", 0)
	d.key(tea.KeyPgDown)
	d.requireCursor("PgDn", page)
	d.key(tea.KeyPgDown)
	d.requireCursor("PgDn twice", 2*page)
	d.key(tea.KeyPgUp)
	d.requireCursor("PgUp", page)
	d.press("G")
	d.requireCursor("G", n-1)
	d.press("j")
	d.requireCursor("j on the bottom row", n-1)
	d.key(tea.KeyPgDown)
	d.requireCursor("PgDn on the bottom row", n-1)
	d.press("g")
	d.requireCursor("g", 0)
	d.key(tea.KeyEnd)
	d.requireCursor("end", n-1)
	d.key(tea.KeyHome)
	d.requireCursor("home", 0)

	d.press("j")
	want := d.m.loaded.hist.Rev(1).ID
	if d.m.detailPane().Key() == "" || !containsLine(d.m.detailPane().View(), want) {
		t.Fatalf("the Detail pane does not show the selected revision %s:\n%v", want, d.m.detailPane().View())
	}
}

// TestJumpToCurrent: c moves to the database's current revision, from
// anywhere, and says so when the version table is empty.
func TestJumpToCurrent(t *testing.T) {
	url := "sqlite:" + filepath.Join(t.TempDir(), "app.db")
	db := openDB(t, url)
	d := newDriver(t, Config{Dirs: []string{library}, DB: db}, 80, 24)
	d.press("c")
	if d.m.panes.history().Cursor() != 0 || !logHas(d.m, "no current revision") {
		t.Fatalf("c on an empty version table: cursor %d, notice %q", d.m.panes.history().Cursor(), d.m.notice.text)
	}

	const current = "ac3724483461" // the library's second revision
	upgradeTo(t, db, library, current)
	d = newDriver(t, Config{Dirs: []string{library}, DB: db}, 80, 24)
	row := d.m.loaded.hist.Find(current)
	if row < d.m.panes.history().Height {
		t.Fatalf("%s is on row %d, in the first screen: the test would not show a jump", current, row)
	}
	d.press("c")
	d.requireCursor("c", row)
	d.press("g", "c")
	d.requireCursor("g then c", row)
}

// TestCycleHeads: h goes to the next head down, wrapping to the first.
func TestCycleHeads(t *testing.T) {
	d := newDriver(t, Config{Dirs: []string{fixture("labels")}}, 100, 30)
	heads := d.m.loaded.hist.Heads
	if len(heads) != 2 {
		t.Fatalf("the labels history has %d heads, want 2", len(heads))
	}
	d.press("G") // below every head: h wraps to the first
	for k, want := range []int{heads[0], heads[1], heads[0]} {
		d.press("h")
		d.requireCursor("h", want)
		if rev := d.m.loaded.hist.Rev(want); !d.m.loaded.hist.G.IsHead(d.m.loaded.hist.G.Index[rev.ID]) {
			t.Fatalf("press %d of h stopped on %s, not a head", k+1, rev.ID)
		}
	}
}

// TestEnterFocuses: enter focuses the selected revision (its ancestry is
// marked), enter again or esc clears it; enter does nothing outside History.
func TestEnterFocuses(t *testing.T) {
	d := newDriver(t, Config{Dirs: []string{fixture("branches")}}, 100, 30)
	d.selectRev("4d0000000004")
	d.press("enter")
	h := d.m.loaded.hist
	rev := h.Entries[d.m.panes.history().Cursor()].Rev
	focusRev, focusAnc := d.m.panes.history().Focus()
	if focusRev != rev {
		t.Fatalf("enter focused revision %d, want %d", focusRev, rev)
	}
	anc := func(id string) bool { return focusAnc[h.G.Index[id]] }
	if !anc("4d0000000004") || !anc("1a0000000001") || anc("6f0000000006") {
		t.Fatalf("the focused ancestry is wrong: 4d %v, 1a %v, 6f (another branch) %v",
			anc("4d0000000004"), anc("1a0000000001"), anc("6f0000000006"))
	}
	d.press("enter")
	if rev, _ := d.m.panes.history().Focus(); rev != -1 {
		t.Fatal("enter on the focused revision did not clear the focus")
	}
	d.press("enter", "esc")
	if rev, _ := d.m.panes.history().Focus(); rev != -1 {
		t.Fatal("esc did not clear the focus")
	}
	d.press("tab", "enter")
	if rev, _ := d.m.panes.history().Focus(); rev != -1 {
		t.Fatal("enter with the Detail pane focused focused a revision")
	}
}

// TestTabMovesFocus: tab goes History → Detail → Log → History, and the
// movement keys then scroll the focused pane instead of moving the cursor.
func TestTabMovesFocus(t *testing.T) {
	d := newDriver(t, Config{Dirs: []string{library}}, 80, 40)
	for k := range 40 {
		d.m = d.m.logf(pane.LogInfo, "line "+itoa(k))
	}
	d.press("G") // the base revision: the longest Detail pane of the library
	if d.m.detailPane().Wrapped() <= d.m.detailPane().Height {
		t.Fatalf("the Detail pane holds %d lines in %d rows: nothing to scroll", d.m.detailPane().Wrapped(), d.m.detailPane().Height)
	}
	cursor := d.m.panes.history().Cursor()
	for _, want := range []int{paneDetail, paneLog, paneHistory, paneDetail} {
		d.press("tab")
		if d.m.screen.focus != want {
			t.Fatalf("tab focused %s, want %s", d.m.paneName(d.m.screen.focus), d.m.paneName(want))
		}
	}
	d.press("j", "j")
	if d.m.detailPane().Offset() != 2 || d.m.panes.history().Cursor() != cursor {
		t.Fatalf("j j in Detail: offset %d (want 2), cursor %d (want %d)", d.m.detailPane().Offset(), d.m.panes.history().Cursor(), cursor)
	}
	d.press("tab")
	bottom := d.m.panes.log().Offset()
	d.press("k")
	if d.m.panes.log().Offset() != bottom-1 || d.m.panes.log().Follow() || d.m.panes.history().Cursor() != cursor {
		t.Fatalf("k in Log: offset %d (want %d), follow %v, cursor %d", d.m.panes.log().Offset(), bottom-1, d.m.panes.log().Follow(), d.m.panes.history().Cursor())
	}
	d.press("tab", "k")
	if d.m.panes.history().Cursor() != cursor-1 {
		t.Fatalf("k back in History moved the cursor to %d, want %d", d.m.panes.history().Cursor(), cursor-1)
	}
}

// TestKeyBurst: keys typed faster than the program reads them arrive as one
// KeyMsg with several runes; each is handled as the key it was, in order,
// and a key that opens an input hands it the rest. A paste is not keys.
func TestKeyBurst(t *testing.T) {
	s := startUI(t, Config{Dirs: []string{fixture("labels")}}, 100, 30)
	s.settle()
	burst := func(text string) { s.tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(text)}) }
	burst("jjj")
	s.waitModel("jjj to move three rows", func(m Model) bool { return m.panes.history().Cursor() == 3 })
	burst("kk")
	s.waitModel("kk to move two rows up", func(m Model) bool { return m.panes.history().Cursor() == 1 })
	s.tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jjj"), Paste: true})
	s.press("j")
	s.waitModel("the paste to be ignored and j to move one row", func(m Model) bool { return m.panes.history().Cursor() == 2 })

	burst("/f3")
	s.waitModel("/ to open the search and f3 to be its text", func(m Model) bool {
		return m.mode() == modeSearch && m.search.input.Value() == "f3"
	})
	burst("0000")
	s.waitModel("a burst typed into the search box", func(m Model) bool { return m.search.input.Value() == "f30000" })
	s.press("enter")
	m := s.waitModel("the search accepted", func(m Model) bool { return m.mode() == modeNormal })
	if rev := m.loaded.hist.Rev(m.panes.history().Cursor()); rev == nil || rev.ID != "f30000000003" {
		t.Fatalf("the search for f30000 selected %v", rev)
	}
}

// containsLine reports whether one of lines contains s.
func containsLine(lines []string, s string) bool {
	for _, l := range lines {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

// TestJumpToCurrentSaysWhy: when c has no current revision to go to, it
// says why: no database, its state not read (yet, or at all), an empty
// version table, or rows naming revisions no file defines.
func TestJumpToCurrentSaysWhy(t *testing.T) {
	g, err := revisions.Load(fixture("linear"))
	if err != nil {
		t.Fatal(err)
	}
	loaded := graphLoadedMsg{hist: pane.Build(g, []string{fixture("linear")})}
	start := func(cfg Config) tea.Model {
		cfg.Dirs, cfg.Now = []string{fixture("linear")}, fixedNow
		var m tea.Model = New(cfg)
		m, _ = m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
		m, _ = m.Update(loaded)
		return m
	}
	press := func(m tea.Model) string {
		m, _ = m.Update(keyMsg("c"))
		return m.(Model).notice.text
	}
	db := openDB(t, "sqlite:"+filepath.Join(t.TempDir(), "app.db"))
	withDB := start(Config{DB: db})
	failed, _ := withDB.Update(stateLoadedMsg{err: errors.New("disk I/O error")})
	empty, _ := withDB.Update(stateLoadedMsg{})
	unknown, _ := withDB.Update(stateLoadedMsg{rows: []string{"ffffffffffff"}})
	for _, c := range []struct {
		name string
		m    tea.Model
		want string
	}{
		{"without a database", start(Config{}), "no database"},
		{"before the state is read", withDB, "not known yet"},
		{"when the state could not be read", failed, "could not be read"},
		{"on an empty version table", empty, "the version table is empty"},
		{"on rows of unknown revisions", unknown, "ffffffffffff"},
	} {
		got := press(c.m)
		if !strings.Contains(got, c.want) {
			t.Errorf("c %s says %q, want it to say %q", c.name, got, c.want)
		}
		if c.want != "the version table is empty" && strings.Contains(got, "empty") {
			t.Errorf("c %s says the version table is empty: %q", c.name, got)
		}
	}
}
