package ui

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"retort/engine"
	"retort/pgparse/pgparsetest"
	"retort/rehearse"
	"retort/scratch"
	"retort/ui/rehearsal"
	"retort/ui/reviewview"
)

// follow runs cmd and the commands the model returns after it, each in a
// goroutine as bubbletea does, handing the model their messages as they
// come, until done holds: a review or a rehearsal, which run in the
// background.
func (d *driver) follow(cmd tea.Cmd, done func(Model) bool) {
	d.t.Helper()
	msgs := make(chan tea.Msg)
	stop := make(chan struct{})
	defer close(stop)
	pending := 0
	run := func(c tea.Cmd) {
		if c == nil {
			return
		}
		pending++
		go func() {
			select {
			case msgs <- c():
			case <-stop:
			}
		}()
	}
	run(cmd)
	timeout := time.After(time.Minute)
	for !done(d.m) {
		if pending == 0 {
			d.t.Fatalf("nothing left to run, and not done:\n%s", d.m.View())
		}
		select {
		case msg := <-msgs:
			pending--
			if batch, ok := msg.(tea.BatchMsg); ok {
				for _, c := range batch {
					run(c)
				}
			} else if msg != nil {
				run(d.update(msg))
			}
		case <-timeout:
			d.t.Fatalf("not done after a minute:\n%s", d.m.View())
		}
	}
}

// rehearsalDone: the rehearsal modal is open and its rehearsal is over.
func rehearsalDone(m Model) bool {
	r, ok := m.modal.(rehearsal.Model)
	return ok && r.Done()
}

// reviewOpen: the review view is open and its analysis is done.
func reviewOpen(m Model) bool {
	v, ok := m.modal.(reviewview.Model)
	return ok && v.Done()
}

// TestReviewMerge: M on the example's merge opens the review view over
// the body: both branches side by side at 80x24, the shared tables marked;
// enter shows an object's statements, esc goes back, esc again closes it
// and the log says what the review found.
func TestReviewMerge(t *testing.T) {
	dir := filepath.Join("..", "examples", "library")
	s := startUI(t, Config{Dirs: []string{dir}, Parser: pgparsetest.New(t)}, 80, 24)
	s.settle()
	s.selectRev("e4c229aa293c")
	s.press("M")
	m := s.waitModel("the review", reviewOpen)
	v := m.modal.(reviewview.Model)
	if v.Err() != nil || len(v.Review().Shared) != 2 || m.mode() != modeModal {
		t.Fatalf("review %v, mode %d", v.Err(), m.mode())
	}
	scr := m.View()
	for _, want := range []string{"Review · merge e4c229aa293c", "⚠ 2 objects shared: table items, table records_metadata",
		"▸ a9012647d928 (catalog)", "│ bb59f895577c (circulation)", " ⚠ table records_metadata use,write", "enter statements"} {
		if !strings.Contains(scr, want) {
			t.Errorf("the screen lacks %q:\n%s", want, scr)
		}
	}
	if n := len(strings.Split(scr, "\n")); n != 24 {
		t.Errorf("%d lines at 80x24", n)
	}
	s.press("enter")
	m = s.waitModel("the statements", func(m Model) bool { return strings.Contains(m.View(), "⚠ shared: 2 branches touch it") })
	if !strings.Contains(m.View(), "Review · merge e4c229aa293c · table records_metadata") {
		t.Errorf("title:\n%s", m.View())
	}
	s.press("esc")
	s.waitModel("the columns again", func(m Model) bool { return reviewOpen(m) && strings.Contains(m.View(), "▸ a9012647d928") })
	s.press("esc")
	m = s.waitModel("the view closed", func(m Model) bool { return m.modal == nil && m.mode() == modeNormal })
	if !logHas(m, "reviewing the merge e4c229aa293c") || !logHas(m, "review: 2 objects touched by more than one branch") {
		t.Errorf("the log does not tell the review")
	}
}

