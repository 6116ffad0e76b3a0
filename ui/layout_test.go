package ui

import (
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"retort/engine"
	"retort/models"
	"retort/ui/confirm"
	"retort/ui/pane"
	"retort/ui/theme"
)

// Every frame fills the terminal exactly: as many lines as rows, each as
// wide as the terminal, at every size from the absurdly small to the large,
// on the main screen and the help screen. A line one cell too wide wraps in
// a real terminal and shifts everything below it.
func TestFramesFitTheTerminal(t *testing.T) {
	dir := filepath.Join("..", "examples", "library")
	db := openDB(t, "sqlite://", engine.WithAudit(false))
	upgradeTo(t, db, dir, "f0432a2ef6c7")
	s := startUI(t, Config{Dirs: []string{dir}, DB: db}, 120, 36)
	s.settle()
	s.selectRev("226fb0ba9c98")
	base := s.quit()
	sizes := [][2]int{{0, 0}, {1, 1}, {5, 3}, {10, 5}, {20, 8}, {40, 12}, {59, 15}, {60, 16}, {79, 23}, {80, 24}, {100, 30}, {120, 36}, {161, 49}, {250, 70}}
	for _, sz := range sizes {
		w, h := sz[0], sz[1]
		next, _ := base.Update(tea.WindowSizeMsg{Width: w, Height: h})
		checkFrame(t, "main", w, h, next.View())
		help, _ := next.Update(keyMsg("?"))
		checkFrame(t, "help", w, h, help.View())
	}
}

func checkFrame(t *testing.T, screen string, w, h int, view string) {
	t.Helper()
	if w == 0 || h == 0 {
		return // no size yet: anything short is fine, as long as it did not panic
	}
	lines := strings.Split(view, "\n")
	if len(lines) != h {
		t.Errorf("%s at %dx%d: %d lines, want %d", screen, w, h, len(lines), h)
	}
	for k, l := range lines {
		if got := ansi.StringWidth(l); got != w {
			t.Errorf("%s at %dx%d: line %d is %d wide: %q", screen, w, h, k, got, l)
			return
		}
	}
}

// longPostgres is a database URL as the status bar gets it from the
// engine: password masked, long host, query parameters.
const longPostgres = "postgres://migrations_admin:xxxxx@db-primary.eu-west-1.internal.example.com:5432/library_production?sslmode=require&application_name=retort"

// The status line degrades in order, database name first, and keeps the
// counts and the lock state visible at 80 columns.
func TestStatusLineDegrades(t *testing.T) {
	st := theme.New(false)
	p := statusParts{
		db:      longPostgres,
		current: []currentRow{{id: "c8c5115d28d0", labels: "circulation"}, {id: "f0432a2ef6c7", labels: "catalog"}},
		counts:  []string{"2 heads", "15 pending"},
		lock:    "lock free",
	}
	for _, c := range []struct {
		w          int
		want, gone []string
	}{
		{w: 250, want: []string{"retort", longPostgres, "c8c5115d28d0 (circulation), f0432a2ef6c7 (catalog)"}},
		{w: 200, want: []string{"retort", "postgres://db-primary.eu-west-1.internal.example.com/library_production", "(circulation)"},
			gone: []string{"xxxxx", "sslmode", "migrations_admin"}},
		{w: 160, want: []string{"retort", "postgres://db-primary.eu-west-1.internal.example.com/library_production", "c8c5115d28d0, f0432a2ef6c7"},
			gone: []string{"(circulation)"}},
		{w: 120, want: []string{"postgres://db-primary.eu-west-1.int…/library_production", "current c8c5115d, f0432a2e"}, gone: []string{"xxxxx", "retort"}},
		{w: 100, want: []string{"postgres://db-p…/library_production", "current c8c5115d, f0432a2e"}, gone: []string{"xxxxx", "retort"}},
		{w: 80, want: []string{"…/library_production", "current c8c5115d +1"}, gone: []string{"xxxxx"}},
		{w: 60, want: []string{"current c8c5115d +1"}, gone: []string{"xxxxx"}},
	} {
		got := statusText(st, p, c.w)
		if n := ansi.StringWidth(got); n > c.w {
			t.Errorf("at %d columns the line is %d wide: %q", c.w, n, got)
		}
		for _, s := range append([]string{"2 heads", "15 pending", "lock free"}, c.want...) {
			if !strings.Contains(got, s) {
				t.Errorf("at %d columns %q is missing from %q", c.w, s, got)
			}
		}
		for _, s := range c.gone {
			if strings.Contains(got, s) {
				t.Errorf("at %d columns %q should be gone from %q", c.w, s, got)
			}
		}
	}
	// A lock held by another session: who holds it is cut before the
	// current revision goes.
	p.lock = "lock held by pid 4711 app=retort since 16:01"
	for w, want := range map[int][]string{
		100: {p.lock, "current c8c5115d"},
		80:  {"lock held by pid 4711 app=retort", "current c8c5115d"},
		60:  {"lock held by", "current c8c5115d"},
	} {
		got := statusText(st, p, w)
		for _, s := range append([]string{"2 heads", "15 pending"}, want...) {
			if !strings.Contains(got, s) || ansi.StringWidth(got) > w {
				t.Errorf("at %d columns with the lock held: %q missing from %q", w, s, got)
			}
		}
	}
}

