package reviewview

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"retort/models"
	"retort/pgparse/pgparsetest"
	"retort/review"
	"retort/revisions"
	"retort/ui/pane"
	"retort/ui/pane/panetest"
	"retort/ui/theme"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

func now() time.Time { return time.Date(2026, 11, 24, 16, 2, 11, 0, time.UTC) }

// open starts the review of target in g, sized w x h.
func open(t *testing.T, g *models.Graph, target review.Target, ascii bool, w, h int) (Model, tea.Cmd) {
	t.Helper()
	c := &pane.Context{Styles: theme.New(ascii), Now: now}
	m, cmd := New(c, Deps{Ctx: context.Background(), Graph: g, Target: target, Parser: pgparsetest.New(t), Path: filepath.Base})
	p := m.SetSize(w, h).SetFocus(true)
	return p.(Model), cmd
}

// done runs the review to its end.
func done(t *testing.T, m Model, cmd tea.Cmd) (Model, []pane.NoticeMsg) {
	t.Helper()
	p, said := panetest.Drive(t, m, cmd, 30*time.Second, func(p pane.Pane) bool { return p.(Model).Done() })
	return p.(Model), said
}

func library(t *testing.T) *models.Graph {
	t.Helper()
	g, err := revisions.Load(filepath.Join("..", "..", "examples", "library"))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// key sends a key to the view.
func press(m Model, k string) Model {
	msg := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
	switch k {
	case "enter":
		msg = tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		msg = tea.KeyMsg{Type: tea.KeyEsc}
	case "right":
		msg = tea.KeyMsg{Type: tea.KeyRight}
	case "down":
		msg = tea.KeyMsg{Type: tea.KeyDown}
	}
	p, _ := m.Update(msg)
	return p.(Model)
}

func screen(m Model) string { return strings.Join(m.View(), "\n") }

// TestLibraryMergeView: the example's merge at 80x24 (the body's inner
// 76x20): progress first, then both branches side by side, the shared
// objects marked with a glyph, the cursor on the first; enter shows that
// object's statements on each side, esc goes back, esc again closes.
func TestLibraryMergeView(t *testing.T) {
	g := library(t)
	target, err := review.MergeTarget(g, g.Index["e4c229aa293c"])
	if err != nil {
		t.Fatal(err)
	}
	m, cmd := open(t, g, target, false, 76, 20)
	if s := screen(m); !strings.Contains(s, "Reviewing the branches…") || !strings.Contains(s, "elapsed 0.0 s") {
		t.Errorf("before the analysis ends:\n%s", s)
	}
	if m.Title(60) != "Review · merge e4c229aa293c" {
		t.Errorf("title %q", m.Title(60))
	}
	m, said := done(t, m, cmd)
	if m.Err() != nil || len(m.Review().Shared) != 2 {
		t.Fatalf("review: %v, %+v", m.Err(), m.Review())
	}
	if len(said) != 1 || said[0].Kind != pane.LogWarn || !strings.HasPrefix(said[0].Text, "review: 2 objects touched by more than one branch (") {
		t.Errorf("notices %+v", said)
	}
	lines := m.View()
	if len(lines) != 20 {
		t.Fatalf("%d lines", len(lines))
	}
	for k, l := range lines {
		if w := lipgloss.Width(l); w != 76 {
			t.Errorf("line %d is %d wide: %q", k, w, l)
		}
	}
	s := screen(m)
	for _, want := range []string{
		"merge e4c229aa293c  merge catalog and circulation",
		"common ancestor 9126f322cb13 move documents out of records_metadata",
		"⚠ 2 objects shared: table items, table records_metadata",
		"│ bb59f895577c (circulation) · 8 revis",
		" ⚠ table records_metadata use,write ",
		"   table items create,write ",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("the view lacks %q:\n%s", want, s)
		}
	}
	if !strings.HasPrefix(lines[3], "▸ a9012647d928 (catalog)") {
		t.Errorf("the focused column is not marked: %q", lines[3])
	}
	c := m.cols[m.focus]
	if it := c.items[c.cursor]; !it.flagged || it.rev.ID != "086c81ed55b1" || it.obj.Name != "records_metadata" {
		t.Fatalf("the cursor is on %+v, want the first flagged object", it)
	}
	m = press(m, "enter")
	s = screen(m)
	var all []string
	for _, l := range m.detail.wrapped {
		all = append(all, strings.TrimRight(l.Plain(), " "))
	}
	text := strings.Join(all, "\n")
	if !strings.Contains(m.Title(80), "table records_metadata") || !strings.Contains(s, "⚠ shared: 2 branches touch it") ||
		!strings.Contains(text, "7563ba6d7561  7563ba6d7561_move_items_out_of_records_metadata.sql:18  use\n") ||
		!strings.Contains(text, "086c81ed55b1_move_holdings_out_of_records_metadata.sql:23\n    write\n") ||
		!strings.Contains(text, "DELETE FROM records_metadata WHERE record_type = 'holding'") {
		t.Errorf("the statements of records_metadata:\n%s", text)
	}
	if !strings.Contains(text, ":25\n    write  (the other branches have it too)") {
		t.Errorf("7563ba6d7561, which circulation depends on, is not marked:\n%s", text)
	}
	if m.Info() == "" {
		t.Errorf("the statements are longer than the view: the border should say how far they are scrolled")
	}
	m = press(m, "G")
	if s = screen(m); !strings.Contains(s, "DELETE FROM records_metadata WHERE record_type = 'loan'") || !strings.HasSuffix(m.Info(), "/"+itoa(len(all))) {
		t.Errorf("scrolled to the end (%s), circulation's last statement:\n%s", m.Info(), s)
	}
	m = press(m, "esc")
	if m.detail != nil || m.Closed() {
		t.Fatal("esc should go back to the columns")
	}
	if m = press(m, "esc"); !m.Closed() {
		t.Error("esc on the columns should close the view")
	}
}