// TestReviewMarkedHeads: with two heads marked (space), M reviews them,
// wherever the cursor is; on a revision that is no merge, without marks,
// it says what to do.
func TestReviewMarkedHeads(t *testing.T) {
	s := startUI(t, Config{Dirs: []string{fixture("labels")}, Parser: pgparsetest.New(t), ASCII: true}, 100, 30)
	s.settle()
	s.selectRev("c20000000002")
	s.press("M")
	m := s.waitModel("the refusal", func(m Model) bool { return m.notice.text != "" })
	if m.modal != nil || !logHas(m, noMerge) {
		t.Fatalf("M on c2 without marks: notice %q", m.notice.text)
	}
	s.selectRev("c30000000003")
	s.press("space")
	s.selectRev("f30000000003")
	s.press("space", "j", "M")
	m = s.waitModel("the review", reviewOpen)
	r := m.modal.(reviewview.Model).Review()
	if r.Merge != nil || strings.Join(r.Heads, ",") != "c30000000003,f30000000003" || len(r.Ancestors) != 0 {
		t.Fatalf("review of %v (merge %v), ancestors %v", r.Heads, r.Merge, r.Ancestors)
	}
	scr := m.View()
	for _, want := range []string{"Review | 2 heads", "no common ancestor: the branches start at different bases", "> c30000000003 (core) | 3 revisions"} {
		if !strings.Contains(scr, want) {
			t.Errorf("the screen lacks %q:\n%s", want, scr)
		}
	}
}

// TestRehearseKey: R rehearses the selected revision in a scratch
// database and shows the outcome; the live database is never touched. No
// scratch database: R is refused with a notice.
func TestRehearseKey(t *testing.T) {
	dir := filepath.Join("..", "examples", "library")
	live := "sqlite:" + filepath.Join(t.TempDir(), "live.db")
	db := openDB(t, live)
	upgradeTo(t, db, dir, "6104eb2df7b3")
	s := startUI(t, Config{Dirs: []string{dir}, DB: db, Scratch: &scratch.Config{Live: live}}, 120, 36)
	s.settle()
	s.selectRev("7563ba6d7561")
	s.press("R")
	m := s.waitModel("the rehearsal", rehearsalDone)
	o := m.modal.(rehearsal.Model).Outcome()
	if o == nil || o.Revision != "7563ba6d7561" || o.Status != rehearse.RoundTrip {
		t.Fatalf("outcome %+v", o)
	}
	for _, want := range []string{"Rehearse 7563ba6d7561 · scratch database", "✓ round-trip", "ok            7563ba6d7561  move items out of records_metadata"} {
		if !strings.Contains(m.View(), want) {
			t.Errorf("the screen lacks %q:\n%s", want, m.View())
		}
	}
	s.press("esc")
	m = s.waitModel("the modal closed", func(m Model) bool { return m.modal == nil })
	if !logHas(m, "rehearsal of 7563ba6d7561 in a scratch sqlite database: round-trip") {
		t.Error("the log does not say how the rehearsal went")
	}
	requireRows(t, live, "6104eb2df7b3")

	s2 := startUI(t, Config{Dirs: []string{dir}, DB: openDB(t, "sqlite://", engine.WithAudit(false))}, 120, 36)
	s2.settle()
	s2.press("R")
	m = s2.waitModel("the refusal", func(m Model) bool { return m.notice.text != "" })
	if m.modal != nil || !logHas(m, noScratch) {
		t.Errorf("R without a scratch database: notice %q", m.notice.text)
	}
}

// TestHelpListsReview: the help screen lists M and R, and the review
// view's keys beside them.
func TestHelpListsReview(t *testing.T) {
	s := startUI(t, Config{Dirs: []string{fixture("linear")}}, 160, 60)
	s.settle()
	s.press("?")
	m := s.waitModel("the help screen", func(m Model) bool { return m.mode() == modeHelp })
	scr := m.View()
	for _, want := range []string{"Review", "review merge/marked heads", "rehearse in a scratch db", "view: next/previous shared", "view: an object's statements"} {
		if !strings.Contains(scr, want) {
			t.Errorf("the help lacks %q:\n%s", want, scr)
		}
	}
}
