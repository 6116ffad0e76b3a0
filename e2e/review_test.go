package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"retort/engine/pgtest"
)

// TestTUIReview opens the review view on the example's merge from the
// UI, as a user would: / to the merge, M; both branches side by side,
// the shared tables marked ⚠; enter on the first shows its statements on
// each side by file and line; esc goes back, esc again closes the view.
// With --ascii, the mark is "!".
func TestTUIReview(t *testing.T) {
	bin := buildRetort(t)
	dir, err := filepath.Abs("../examples/library")
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range sizes() {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			db := "sqlite:" + filepath.Join(t.TempDir(), "app.db")
			s := startTmux(t, t.TempDir(), size[0], size[1], nil, bin, "--dir", dir, "--db", db)
			s.waitText("add the patron locale", "lock free")
			s.keys("/")
			s.typeText("e4c2")
			s.keys("Enter")
			s.waitText("match 1/1", "e4c229aa293c")
			s.keys("M")
			scr := s.waitText("2 objects shared: table items, table records_metadata", "a9012647d928 (catalog)", "bb59f895577c (circulation)")
			for _, want := range []string{"Review · merge e4c229aa293c", "common ancestor 9126f322cb13", "⚠ table records_metadata use,write", "7563ba6d7561 move items"} {
				if !strings.Contains(scr, want) {
					t.Errorf("the review lacks %q:\n%s", want, scr)
				}
			}
			// The columns are side by side: one line holds both titles.
			if paneLine(scr, "┃", "bb59f895577c (circulation)") == "" || !strings.Contains(paneLine(scr, "┃", "bb59f895577c (circulation)"), "a9012647d928 (catalog)") {
				t.Errorf("the branches are not side by side:\n%s", scr)
			}
			s.keys("Enter")
			scr = s.waitText("⚠ shared: 2 branches touch it", "table records_metadata")
			if !strings.Contains(scr, "7563ba6d7561_move_items_out_of_records") || !strings.Contains(scr, "INSERT INTO items") {
				t.Errorf("the statements lack the file and the SQL:\n%s", scr)
			}
			s.keys("G")
			// The end is circulation's last statement: 226fb0ba9c98's.
			s.waitText("226fb0ba9c98", "DELETE FROM records_metadata WHERE record_type = 'loan'")
			s.keys("Escape")
			s.waitText("▸ a9012647d928 (catalog)")
			s.keys("Escape")
			s.waitFor("the review closed", func(scr string) bool {
				return !strings.Contains(scr, "objects shared") && strings.Contains(scr, "review: 2 objects touched by more than one branch")
			})
			s.keys("q")
			s.waitText("[exited 0]")
		})
	}
	t.Run("ascii", func(t *testing.T) {
		db := "sqlite:" + filepath.Join(t.TempDir(), "app.db")
		s := startTmux(t, t.TempDir(), 80, 24, nil, bin, "--ascii", "--dir", dir, "--db", db)
		s.waitText("add the patron locale", "lock free")
		s.keys("/")
		s.typeText("e4c2")
		s.keys("Enter")
		s.waitText("match 1/1", "e4c229aa293c")
		s.keys("M")
		scr := s.waitText("! 2 objects shared", "! table records_metadata use,write", "> a9012647d928 (catalog) | 8")
		if strings.ContainsAny(scr, "⚠▸│·") {
			t.Errorf("--ascii draws Unicode:\n%s", scr)
		}
		s.keys("q")
		s.keys("q")
		s.waitText("[exited 0]")
	})
}

