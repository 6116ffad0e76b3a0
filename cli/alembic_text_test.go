package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"retort/cli/settings"
)

// The lines the read-only verbs print are Alembic's. The conformance cases'
// heads, history and branches are compared in TestReadOnlyVerbsMatchAlembic;
// here, the pyforms directory, a graph mixing both formats, a docstring over
// several lines, and every recorded `alembic current`.

func TestPyformsPrintAlembicLines(t *testing.T) {
	raw, err := os.ReadFile("../testdata/pyforms/expected.json")
	if err != nil {
		t.Fatal(err)
	}
	var exp caseGraph
	if err := json.Unmarshal(raw, &exp); err != nil {
		t.Fatal(err)
	}
	if len(exp.HeadsLines) == 0 || len(exp.HistoryLines) == 0 || len(exp.BranchesLines) == 0 {
		t.Fatalf("pyforms/expected.json lacks output lines: %+v", exp)
	}
	versions := "../testdata/pyforms/alembic/versions"
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"heads"}, exp.HeadsLines},
		{[]string{"heads", "--resolve-dependencies"}, exp.HeadsResolvedLines},
		{[]string{"history"}, exp.HistoryLines},
		{[]string{"branches"}, exp.BranchesLines},
	} {
		out, errOut, code := runCLI(t, append([]string{"--dir", versions}, c.args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", c.args, code, errOut)
		}
		if got, want := alembicLines(lines(out)), alembicLines(c.want); !slices.Equal(got, want) {
			t.Errorf("%v:\n got  %q\n want %q", c.args, got, want)
		}
	}
}

// alembicLines puts recorded or printed lines in the form the cases README
// compares them in: Alembic prints a revision's labels and a branch point's
// children from Python sets, in hash order, so the label list after a
// revision id is sorted, and so is each block of `->` child lines.
func alembicLines(lines []string) []string {
	out := make([]string, len(lines))
	for k, l := range lines {
		out[k] = sortLabelList(l)
	}
	for i := 0; i < len(out); {
		j := i
		for j < len(out) && strings.HasPrefix(strings.TrimLeft(out[j], " "), "-> ") {
			j++
		}
		sort.Strings(out[i:j])
		i = max(j, i+1)
	}
	return out
}

// sortLabelList sorts the parenthesised list that follows the revision id
// of an Alembic line (`down (deps) -> id (labels) ...` or `id (labels) ...`).
func sortLabelList(line string) string {
	start := len(line) - len(strings.TrimLeft(line, " "))
	if k := strings.Index(line, "-> "); k >= 0 {
		start = k + len("-> ")
	}
	end := start + strings.IndexAny(line[start:]+" ", " ,")
	rest := line[end:]
	if !strings.HasPrefix(rest, " (") {
		return line
	}
	group, after, ok := strings.Cut(rest[2:], ")")
	switch group {
	case "head", "effective head", "current", "branchpoint", "mergepoint":
		return line
	}
	if !ok {
		return line
	}
	labels := strings.Split(group, ", ")
	sort.Strings(labels)
	return line[:end] + " (" + strings.Join(labels, ", ") + ")" + after
}

func TestSortLabelList(t *testing.T) {
	for in, want := range map[string]string{
		"a, b (d2, d1) -> c (z, y) (head), msg (x, w)": "a, b (d2, d1) -> c (y, z) (head), msg (x, w)",
		"c (z, y) (head)":                   "c (y, z) (head)",
		"   -> c (z, y) (branchpoint)":      "   -> c (y, z) (branchpoint)",
		"c (head)":                          "c (head)",
		"<base> -> c, doc (b, a)":           "<base> -> c, doc (b, a)",
		"2b (3c) -> 8b (core), Side (x, y)": "2b (3c) -> 8b (core), Side (x, y)",
	} {
		if got := sortLabelList(in); got != want {
			t.Errorf("sortLabelList(%q) = %q, want %q", in, got, want)
		}
	}
}