// TestSharedObjectsWithoutColour: flagged objects carry a glyph (ASCII
// under --ascii), not only a colour; ] and [ move between them, through
// the columns.
func TestSharedObjectsWithoutColour(t *testing.T) {
	g := library(t)
	target, err := review.MergeTarget(g, g.Index["e4c229aa293c"])
	if err != nil {
		t.Fatal(err)
	}
	m, cmd := open(t, g, target, true, 76, 20)
	m, _ = done(t, m, cmd)
	s := screen(m)
	if strings.ContainsFunc(s, func(r rune) bool { return r > 127 }) || !strings.Contains(s, "! 2 objects shared") || !strings.Contains(s, " ! table records_metadata use,write") ||
		!strings.Contains(s, "> a9012647d928 (catalog) | 8 revisi~ | bb59f895577c") {
		t.Errorf("--ascii:\n%s", s)
	}
	var visited []string
	for range 6 {
		m = press(m, "]")
		c := m.cols[m.focus]
		it := c.items[c.cursor]
		visited = append(visited, fmt.Sprintf("%d %s %s", m.focus, it.rev.ID[:4], it.obj.Name))
	}
	want := []string{"0 1729 records_metadata", "0 eeb4 items", "0 a901 items", "1 5406 records_metadata", "1 226f items", "1 226f records_metadata"}
	if strings.Join(visited, ", ") != strings.Join(want, ", ") {
		t.Errorf("] visits %v, want %v", visited, want)
	}
	if m = press(m, "]"); m.focus != 0 || m.cols[0].items[m.cols[0].cursor].rev.ID != "086c81ed55b1" {
		t.Error("] after the last shared object should wrap to the first")
	}
	if m = press(m, "["); m.focus != 1 {
		t.Error("[ should go back to the last")
	}
}

// TestColumnsScroll: three branches at 76 columns show two side by side;
// the border says which, and → scrolls to the third.
func TestColumnsScroll(t *testing.T) {
	dir := t.TempDir()
	for _, r := range []struct{ id, parents, up string }{
		{"a1", "", "CREATE TABLE t (id integer);"},
		{"b1", "a1", "ALTER TABLE t ADD COLUMN b integer;"},
		{"c1", "a1", "ALTER TABLE t ADD COLUMN c integer;"},
		{"d1", "a1", "CREATE TABLE u (id integer);"},
	} {
		text := fmt.Sprintf("-- Revision ID: %s\n-- Revises: %s\n-- Message: rev %s\n\n-- +upgrade\n%s\n", r.id, r.parents, r.id, r.up)
		if err := os.WriteFile(filepath.Join(dir, r.id+".sql"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	g, err := revisions.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	target, err := review.Targets(g, []string{"heads"})
	if err != nil {
		t.Fatal(err)
	}
	m, cmd := open(t, g, target, false, 76, 20)
	m, _ = done(t, m, cmd)
	if m.Info() != "branches 1-2/3" || !strings.Contains(screen(m), "b1 · 1 revision") || strings.Contains(screen(m), "d1 · 1 revision") {
		t.Errorf("info %q:\n%s", m.Info(), screen(m))
	}
	m = press(press(m, "right"), "right")
	if m.Info() != "branches 2-3/3" || !strings.Contains(screen(m), "▸ d1 · 1 revision") || strings.Contains(screen(m), "b1 · 1 revision") {
		t.Errorf("after → →: info %q:\n%s", m.Info(), screen(m))
	}
	if p := m.SetSize(120, 20).(Model); p.Info() != "" || !strings.Contains(screen(p), "b1 · 1 revision") {
		t.Errorf("at 120 columns all three fit:\n%s", screen(p))
	}
}

// TestCloseCancels: closing the view while the analysis runs stops it.
func TestCloseCancels(t *testing.T) {
	g := library(t)
	target, err := review.MergeTarget(g, g.Index["e4c229aa293c"])
	if err != nil {
		t.Fatal(err)
	}
	m, _ := open(t, g, target, false, 76, 20)
	m = press(m, "q")
	if !m.Closed() || !m.job.Cancelled() {
		t.Errorf("closed %v, job cancelled %v", m.Closed(), m.job.Cancelled())
	}
}
