package ui

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"retort/ui/confirm"
)

// stepLogs are a plan's steps as Alembic's short log lines.
func stepLogs(m Model) []string {
	var out []string
	if m.actions.modal.Plan() == nil {
		return nil
	}
	for _, s := range m.actions.modal.Plan().Steps {
		out = append(out, s.ShortLog())
	}
	return out
}

// planOf presses key on the revision id and waits for its plan (or its
// refusal).
func (s *session) planOf(id, key string) Model {
	s.t.Helper()
	s.selectRev(id)
	s.press(key)
	return s.waitModel("the plan of "+key+" on "+id, func(m Model) bool {
		return m.mode() == modeModal && (m.actions.modal.Phase() == confirm.PhaseConfirm || m.actions.modal.Phase() == confirm.PhaseRefused)
	})
}

// TestActOnOneBranch: with two version rows (one on each branch of the
// branches fixture), u and d move the branch of the selected revision one
// step, with Alembic's plan for `<rev>@+1` and `<rev>@-1`, and the modal's
// title names the branch. On a revision below where the branches part,
// they say in words why they cannot choose.
func TestActOnOneBranch(t *testing.T) {
	for name, newURL := range databases(t) {
		t.Run(name, func(t *testing.T) {
			url := newURL(t)
			db := openDB(t, url)
			upgradeTo(t, db, fixture("branches"), "4d0000000004")
			upgradeTo(t, db, fixture("branches"), "6f0000000006")
			s := startUI(t, Config{Dirs: []string{fixture("branches")}, DB: db}, 120, 36)
			s.settle()

			// u on the files branch's current revision: one step on files.
			m := s.planOf("6f0000000006", "u")
			if got := stepLogs(m); !slices.Equal(got, []string{"upgrade 6f0000000006 -> 7a0000000007"}) {
				t.Fatalf("u on 6f planned %q (refusal %q)", got, plainLines(m.actions.modal.Body()))
			}
			if title := m.actions.modal.Title(); !strings.Contains(title, "Upgrade one step · branch files") {
				t.Errorf("the title does not name the branch: %q", title)
			}
			s.press("enter")
			s.waitModel("the step to run", modalAt(confirm.PhaseDone))
			s.press("esc")
			s.waitModel("the rows 4d and 7a", stateRows("4d0000000004", "7a0000000007"))
			requireRows(t, url, "4d0000000004", "7a0000000007")

			// d on a revision of the records branch below its current one:
			// that branch goes one step down, guarded.
			m = s.planOf("3c0000000003", "d")
			if got := stepLogs(m); !slices.Equal(got, []string{"downgrade 4d0000000004 -> 3c0000000003"}) {
				t.Fatalf("d on 3c planned %q (refusal %q)", got, plainLines(m.actions.modal.Body()))
			}
			if title := m.actions.modal.Title(); !strings.Contains(title, "Downgrade one step · branch records") {
				t.Errorf("the title does not name the branch: %q", title)
			}
			if g := m.actions.modal.Guard(); g != "3c0000000003" {
				t.Fatalf("the downgrade asks for %q", g)
			}
			s.typeText("3c0000000003")
			s.press("enter")
			s.waitModel("the step to run", modalAt(confirm.PhaseDone))
			s.press("esc")
			s.waitModel("the rows 3c and 7a", stateRows("3c0000000003", "7a0000000007"))
			requireRows(t, url, "3c0000000003", "7a0000000007")

			// d on the files branch's current revision: files goes down,
			// records stays (the plan of d on a revision's parent would
			// have taken records' step first).
			m = s.planOf("7a0000000007", "d")
			if got := stepLogs(m); !slices.Equal(got, []string{"downgrade 7a0000000007 -> 6f0000000006"}) {
				t.Fatalf("d on 7a planned %q (refusal %q)", got, plainLines(m.actions.modal.Body()))
			}
			s.press("esc")
			s.waitModel("the modal closed", func(m Model) bool { return m.mode() == modeNormal })

			// Below where the branches part, u and d cannot choose a
			// branch, and say so in words.
			for _, k := range []string{"u", "d"} {
				m = s.planOf("2b0000000002", k)
				body := strings.Join(plainLines(m.actions.modal.Body()), " ")
				if m.actions.modal.Phase() != confirm.PhaseRefused || !strings.Contains(body, "2b0000000002 is below where") ||
					!strings.Contains(body, "3c0000000003") || strings.Contains(body, "Ambiguous") || strings.Contains(body, "@-1") {
					t.Fatalf("%s on 2b: phase %d, %q", k, m.actions.modal.Phase(), body)
				}
				s.press("esc")
				s.waitModel("the modal closed", func(m Model) bool { return m.mode() == modeNormal })
			}
			requireRows(t, url, "3c0000000003", "7a0000000007")
		})
	}
}