func TestShortDB(t *testing.T) {
	for in, want := range map[string]string{
		longPostgres:                   "postgres://db-primary.eu-west-1.internal.example.com/library_production",
		"postgresql+psycopg://u@h:1/d": "postgresql+psycopg://h/d",
		"sqlite:/tmp/x.db":             "sqlite:/tmp/x.db",
		"sqlite:///rel.db":             "sqlite:///rel.db",
		"host=db port=5432 user=app password=xxxxx dbname=lib": "db/lib",
	} {
		if got := shortDB(in); got != want {
			t.Errorf("shortDB(%q) = %q, want %q", in, got, want)
		}
	}
}

// The footer always shows how to get help and leave; the modal's always
// shows how to run and cancel; the help screen's how to close it.
func TestFooterKeepsEssentialKeys(t *testing.T) {
	for _, w := range []int{40, 60, 80, 100, 160} {
		var m tea.Model = New(Config{Now: fixedNow})
		m, _ = m.Update(tea.WindowSizeMsg{Width: w, Height: 24})
		footer := m.(Model).footerView()
		for _, s := range []string{"? help", "q quit"} {
			if !strings.Contains(footer, s) {
				t.Errorf("at %d columns the footer lacks %q: %q", w, s, footer)
			}
		}
		if w >= 80 && !strings.Contains(footer, "u up one") {
			t.Errorf("at %d columns the footer lacks the first action: %q", w, footer)
		}
		if ansi.StringWidth(footer) != w {
			t.Errorf("at %d columns the footer is %d wide", w, ansi.StringWidth(footer))
		}
		m, _ = m.Update(keyMsg("?"))
		if footer := m.(Model).footerView(); !strings.Contains(footer, "esc/? close help") {
			t.Errorf("at %d columns the help screen's footer lacks how to close it: %q", w, footer)
		}
	}
	st := theme.New(false)
	c := confirm.New(st, "Downgrade").ShowPlan(&models.Plan{}, &engine.Preview{}, confirm.Confirmation{Guard: "2b0000", Accept: []string{"2b0000000002"}})
	essential, more := c.ShortHelp()
	if got := keysLine(st, essential, more, true, 30); !strings.Contains(got, "enter run · esc cancel") {
		t.Errorf("the modal's footer at 30 columns: %q", got)
	}
}

