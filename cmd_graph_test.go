package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// runCLI runs retort in-process with args and returns stdout, stderr and the
// exit status. The environment never leaks in: DATABASE_URL and RETORT_DIR
// are cleared for the test.
func runCLI(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	t.Setenv("DATABASE_URL", "")
	t.Setenv("RETORT_DIR", "")
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}

func lines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return []string{}
	}
	return strings.Split(s, "\n")
}

type caseGraph struct {
	HistoryLines       []string `json:"history_lines"`
	HeadsLines         []string `json:"heads_lines"`
	HeadsResolvedLines []string `json:"heads_resolved_lines"`
	BranchesLines      []string `json:"branches_lines"`
}

type caseRun struct {
	Argv   []string `json:"argv"`
	OK     bool     `json:"ok"`
	Error  *string  `json:"error"`
	Stdout []string `json:"stdout"`
}

type caseFile struct {
	Graph caseGraph `json:"graph"`
	Cases []struct {
		Kind string    `json:"kind"`
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
	dirs, _ := filepath.Glob("testdata/conformance/*")
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
	dir := "testdata/conformance/h01_two_trees/sql"
	cases := []struct {
		args []string
		want []string // stderr lines
	}{
		{[]string{"show", "zzzz"}, []string{"FAILED: Can't locate revision identified by 'zzzz'", "  No such revision or branch 'zzzz'"}},
		{[]string{"history", "-r", "e000"}, []string{"FAILED: History range requires [start]:[end], [start]:, or :[end]"}},
		{[]string{"history", "-r", "f000:e000"}, []string{"FAILED: Requested range f000:e000 does not refer to ancestor/descendant revisions along the same branch", "  Revision f000 is not an ancestor of revision e000"}},
		{[]string{"show", "head"}, []string{
			"FAILED: Multiple head revisions are present for given argument 'head'; please specify a specific target revision, '<branchname>@head' to narrow to a specific head, or 'heads' for all heads",
			"  Multiple heads are present for given argument 'head'; e000, f000, y000"}},
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
		"  Multiple revisions start with 'abc': 'abcd0001', 'abcd0002', 'abcd0003'...",
		"  candidates: abcd0001, abcd0002, abcd0003, abcd0004",
	}
	if code == 0 || !reflect.DeepEqual(lines(errOut), want) {
		t.Errorf("exit %d, stderr\n got  %q\n want %q", code, lines(errOut), want)
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
	dir := "testdata/conformance/h02_effective_head/sql"
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

func TestShowPrintsAlembicEntry(t *testing.T) {
	dir := "testdata/conformance/h01_two_trees/sql"
	out, _, code := runCLI(t, "--dir", dir, "show", "y000")
	abs, _ := filepath.Abs(filepath.Join(dir, "y000_step_7.sql"))
	want := "Rev: y000 (head)\nParent: x000\nAlso depends on: c000\nBranch names: other\nPath: " + abs + "\n\n    step 7\n\n"
	if code != 0 || out != want {
		t.Errorf("exit %d\n got  %q\n want %q", code, out, want)
	}
}