// rehearsalHistory is a table and a revision that drops its column with a
// downgrade that forgets to put it back.
func rehearsalHistory(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"a10000000001_create_notes.sql": "-- Revision ID: a10000000001\n-- Revises:\n-- Message: create notes\n\n-- +upgrade\nCREATE TABLE notes (id integer PRIMARY KEY, body text);\n\n-- +downgrade\nDROP TABLE notes;\n",
		"a20000000002_drop_body.sql": "-- Revision ID: a20000000002\n-- Revises: a10000000001\n-- Message: drop the note body\n\n-- +upgrade\nALTER TABLE notes DROP COLUMN IF EXISTS body;\n\n" +
			"-- +downgrade\n-- forgets to add the column back\nSELECT 1;\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestTUIRehearse rehearses a revision from the UI against a real
// PostgreSQL: R on a revision whose downgrade forgets a column shows
// DIFFERS and the exact difference; the live database is untouched (no
// version row, no table) and the scratch database is gone.
func TestTUIRehearse(t *testing.T) {
	bin := buildRetort(t)
	dir := rehearsalHistory(t)
	for _, size := range sizes() {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			url := pgtest.NewDatabase(t)
			s := startTmux(t, t.TempDir(), size[0], size[1], nil, bin, "--dir", dir, "--db", url)
			s.waitText("drop the note body", "lock free")
			s.keys("R")
			scr := s.waitText("DIFFERS", "the downgrade did not restore the schema", "- column body text")
			for _, want := range []string{"Rehearse a20000000002 · scratch database", "in a scratch postgresql database, removed after;",
				"DIFFERS       a20000000002  drop the note body", "table public.notes"} {
				if !strings.Contains(scr, want) {
					t.Errorf("the rehearsal lacks %q:\n%s", want, scr)
				}
			}
			s.keys("Escape")
			s.waitFor("the log to tell the rehearsal", func(scr string) bool {
				return paneLine(scr, "│", "rehearsal of a20000000002 in a scratch postgresql") != ""
			})
			wantRows(t, url)
			// The scratch database is named after the retort process
			// (scratch/make.go); other tests make theirs meanwhile.
			var left int
			query(t, url, "SELECT count(*) FROM pg_database WHERE datname LIKE 'retort_scratch_"+s.programPID()+"_%'", &left)
			if left != 0 {
				t.Errorf("the scratch database was left on the server")
			}
			if tableExists(t, url, "notes") {
				t.Error("the rehearsal created a table in the live database")
			}
			s.keys("q")
			s.waitText("[exited 0]")
		})
	}
}

// TestTUIRehearseRefused: where no scratch database can be made (a role
// without CREATEDB), R says so and why, and runs nothing.
func TestTUIRehearseRefused(t *testing.T) {
	bin := buildRetort(t)
	dir := rehearsalHistory(t)
	url := pgtest.NewDatabase(t)
	limited := limitedRole(t, url)
	s := startTmux(t, t.TempDir(), 80, 24, nil, bin, "--dir", dir, "--db", limited)
	s.waitText("drop the note body", "lock free")
	s.keys("R")
	scr := s.waitText("Not rehearsed: ", "Nothing was run on the live database.")
	if !strings.Contains(scr, "CREATEDB") {
		t.Errorf("the refusal does not say why:\n%s", scr)
	}
	s.keys("Escape")
	s.waitText("rehearsal of a20000000002 not run")
	s.keys("q")
	s.waitText("[exited 0]")
}

// programPID is the pid of the program the session runs: the child of
// the pane's shell, checked to be retort.
func (s *tmuxSession) programPID() string {
	s.t.Helper()
	shell := strings.TrimSpace(s.tmux("display-message", "-p", "-t", "retort", "#{pane_pid}"))
	children, err := os.ReadFile("/proc/" + shell + "/task/" + shell + "/children")
	if err != nil {
		s.t.Fatal(err)
	}
	pid := strings.TrimSpace(string(children))
	if comm, err := os.ReadFile("/proc/" + pid + "/comm"); err != nil || strings.TrimSpace(string(comm)) != "retort" {
		s.t.Fatalf("the pane's program %q is %q (%v), not retort", pid, comm, err)
	}
	return pid
}

// tableExists reports whether the database at url has a table named name.
func tableExists(t *testing.T, url, name string) bool {
	t.Helper()
	var ok bool
	query(t, url, "SELECT to_regclass('"+name+"') IS NOT NULL", &ok)
	return ok
}

func query(t *testing.T, url, sql string, dest any) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if err := conn.QueryRow(context.Background(), sql).Scan(dest); err != nil {
		t.Fatal(err)
	}
}

// limitedRole is url as a new role that may log in but not create
// databases.
func limitedRole(t *testing.T, url string) string {
	t.Helper()
	const role = "retort_e2e_nocreatedb"
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	for _, sql := range []string{
		`DO $$ BEGIN CREATE ROLE ` + role + `; EXCEPTION WHEN duplicate_object THEN NULL; END $$`,
		`ALTER ROLE ` + role + ` LOGIN PASSWORD 'pw' NOCREATEDB`,
		`GRANT ALL ON SCHEMA public TO ` + role,
	} {
		if _, err := conn.Exec(context.Background(), sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	limited := strings.Replace(url, "postgres@", role+":pw@", 1)
	if limited == url {
		t.Fatalf("cannot name another role in %s", url)
	}
	return limited
}
