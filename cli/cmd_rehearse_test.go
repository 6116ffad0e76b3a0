package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRehearseLibrary: every revision of the example history round-trips:
// one line each, a summary, exit 0.
func TestRehearseLibrary(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "app.db")
	out, errOut, code := schemaRun(t, db, "rehearse", "--all")
	if code != 0 || errOut != "" || !strings.HasSuffix(out, "30 revisions rehearsed on sqlite: 30 round-trip\n") {
		t.Fatalf("exit %d, stderr %q:\n%s", code, errOut, out)
	}
	if !strings.HasPrefix(out, "ok            6104eb2df7b3  create organisations and libraries  (") {
		t.Errorf("first line:\n%s", out)
	}
	if _, err := os.Stat(strings.TrimPrefix(db, "sqlite:")); !os.IsNotExist(err) {
		t.Errorf("the live database was created: %v", err)
	}
}

// TestRehearseDifference: a downgrade that loses rows exits 1 with the
// rows; the revision's message is shown with its controls visible.
func TestRehearseDifference(t *testing.T) {
	dir := t.TempDir()
	seed := filepath.Join(t.TempDir(), "seed.sql")
	write := func(name, text string) {
		if !filepath.IsAbs(name) {
			name = filepath.Join(dir, name)
		}
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a1_create.sql", "-- Revision ID: a1\n-- Revises:\n-- Message: create t\n\n-- +upgrade\nCREATE TABLE t (id integer PRIMARY KEY);\n\n-- +downgrade\nDROP TABLE t;\n")
	write("a2_archive.sql", "-- Revision ID: a2\n-- Revises: a1\n-- Message: archive \x1b]0;old rows\n\n-- +upgrade\n"+
		"CREATE TABLE archive (id integer);\nINSERT INTO archive SELECT id FROM t WHERE id > 1;\nDELETE FROM t WHERE id > 1;\n\n-- +downgrade\nDROP TABLE archive;\n")
	write(seed, "INSERT INTO t VALUES (1), (2);\n")
	db := "sqlite:" + filepath.Join(dir, "app.db")
	args := []string{"--dir", dir, "--db", db, "rehearse", "a2"}

	out, _, code := runCLI(t, args...)
	if code != 0 || !strings.Contains(out, "ok            a2  archive ␛]0;old rows  (") {
		t.Errorf("without data: exit %d:\n%s", code, out)
	}
	out, _, code = runCLI(t, append(args, "--seed", seed)...)
	for _, want := range []string{"DIFFERS       a2  archive ␛]0;old rows", "  the downgrade did not restore the rows:\n    t: 2 rows before the upgrade, 1 after the downgrade\n      lost: {\"id\":2}\n",
		"1 revision rehearsed on sqlite: 1 differs\n"} {
		if code != 1 || !strings.Contains(out, want) {
			t.Errorf("with the seed: exit %d, output lacks %q:\n%s", code, want, out)
		}
	}
	out, _, code = runCLI(t, append(args, "--seed", "a2="+seed, "--json")...)
	var j struct {
		Dialect   string
		Revisions []struct {
			Revision, Status string
			Rows             []struct{ Lost []string }
		}
	}
	if err := json.Unmarshal([]byte(out), &j); err != nil || code != 1 || len(j.Revisions) != 1 || j.Revisions[0].Status != "differs" ||
		len(j.Revisions[0].Rows) != 1 || strings.Join(j.Revisions[0].Rows[0].Lost, "") != `{"id":2}` {
		t.Errorf("--json: exit %d, %v: %+v\n%s", code, err, j, out)
	}
}

// TestRehearseTrouble: exit 2 and FAILED for what keeps a rehearsal from
// starting.
func TestRehearseTrouble(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "app.db")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"rehearse"}, "name the revisions to rehearse, or --all"},
		{[]string{"rehearse", "--all", "e4c2"}, "not both"},
		{[]string{"rehearse", "--all", "--seed", "x.sql"}, "say which revision it runs before"},
		{[]string{"rehearse", "nope"}, "Can't locate revision identified by 'nope'"},
		{[]string{"rehearse", "e4c2", "--scratch", db}, "is the live database"},
	} {
		_, errOut, code := schemaRun(t, db, c.args...)
		if code != 2 || !strings.Contains(errOut, "FAILED: ") || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", c.args, code, errOut, c.want)
		}
	}
}

// TestRehearseAlembicExample: every .py revision of the example Alembic
// project round-trips in a scratch SQLite database, through Alembic in
// Python, which is handed the scratch database's URL (the live one named
// in alembic.ini is never created).
func TestRehearseAlembicExample(t *testing.T) {
	live := filepath.Join(t.TempDir(), "live.db")
	// As with alembic, alembic.ini's script_location is relative to the
	// current directory.
	t.Chdir("../examples/alembic")
	out, errOut, code := runCLI(t, "--db", "sqlite:"+live, "--python", "/usr/bin/python3", "rehearse", "--all")
	if code != 0 || !strings.HasSuffix(out, "21 revisions rehearsed on sqlite: 21 round-trip\n") {
		t.Fatalf("exit %d, stderr %q:\n%s", code, errOut, out)
	}
	if _, err := os.Stat(live); !os.IsNotExist(err) {
		t.Errorf("the live database was created: %v", err)
	}
}
