package ui

import (
	"slices"
	"testing"

	"retort/ui/confirm"
)

// TestUpgradeStepByStep presses u four times on a linear history: each
// press shows a one-step plan, enter runs it, and the version table moves
// one revision at a time.
func TestUpgradeStepByStep(t *testing.T) {
	for name, newURL := range databases(t) {
		t.Run(name, func(t *testing.T) {
			url := newURL(t)
			s := startUI(t, Config{Dirs: []string{fixture("linear")}, DB: openDB(t, url)}, 100, 30)
			s.settle()
			for _, want := range []string{"1a0000000001", "2b0000000002", "3c0000000003", "4d0000000004"} {
				s.press("u")
				m := s.waitModel("the plan of u", modalAt(confirm.PhaseConfirm))
				if len(m.actions.modal.Plan().Steps) != 1 || m.actions.modal.Guard() != "" {
					t.Fatalf("u planned %d steps (guard %q), want one unguarded step", len(m.actions.modal.Plan().Steps), m.actions.modal.Guard())
				}
				s.press("enter")
				s.waitModel("the step to run", modalAt(confirm.PhaseDone))
				s.press("esc")
				s.waitModel("the rows "+want, stateRows(want))
				requireRows(t, url, want)
			}
			m := s.quit()
			if !logHas(m, "add the user name") || !logHas(m, "ALTER TABLE users ADD COLUMN name") {
				t.Fatalf("the log misses the last step's statement:\n%s", m.panes.log().Text())
			}
		})
	}
}

// TestGuardedDowngrade: D shows every step and its SQL, and nothing runs
// until the target's id is typed; a wrong id (with letters that are keys
// elsewhere) keeps the modal open and the database where it was.
func TestGuardedDowngrade(t *testing.T) {
	for name, newURL := range databases(t) {
		t.Run(name, func(t *testing.T) {
			url := newURL(t)
			db := openDB(t, url)
			upgradeTo(t, db, fixture("linear"), "head")
			s := startUI(t, Config{Dirs: []string{fixture("linear")}, DB: db}, 100, 30)
			s.settle()
			s.selectRev("2b0000000002")
			s.press("D")
			m := s.waitModel("the downgrade plan", modalAt(confirm.PhaseConfirm))
			if m.actions.modal.Guard() != "2b0000000002" || m.actions.modal.Destructive() != 2 {
				t.Fatalf("guard %q, %d destructive statements; want 2b0000000002 and 2", m.actions.modal.Guard(), m.actions.modal.Destructive())
			}
			s.press("enter") // nothing typed
			s.typeText("2b0000000003dq")
			s.press("enter")
			m = s.waitModel("the wrong id refused", func(m Model) bool {
				return m.actions.modal.Wrong() != "" && m.actions.modal.Typed().Value() == "2b0000000003dq"
			})
			if m.actions.modal.Phase() != confirm.PhaseConfirm || m.actions.run != nil {
				t.Fatalf("a wrong id left the modal in phase %d", m.actions.modal.Phase())
			}
			requireRows(t, url, "4d0000000004")
			s.press("ctrl+u")
			s.typeText("2b0000000002")
			s.press("enter")
			s.waitModel("the downgrade to run", modalAt(confirm.PhaseDone))
			requireRows(t, url, "2b0000000002")
			s.press("esc")
			s.waitModel("the rows 2b0000000002", stateRows("2b0000000002"))
		})
	}
}

// TestEscCancels: esc on the plan of an upgrade and of a downgrade closes
// the modal and leaves the database untouched.
func TestEscCancels(t *testing.T) {
	for name, newURL := range databases(t) {
		t.Run(name, func(t *testing.T) {
			url := newURL(t)
			db := openDB(t, url)
			upgradeTo(t, db, fixture("linear"), "2b0000000002")
			s := startUI(t, Config{Dirs: []string{fixture("linear")}, DB: db}, 100, 30)
			s.settle()
			s.press("U")
			s.waitModel("the upgrade plan", modalAt(confirm.PhaseConfirm))
			s.press("esc")
			s.waitModel("the modal closed", func(m Model) bool { return m.mode() == modeNormal })
			s.selectRev("1a0000000001")
			s.press("D")
			s.waitModel("the downgrade plan", modalAt(confirm.PhaseConfirm))
			s.typeText("1a0000000001")
			s.press("esc")
			m := s.waitModel("the modal closed", func(m Model) bool { return m.mode() == modeNormal })
			if !logHas(m, "cancelled: nothing ran") {
				t.Fatal("the log does not say the action was cancelled")
			}
			requireRows(t, url, "2b0000000002")
			if m = s.quit(); m.actions.run != nil {
				t.Fatal("a run was started")
			}
		})
	}
}

// TestStamp: s on a revision shows the stamp's plan, which changes the
// version table only; enter runs it. On an empty database, stamping 2b
// creates none of the tables 1a and 2b create; stamping back down to 1a
// succeeds although 2b's downgrade (DROP TABLE users) would fail; and the
// next upgrade runs from the stamped revision.
func TestStamp(t *testing.T) {
	for name, newURL := range databases(t) {
		t.Run(name, func(t *testing.T) {
			url := newURL(t)
			s := startUI(t, Config{Dirs: []string{fixture("linear")}, DB: openDB(t, url)}, 100, 30)
			s.settle()
			// A stamp up runs with enter; a stamp back down, which drops
			// revisions from the version table, wants the id typed.
			stamp := func(id, guard string) Model {
				t.Helper()
				s.selectRev(id)
				s.press("s")
				m := s.waitModel("the stamp plan", modalAt(confirm.PhaseConfirm))
				if p := m.actions.modal.Plan(); p.Command != "stamp" || !slices.Equal(p.Final, []string{id}) || m.actions.modal.Guard() != guard {
					t.Fatalf("s planned %s to %v (guard %q); want a stamp of %s guarded by %q", p.Command, p.Final, m.actions.modal.Guard(), id, guard)
				}
				s.typeText(guard)
				s.press("enter")
				s.waitModel("the stamp to run", modalAt(confirm.PhaseDone))
				s.press("esc")
				m = s.waitModel("the rows "+id, stateRows(id))
				requireRows(t, url, id)
				return m
			}
			stamp("2b0000000002", "")
			requireTables(t, url, map[string]bool{"core": false, "users": false})
			m := stamp("1a0000000001", "1a0000000001")
			requireTables(t, url, map[string]bool{"core": false, "users": false})
			if logHas(m, "DROP TABLE") {
				t.Fatalf("stamping down ran a downgrade:\n%s", m.panes.log().Text())
			}

			s.selectRev("2b0000000002")
			s.press("u")
			s.waitModel("the upgrade plan", modalAt(confirm.PhaseConfirm))
			s.press("enter")
			s.waitModel("the upgrade to run", modalAt(confirm.PhaseDone))
			s.press("esc")
			s.waitModel("the rows 2b0000000002", stateRows("2b0000000002"))
			requireTables(t, url, map[string]bool{"core": false, "users": true})
		})
	}
}
