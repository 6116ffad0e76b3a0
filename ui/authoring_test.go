package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestNewAndMerge writes a revision on a head with n, then merges it with
// the other head with space, space and m: both files are on disk and reload
// into the graph, with the new revision selected.
func TestNewAndMerge(t *testing.T) {
	dir := copyHistory(t, "labels")
	s := startUI(t, Config{Dirs: []string{dir}}, 100, 30)
	s.settle()
	s.selectRev("c30000000003")
	s.press("n")
	s.waitModel("the message prompt", func(m Model) bool { return m.mode() == modePrompt })
	s.typeText("add core groups")
	s.press("enter")
	m := s.waitModel("the new revision", func(m Model) bool { return settled(m) && m.loaded.hist.Len() == 7 })
	rev := m.loaded.hist.Rev(m.panes.history().Cursor())
	if rev == nil || rev.Message != "add core groups" || !slices.Equal(rev.Parents, []string{"c30000000003"}) {
		t.Fatalf("selected %+v, want the new revision on c30000000003", rev)
	}
	requireFile(t, dir, rev.ID+"_add_core_groups.sql")
	newID := rev.ID

	s.press("space")
	s.selectRev("f30000000003")
	s.press("space", "m")
	s.waitModel("the merge prompt", func(m Model) bool { return m.mode() == modePrompt })
	s.press("ctrl+u")
	s.typeText("merge core and files")
	s.press("enter")
	m = s.waitModel("the merge", func(m Model) bool { return settled(m) && m.loaded.hist.Len() == 8 })
	merge := m.loaded.hist.Rev(m.panes.history().Cursor())
	if merge == nil || merge.Message != "merge core and files" || len(m.loaded.hist.G.Heads) != 1 {
		t.Fatalf("selected %+v with %d heads, want the merge and one head", merge, len(m.loaded.hist.G.Heads))
	}
	if !slices.Equal(merge.Parents, []string{newID, "f30000000003"}) && !slices.Equal(merge.Parents, []string{"f30000000003", newID}) {
		t.Fatalf("merge parents %v, want %s and f30000000003", merge.Parents, newID)
	}
	requireFile(t, dir, merge.ID+"_merge_core_and_files.sql")
}

// TestMergeNeedsTwoHeads: m without two marked heads writes nothing.
func TestMergeNeedsTwoHeads(t *testing.T) {
	dir := copyHistory(t, "labels")
	s := startUI(t, Config{Dirs: []string{dir}}, 100, 30)
	s.settle()
	s.press("m")
	m := s.waitModel("the refusal", func(m Model) bool { return m.notice.text != "" })
	if m.mode() != modeNormal || !logHas(m, "mark at least two heads") {
		t.Fatalf("mode %d, notice %q", m.mode(), m.notice.text)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 6 {
		t.Fatalf("%d files in the versions directory, want the 6 it had", len(entries))
	}
}

func requireFile(t *testing.T, dir, name string) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
		entries, _ := os.ReadDir(dir)
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Fatalf("%s was not written: %v (directory holds %v)", name, err, names)
	}
}

// TestNewRevisionWithADatabase writes a revision while the database state
// is shown: the reload brings one more revision than the state it had was
// computed for, and the state is read again for the new graph, with the
// new revision pending.
func TestNewRevisionWithADatabase(t *testing.T) {
	dir := copyHistory(t, "labels")
	url := "sqlite:" + filepath.Join(t.TempDir(), "app.db")
	db := openDB(t, url)
	upgradeTo(t, db, dir, "c30000000003")
	s := startUI(t, Config{Dirs: []string{dir}, DB: db}, 100, 30)
	s.waitModel("the version rows", stateRows("c30000000003"))
	s.selectRev("c30000000003")
	s.press("n")
	s.waitModel("the message prompt", func(m Model) bool { return m.mode() == modePrompt })
	s.typeText("add core groups")
	s.press("enter")
	m := s.waitModel("the new revision and the state read again", func(m Model) bool {
		return settled(m) && m.loaded.hist.Len() == 7 && m.loaded.db != nil
	})
	rev := m.loaded.hist.Rev(m.panes.history().Cursor())
	if rev == nil || rev.Message != "add core groups" {
		t.Fatalf("selected %+v, want the new revision", rev)
	}
	if !slices.Equal(m.loaded.db.Rows, []string{"c30000000003"}) || !strings.Contains(m.View(), "add core groups") {
		t.Fatalf("rows %v; screen:\n%s", m.loaded.db.Rows, m.View())
	}
}