// TestStampBackIsGuarded: a stamp that takes revisions out of the version
// table (without running their downgrades) lists them and runs only once
// the stamped revision's id is typed, like a downgrade.
func TestStampBackIsGuarded(t *testing.T) {
	for name, newURL := range databases(t) {
		t.Run(name, func(t *testing.T) {
			url := newURL(t)
			db := openDB(t, url)
			upgradeTo(t, db, fixture("branches"), "4d0000000004")
			upgradeTo(t, db, fixture("branches"), "7a0000000007")
			s := startUI(t, Config{Dirs: []string{fixture("branches")}, DB: db}, 120, 36)
			s.settle()
			m := s.planOf("2b0000000002", "s")
			if m.actions.modal.Guard() != "2b0000000002" || !m.actions.modal.Typing() {
				t.Fatalf("the stamp back down asks for %q (typing %t)", m.actions.modal.Guard(), m.actions.modal.Typing())
			}
			body := strings.Join(plainLines(m.actions.modal.Body()), "\n")
			if !strings.Contains(body, "no longer count these 4 revision(s) as applied") {
				t.Fatalf("the modal does not say what the stamp drops:\n%s", body)
			}
			for _, id := range []string{"3c0000000003", "4d0000000004", "6f0000000006", "7a0000000007"} {
				if !strings.Contains(body, id) {
					t.Errorf("the list of dropped revisions misses %s:\n%s", id, body)
				}
			}
			if view := m.View(); !strings.Contains(view, "Type 2b0000000002 to stamp:") {
				t.Errorf("the prompt does not ask for the id:\n%s", view)
			}
			s.press("enter") // nothing typed: refused
			s.typeText("y")
			s.press("enter") // y is text here, and wrong
			s.waitModel("the wrong id refused", func(m Model) bool { return m.actions.modal.Wrong() != "" })
			requireRows(t, url, "4d0000000004", "7a0000000007")
			s.press("ctrl+u")
			s.typeText("2b0000000002")
			s.press("enter")
			s.waitModel("the stamp to run", modalAt(confirm.PhaseDone))
			s.press("esc")
			s.waitModel("the rows 2b", stateRows("2b0000000002"))
			requireRows(t, url, "2b0000000002")

			// A stamp up drops nothing and runs with enter.
			m = s.planOf("9c0000000009", "s")
			if m.actions.modal.Guard() != "" {
				t.Fatalf("a stamp up asks for %q", m.actions.modal.Guard())
			}
		})
	}
}

// TestGuardAsShown: at 80 columns the History shows ids of eight
// characters; the downgrade asks for the id as shown there, and takes it
// (the twelve-character and the full id too).
func TestGuardAsShown(t *testing.T) {
	for _, typed := range []string{"2b000000", "2b0000000002"} {
		t.Run(typed, func(t *testing.T) {
			url := "sqlite:" + filepath.Join(t.TempDir(), "app.db")
			db := openDB(t, url)
			upgradeTo(t, db, fixture("linear"), "head")
			s := startUI(t, Config{Dirs: []string{fixture("linear")}, DB: db}, 80, 24)
			s.settle()
			m := s.planOf("2b0000000002", "D")
			if got := m.panes.history().IDWidth(); got != 8 {
				t.Fatalf("the History shows ids of %d characters at 80 columns, want 8", got)
			}
			if g := m.actions.modal.Guard(); g != "2b000000" {
				t.Fatalf("the downgrade asks for %q, not the id as the History shows it", g)
			}
			if !strings.Contains(m.View(), "Type 2b000000 to downgrade:") {
				t.Fatalf("the prompt:\n%s", m.View())
			}
			s.typeText(typed)
			s.press("enter")
			s.waitModel("the downgrade to run", modalAt(confirm.PhaseDone))
			requireRows(t, url, "2b0000000002")
		})
	}
}
