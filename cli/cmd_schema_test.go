package cli

import (
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"retort/engine/pgtest"
)

// schemaRun runs retort on the example history with a fresh cache
// directory and the database db.
func schemaRun(t *testing.T, db string, args ...string) (string, string, int) {
	t.Helper()
	return runCLI(t, append([]string{"--dir", filepath.Join(repoRoot(t), "examples", "library"), "--db", db}, args...)...)
}

// TestSchemaVerb: the schema at a revision, as text and JSON, from the
// cache the second time.
func TestSchemaVerb(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	db := "sqlite:" + filepath.Join(t.TempDir(), "app.db")
	out, errOut, code := schemaRun(t, db, "schema", "e4c229aa293c")
	if code != 0 || !strings.Contains(out, "\ntable loans\n  column id INTEGER\n") || strings.Contains(out, "acq_orders") {
		t.Fatalf("schema e4c2: exit %d, stderr %q:\n%s", code, errOut, out)
	}
	if heads, _, _ := schemaRun(t, db, "schema"); !strings.Contains(heads, "table acq_orders\n") {
		t.Errorf("schema (heads) lacks acq_orders:\n%s", heads)
	}
	files, _ := filepath.Glob(filepath.Join(cache, "retort", "schema", "*.json"))
	if len(files) != 2 {
		t.Fatalf("cache files %v, want 2", files)
	}
	// The cache is what the second look reads: a doctored entry shows.
	for _, f := range files {
		if err := os.WriteFile(f, []byte(`{"format":1,"snapshot":{"dialect":"sqlite","objects":[{"kind":"table","name":"from_cache"}]}}`), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if out, _, code := schemaRun(t, db, "schema", "e4c229aa293c"); code != 0 || out != "table from_cache\n" {
		t.Errorf("second look: exit %d:\n%s", code, out)
	}
	if out, _, _ := schemaRun(t, db, "schema", "e4c229aa293c", "--no-cache"); !strings.Contains(out, "table loans") {
		t.Errorf("--no-cache:\n%s", out)
	}

	out, _, code = schemaRun(t, db, "schema", "--no-cache", "--json", "6104eb2df7b3")
	var j struct {
		Targets, Rows []string
		Dialect       string
		Objects       []struct{ Kind, Name, Table, Definition string }
	}
	if err := json.Unmarshal([]byte(out), &j); err != nil || code != 0 {
		t.Fatalf("--json: exit %d, %v:\n%s", code, err, out)
	}
	if j.Dialect != "sqlite" || strings.Join(j.Rows, ",") != "6104eb2df7b3" || len(j.Objects) == 0 || j.Objects[0].Kind != "table" || j.Objects[0].Name != "libraries" {
		t.Errorf("--json: %+v", j)
	}
	if _, errOut, code := schemaRun(t, db, "schema", "nope"); code != 1 || !strings.Contains(errOut, "FAILED: Can't locate revision identified by 'nope'") {
		t.Errorf("schema nope: exit %d, %q", code, errOut)
	}
	if _, err := os.Stat(strings.TrimPrefix(db, "sqlite:")); !os.IsNotExist(err) {
		t.Errorf("the live database was created: %v", err)
	}
}

// TestDiffVerb: 0 when the schemas are the same, 1 with the differences,
// 2 on trouble.
func TestDiffVerb(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	db := "sqlite:" + filepath.Join(t.TempDir(), "app.db")
	out, errOut, code := schemaRun(t, db, "diff", "fcf327591762", "c8c5115d28d0")
	want := "--- fcf327591762\n+++ c8c5115d28d0\ntable patrons\n  - column contact VARCHAR(255)\n  + column email VARCHAR(255)\n  + column phone VARCHAR(32)\n"
	if code != 1 || out != want || errOut != "" {
		t.Errorf("diff: exit %d, stderr %q:\n%s\nwant:\n%s", code, errOut, out, want)
	}
	if out, _, code := schemaRun(t, db, "diff", "heads", "dd2e9516bcc5"); code != 0 || out != "" {
		t.Errorf("diff of one schema: exit %d:\n%s", code, out)
	}
	if _, errOut, code := schemaRun(t, db, "diff", "heads", "nope"); code != 2 || !strings.HasPrefix(errOut, "FAILED: ") {
		t.Errorf("diff with a bad revision: exit %d, %q", code, errOut)
	}
	if _, _, code := schemaRun(t, db, "diff", "heads"); code != 2 {
		t.Errorf("diff with one revision: exit %d, want 2", code)
	}
	out, _, code = schemaRun(t, db, "diff", "--json", "fcf327591762", "c8c5115d28d0")
	var j struct {
		From, To struct{ Label string }
		Changes  []struct {
			Owner   string
			Changes []struct{ Change string }
		}
	}
	if err := json.Unmarshal([]byte(out), &j); err != nil || code != 1 || j.From.Label != "fcf327591762" || len(j.Changes) != 1 || len(j.Changes[0].Changes) != 3 {
		t.Errorf("--json: exit %d, %v: %+v", code, err, j)
	}
}

// TestDiffLive: the live database against its version rows: nothing after
// an upgrade; a column added and an index dropped by hand, on SQLite and
// PostgreSQL.
func TestDiffLive(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	for _, db := range []string{"sqlite:" + filepath.Join(t.TempDir(), "app.db"), pgtest.NewDatabase(t)} {
		if out, errOut, code := schemaRun(t, db, "diff", "--live"); code != 0 || out != "" {
			t.Errorf("%s: an empty database: exit %d %q:\n%s", db, code, errOut, out)
		}
		if _, errOut, code := schemaRun(t, db, "upgrade", "heads"); code != 0 {
			t.Fatalf("upgrade: %s", errOut)
		}
		if out, errOut, code := schemaRun(t, db, "diff", "--live"); code != 0 || out != "" {
			t.Errorf("%s: after the upgrade: exit %d %q:\n%s", db, code, errOut, out)
		}
		changeByHand(t, db, "ALTER TABLE patrons ADD COLUMN nickname varchar(40)", "DROP INDEX ix_documents_title")
		out, _, code := schemaRun(t, db, "diff", "--live")
		prefix := ""
		if !strings.HasPrefix(db, "sqlite:") {
			prefix = "public."
		}
		for _, want := range []string{"--- version rows [dd2e9516bcc5]\n+++ live ", "table " + prefix + "documents\n  - index ix_documents_title",
			"table " + prefix + "patrons\n  + column nickname "} {
			if code != 1 || !strings.Contains(out, want) {
				t.Errorf("%s: exit %d, output lacks %q:\n%s", db, code, want, out)
			}
		}
		if _, _, code := schemaRun(t, db, "diff", "--live", "heads"); code != 2 {
			t.Errorf("--live with a revision: exit %d, want 2", code)
		}
	}
}

// changeByHand runs statements on a database, as a DBA would.
func changeByHand(t *testing.T, db string, stmts ...string) {
	t.Helper()
	ctx := t.Context()
	if path, ok := strings.CutPrefix(db, "sqlite:"); ok {
		sq, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		defer sq.Close()
		for _, s := range stmts {
			if _, err := sq.ExecContext(ctx, s); err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
		return
	}
	conn, err := pgx.Connect(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, s := range stmts {
		if _, err := conn.Exec(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
}
