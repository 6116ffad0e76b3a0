package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"retort/ui/confirm"
)

// TestActionRefusedWhileReloading presses r and then D before the reload
// answered: the graph the action would be planned on is about to be
// replaced, so D is refused with a notice that says why, and works again
// once the files are loaded.
func TestActionRefusedWhileReloading(t *testing.T) {
	dir := copyHistory(t, "linear")
	url := "sqlite:" + filepath.Join(t.TempDir(), "app.db")
	db := openDB(t, url)
	upgradeTo(t, db, dir, "head")
	d := newDriver(t, Config{Dirs: []string{dir}, DB: db}, 100, 30)
	d.selectRev("2b0000000002")
	reload := d.press("r")
	for _, k := range []string{"D", "d", "u", "U", "s", "p"} {
		if cmd := d.press(k); d.m.mode() == modeModal {
			t.Fatalf("%s opened the action modal while the files were being reloaded (command %v)", k, cmd != nil)
		}
		if !strings.Contains(d.m.notice.text, "being reloaded") {
			t.Fatalf("%s during a reload: notice %q does not say the files are being reloaded", k, d.m.notice.text)
		}
	}
	readState := d.update(msgOf[graphLoadedMsg](t, reload))
	d.update(msgOf[stateLoadedMsg](t, readState))
	plan := msgOf[planReadyMsg](t, d.press("D"))
	if d.m.mode() != modeModal {
		t.Fatalf("D after the reload did not open the modal; notice %q", d.m.notice.text)
	}
	d.update(plan)
	if d.m.actions.modal.Phase() != confirm.PhaseConfirm || d.m.actions.modal.Guard() != "2b0000000002" {
		t.Fatalf("after the reload, D shows phase %d with guard %q; want the plan guarded by 2b0000000002", d.m.actions.modal.Phase(), d.m.actions.modal.Guard())
	}
}

// TestPlanOfReloadedGraphRefused: D is planned on a graph of four
// revisions; before its plan is run, the files are reloaded with two of
// them gone (as `n`, `m` or the editor trigger). Whether the reload arrives
// before or after the plan, the plan is refused, nothing can run, and the
// UI does not index the new graph with the old graph's positions.
func TestPlanOfReloadedGraphRefused(t *testing.T) {
	for _, order := range []string{"reload then plan", "plan then reload"} {
		t.Run(order, func(t *testing.T) {
			dir := copyHistory(t, "linear")
			url := "sqlite:" + filepath.Join(t.TempDir(), "app.db")
			db := openDB(t, url)
			upgradeTo(t, db, dir, "head")
			d := newDriver(t, Config{Dirs: []string{dir}, DB: db}, 100, 30)
			d.selectRev("3c0000000003")
			plan := msgOf[planReadyMsg](t, d.press("D"))
			for _, f := range []string{"3c0000000003_seed_users.sql", "4d0000000004_add_the_user_name.sql"} {
				if err := os.Remove(filepath.Join(dir, f)); err != nil {
					t.Fatal(err)
				}
			}
			reloaded := loadGraphCmd([]string{dir})()
			if order == "reload then plan" {
				d.update(reloaded)
				d.update(plan)
			} else {
				d.update(plan)
				if d.m.actions.modal.Phase() != confirm.PhaseConfirm || d.m.actions.modal.Guard() != "3c0000000003" {
					t.Fatalf("the plan shows phase %d, guard %q; want the plan guarded by 3c0000000003", d.m.actions.modal.Phase(), d.m.actions.modal.Guard())
				}
				d.update(reloaded)
			}
			m := d.m
			if m.mode() != modeModal || m.actions.modal.Phase() != confirm.PhaseRefused {
				t.Fatalf("mode %d, phase %d: the plan of the replaced graph was not refused", m.mode(), m.actions.modal.Phase())
			}
			if body := plainBody(m.actions.modal); !strings.Contains(body, "reloaded") || !strings.Contains(body, "nothing ran") {
				t.Fatalf("the refusal does not say the files were reloaded:\n%s", body)
			}
			d.typeText("3c0000000003")
			d.press("enter")
			if d.m.actions.run != nil {
				t.Fatal("the stale plan started running")
			}
			requireRows(t, url, "4d0000000004")
			if d.m.mode() != modeNormal {
				t.Fatalf("enter did not close the refused modal (mode %d)", d.m.mode())
			}
		})
	}
}

// plainBody is the modal's body as text.
func plainBody(m confirm.Model) string {
	var b strings.Builder
	for _, l := range m.Body() {
		b.WriteString(l.Plain() + "\n")
	}
	return b.String()
}

// addHead writes a revision on top of linear's head (4d0000000004), so
// that every row of the history moves one down.
func addHead(t *testing.T, dir string) {
	t.Helper()
	src := "-- Revision ID: 5e0000000005\n-- Revises: 4d0000000004\n-- Create Date: 2026-01-09 09:00:00\n-- Message: add the user phone\n\n" +
		"-- +upgrade\nALTER TABLE users ADD COLUMN phone VARCHAR(20);\n\n-- +downgrade\nALTER TABLE users DROP COLUMN phone;\n"
	if err := os.WriteFile(filepath.Join(dir, "5e0000000005_add_the_user_phone.sql"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestSearchFollowsReload: the matches of a search are found again in a
// reloaded history (one that gained a revision above them), so that ] goes
// to the revision that matched, not to the row it had; and esc while typing
// goes back to the revision the search started on.
func TestSearchFollowsReload(t *testing.T) {
	dir := copyHistory(t, "linear")
	d := newDriver(t, Config{Dirs: []string{dir}}, 100, 30)
	d.selectRev("2b0000000002") // the search for 2b0000000002 is kept
	addHead(t, dir)
	d.update(msgOf[graphLoadedMsg](t, d.press("r")))
	if d.m.loaded.hist.Len() != 5 {
		t.Fatalf("the reload read %d revisions, want 5", d.m.loaded.hist.Len())
	}
	d.press("g", "]")
	if rev := d.m.loaded.hist.Rev(d.m.panes.history().Cursor()); rev == nil || rev.ID != "2b0000000002" {
		t.Fatalf("] after the reload selected %v, want 2b0000000002", rev)
	}
	if info := d.m.panes.history().Info(); !strings.HasPrefix(info, "match 1/1") {
		t.Errorf("the History border says %q, want match 1/1", info)
	}

	// A reload that lands while the search is being typed.
	dir = copyHistory(t, "linear")
	d = newDriver(t, Config{Dirs: []string{dir}}, 100, 30)
	d.press("j") // 3c0000000003
	d.press("/")
	d.typeText("1a00")
	addHead(t, dir)
	d.update(loadGraphCmd([]string{dir})())
	d.press("ctrl+n") // wraps around to the only match
	if rev := d.m.loaded.hist.Rev(d.m.panes.history().Cursor()); rev == nil || rev.ID != "1a0000000001" {
		t.Fatalf("ctrl+n after the reload selected %v, want 1a0000000001", rev)
	}
	d.press("esc")
	if rev := d.m.loaded.hist.Rev(d.m.panes.history().Cursor()); d.m.mode() != modeNormal || rev == nil || rev.ID != "3c0000000003" {
		t.Fatalf("esc after the reload went back to %v (mode %d), want 3c0000000003 where the search began", rev, d.m.mode())
	}
}
