package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// writeRevisions writes retort .sql revisions "id: parent,parent | dep" into
// a temp dir.
func writeRevisions(t *testing.T, specs ...string) string {
	t.Helper()
	dir := t.TempDir()
	for k, s := range specs {
		id, rest, _ := strings.Cut(s, ":")
		parents, deps, _ := strings.Cut(rest, "|")
		id = strings.TrimSpace(id)
		text := fmt.Sprintf("-- Revision ID: %s\n-- Revises: %s\n", id, strings.TrimSpace(parents))
		if d := strings.TrimSpace(deps); d != "" {
			text += "-- Depends On: " + d + "\n"
		}
		text += "-- Message: rev " + id + "\n\n-- +upgrade\nSELECT 1;\n\n-- +downgrade\nSELECT 1;\n"
		name := filepath.Join(dir, fmt.Sprintf("%02d_%s.sql", k, id))
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestHistoryGraphDrawsLanes(t *testing.T) {
	dir := writeRevisions(t,
		"a1: ",
		"b1: a1",
		"c1: a1",
		"d1: c1 | b1",
		"e1: b1, d1",
	)
	out, errOut, code := runCLI(t, "--dir", dir, "--ascii", "history", "--graph")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := []string{
		"m-\\    b1, d1 -> e1 (head) (mergepoint), rev e1",
		"| o..  c1 (b1) -> d1, rev d1",
		"| o :  a1 -> c1, rev c1",
		"o.|.'  a1 -> b1, rev b1",
		"o-/    <base> -> a1 (branchpoint), rev a1",
	}
	got := lines(out)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("history --graph:\n%s\nwant:\n%s", out, strings.Join(want, "\n"))
	}
}

// Every conformance history, drawn in lanes, keeps Alembic's lines and
// order after the lane columns, which hold only graph glyphs.
func TestHistoryGraphKeepsAlembicLines(t *testing.T) {
	dirs, _ := filepath.Glob("../testdata/conformance/*")
	for _, dir := range dirs {
		exp := readCase(t, dir)
		versions := filepath.Join(dir, "sql")
		out, errOut, code := runCLI(t, "--dir", versions, "--ascii", "history", "--graph")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", dir, code, errOut)
		}
		got := lines(out)
		if len(got) != len(exp.Graph.HistoryLines) {
			t.Fatalf("%s: %d lines, want %d", dir, len(got), len(exp.Graph.HistoryLines))
		}
		for k, line := range got {
			want := exp.Graph.HistoryLines[k]
			lanes, ok := strings.CutSuffix(line, " "+want)
			if !ok || strings.Trim(lanes, "|/\\-+.:'o*@mMx ") != "" || strings.Count(lanes, "o")+strings.Count(lanes, "m") != 1 {
				t.Errorf("%s line %d: %q does not draw %q", dir, k, line, want)
			}
		}
	}
}

// A first docstring paragraph over several lines stays on its row.
func TestHistoryGraphKeepsOneLinePerRevision(t *testing.T) {
	dir := t.TempDir()
	src := "\"\"\"First line\nsecond line\n\nRevision ID: x1\n\"\"\"\nrevision = \"x1\"\ndown_revision = None\n"
	if err := os.WriteFile(filepath.Join(dir, "x1.py"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI(t, "--dir", dir, "--ascii", "history", "--graph")
	if want := []string{"o  <base> -> x1 (head), First line second line"}; code != 0 || !reflect.DeepEqual(lines(out), want) {
		t.Errorf("exit %d %s\n got  %q\n want %q", code, errOut, lines(out), want)
	}
}