// The footer's essential keys stay whole at every width they fit in, with
// or without a notice: on the main screen ? help and q quit at the end, in
// the modal its run and cancel keys and on the help screen how to close it
// at the start. A notice takes the place of the other keys.
func TestNoticeKeepsEssentialKeys(t *testing.T) {
	url := "sqlite:" + filepath.Join(t.TempDir(), "app.db")
	db := openDB(t, url)
	upgradeTo(t, db, fixture("linear"), "2b0000000002")
	d := newDriver(t, Config{Dirs: []string{fixture("linear")}, DB: db}, 100, 30)
	const notice = "session log written to /var/tmp/retort-logs/retort-20261124-160211.log"
	open := func(rev, key string) func() {
		return func() {
			d.selectRev(rev)
			d.update(msgOf[planReadyMsg](t, d.press(key)))
		}
	}
	screens := []struct {
		name string
		open func()
		keys []string
	}{
		{"main screen", func() {}, []string{"? help", "q quit"}},
		{"help screen", func() { d.press("?") }, []string{"esc/? close help"}},
		{"guarded downgrade", open("1a0000000001", "D"), []string{"enter run", "esc cancel"}},
		{"upgrade", open("3c0000000003", "u"), []string{"enter/y run", "esc/n cancel"}},
		{"preview", open("3c0000000003", "p"), []string{"enter/esc close"}},
	}
	for _, sc := range screens {
		for _, withNotice := range []bool{false, true} {
			d.update(tea.WindowSizeMsg{Width: 100, Height: 30})
			sc.open()
			d.m.notice = footerNotice{}
			if withNotice {
				d.m, _ = d.m.say(pane.LogOK, notice)
			}
			name := sc.name
			if withNotice {
				name += " with a notice"
			}
			for w := minWidth; w <= 200; w++ {
				d.update(tea.WindowSizeMsg{Width: w, Height: 30})
				footer := d.m.footerView()
				if n := ansi.StringWidth(footer); n != w {
					t.Errorf("%s at %d columns: the footer is %d wide: %q", name, w, n, footer)
				}
				need := ansi.StringWidth(" " + strings.Join(sc.keys, " · "))
				for _, k := range sc.keys {
					if w >= need && !strings.Contains(footer, k) {
						t.Errorf("%s at %d columns (%d needed): %q is missing from the footer %q", name, w, need, k, footer)
					}
				}
				if !withNotice {
					continue
				}
				if w >= need+20 && !strings.Contains(footer, "session log") {
					t.Errorf("%s at %d columns: the notice is missing from the footer %q", name, w, footer)
				}
				if w >= 200 && !strings.Contains(footer, notice) {
					t.Errorf("%s at %d columns: the notice is cut: %q", name, w, footer)
				}
			}
			d.press("esc")
		}
	}
}

// The help screen's legend of the modal says which keys do what where:
// in a downgrade's confirmation y and n are letters of the id being typed,
// not run and cancel.
func TestHelpLegendOfTheModal(t *testing.T) {
	var m tea.Model = New(Config{Now: fixedNow})
	m, _ = m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	all := allHelp(m.(Model), 76)
	for _, s := range []string{"esc/n", "enter/y"} {
		if strings.Contains(all, s) {
			t.Errorf("the help screen says %q, which is wrong in a guarded downgrade:\n%s", s, all)
		}
	}
	for _, s := range []string{"cancel, nothing runs", "y/n", "upgrade or a stamp"} {
		if !strings.Contains(all, s) {
			t.Errorf("the help screen lacks %q:\n%s", s, all)
		}
	}
}

// The help screen is taller than 80x24: it scrolls with the keys and the
// wheel, and its last note (how to close it) can be reached.
func TestHelpScrolls(t *testing.T) {
	var m tea.Model = New(Config{Now: fixedNow})
	m, _ = m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m, _ = m.Update(keyMsg("?"))
	view := m.View()
	if !strings.Contains(view, "Keys") || !strings.Contains(view, "Move") {
		t.Fatalf("the help screen:\n%s", view)
	}
	last := "esc, ? or q closes this screen."
	if strings.Contains(view, last) {
		t.Fatalf("the help screen fits 80x24 after all; this test wants one that scrolls:\n%s", view)
	}
	all := allHelp(m.(Model), 76)
	for _, s := range []string{"Detail and Log", "Confirmation modal", "type id", "Mouse", "wheel"} {
		if !strings.Contains(all, s) {
			t.Errorf("the help screen lacks %q", s)
		}
	}
	m, _ = m.Update(keyMsg("G"))
	view = m.View()
	if !strings.Contains(view, last) {
		t.Errorf("at the bottom of the help screen %q is missing:\n%s", last, view)
	}
	checkFrame(t, "help bottom", 80, 24, view)
	off := m.(Model).help.offset
	m, _ = m.Update(tea.MouseMsg{Button: tea.MouseButtonWheelUp, Action: tea.MouseActionPress})
	if got := m.(Model).help.offset; got != off-pane.WheelLines {
		t.Errorf("the wheel scrolled the help from %d to %d", off, got)
	}
	m, _ = m.Update(keyMsg("k"))
	if got := m.(Model).help.offset; got != off-pane.WheelLines-1 {
		t.Errorf("k scrolled the help from %d to %d", off-pane.WheelLines, got)
	}
	m, _ = m.Update(keyMsg("esc"))
	if m.(Model).mode() != modeNormal || m.(Model).help.offset != 0 {
		t.Errorf("esc left mode %d, offset %d", m.(Model).mode(), m.(Model).help.offset)
	}
}

// allHelp is the whole help screen of m at width w.
func allHelp(m Model, w int) string {
	return strings.Join(helpLines(m.ctx.Styles, m.help.model, helpGroups(m.keys, m.panes.list), w), "\n")
}
