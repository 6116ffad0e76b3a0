package cli

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"retort/engine/pgtest"
)

const h01 = "../testdata/conformance/h01_two_trees/sql"

// databases gives each test a fresh SQLite file and a fresh PostgreSQL
// database.
func databases(t *testing.T) map[string]string {
	return map[string]string{
		"sqlite":     "sqlite:" + filepath.Join(t.TempDir(), "t.db"),
		"postgresql": pgtest.NewDatabase(t),
	}
}

func TestMigrateVerbs(t *testing.T) {
	for kind, url := range databases(t) {
		t.Run(kind, func(t *testing.T) {
			cli := func(args ...string) (string, string, int) {
				return runCLI(t, append([]string{"--dir", h01, "--db", url}, args...)...)
			}
			out, _, code := cli("current")
			if code != 0 || out != "" {
				t.Fatalf("current on an empty database: %q exit %d", out, code)
			}
			_, progress, code := cli("upgrade", "heads")
			if code != 0 {
				t.Fatalf("upgrade heads: exit %d\n%s", code, progress)
			}
			for _, want := range []string{"[1/8] Running upgrade  -> a000, step 0", "[8/8] Running upgrade c000, d000 -> e000, step 4", "done in"} {
				if !strings.Contains(progress, want) {
					t.Errorf("progress lacks %q:\n%s", want, progress)
				}
			}
			out, _, _ = cli("current")
			if want := "e000 (head) (mergepoint)\nf000 (head)\ny000 (head)\n"; out != want {
				t.Errorf("current %q, want %q", out, want)
			}
			if _, errOut, code := cli("downgrade", "-1"); code == 0 || !strings.Contains(errOut, "is ambiguous") {
				t.Errorf("downgrade -1 from three heads: exit %d %s", code, errOut)
			}
			if _, errOut, code := cli("downgrade", "b000"); code != 0 {
				t.Fatalf("downgrade b000: %s", errOut)
			}
			out, _, _ = cli("current")
			if want := "b000 (branchpoint)\nf000 (head)\nx000\n"; out != want {
				t.Errorf("current %q, want %q", out, want)
			}
			if _, errOut, code := cli("stamp", "--purge", "c000"); code != 0 {
				t.Fatalf("stamp: %s", errOut)
			}
			out, _, _ = cli("current", "--json")
			var cur currentJSON
			if err := json.Unmarshal([]byte(out), &cur); err != nil || !reflect.DeepEqual(cur.Rows, []string{"c000"}) {
				t.Errorf("current --json: %v %+v", err, cur)
			}
			out, _, code = cli("log", "-n", "2")
			if code != 0 || len(lines(out)) != 2 || !strings.Contains(out, "stamp") {
				t.Errorf("log: exit %d\n%s", code, out)
			}
		})
	}
}

func TestMigrateErrorsLeaveTheDatabaseAlone(t *testing.T) {
	url := "sqlite:" + filepath.Join(t.TempDir(), "t.db")
	cli := func(args ...string) (string, string, int) {
		return runCLI(t, append([]string{"--dir", h01, "--db", url}, args...)...)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"upgrade", "head"}, "FAILED: Multiple head revisions are present for given argument 'head'"},
		{[]string{"upgrade", "base:heads"}, "FAILED: Range revision not allowed"},
		{[]string{"upgrade", "zzzz"}, "FAILED: Can't locate revision identified by 'zzzz'"},
		{[]string{"stamp", "core@head"}, "FAILED: Multiple heads are present; please specify a single target revision"},
	} {
		_, errOut, code := cli(c.args...)
		if code == 0 || !strings.HasPrefix(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", c.args, code, errOut, c.want)
		}
	}
	out, _, _ := cli("current", "--json")
	var cur currentJSON
	if err := json.Unmarshal([]byte(out), &cur); err != nil || len(cur.Rows) != 0 {
		t.Errorf("the database changed: %v %+v", err, cur)
	}
}

// TestDryRunTouchesNothing: --sql prints the SQL and leaves the database
// as it was: no SQLite file (nor lock file) is created, no PostgreSQL table.
func TestDryRunTouchesNothing(t *testing.T) {
	for kind, url := range databases(t) {
		t.Run(kind, func(t *testing.T) {
			out, errOut, code := runCLI(t, "--dir", h01, "--db", url, "upgrade", "a000:f000", "--sql")
			if code != 0 {
				t.Fatal(errOut)
			}
			want := "BEGIN;\n\n-- Running upgrade a000 -> f000\n\nSELECT 'up f000';\n\n" +
				"UPDATE alembic_version SET version_num='f000' WHERE alembic_version.version_num = 'a000';\n\nCOMMIT;\n\n"
			if out != want {
				t.Errorf("--sql output\n got  %q\n want %q", out, want)
			}
			out, errOut, code = runCLI(t, "--dir", h01, "--db", url, "upgrade", "heads", "--sql")
			if code != 0 || !strings.Contains(out, "CREATE TABLE IF NOT EXISTS alembic_version") {
				t.Errorf("upgrade heads --sql: exit %d, %s\n%s", code, errOut, out)
			}
			_, errOut, code = runCLI(t, "--dir", h01, "--db", url, "downgrade", "base", "--sql")
			if code == 0 || !strings.Contains(errOut, "downgrade with --sql requires <fromrev>:<torev>") {
				t.Errorf("downgrade --sql without range: %d %s", code, errOut)
			}
			assertUntouched(t, url)
		})
	}
}

// assertUntouched checks that nothing was created at url: for SQLite no
// file and no lock file, for PostgreSQL no table (of any schema but the
// system's).
func assertUntouched(t *testing.T, url string) {
	t.Helper()
	if path, ok := strings.CutPrefix(url, "sqlite:"); ok {
		for _, p := range []string{path, path + ".retort-lock"} {
			if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s exists after --sql (%v)", p, err)
			}
		}
		return
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT schemaname || '.' || tablename FROM pg_tables
		WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(tables) != 0 {
		t.Errorf("--sql created tables %v (%v)", tables, err)
	}
}

func TestPasswordIsMaskedInErrors(t *testing.T) {
	_, errOut, code := runCLI(t, "--dir", h01, "--db", "postgres://app:s3cr3tpw@127.0.0.1:1/nodb?connect_timeout=2", "current")
	if code == 0 || strings.Contains(errOut, "s3cr3tpw") || !strings.Contains(errOut, "127.0.0.1") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}