// TestAuthoringRefused: n and m write nothing into a history that did not
// load cleanly, with the CLI's message (`retort revision` refuses the
// same); e, n, m and r are refused while a run goes on, since each ends in
// a reload that would replace the graph under the run.
func TestAuthoringRefused(t *testing.T) {
	dir := copyHistory(t, "labels")
	broken := filepath.Join(dir, "ee0000000005_broken.sql")
	if err := os.WriteFile(broken, []byte("-- Message: no revision id\n-- +upgrade\nSELECT 1;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, Config{Dirs: []string{dir}}, 100, 30)
	if d.m.loaded.loadErr == nil {
		t.Fatal("the broken file loaded without an error")
	}
	d.selectRev("c30000000003")
	d.press("space")
	d.selectRev("f30000000003")
	d.press("space")
	for _, k := range []string{"n", "m"} {
		d.press(k)
		if d.m.mode() != modeNormal || !strings.Contains(d.m.notice.text, "fix the versions directory before adding a revision: ") ||
			!strings.Contains(d.m.notice.text, "ee0000000005_broken.sql") {
			t.Fatalf("%s in a broken history: mode %d, notice %q", k, d.m.mode(), d.m.notice.text)
		}
	}

	d = newDriver(t, Config{Dirs: []string{copyHistory(t, "labels")}}, 100, 30)
	d.selectRev("c30000000003")
	d.m.actions.run = &runState{} // as between the run's start and its end
	for _, k := range []string{"e", "n", "m", "r"} {
		d.m.notice = footerNotice{}
		d.press(k)
		if d.m.mode() != modeNormal || d.m.work.loading != 0 || d.m.notice.text != runInProgress {
			t.Fatalf("%s during a run: mode %d, %d loads, notice %q", k, d.m.mode(), d.m.work.loading, d.m.notice.text)
		}
	}
}

// TestNewBranch: n on a revision that is not a head says, in its prompt,
// that the revision it writes starts a new branch there (Alembic's
// --splice), and enter writes it: the history then has one head more.
func TestNewBranch(t *testing.T) {
	dir := copyHistory(t, "linear")
	s := startUI(t, Config{Dirs: []string{dir}}, 100, 30)
	s.settle()
	s.selectRev("2b0000000002")
	s.press("n")
	m := s.waitModel("the message prompt", func(m Model) bool { return m.mode() == modePrompt })
	if label := m.author.label; !strings.Contains(label, "new branch from 2b0000000002") || !strings.Contains(label, "not a head") {
		t.Fatalf("the prompt does not say it starts a branch: %q", label)
	}
	if footer := m.footerView(); !strings.Contains(footer, "new branch from 2b0000000002") {
		t.Fatalf("the footer does not show the prompt: %q", footer)
	}
	s.typeText("try another seed")
	s.press("enter")
	m = s.waitModel("the new revision", func(m Model) bool { return settled(m) && m.loaded.hist.Len() == 5 })
	rev := m.loaded.hist.Rev(m.panes.history().Cursor())
	if rev == nil || rev.Message != "try another seed" || !slices.Equal(rev.Parents, []string{"2b0000000002"}) {
		t.Fatalf("selected %+v, want the new revision on 2b0000000002", rev)
	}
	if n := len(m.loaded.hist.G.Heads); n != 2 {
		t.Fatalf("%d heads after starting a branch, want 2", n)
	}
	requireFile(t, dir, rev.ID+"_try_another_seed.sql")
}
