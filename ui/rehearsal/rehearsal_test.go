package rehearsal

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"retort/engine"
	"retort/models"
	"retort/rehearse"
	"retort/revisions"
	"retort/scratch"
	"retort/ui/pane"
	"retort/ui/pane/panetest"
	"retort/ui/theme"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

func now() time.Time { return time.Date(2026, 11, 24, 16, 2, 11, 0, time.UTC) }

// history is a table, then a2: up2 and down2.
func history(t *testing.T, up2, down2 string) *models.Graph {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"a1.sql": "-- Revision ID: a1\n-- Revises:\n-- Message: create t\n\n-- +upgrade\nCREATE TABLE t (id integer PRIMARY KEY);\n\n-- +downgrade\nDROP TABLE t;\n",
		"a2.sql": "-- Revision ID: a2\n-- Revises: a1\n-- Message: add \x1b[31mc\n\n-- +upgrade\n" + up2 + "\n\n-- +downgrade\n" + down2 + "\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	g, err := revisions.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// rehearsed opens the modal on revision id of g and runs it to its end.
func rehearsed(t *testing.T, g *models.Graph, id string, cfg scratch.Config, ascii bool) (Model, []pane.NoticeMsg) {
	t.Helper()
	c := &pane.Context{Styles: theme.New(ascii), Now: now}
	m, cmd := New(c, Deps{Ctx: context.Background(), Graph: g, Rev: g.Index[id], Scratch: cfg})
	if !strings.Contains(screen(m.SetSize(120, 30).(Model)), "Rehearsing in a scratch database (never the live one)") {
		t.Errorf("while it runs:\n%s", screen(m.SetSize(120, 30).(Model)))
	}
	p, said := panetest.Drive(t, m.SetSize(120, 30), cmd, time.Minute, func(p pane.Pane) bool { return p.(Model).Done() })
	return p.(Model), said
}

// addC adds a column.
const addC = "ALTER TABLE t ADD COLUMN c integer;"

func screen(m Model) string { return strings.Join(m.View(), "\n") }

// live is a SQLite database's URL that is never created.
func live(t *testing.T) scratch.Config {
	return scratch.Config{Live: "sqlite:" + filepath.Join(t.TempDir(), "live.db")}
}

// TestRoundTrip: a revision whose downgrade restores everything is ok,
// said in the log; the live database is never made.
func TestRoundTrip(t *testing.T) {
	g := history(t, addC, "ALTER TABLE t DROP COLUMN c;")
	cfg := live(t)
	m, said := rehearsed(t, g, "a2", cfg, false)
	if o := m.Outcome(); o == nil || o.Status != rehearse.RoundTrip {
		t.Fatalf("outcome %+v, %v", o, m.Err())
	}
	s := screen(m)
	for _, want := range []string{"✓ round-trip", "in a scratch sqlite database, removed after; the live database was not touched",
		"ok            a2  add ␛[31mc  ("} {
		if !strings.Contains(s, want) {
			t.Errorf("the modal lacks %q:\n%s", want, s)
		}
	}
	if len(said) != 1 || said[0].Kind != pane.LogOK || said[0].Text != "rehearsal of a2 in a scratch sqlite database: round-trip" {
		t.Errorf("notices %+v", said)
	}
	if _, err := os.Stat(strings.TrimPrefix(cfg.Live, "sqlite:")); !os.IsNotExist(err) {
		t.Errorf("the live database was made: %v", err)
	}
	if m.Title(60) != "Rehearse a2 · scratch database" {
		t.Errorf("title %q", m.Title(60))
	}
}

// TestDiffers: a downgrade that forgets the column shows DIFFERS and the
// exact difference, as `retort rehearse` prints it; ASCII only with
// --ascii.
func TestDiffers(t *testing.T) {
	g := history(t, "CREATE TABLE IF NOT EXISTS u (id integer);", "SELECT 1;")
	m, said := rehearsed(t, g, "a2", live(t), true)
	if o := m.Outcome(); o == nil || o.Status != rehearse.Differs {
		t.Fatalf("outcome %+v, %v", o, m.Err())
	}
	s := screen(m)
	want := strings.ReplaceAll(rehearse.Text(*m.Outcome()), "\x1b", "␛")
	for _, part := range []string{"x DIFFERS: see below what was not restored",
		"  the downgrade did not restore the schema (- before the upgrade, + after the downgrade):",
		"    + table u"} {
		if !strings.Contains(s, part) {
			t.Errorf("the modal lacks %q:\n%s", part, s)
		}
	}
	for _, l := range strings.Split(strings.TrimRight(want, "\n"), "\n") {
		if !strings.Contains(s, strings.TrimRight(strings.ReplaceAll(l, "\t", "    "), " ")) {
			t.Errorf("the modal lacks the outcome's line %q:\n%s", l, s)
		}
	}
	if strings.ContainsFunc(strings.ReplaceAll(s, "␛", ""), func(r rune) bool { return r > 127 }) {
		t.Errorf("--ascii, yet:\n%s", s)
	}
	if len(said) != 1 || said[0].Kind != pane.LogWarn || !strings.HasSuffix(said[0].Text, ": differs") {
		t.Errorf("notices %+v", said)
	}
}

// TestNoScratch: when no scratch database can be made (here, the one
// named is the live database), nothing runs and the modal says why.
func TestNoScratch(t *testing.T) {
	g := history(t, addC, "ALTER TABLE t DROP COLUMN c;")
	path := filepath.Join(t.TempDir(), "live.db")
	db, err := engine.Open(context.Background(), "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	m, said := rehearsed(t, g, "a2", scratch.Config{Live: "sqlite:" + path, URL: "sqlite:" + path}, false)
	s := screen(m)
	if m.Err() == nil || m.Outcome() != nil || !strings.Contains(s, "Not rehearsed: ") || !strings.Contains(s, "is the live database") ||
		!strings.Contains(s, "Nothing was run on the live database.") {
		t.Errorf("err %v:\n%s", m.Err(), s)
	}
	if len(said) != 1 || said[0].Kind != pane.LogErr || !strings.HasPrefix(said[0].Text, "rehearsal of a2 not run: ") {
		t.Errorf("notices %+v", said)
	}
}

// TestCloseStops: esc while it runs closes the modal and stops the
// rehearsal.
func TestCloseStops(t *testing.T) {
	g := history(t, addC, "ALTER TABLE t DROP COLUMN c;")
	c := &pane.Context{Styles: theme.New(false), Now: now}
	m, _ := New(c, Deps{Ctx: context.Background(), Graph: g, Rev: g.Index["a2"], Scratch: live(t)})
	p, _ := m.Update(tea.KeyMsg{Type: tea.KeyEsc})
	if m = p.(Model); !m.Closed() || !m.job.Cancelled() {
		t.Errorf("closed %v, job cancelled %v", m.Closed(), m.job.Cancelled())
	}
}
