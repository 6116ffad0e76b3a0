package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
)

type caseGraph struct {
	HistoryLines       []string `json:"history_lines"`
	HeadsLines         []string `json:"heads_lines"`
	HeadsResolvedLines []string `json:"heads_resolved_lines"`
	BranchesLines      []string `json:"branches_lines"`
}

type caseRun struct {
	Argv        []string  `json:"argv"`
	OK          bool      `json:"ok"`
	Error       *string   `json:"error"`
	ErrorDetail *string   `json:"error_detail"`
	Warnings    []string  `json:"warnings"`
	Rows        *[]string `json:"rows"`
	Stdout      []string  `json:"stdout"`
}

type caseFile struct {
	Graph caseGraph `json:"graph"`
	Cases []struct {
		ID   string    `json:"id"`
		Kind string    `json:"kind"`
		Mode string    `json:"mode"`
		Runs []caseRun `json:"runs"`
	} `json:"cases"`
}

func readCase(t *testing.T, dir string) caseFile {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var c caseFile
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

// The read-only verbs print Alembic's lines, line for line, for every
// conformance case, from both readers.
func TestReadOnlyVerbsMatchAlembic(t *testing.T) {
	dirs, _ := filepath.Glob("../testdata/conformance/*")
	if len(dirs) < 30 {
		t.Fatalf("conformance cases missing: %v", dirs)
	}
	for _, dir := range dirs {
		exp := readCase(t, dir)
		for _, sub := range []string{"sql", "alembic/versions"} {
			versions := filepath.Join(dir, sub)
			t.Run(filepath.Base(dir)+"/"+sub, func(t *testing.T) {
				check := func(want []string, args ...string) {
					t.Helper()
					out, errOut, code := runCLI(t, append([]string{"--dir", versions}, args...)...)
					if code != 0 {
						t.Fatalf("%v: exit %d: %s", args, code, errOut)
					}
					got := lines(out)
					if !reflect.DeepEqual(got, want) {
						t.Errorf("%v:\n got  %q\n want %q", args, got, want)
					}
				}
				check(exp.Graph.HeadsLines, "heads")
				check(exp.Graph.HeadsResolvedLines, "heads", "--resolve-dependencies")
				check(exp.Graph.HistoryLines, "history")
				check(exp.Graph.BranchesLines, "branches")
				for _, c := range exp.Cases {
					for _, r := range c.Runs {
						if r.Argv[0] == "history" && r.OK {
							check(r.Stdout, r.Argv...)
						}
					}
				}
			})
		}
	}
}

func TestErrorsGoToStderrWithAlembicMessage(t *testing.T) {
	dir := "../testdata/conformance/h01_two_trees/sql"
	cases := []struct {
		args []string
		want []string // stderr lines
	}{
		{[]string{"show", "zzzz"}, []string{"FAILED: Can't locate revision identified by 'zzzz'"}},
		{[]string{"history", "-r", "e000"}, []string{"FAILED: History range requires [start]:[end], [start]:, or :[end]"}},
		{[]string{"history", "-r", "f000:e000"}, []string{"FAILED: Requested range f000:e000 does not refer to ancestor/descendant revisions along the same branch"}},
		{[]string{"show", "head"}, []string{
			"FAILED: Multiple head revisions are present for given argument 'head'; please specify a specific target revision, '<branchname>@head' to narrow to a specific head, or 'heads' for all heads"}},
	}
	for _, c := range cases {
		out, errOut, code := runCLI(t, append([]string{"--dir", dir}, c.args...)...)
		if code == 0 || out != "" {
			t.Errorf("%v: exit %d, stdout %q", c.args, code, out)
		}
		if !reflect.DeepEqual(lines(errOut), c.want) {
			t.Errorf("%v: stderr\n got  %q\n want %q", c.args, lines(errOut), c.want)
		}
	}
}

func TestAmbiguousPrefixListsTheCandidates(t *testing.T) {
	dir := t.TempDir()
	for _, id := range []string{"abcd0001", "abcd0002", "abcd0003", "abcd0004"} {
		src := "-- Revision ID: " + id + "\n-- Revises:\n-- Message: m\n\n-- +upgrade\n"
		if err := os.WriteFile(filepath.Join(dir, id+".sql"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, errOut, code := runCLI(t, "--dir", dir, "show", "abc")
	want := []string{
		"FAILED: Can't locate revision identified by 'abc'",
		"  Multiple revisions start with 'abc': abcd0001, abcd0002, abcd0003, abcd0004",
	}
	if code == 0 || !reflect.DeepEqual(lines(errOut), want) {
		t.Errorf("exit %d, stderr\n got  %q\n want %q", code, lines(errOut), want)
	}
}

// Every failed run the cases recorded (except Alembic's crashes and the
// row-order dependent ones, where retort refuses with its own words), run
// through retort's CLI, prints Alembic's line on stderr: `FAILED: ` and the
// recorded message, then, for an ambiguous prefix only, the candidates.
// Offline runs are run on both readers; an online one on the .sql reader,
// against an SQLite database stamped to the rows Alembic had before it.
func TestRecordedErrorsMatchAlembic(t *testing.T) {
	dirs, _ := filepath.Glob("../testdata/conformance/*")
	if len(dirs) < 30 {
		t.Fatalf("conformance cases missing: %v", dirs)
	}
	compared := 0
	for _, dir := range dirs {
		exp := readCase(t, dir)
		for _, c := range exp.Cases {
			for k, r := range c.Runs {
				if !comparableError(r) {
					continue
				}
				if c.Mode == "offline" {
					for _, sub := range []string{"sql", "alembic/versions"} {
						checkRecordedError(t, c.ID, r, "--dir", filepath.Join(dir, sub))
					}
				} else {
					db := stampedDatabase(t, filepath.Join(dir, "sql"), c.Runs[:k])
					checkRecordedError(t, c.ID, r, "--dir", filepath.Join(dir, "sql"), "--db", db)
				}
				compared++
			}
		}
	}
	if compared < 800 {
		t.Errorf("only %d recorded errors compared", compared)
	}
	t.Logf("%d recorded errors compared", compared)
}

func comparableError(r caseRun) bool {
	if r.OK || strings.HasPrefix(*r.Error, "UNCAUGHT") {
		return false
	}
	for _, w := range r.Warnings {
		if strings.Contains(w, "downgrade -1 from multiple heads is ambiguous") {
			return false
		}
	}
	return true
}

// stampedDatabase is a fresh SQLite database holding the version rows the
// last of the earlier runs left (none: no table).
func stampedDatabase(t *testing.T, versions string, earlier []caseRun) string {
	t.Helper()
	url := "sqlite:" + filepath.Join(t.TempDir(), "t.db")
	for k := len(earlier) - 1; k >= 0; k-- {
		if rows := earlier[k].Rows; rows != nil {
			if len(*rows) > 0 {
				args := append([]string{"--dir", versions, "--db", url, "--no-audit", "stamp", "--purge"}, *rows...)
				if _, errOut, code := runCLI(t, args...); code != 0 {
					t.Fatalf("stamp %v: %s", *rows, errOut)
				}
			}
			break
		}
	}
	return url
}

func checkRecordedError(t *testing.T, id string, r caseRun, flags ...string) {
	t.Helper()
	_, errOut, code := runCLI(t, append(flags, r.Argv...)...)
	want := []string{"FAILED: " + *r.Error}
	if r.ErrorDetail != nil && strings.HasPrefix(*r.ErrorDetail, "Multiple revisions start with") {
		got := lines(errOut)
		if len(got) == 2 && strings.HasPrefix(got[1], "  Multiple revisions start with") {
			want = append(want, got[1])
		}
	}
	if code == 0 || !reflect.DeepEqual(lines(errOut), want) {
		t.Errorf("case %q %v %v: exit %d, stderr\n got  %q\n want %q", id, flags, r.Argv, code, lines(errOut), want)
	}
}

func TestBrokenDirectoryListsEveryProblem(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a.sql": "-- Revision ID: a1\n-- Revises: zz\n\n-- +upgrade\n",
		"b.sql": "-- Revision ID: b-1\n\n-- +upgrade\n",
	}
	for n, src := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, errOut, code := runCLI(t, "--dir", dir, "heads")
	for _, want := range []string{filepath.Join(dir, "a.sql") + ":2: revision a1 revises zz", filepath.Join(dir, "b.sql") + ":1: Character(s) '-'"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if code == 0 {
		t.Error("exit 0 on a broken directory")
	}
}

func TestJSONOutput(t *testing.T) {
	dir := "../testdata/conformance/h02_effective_head/sql"
	out, errOut, code := runCLI(t, "--dir", dir, "heads", "--json")
	if code != 0 {
		t.Fatal(errOut)
	}
	var heads []revisionJSON
	if err := json.Unmarshal([]byte(out), &heads); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range heads {
		ids = append(ids, h.Revision)
		if h.Revision == "c000" && (!h.EffectiveHead || h.Head) {
			t.Errorf("c000 should be an effective head only: %+v", h)
		}
	}
	if !reflect.DeepEqual(ids, []string{"c000", "f000", "g000"}) {
		t.Errorf("heads %v", ids)
	}
	out, _, _ = runCLI(t, "--dir", dir, "history", "--json")
	var hist []revisionJSON
	if err := json.Unmarshal([]byte(out), &hist); err != nil || len(hist) != 7 {
		t.Fatalf("history --json: %v, %d entries", err, len(hist))
	}
	out, _, _ = runCLI(t, "--dir", dir, "show", "d000", "--json")
	var show []revisionJSON
	if err := json.Unmarshal([]byte(out), &show); err != nil || len(show) != 1 || !reflect.DeepEqual(show[0].DependsOn, []string{"c000"}) {
		t.Fatalf("show --json: %v %+v", err, show)
	}
}

// `show` prints Alembic's Script.log_entry: for a .py revision the whole
// docstring, for a .sql one its message and header, the docstring Alembic's
// template writes.
func TestShowPrintsAlembicEntry(t *testing.T) {
	dir := "../testdata/conformance/h01_two_trees"
	for sub, doc := range map[string]string{
		"sql":              "    step 7\n    \n    Revision ID: y000\n    Revises: x000\n    Create Date: 2024-01-01 00:00:07\n    Depends On: c000\n",
		"alembic/versions": "    step 7\n    \n    Revision ID: y000\n    Revises: x000\n    Create Date: 2024-01-01 00:00:07\n",
	} {
		versions := filepath.Join(dir, sub)
		out, _, code := runCLI(t, "--dir", versions, "show", "y000")
		file := "y000_step_7.sql"
		if sub != "sql" {
			file = "y000_step_7.py"
		}
		abs, _ := filepath.Abs(filepath.Join(versions, file))
		want := "Rev: y000 (head)\nParent: x000\nAlso depends on: c000\nBranch names: other\nPath: " + abs + "\n\n" + doc + "\n"
		if code != 0 || out != want {
			t.Errorf("%s: exit %d\n got  %q\n want %q", sub, code, out, want)
		}
	}
}

// What Alembic 1.8.1 printed for `show` and `branches -v` on the pyforms
// (sets sorted; paths made relative to the versions directory).
const (
	pyformsShow3c = `Rev: 3c0000000003
Parent: 1a0000000001
Branch names: core, records
Path: $DIR/3c0000000003_records_branch.py

    Start the records branch.
    
    A longer description that spans
    several lines and must not become the message.

`
	pyformsBranchesVerbose = `Rev: 2b0000000002 (branchpoint)
Parent: 1a0000000001
Branches into: 5e0000000005, 8b0000000008
Branch names: core
Path: $DIR/2b0000000002_add_users.py

    Add users
    
    Revision ID: 2b0000000002
    Revises: 1a0000000001
    Create Date: 2024-02-01 10:00:00.000000

             -> 5e0000000005 (core, records) (effective head) (mergepoint), Merge core and records.
             -> 8b0000000008 (core), Side branch from users, left unmerged.

Rev: 1a0000000001 (branchpoint)
Parent: <base>
Branches into: 2b0000000002, 3c0000000003
Branch names: core
Path: $DIR/1a0000000001_create_core.py

    Create core tables.

             -> 2b0000000002 (core) (branchpoint), Add users
             -> 3c0000000003 (core, records), Start the records branch.

`
)

func TestVerboseEntriesMatchAlembic(t *testing.T) {
	versions := "../testdata/pyforms/alembic/versions"
	abs, _ := filepath.Abs(versions)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"show", "3c00"}, pyformsShow3c},
		{[]string{"branches", "-v"}, pyformsBranchesVerbose},
	} {
		out, errOut, code := runCLI(t, append([]string{"--dir", versions}, c.args...)...)
		want := strings.ReplaceAll(c.want, "$DIR", abs)
		if code != 0 || out != want {
			t.Errorf("%v: exit %d %s\n got  %q\n want %q", c.args, code, errOut, out, want)
		}
	}
}

// A file's warnings go to stderr, once, naming the file; stdout stays
// Alembic's lines, and pure JSON with --json (where they are a field too).
func TestReadOnlyVerbsPrintWarningsOnStderr(t *testing.T) {
	versions := "../testdata/pyforms/alembic/versions"
	file := filepath.Join(versions, "7a0000000007_files_checksum.py")
	want := []string{
		"warning: " + file + ": depends_on is read as if `import retort_example_optional_package` in the try block on line 9 succeeds, as where the application's packages are installed; if it fails, Alembic reads another value",
		"warning: " + file + ": depends_on 4d0000000004 is already an ancestor of 7a0000000007; retort ignores it (Alembic would write a redundant version row for it on downgrade)",
	}
	exp := struct {
		HeadsLines []string `json:"heads_lines"`
	}{}
	raw, err := os.ReadFile("../testdata/pyforms/expected.json")
	if err != nil || json.Unmarshal(raw, &exp) != nil {
		t.Fatalf("pyforms expected.json: %v", err)
	}
	for _, args := range [][]string{{"heads"}, {"history"}, {"branches"}, {"show", "heads"}, {"heads", "--json"}} {
		out, errOut, code := runCLI(t, append([]string{"--dir", versions}, args...)...)
		if code != 0 || !reflect.DeepEqual(lines(errOut), want) {
			t.Errorf("%v: exit %d, stderr\n got  %q\n want %q", args, code, lines(errOut), want)
		}
		switch strings.Join(args, " ") {
		case "heads":
			if !reflect.DeepEqual(lines(out), exp.HeadsLines) {
				t.Errorf("heads: stdout %q, want %q", lines(out), exp.HeadsLines)
			}
		case "heads --json":
			var heads []revisionJSON
			if err := json.Unmarshal([]byte(out), &heads); err != nil {
				t.Fatalf("heads --json: %v\n%s", err, out)
			}
		}
	}
	out, _, _ := runCLI(t, "--dir", versions, "show", "7a00", "--json")
	var show []revisionJSON
	if err := json.Unmarshal([]byte(out), &show); err != nil || len(show) != 1 || len(show[0].Warnings) != 2 {
		t.Errorf("show 7a00 --json: %v %+v", err, show)
	}
}

// Only `current` itself as an end of the range reads the database: a label
// or id that contains the word does not.
func TestHistoryRangeReadsTheDatabaseOnlyForCurrent(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a.sql": "-- Revision ID: a1\n-- Revises:\n-- Branch Labels: concurrent\n-- Message: base\n\n-- +upgrade\n",
		"b.sql": "-- Revision ID: b1\n-- Revises: a1\n-- Message: next\n\n-- +upgrade\n",
	}
	for n, src := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	broken := "sqlite:" + dir // a directory: opening it fails
	for _, rng := range []string{"concurrent:", "concurrent@head:", ":concurrent@head", "a1:b1"} {
		out, errOut, code := runCLI(t, "--dir", dir, "--db", broken, "history", "-r", rng)
		if code != 0 || len(lines(out)) == 0 {
			t.Errorf("history -r %s opened the database: exit %d %s", rng, code, errOut)
		}
	}
	for _, rng := range []string{"current:", ":current", " current:heads"} {
		if _, _, code := runCLI(t, "--dir", dir, "--db", broken, "history", "-r", rng); code == 0 {
			t.Errorf("history -r %q did not read the database", rng)
		}
	}
	db := "sqlite:" + filepath.Join(t.TempDir(), "t.db")
	out, errOut, code := runCLI(t, "--dir", dir, "--db", db, "history", "-r", "current:")
	if want := []string{"a1 -> b1 (concurrent) (head), next", "<base> -> a1 (concurrent), base"}; code != 0 || !reflect.DeepEqual(lines(out), want) {
		t.Errorf("history -r current: on an empty database: exit %d %s\n got  %q\n want %q", code, errOut, lines(out), want)
	}
}

// A FIFO and a symlink to /dev/zero in the versions directory are skipped,
// each with a warning naming it, and the rest of the history shows: reading
// the FIFO would hang forever and /dev/zero would fill the memory.
func TestSkippedEntriesAreNamed(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a1_base.sql"), []byte("-- Revision ID: a1\n-- Revises:\n-- Message: base\n\n-- +upgrade\nSELECT 1;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "b2_fifo.sql"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "c3_zero.sql")); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI(t, "--dir", dir, "heads")
	if code != 0 || strings.TrimSpace(out) != "a1 (head)" {
		t.Fatalf("heads: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	for _, name := range []string{"b2_fifo.sql", "c3_zero.sql"} {
		if !strings.Contains(errOut, "warning: "+filepath.Join(dir, name)+": ") {
			t.Errorf("stderr does not name %s:\n%s", name, errOut)
		}
	}
}
