package cli

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"retort/cli/settings"
	"retort/engine/pgtest"
	"retort/visible"
)

// Text from revision files and databases reaches the terminal with its
// control characters, escape sequences and bidirectional controls shown
// (package visible), never raw and never removed with what follows them;
// JSON escapes them.

// evil is a message with escape sequences (a window title, a screen clear)
// and bidirectional controls (an override, an isolate).
const evil = "evil \x1b]0;title\a \x1b[2J \u202e rtl \u2066 iso"

// evilShown is how evil's controls must show.
var evilShown = []string{"evil ␛]0;title␇ ␛[2J <U+202E> rtl <U+2066> iso"}

// evilProject writes a history whose texts carry evil: e1 (.sql, message),
// the branch point; p1 (.py, docstring), whose file name holds an escape
// sequence and whose depends_on code changes (a warning naming the file);
// s2 (.sql); f1 (.sql) above s2, whose step fails on PostgreSQL with evil
// in the error, in a statement that holds an escape sequence in a comment.
func evilProject(t *testing.T) (dir, pyFile string) {
	t.Helper()
	dir = t.TempDir()
	pyFile = "02_p1_\x1b]0;t\a.py"
	writeFiles(t, dir, map[string]string{
		"01_e1.sql": "-- Revision ID: e1\n-- Revises:\n-- Message: " + evil + "\n\n-- +upgrade\nSELECT 1;\n\n-- +downgrade\nSELECT 1;\n",
		pyFile: `"""` + evil + "\n\nRevision ID: p1\n" + `"""` + "\nrevision = \"p1\"\ndown_revision = \"e1\"\nbranch_labels = None\n" +
			"depends_on = []\ntry:\n    depends_on += [\"e1\"]\nexcept ImportError:\n    pass\n",
		"03_s2.sql": "-- Revision ID: s2\n-- Revises: e1\n-- Message: plain\n\n-- +upgrade\nSELECT 1;\n\n-- +downgrade\nSELECT 1;\n",
		"04_f1.sql": "-- Revision ID: f1\n-- Revises: s2\n-- Message: fails\n\n-- +upgrade\n" +
			"DO $$ BEGIN /*\x1b]0;*/ /*kept*/ /*\a*/ RAISE EXCEPTION USING MESSAGE = 'boom ' || chr(27) || ']0;title' || chr(7) || ' ' || chr(27) || '[2J ' || chr(8238) || ' rtl ' || chr(8294) || ' iso'; END $$;\n" +
			"\n-- +downgrade\nSELECT 1;\n",
	})
	return dir, pyFile
}

// requireVisible fails when out holds a control character other than a
// line break or a tab, or lacks one of wants.
func requireVisible(t *testing.T, what, out string, wants ...string) {
	t.Helper()
	for _, r := range out {
		if r != '\n' && r != '\t' && visible.Control(r) {
			t.Errorf("%s: %U reached the output:\n%q", what, r, out)
			break
		}
	}
	for _, w := range wants {
		if !strings.Contains(out, w) {
			t.Errorf("%s: the output lacks %q:\n%q", what, w, out)
		}
	}
}

