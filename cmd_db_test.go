package main

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"retort/engine/pgtest"
)

const h01 = "testdata/conformance/h01_two_trees/sql"

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

func TestDryRunTouchesNothing(t *testing.T) {
	url := "sqlite:" + filepath.Join(t.TempDir(), "t.db")
	out, errOut, code := runCLI(t, "--dir", h01, "--db", url, "upgrade", "a000:f000", "--sql")
	if code != 0 {
		t.Fatal(errOut)
	}
	want := "BEGIN;\n\n-- Running upgrade a000 -> f000\n\nSELECT 'up f000';\n\n" +
		"UPDATE alembic_version SET version_num='f000' WHERE alembic_version.version_num = 'a000';\n\nCOMMIT;\n\n"
	if out != want {
		t.Errorf("--sql output\n got  %q\n want %q", out, want)
	}
	_, errOut, code = runCLI(t, "--dir", h01, "--db", url, "downgrade", "base", "--sql")
	if code == 0 || !strings.Contains(errOut, "downgrade with --sql requires <fromrev>:<torev>") {
		t.Errorf("downgrade --sql without range: %d %s", code, errOut)
	}
	out, _, _ = runCLI(t, "--dir", h01, "--db", url, "current", "--json")
	var cur currentJSON
	if err := json.Unmarshal([]byte(out), &cur); err != nil || len(cur.Rows) != 0 {
		t.Errorf("--sql touched the database: %+v", cur)
	}
}

func TestPasswordIsMaskedInErrors(t *testing.T) {
	_, errOut, code := runCLI(t, "--dir", h01, "--db", "postgres://app:s3cr3tpw@127.0.0.1:1/nodb?connect_timeout=2", "current")
	if code == 0 || strings.Contains(errOut, "s3cr3tpw") || !strings.Contains(errOut, "127.0.0.1") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

func TestUnknownVersionRowIsReported(t *testing.T) {
	url := "sqlite:" + filepath.Join(t.TempDir(), "t.db")
	if _, errOut, code := runCLI(t, "--dir", h01, "--db", url, "stamp", "y000"); code != 0 {
		t.Fatal(errOut)
	}
	// The same database seen through a directory that lacks y000.
	other := "testdata/conformance/h02_effective_head/sql"
	_, errOut, code := runCLI(t, "--dir", other, "--db", url, "current")
	if code == 0 || !strings.Contains(errOut, "FAILED: Can't locate revision identified by 'y000'") ||
		!strings.Contains(errOut, "the version table holds y000, which no revision file") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

func TestNegativeTargetsAreNotFlags(t *testing.T) {
	cases := map[string]string{
		"downgrade -1":         "downgrade -- -1",
		"downgrade -2 --sql":   "downgrade --sql -- -2",
		"log -n 5":             "log -n 5",
		"downgrade -- -1":      "downgrade -- -1",
		"history -r -2:":       "history -r -2:",
		"--db x downgrade -1 ": "--db x downgrade  -- -1",
	}
	for in, want := range cases {
		got := strings.Join(protectNegativeArgs(strings.Split(in, " ")), " ")
		if got != want {
			t.Errorf("%q -> %q, want %q", in, got, want)
		}
	}
}
