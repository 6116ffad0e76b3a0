package ui

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"retort/engine/pgtest"
	"retort/revisions"
	"retort/ui/audit"
)

// failingRevision fails on its first statement.
const failingRevision = `-- Revision ID: aa00000000aa
-- Revises: 9c0000000009
-- Message: load the archive

-- +upgrade
INSERT INTO archive_that_does_not_exist VALUES (1);

-- +downgrade
SELECT 1;
`

// auditHistory is the branches fixture with a revision that fails on top,
// applied to url's database: upgrades of both branches, a stamp back down
// and up again, the head, and the failure; then the first revision's file
// changes (drift). It returns the versions directory.
func auditHistory(t *testing.T, url string) string {
	t.Helper()
	dir := copyHistory(t, "branches")
	if err := os.WriteFile(filepath.Join(dir, "aa00000000aa_load_the_archive.sql"), []byte(failingRevision), 0o644); err != nil {
		t.Fatal(err)
	}
	db := openDB(t, url)
	upgradeTo(t, db, dir, "4d0000000004")
	upgradeTo(t, db, dir, "7a0000000007")
	g, err := revisions.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	stamp := func(target string) {
		rows, err := db.Current(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		plan, err := revisions.Stamp(g, rows, []string{target}, false)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Apply(context.Background(), plan, nil); err != nil {
			t.Fatal(err)
		}
	}
	stamp("3c0000000003")
	stamp("4d0000000004")
	upgradeTo(t, db, dir, "9c0000000009")
	plan, err := revisions.Upgrade(g, []string{"9c0000000009"}, "aa00000000aa")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Apply(context.Background(), plan, nil); err == nil {
		t.Fatal("the failing revision ran")
	}
	first := filepath.Join(dir, "1a0000000001_create_core_tables.sql")
	b, err := os.ReadFile(first)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(first, append(b, "-- edited after it ran\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// auditView is the open audit log view.
func auditView(m Model) (audit.Model, bool) {
	a, ok := m.modal.(audit.Model)
	return a, ok
}

// shownRevisions are the revisions of the entries the view shows.
func shownRevisions(m Model) []string {
	a, _ := auditView(m)
	var out []string
	for _, e := range a.Shown() {
		out = append(out, e.Revision)
	}
	return out
}

// TestAuditLogView: a opens the audit log: every entry the engine logged,
// newest first, each with who ran it from where as which database user,
// how it ended and a mark for a file changed since; it filters by branch,
// revision and outcome; enter shows an entry with the SQL of its file, said
// to be what ran, or the file as it is now when it changed (drift); esc
// goes back, clears the filter, closes.
func TestAuditLogView(t *testing.T) {
	for name, newURL := range databases(t) {
		t.Run(name, func(t *testing.T) {
			url := newURL(t)
			dir := auditHistory(t, url)
			db := openDB(t, url)
			logged, err := db.Log(context.Background(), 0)
			if err != nil || len(logged) < 10 {
				t.Fatalf("the engine logged %d entries: %v", len(logged), err)
			}
			s := startUI(t, Config{Dirs: []string{dir}, DB: db}, 160, 48)
			s.settle()
			s.press("a")
			m := s.waitModel("the audit log", func(m Model) bool {
				a, ok := auditView(m)
				return ok && !a.Loading()
			})
			a, _ := auditView(m)
			if len(a.Shown()) != len(logged) || a.Shown()[0].ID != logged[0].ID {
				t.Fatalf("the view shows %d entries, the engine logged %d", len(a.Shown()), len(logged))
			}
			screen := m.View()
			for _, want := range []string{"Audit log", "failed", "stamp", "aa00000000aa", "who (OS user@host as database user)", logged[0].OSUser + "@" + logged[0].Host} {
				if !strings.Contains(screen, want) {
					t.Errorf("the view does not show %q:\n%s", want, screen)
				}
			}
			if logged[0].DBUser != "" && !strings.Contains(screen, " as "+logged[0].DBUser) {
				t.Errorf("the view does not name the database user %q:\n%s", logged[0].DBUser, screen)
			}
			drifted := 0
			for _, l := range strings.Split(screen, "\n") {
				if strings.Contains(l, "1a0000000001 ⚠") {
					drifted++
				} else if strings.Contains(l, "⚠") && !strings.Contains(l, "the file changed since it ran") {
					t.Errorf("a row of another revision is marked as drifted: %q", l)
				}
			}
			if drifted != 1 {
				t.Errorf("%d rows mark 1a0000000001 as drifted, want its one upgrade:\n%s", drifted, screen)
			}

			// The files branch: the entries of revisions that carry its
			// label.
			g := m.loaded.hist.G
			var files []string
			for _, e := range logged {
				for _, id := range strings.Split(e.Revision, ",") {
					if i, ok := g.Index[id]; ok && slices.Contains(g.EffectiveLabels[i], "files") {
						files = append(files, e.Revision)
						break
					}
				}
			}
			s.press("/")
			s.typeText("files")
			s.press("enter")
			m = s.waitModel("the branch filter", func(m Model) bool { return slices.Equal(shownRevisions(m), files) })
			if len(files) < 2 || m.mode() != modeModal {
				t.Fatalf("the files branch has %d entries; mode %d", len(files), m.mode())
			}
			s.press("esc")
			s.waitModel("the filter cleared", func(m Model) bool { return len(shownRevisions(m)) == len(logged) })

			// A revision, by the start of its id; then the outcome.
			s.press("/")
			s.typeText("4d00")
			s.press("enter")
			m = s.waitModel("the revision filter", func(m Model) bool {
				got := shownRevisions(m)
				return len(got) > 0 && !slices.ContainsFunc(got, func(r string) bool { return !strings.Contains(r, "4d0000000004") })
			})
			s.press("esc", "o", "o")
			m = s.waitModel("the failed entries", func(m Model) bool { return slices.Equal(shownRevisions(m), []string{"aa00000000aa"}) })

			// enter: the failed entry in full, with its error and its SQL.
			s.press("enter")
			m = s.waitModel("the entry", func(m Model) bool { _, ok := a0(m).Entry(); return ok })
			text := strings.Join(a0(m).Text(), "\n")
			for _, want := range []string{"upgrade aa00000000aa", "failed", "archive_that_does_not_exist", "version rows", "9c0000000009",
				"SQL that ran: the upgrade section", "INSERT INTO archive_that_does_not_exist VALUES (1);", "rolled back"} {
				if !strings.Contains(text, want) {
					t.Errorf("the failed entry does not say %q:\n%s", want, text)
				}
			}
			s.press("esc", "o", "o") // back to the list, then every outcome
			s.waitModel("every entry", func(m Model) bool { return len(shownRevisions(m)) == len(logged) })

			// The drifted upgrade: the file as it is now, said to differ.
			s.press("/")
			s.typeText("1a00 upgrade")
			s.press("enter", "enter")
			m = s.waitModel("the drifted entry", func(m Model) bool { _, ok := a0(m).Entry(); return ok })
			text = strings.Join(a0(m).Text(), "\n")
			if !strings.Contains(text, "changed after this ran (drift)") || !strings.Contains(text, "CREATE TABLE core") {
				t.Errorf("the drifted entry:\n%s", text)
			}
			s.press("esc", "esc", "esc") // the entry, the filter, the view
			s.waitModel("the view closed", func(m Model) bool { return m.modal == nil && m.mode() == modeNormal })
		})
	}
}

// a0 is the open audit view (the zero one when none is).
func a0(m Model) audit.Model { a, _ := auditView(m); return a }

// TestAuditYesterday: "yesterday" in the filter shows the entries that
// finished yesterday, as the UI's clock has it.
func TestAuditYesterday(t *testing.T) {
	url := pgtest.NewDatabase(t)
	dir := copyHistory(t, "linear")
	db := openDB(t, url)
	upgradeTo(t, db, dir, "2b0000000002")
	upgradeTo(t, db, dir, "4d0000000004")
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "UPDATE retort_log SET started_at = started_at - interval '1 day', finished_at = finished_at - interval '1 day' WHERE revision IN ('1a0000000001', '2b0000000002')"); err != nil {
		t.Fatal(err)
	}
	s := startUI(t, Config{Dirs: []string{dir}, DB: db, Now: time.Now}, 120, 36)
	s.settle()
	s.press("a", "/")
	s.typeText("yesterday")
	s.press("enter")
	s.waitModel("yesterday's entries", func(m Model) bool {
		return slices.Equal(shownRevisions(m), []string{"2b0000000002", "1a0000000001"})
	})
	s.press("esc", "/")
	s.typeText("today")
	s.press("enter")
	s.waitModel("today's entries", func(m Model) bool {
		return slices.Equal(shownRevisions(m), []string{"4d0000000004", "3c0000000003"})
	})
}