func TestReadOnlyVerbsShowControlsVisibly(t *testing.T) {
	dir, pyFile := evilProject(t)
	warning := "warning: " + filepath.Join(dir, "02_p1_␛]0;t␇.py") + ": depends_on is read as if the try block on line 9 raises no ImportError"
	for _, args := range [][]string{
		{"history"}, {"history", "-v"}, {"history", "--graph"}, {"show", "e1"}, {"show", "p1"},
		{"heads", "-v"}, {"branches", "-v"},
	} {
		out, errOut, code := runCLI(t, append([]string{"--dir", dir}, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		requireVisible(t, strings.Join(args, " "), out, evilShown...)
		requireVisible(t, strings.Join(args, " ")+" (stderr)", errOut, warning)
	}
	// An entry's path shows the file's name visibly.
	out, _, _ := runCLI(t, "--dir", dir, "show", "p1")
	requireVisible(t, "show p1", out, "Path: "+settings.AbsPath(filepath.Join(dir, "02_p1_␛]0;t␇.py")))
	if strings.Contains(out, pyFile) {
		t.Errorf("show p1 prints the raw file name:\n%q", out)
	}
	// Shell completions describe revisions by their messages.
	out, _, _ = runCLI(t, "--dir", dir, "__complete", "revision", "--depends-on", "")
	requireVisible(t, "completion", out, "p1\t"+evilShown[0])
	// An error quoting what was asked for.
	_, errOut, code := runCLI(t, "--dir", dir, "show", "zz"+evil)
	if code == 0 {
		t.Fatal("show of an unknown revision succeeded")
	}
	requireVisible(t, "show FAILED", errOut, "FAILED: Can't locate revision identified by 'zz"+evilShown[0]+"'")
}

func TestDatabaseVerbsShowControlsVisibly(t *testing.T) {
	dir, _ := evilProject(t)
	url := pgtest.NewDatabase(t)
	cli := func(args ...string) (string, string, int) {
		return runCLI(t, append([]string{"--dir", dir, "--db", url}, args...)...)
	}
	_, errOut, code := cli("upgrade", "e1")
	if code != 0 {
		t.Fatalf("upgrade e1: exit %d: %s", code, errOut)
	}
	requireVisible(t, "upgrade progress", errOut, "[1/1] Running upgrade  -> e1, "+evilShown[0])
	if _, errOut, code := cli("stamp", "p1", "s2"); code != 0 {
		t.Fatalf("stamp: exit %d: %s", code, errOut)
	}
	out, errOut, code := cli("current", "-v")
	if code != 0 {
		t.Fatalf("current -v: exit %d: %s", code, errOut)
	}
	requireVisible(t, "current -v", out, evilShown...)

	_, errOut, code = cli("upgrade", "f1")
	if code == 0 {
		t.Fatalf("upgrade f1 succeeded:\n%s", errOut)
	}
	boom := "ERROR: boom ␛]0;title␇ ␛[2J <U+202E> rtl <U+2066> iso (SQLSTATE P0001)"
	requireVisible(t, "failed upgrade", errOut,
		"DO $$ BEGIN /*␛]0;*/ /*kept*/ /*␇*/ RAISE", // nothing between ESC ] and BEL is lost
		boom)
	for _, prefix := range []string{"  failed, rolled back: ", "FAILED: "} {
		if !slices.ContainsFunc(lines(errOut), func(l string) bool { return strings.HasPrefix(l, prefix) && strings.Contains(l, boom) }) {
			t.Errorf("no line %q... quotes the error:\n%q", prefix, errOut)
		}
	}

	out, errOut, code = cli("log")
	if code != 0 {
		t.Fatalf("log: exit %d: %s", code, errOut)
	}
	requireVisible(t, "log", out, boom)
}

// The paths init creates and config reads show visibly.
func TestProjectVerbsShowControlsVisibly(t *testing.T) {
	dir := t.TempDir()
	out, errOut, code := retortIn(t, dir, nil, "init", "m\x1b[2J")
	if code != 0 {
		t.Fatalf("init: exit %d: %s", code, errOut)
	}
	requireVisible(t, "init", out, "Creating directory "+filepath.Join(cwd(t), "m␛[2J")+" ...  done")
	out, errOut, code = retortIn(t, dir, nil, "--config", "retort.toml", "--db", "sqlite:\u202e.db", "config")
	if code != 0 {
		t.Fatalf("config: exit %d: %s", code, errOut)
	}
	requireVisible(t, "config", out, `dirs = ["m\u001b[2J"]`, `db = "sqlite:\u202e.db"`)
}

// Every --json output escapes the controls Go's encoder leaves raw (bidi
// controls) as it escapes the others, and decodes back to the text itself.
func TestJSONEscapesControls(t *testing.T) {
	dir, _ := evilProject(t)
	url := pgtest.NewDatabase(t)
	runCLI(t, "--dir", dir, "--db", url, "stamp", "p1")
	runCLI(t, "--dir", dir, "--db", url, "upgrade", "f1") // fails: its audit row holds evil
	for _, args := range [][]string{
		{"history", "--json"}, {"show", "e1", "--json"}, {"heads", "--json"}, {"branches", "--json"},
		{"current", "--json"}, {"log", "--json"},
	} {
		out, errOut, code := runCLI(t, append([]string{"--dir", dir, "--db", url}, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		requireVisible(t, strings.Join(args, " "), out, `\u001b`, `\u202e`, `\u2066`)
		var v any
		if err := json.Unmarshal([]byte(out), &v); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
		if texts := strings.Join(jsonStrings(v), "\n"); !strings.Contains(texts, evil) &&
			!strings.Contains(texts, strings.Replace(evil, "evil", "boom", 1)) {
			t.Errorf("%v: no string decodes to the original text:\n%s", args, out)
		}
	}
}

// jsonStrings lists the strings anywhere in a decoded JSON value.
func jsonStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, jsonStrings(e)...)
		}
		return out
	case map[string]any:
		var out []string
		for _, e := range x {
			out = append(out, jsonStrings(e)...)
		}
		return out
	}
	return nil
}
