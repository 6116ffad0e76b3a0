package ui

import (
	"path/filepath"
	"strings"
	"testing"

	"retort/ui/confirm"
)

// TestFailureLocation: a step refused because the version table moved
// behind the plan's back failed at no line of its file: the modal and the
// log name the file alone, never "line 0" (":0").
func TestFailureLocation(t *testing.T) {
	for name, newURL := range databases(t) {
		t.Run(name, func(t *testing.T) {
			url := newURL(t)
			db := openDB(t, url)
			upgradeTo(t, db, fixture("linear"), "3c0000000003")
			s := startUI(t, Config{Dirs: []string{fixture("linear")}, DB: db}, 120, 36)
			s.settle()
			s.planOf("4d0000000004", "u")
			// Another session moves the database while the plan is shown.
			upgradeTo(t, openDB(t, url), fixture("linear"), "4d0000000004")
			s.press("enter")
			m := s.waitModel("the run to fail", modalAt(confirm.PhaseDone))
			result := strings.Join(plainLines(m.actions.modal.Result()), "\n")
			path := filepath.Join(fixture("linear"), "4d0000000004_add_the_user_name.sql")
			if !strings.Contains(result, "changed behind the plan's back") || !strings.Contains(result, path) {
				t.Fatalf("the outcome does not say the table moved, in %s:\n%s", path, result)
			}
			for what, text := range map[string]string{"the outcome": result, "the log": m.panes.log().Text()} {
				if strings.Contains(text, path+":0") {
					t.Errorf("%s says line 0:\n%s", what, text)
				}
			}
		})
	}
}