// A graph whose parents and dependencies cross between .sql and .py files
// prints what Alembic 1.8.1 printed for the same graph written as .py files
// only, and the same as the graph written as .sql files only.
func TestMixedFormatsPrintAlembicLines(t *testing.T) {
	revs := []struct{ file, id, parents, deps, labels, msg string }{
		{"01_base", "a1", "", "", "core", "base"},
		{"02_users", "b2", "a1", "", "", "users"},
		{"03_records", "c3", "a1", "", "records", "records"},
		{"04_index", "d4", "c3", "b2", "", "index records"},
		{"05_merge", "e5", "b2, d4", "", "", "merge"},
		{"06_files", "f6", "", "a1", "files", "files base"},
		{"07_side", "g7", "b2", "c3", "", "side branch"},
		{"08_top", "h8", "e5, f6", "", "", "top merge"},
	}
	mixed, sqlOnly := t.TempDir(), t.TempDir()
	for k, r := range revs {
		sql := fmt.Sprintf("-- Revision ID: %s\n-- Revises: %s\n", r.id, r.parents)
		if r.labels != "" {
			sql += "-- Branch Labels: " + r.labels + "\n"
		}
		if r.deps != "" {
			sql += "-- Depends On: " + r.deps + "\n"
		}
		sql += "-- Message: " + r.msg + "\n\n-- +upgrade\n"
		py := fmt.Sprintf("\"\"\"%s\"\"\"\nrevision = %q\ndown_revision = %s\nbranch_labels = %s\ndepends_on = %s\n",
			r.msg, r.id, pyTuple(r.parents), pyTuple(r.labels), pyTuple(r.deps))
		writeFiles(t, sqlOnly, map[string]string{r.file + ".sql": sql})
		if k%2 == 1 {
			writeFiles(t, mixed, map[string]string{r.file + ".py": py})
		} else {
			writeFiles(t, mixed, map[string]string{r.file + ".sql": sql})
		}
	}
	want := map[string][]string{
		"history": {
			"b2 (c3) -> g7 (core) (head), side branch",
			"e5, f6 -> h8 (core, files, records) (head) (mergepoint), top merge",
			"b2, d4 -> e5 (core, records) (mergepoint), merge",
			"c3 (b2) -> d4 (core, records), index records",
			"a1 -> b2 (core) (branchpoint), users",
			"a1 -> c3 (core, records), records",
			"<base> (a1) -> f6 (files), files base",
			"<base> -> a1 (core) (branchpoint), base",
		},
		"heads": {"g7 (core) (head)", "h8 (core, files, records) (head)"},
		"branches": {
			"b2 (core) (branchpoint)", "   -> e5 (core, records) (mergepoint)", "   -> g7 (core) (head)", "",
			"a1 (core) (branchpoint)", "   -> b2 (core) (branchpoint)", "   -> c3 (core, records)", "",
		},
	}
	for name, dir := range map[string]string{"mixed": mixed, "sql": sqlOnly} {
		for verb, lines := range want {
			out, errOut, code := runCLI(t, "--dir", dir, verb)
			if got := strings.Split(strings.TrimSuffix(out, "\n"), "\n"); code != 0 || !slices.Equal(got, lines) {
				t.Errorf("%s: %s: exit %d %s\n got  %q\n want %q", name, verb, code, errOut, got, lines)
			}
		}
	}
}

// pyTuple writes a comma-separated list as a Python tuple, or None.
func pyTuple(list string) string {
	if list == "" {
		return "None"
	}
	var q []string
	for _, x := range strings.Split(list, ",") {
		q = append(q, fmt.Sprintf("%q", strings.TrimSpace(x)))
	}
	return "(" + strings.Join(q, ", ") + ",)"
}

// Alembic prints a .py revision's docstring whole in `show` (split as
// Python's str.splitlines splits) and its first paragraph in `history`; the
// expected lines are what Alembic 1.8.1 printed for this file.
func TestPythonDocstringInShowAndHistory(t *testing.T) {
	src := "\"\"\"  First line\nsecond line\n\n  Revision ID: x1\n\vform feed\n  \"\"\"\n" +
		"revision = \"x1\"\ndown_revision = None\nbranch_labels = None\ndepends_on = None\n"
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"01_x1.py": src})
	out, errOut, code := runCLI(t, "--dir", dir, "history")
	if want := "<base> -> x1 (head), First line\nsecond line\n"; code != 0 || out != want {
		t.Errorf("history: exit %d %s\n got  %q\n want %q", code, errOut, out, want)
	}
	out, errOut, code = runCLI(t, "--dir", dir, "show", "x1")
	want := "Rev: x1 (head)\nParent: <base>\nPath: " + settings.AbsPath(filepath.Join(dir, "01_x1.py")) +
		"\n\n    First line\n    second line\n    \n      Revision ID: x1\n    \n    form feed\n\n"
	if code != 0 || out != want {
		t.Errorf("show: exit %d %s\n got  %q\n want %q", code, errOut, out, want)
	}
}

func TestPyLinesSplitsAsPython(t *testing.T) {
	for in, want := range map[string][]string{
		"":                     nil,
		"a":                    {"a"},
		"a\n":                  {"a"},
		"a\r\nb\rc\vd\fe":      {"a", "b", "c", "d", "e"},
		"a\u0085b\u2028c\n\nd": {"a", "b", "c", "", "d"},
		"\n\nx":                {"", "", "x"},
	} {
		if got := pyLines(in); !slices.Equal(got, want) {
			t.Errorf("pyLines(%q) = %q, want %q", in, got, want)
		}
	}
}

// Every `alembic current` the cases recorded prints the same lines through
// retort's CLI, from both readers, on an SQLite database stamped to the
// rows Alembic had before it.
func TestRecordedCurrentMatchesAlembic(t *testing.T) {
	dirs, _ := filepath.Glob("../testdata/conformance/*")
	if len(dirs) < 30 {
		t.Fatalf("conformance cases missing: %v", dirs)
	}
	compared := 0
	for _, dir := range dirs {
		for _, c := range readCase(t, dir).Cases {
			for k, r := range c.Runs {
				if r.Argv[0] != "current" {
					continue
				}
				for _, sub := range []string{"sql", "alembic/versions"} {
					versions := filepath.Join(dir, sub)
					db := stampedDatabase(t, versions, c.Runs[:k])
					out, errOut, code := runCLI(t, append([]string{"--dir", versions, "--db", db}, r.Argv...)...)
					if code != 0 || !reflect.DeepEqual(lines(out), nonNilStrings(r.Stdout)) {
						t.Errorf("case %q run %d %s: exit %d %s\n got  %q\n want %q", c.ID, k, sub, code, errOut, lines(out), r.Stdout)
					}
					compared++
				}
			}
		}
	}
	if compared < 250 {
		t.Errorf("only %d recorded current runs compared", compared)
	}
	t.Logf("%d recorded current runs compared", compared)
}
