package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"retort/engine/pgtest"
	"retort/pgparse/pgparsetest"
)

// lintEnv points the compiled grammar's cache at the tests' shared one.
func lintEnv(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", filepath.Join(filepath.Dir(pgparsetest.CacheDir()), "retort-test-xdg"))
}

// Without a database every revision is linted, as a plan from an empty
// one: the example's indexes on existing tables fail; with a revision
// named, exactly that one; advice fails only with --strict.
func TestLintSelectionAndExitCodes(t *testing.T) {
	lintEnv(t)
	dir := filepath.Join(repoRoot(t), "examples", "library")
	out, errOut, code := runCLI(t, "--dir", dir, "lint", "--json")
	if code != 1 {
		t.Fatalf("lint of every revision: exit %d, %s", code, errOut)
	}
	var all lintJSON
	if err := json.Unmarshal([]byte(out), &all); err != nil {
		t.Fatal(err)
	}
	if len(all.Revisions) != 30 || !all.Fails {
		t.Errorf("%d revisions, fails %v", len(all.Revisions), all.Fails)
	}
	// 6104eb2df7b3 is the base: a plan from an empty database starts there.
	if all.Revisions[0].Revision != "ac3724483461" && all.Revisions[0].Revision != "6104eb2df7b3" {
		t.Errorf("first revision %s", all.Revisions[0].Revision)
	}
	out, _, code = runCLI(t, "--dir", dir, "lint", "af5b707d6326", "--json")
	var one lintJSON
	if err := json.Unmarshal([]byte(out), &one); err != nil {
		t.Fatal(err)
	}
	if code != 1 || len(one.Revisions) != 1 || one.Revisions[0].Statements[0].Locks[0].Mode != "SHARE" {
		t.Fatalf("lint af5b: exit %d, %s", code, out)
	}
	var rules []string
	for _, f := range one.Findings {
		rules = append(rules, f.Rule)
		if f.Path == "" || f.Line == 0 {
			t.Errorf("finding without a place: %+v", f)
		}
	}
	if !strings.Contains(strings.Join(rules, " "), "require-concurrent-index-creation") {
		t.Errorf("rules %v", rules)
	}
	// 6104eb2df7b3 creates tables: advice only (integer and varchar
	// columns), so 0, and 1 with --strict.
	if _, errOut, code := runCLI(t, "--dir", dir, "lint", "6104eb2df7b3"); code != 0 || !strings.Contains(errOut, "1 revision linted, 0 warnings, 4 advice") {
		t.Errorf("advice only: exit %d, %q", code, errOut)
	}
	if _, _, code := runCLI(t, "--dir", dir, "lint", "6104eb2df7b3", "--strict"); code != 1 {
		t.Errorf("advice with --strict: exit %d", code)
	}
	out, _, _ = runCLI(t, "--dir", dir, "lint", "af5b707d6326")
	if !strings.Contains(out, "af5b707d6326_index_requests_and_loans_by_patron.sql:7: warning [require-concurrent-index-creation]") ||
		!strings.Contains(out, "    CREATE INDEX ix_requests_item ON requests (item_id)\n") || !strings.Contains(out, "CONCURRENTLY") {
		t.Errorf("human output:\n%s", out)
	}
	for _, args := range [][]string{{"lint", "nosuch"}, {"lint", "--bogus"}} {
		if _, _, code := runCLI(t, append([]string{"--dir", dir}, args...)...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

// With a PostgreSQL database, the pending revisions only; a SQLite
// database is not linted; a database that cannot be reached is trouble.
func TestLintWithDatabase(t *testing.T) {
	lintEnv(t)
	dir := filepath.Join(repoRoot(t), "examples", "library")
	url := pgtest.NewDatabase(t)
	if _, errOut, code := runCLI(t, "--dir", dir, "--db", url, "upgrade", "af5b707d6326"); code != 0 {
		t.Fatalf("upgrade: %s", errOut)
	}
	out, errOut, code := runCLI(t, "--dir", dir, "--db", url, "lint", "--json")
	var pending lintJSON
	if err := json.Unmarshal([]byte(out), &pending); err != nil {
		t.Fatalf("%v: %s %s", err, out, errOut)
	}
	// The two revisions above af5b707d6326 add columns to existing tables
	// with no lock_timeout.
	if code != 1 || len(pending.Revisions) != 2 || pending.Revisions[0].Revision != "c5ef53e57a5e" || pending.Database == "" {
		t.Errorf("pending: exit %d, %+v, %s", code, pending.Revisions, errOut)
	}
	for _, r := range pending.Revisions {
		if r.Revision == "af5b707d6326" {
			t.Errorf("an applied revision was linted")
		}
	}
	sqlite := "sqlite:" + filepath.Join(t.TempDir(), "x.db")
	out, _, code = runCLI(t, "--dir", dir, "--db", sqlite, "lint", "af5b707d6326")
	if code != 0 || !strings.Contains(out, "not linted: the database is SQLite") {
		t.Errorf("SQLite: exit %d, %s", code, out)
	}
	if _, _, code := runCLI(t, "--dir", dir, "--db", "postgresql://nobody@127.0.0.1:1/none", "lint"); code != 2 {
		t.Errorf("unreachable database: exit %d", code)
	}
}

// Text from revision files is shown visibly: an escape sequence in a
// statement is printed as ␛, and escaped in --json.
func TestLintShowsControlsVisibly(t *testing.T) {
	lintEnv(t)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a1_x.sql"), "-- Revision ID: a1\n-- Revises:\n\n-- +upgrade\nCREATE TABLE t (id bigint);\n-- +downgrade\nDROP TABLE t;\n")
	writeFile(t, filepath.Join(dir, "b2_x.sql"), "-- Revision ID: b2\n-- Revises: a1\n\n-- +upgrade\nCREATE INDEX \"i\x1b]0;x\x07\" ON t (id);\n")
	out, _, code := runCLI(t, "--dir", dir, "lint", "b2")
	if code != 1 || strings.ContainsRune(out, 0x1b) || !strings.Contains(out, "␛]0;x␇") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	out, _, _ = runCLI(t, "--dir", dir, "lint", "b2", "--json")
	if strings.ContainsRune(out, 0x1b) || !strings.Contains(out, `\u001b]0;x\u0007`) {
		t.Errorf("json:\n%s", out)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	writeFiles(t, filepath.Dir(path), map[string]string{filepath.Base(path): content})
}
