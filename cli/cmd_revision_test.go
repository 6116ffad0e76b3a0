package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"retort/revisions"
)

// revision and merge through the real command line, in-process, in a
// scratch directory.

var generatingLine = regexp.MustCompile(`^Generating (/\S+/([0-9a-f]{12})_(\S*)\.sql) \.\.\.  done\n$`)

func TestRevisionAndMergeCLI(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "migrations"), 0o755); err != nil {
		t.Fatal(err)
	}
	gen := func(args ...string) string {
		t.Helper()
		out, errOut, code := retortIn(t, dir, nil, args...)
		m := generatingLine.FindStringSubmatch(out)
		if code != 0 || m == nil {
			t.Fatalf("retort %v: %d\n%s%s", args, code, out, errOut)
		}
		if _, err := os.Stat(m[1]); err != nil {
			t.Fatalf("printed path does not exist: %v", err)
		}
		return m[2]
	}
	base := gen("revision", "-m", "Create documents")
	left := gen("revision", "-m", "left", "--branch-label", "left")
	right := gen("revision", "-m", "right", "--head", base, "--splice", "--branch-label", "right")

	out, errOut, code := retortIn(t, dir, nil, "revision", "-m", "x")
	if code != 1 || out != "" || !strings.HasPrefix(errOut, "FAILED: Multiple heads are present; please specify the head revision on which the new revision should be based, or perform a merge.\n") {
		t.Errorf("revision with two heads: %d %q %q", code, out, errOut)
	}
	_, errOut, _ = retortIn(t, dir, nil, "merge", "-m", "x", left, "nope")
	if !strings.HasPrefix(errOut, "FAILED: Can't locate revision identified by 'nope'\n") {
		t.Errorf("merge with an unknown revision: %q", errOut)
	}
	before, err := revisions.Load(filepath.Join(dir, "migrations"))
	if err != nil {
		t.Fatal(err)
	}
	merge := gen("merge", "-m", "join", "heads", "--branch-label", "main", "--rev-id", "abcdef012345")
	if merge != "abcdef012345" {
		t.Errorf("--rev-id ignored: %s", merge)
	}
	tools := gen("revision", "-m", "tools", "--head", "base", "--depends-on", "left")

	g, err := revisions.Load(filepath.Join(dir, "migrations"))
	if err != nil {
		t.Fatal(err)
	}
	m := g.Rev(merge)
	if want := before.IDs(before.RealHeads); m == nil || len(want) != 2 || strings.Join(m.Parents, ",") != strings.Join(want, ",") {
		t.Fatalf("merge revision %+v, want the heads %v as parents", m, want)
	}
	if r := g.Rev(tools); strings.Join(r.DependsOn, ",") != "left" || len(r.Parents) != 0 {
		t.Errorf("tools revision %+v", r)
	}
	if r := g.Rev(right); strings.Join(r.Parents, ",") != base || strings.Join(r.BranchLabels, ",") != "right" {
		t.Errorf("right revision %+v", r)
	}
	out, _, _ = retortIn(t, dir, nil, "heads")
	if want := merge + " (left, main, right) (head)\n" + tools + " (head)\n"; out != want && out != tools+" (head)\n"+merge+" (left, main, right) (head)\n" {
		t.Errorf("heads: %q", out)
	}
}

func TestRevisionWithoutVersionsDirectory(t *testing.T) {
	_, errOut, code := retortIn(t, t.TempDir(), nil, "revision", "-m", "x")
	if code == 0 || !strings.Contains(errOut, "versions directory migrations does not exist: create it with `retort init migrations`") {
		t.Errorf("%d %s", code, errOut)
	}
}

func TestRevisionRefusesBrokenHistory(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "migrations"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "migrations", "a_x.sql"), []byte("-- Revision ID: a\n-- Revises: missing\n\n-- +upgrade\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := retortIn(t, dir, nil, "revision", "-m", "x")
	if code == 0 || !strings.Contains(errOut, "fix the versions directory before adding a revision") || !strings.Contains(errOut, "a_x.sql:2: revision a revises missing") {
		t.Errorf("%d %s", code, errOut)
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "migrations")); len(entries) != 1 {
		t.Errorf("a revision was written into a broken history")
	}
}

// TestAuthoringWarnsInAlembicProjects: a .sql revision or merge written
// where Alembic looks for revisions is invisible to Alembic, and retort says
// so on stderr; elsewhere it says nothing.
func TestAuthoringWarnsInAlembicProjects(t *testing.T) {
	py := func(id string) string {
		return "\"\"\"" + id + "\n\nRevision ID: " + id + "\n\"\"\"\nrevision = '" + id + "'\ndown_revision = None\nbranch_labels = None\ndepends_on = None\n"
	}
	cases := []struct {
		name  string
		files map[string]string
		args  []string
		why   string // "" for no warning
	}{
		{name: "settings from alembic.ini", files: map[string]string{"alembic.ini": "[alembic]\nscript_location = alembic\n", "alembic/versions/a000_first.py": py("a000")},
			args: []string{"revision", "-m", "add loans"}, why: "(its location comes from $DIR/alembic.ini [alembic] script_location)"},
		{name: "alembic.ini, empty versions directory", files: map[string]string{"alembic.ini": "[alembic]\nscript_location = alembic\n", "alembic/versions/README": ""},
			args: []string{"revision", "-m", "add loans"}, why: "(its location comes from $DIR/alembic.ini [alembic] script_location)"},
		{name: ".py revisions in --dir", files: map[string]string{"versions/a000_first.py": py("a000")},
			args: []string{"--dir", "versions", "revision", "-m", "add loans"}, why: "(it holds Alembic .py revisions such as a000_first.py)"},
		{name: "merge of .py heads", files: map[string]string{"versions/a000_first.py": py("a000"), "versions/b000_second.py": py("b000")},
			args: []string{"--dir", "versions", "merge", "-m", "join", "heads"}, why: "(it holds Alembic .py revisions such as a000_first.py)"},
		{name: ".py revisions in another versions directory", files: map[string]string{"py/a000_first.py": py("a000"), "sql/b000_x.sql": "-- Revision ID: b000\n-- +upgrade\n"},
			args: []string{"-d", "sql", "-d", "py", "revision", "-m", "x", "--head", "b000"}},
		{name: "a retort project", files: map[string]string{"migrations/b000_x.sql": "-- Revision ID: b000\n-- +upgrade\n"},
			args: []string{"revision", "-m", "x"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, c.files)
			out, errOut, code := retortIn(t, dir, nil, c.args...)
			m := generatingLine.FindStringSubmatch(out)
			if code != 0 || m == nil {
				t.Fatalf("exit %d\n%s%s", code, out, errOut)
			}
			if c.why == "" {
				if errOut != "" {
					t.Errorf("unexpected stderr: %s", errOut)
				}
				return
			}
			for _, want := range []string{
				"warning: Alembic will not see " + filepath.Base(m[1]) + ": Alembic loads only .py revision files,\n",
				strings.ReplaceAll(c.why, "$DIR", cwd(t)),
				"Can't locate revision identified by '" + m[2] + "'",
				`use "alembic revision" instead`,
			} {
				if !strings.Contains(errOut, want) {
					t.Errorf("stderr lacks %q:\n%s", want, errOut)
				}
			}
			// The revision was written all the same, and loads.
			if _, err := revisions.Load(filepath.Dir(m[1])); err != nil {
				t.Errorf("reloading: %v", err)
			}
		})
	}
}
