package ui

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"retort/engine"
	"retort/engine/pgtest"
	"retort/revisions"
	"retort/ui/confirm"
	"retort/ui/detail"
	"retort/ui/seg"
)

// TestMain fixes the colour profile (goldens are plain text) and answers
// the background question lipgloss would otherwise ask the terminal, then
// gives the tests a real PostgreSQL.
func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
	os.Exit(pgtest.Main(m))
}

// fixedNow is the clock of every test, so that log times are stable.
func fixedNow() time.Time { return time.Date(2026, 11, 24, 16, 2, 11, 0, time.UTC) }

// probe runs the real Model in a real tea.Program and publishes every state
// it reaches, so that tests wait on the model instead of on bytes of the
// renderer's output (which teatest's WaitFor consumes).
type probe struct {
	m    Model
	last *atomic.Pointer[Model]
}

func (p probe) Init() tea.Cmd { return p.m.Init() }

func (p probe) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	next, cmd := p.m.Update(msg)
	p.m = next.(Model)
	m := p.m
	p.last.Store(&m)
	return p, cmd
}

func (p probe) View() string { return p.m.View() }

// session is a running UI under teatest.
type session struct {
	t    *testing.T
	tm   *teatest.TestModel
	last *atomic.Pointer[Model]
}

func startUI(t *testing.T, cfg Config, w, h int) *session {
	t.Helper()
	return startPanes(t, cfg, defaultPanes(), w, h)
}

// startPanes is startUI with the panes listed in specs.
func startPanes(t *testing.T, cfg Config, specs []paneSpec, w, h int) *session {
	t.Helper()
	if cfg.Now == nil {
		cfg.Now = fixedNow
	}
	if cfg.LockPoll == 0 {
		cfg.LockPoll = time.Hour // one poll at start; tests quit long before the next
	}
	last := &atomic.Pointer[Model]{}
	tm := teatest.NewTestModel(t, probe{m: newModel(cfg, specs), last: last}, teatest.WithInitialTermSize(w, h))
	s := &session{t: t, tm: tm, last: last}
	t.Cleanup(func() { _ = tm.Quit() })
	return s
}

// waitModel waits until cond holds for the latest model and returns it.
func (s *session) waitModel(what string, cond func(Model) bool) Model {
	s.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if m := s.last.Load(); m != nil && cond(*m) {
			return *m
		}
		time.Sleep(5 * time.Millisecond)
	}
	m := s.last.Load()
	if m == nil {
		s.t.Fatalf("waiting for %s: the program never updated", what)
	}
	s.t.Fatalf("waiting for %s: not reached; screen:\n%s", what, m.View())
	return Model{}
}

// settled: files and database state loaded, nothing under way.
func settled(m Model) bool {
	return m.screen.ready && m.loaded.hist != nil && (m.cfg.DB == nil || (m.loaded.db != nil && m.lock.known)) && !m.busy()
}

func (s *session) settle() Model { s.t.Helper(); return s.waitModel("the UI to settle", settled) }

// press sends keys: single characters as runes, or names (enter, esc,
// ctrl+c, ctrl+u, up, down, space).
func (s *session) press(keys ...string) {
	for _, k := range keys {
		s.tm.Send(keyMsg(k))
	}
}

func keyMsg(k string) tea.KeyMsg {
	named := map[string]tea.KeyType{
		"enter": tea.KeyEnter, "esc": tea.KeyEsc, "ctrl+c": tea.KeyCtrlC, "ctrl+u": tea.KeyCtrlU,
		"up": tea.KeyUp, "down": tea.KeyDown, "tab": tea.KeyTab, "space": tea.KeySpace,
	}
	if t, ok := named[k]; ok {
		return tea.KeyMsg{Type: t}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// typeText types s one key at a time, as a user would.
func (s *session) typeText(text string) { s.tm.Type(text) }

// quit ends the program and returns the final model.
func (s *session) quit() Model {
	s.t.Helper()
	_ = s.tm.Quit()
	return s.tm.FinalModel(s.t, teatest.WithFinalTimeout(10*time.Second)).(probe).m
}

// selectRev moves the cursor to the revision with the given id through the
// search box, as a user would, and waits until it is there.
func (s *session) selectRev(id string) Model {
	s.t.Helper()
	s.press("/")
	s.typeText(id)
	s.press("enter")
	return s.waitModel("the cursor on "+id, func(m Model) bool {
		rev := m.loaded.hist.Rev(m.panes.history().Cursor())
		return m.mode() == modeNormal && rev != nil && rev.ID == id
	})
}

// copyHistory copies a fixture history into a temporary directory, for
// tests that write files.
func copyHistory(t *testing.T, name string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "versions")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join("testdata", "histories", name)
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func fixture(name string) string { return filepath.Join("testdata", "histories", name) }

// openDB opens url with the engine and closes it when the test ends.
func openDB(t *testing.T, url string, opts ...engine.Option) *engine.DB {
	t.Helper()
	db, err := engine.Open(context.Background(), url, opts...)
	if err != nil {
		t.Fatalf("opening %s: %v", url, err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// databases are the two kinds every driving test runs on: a fresh
// PostgreSQL database and a SQLite file.
func databases(t *testing.T) map[string]func(t *testing.T) string {
	return map[string]func(t *testing.T) string{
		"postgres": func(t *testing.T) string { return pgtest.NewDatabase(t) },
		"sqlite":   func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "app.db") },
	}
}

// upgradeTo moves the database to target outside the UI, with the engine.
func upgradeTo(t *testing.T, db *engine.DB, dir, target string) {
	t.Helper()
	g, err := revisions.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := db.Current(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	plan, err := revisions.Upgrade(g, rows, target)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Apply(context.Background(), plan, nil); err != nil {
		t.Fatalf("upgrading to %s: %v", target, err)
	}
}

// rowsOf reads the version rows through a connection of its own, so that
// the check does not go through the UI's.
func rowsOf(t *testing.T, url string) []string {
	t.Helper()
	db, err := engine.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Current(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func requireRows(t *testing.T, url string, want ...string) {
	t.Helper()
	got := rowsOf(t, url)
	if want == nil {
		want = []string{}
	}
	if got == nil {
		got = []string{}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("version rows = %v, want %v", got, want)
	}
}

// modalAt: the modal is open in the given phase.
func modalAt(p confirm.Phase) func(Model) bool {
	return func(m Model) bool { return m.mode() == modeModal && m.actions.modal.Phase() == p }
}

// logHas reports whether a log line contains s.
func logHas(m Model, s string) bool { return m.panes.log().Has(s) }

// stateRows: the UI shows these version rows.
func stateRows(want ...string) func(Model) bool {
	return func(m Model) bool {
		return settled(m) && m.mode() == modeNormal && m.loaded.db != nil && slices.Equal(m.loaded.db.Rows, want)
	}
}

// detailPane is the Detail pane.
func (m Model) detailPane() detail.Model {
	p, _ := find[detail.Model](m.panes)
	return p
}

// The panes' positions in the default list, and their names.
const (
	paneHistory = iota
	paneDetail
	paneLog
)

// paneName names the pane at position k.
func (m Model) paneName(k int) string { return m.panes.list[k].Title(0) }

// plainLines are lines without their styles.
func plainLines(ls []seg.Line) []string {
	out := make([]string, len(ls))
	for k, l := range ls {
		out[k] = l.Plain()
	}
	return out
}
