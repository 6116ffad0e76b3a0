package revisions

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"retort/models"
)

func TestParseSQLReadsEveryHeader(t *testing.T) {
	src := "-- Revision ID: 9e3145d88e64\n" +
		"-- Revises: f0e7f3b80a21, 1a2b3c4d5e6f\n" +
		"-- Create Date: 2024-05-02 10:31:07\n" +
		"-- branch labels: collections, files\n" +
		"-- Depends On: 3c1d0b6a1f2e\n" +
		"-- Message: move collections into their own table\n" +
		"-- Transaction: none\n" +
		"\n" +
		"-- +upgrade\n" +
		"CREATE TABLE c (id int);\n" +
		"\n" +
		"-- +downgrade\n" +
		"DROP TABLE c;\n"
	r, err := ParseSQL("x.sql", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := &models.Revision{
		ID: "9e3145d88e64", Parents: []string{"f0e7f3b80a21", "1a2b3c4d5e6f"},
		DependsOn: []string{"3c1d0b6a1f2e"}, BranchLabels: []string{"collections", "files"},
		Message: "move collections into their own table", CreateDate: "2024-05-02 10:31:07",
		Doc: "move collections into their own table\n\n" +
			"Revision ID: 9e3145d88e64\nRevises: f0e7f3b80a21, 1a2b3c4d5e6f\nCreate Date: 2024-05-02 10:31:07\n" +
			"branch labels: collections, files\nDepends On: 3c1d0b6a1f2e\nTransaction: none",
		Path: "x.sql", Line: 1, ParentsLine: 2, LabelsLine: 4, DependsOnLine: 5,
		Format:        models.FormatSQL,
		Upgrade:       models.Section{Present: true, SQL: "CREATE TABLE c (id int);", Line: 10},
		Downgrade:     models.Section{Present: true, SQL: "DROP TABLE c;", Line: 13},
		Transactional: false,
		Checksum:      r.Checksum,
	}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("got  %+v\nwant %+v", r, want)
	}
	if len(r.Checksum) != 64 {
		t.Errorf("checksum %q is not a sha256", r.Checksum)
	}
}

func TestParseSQLWithoutDowngrade(t *testing.T) {
	r, err := ParseSQL("x.sql", []byte("-- Revision ID: a1\n\n-- +upgrade\nSELECT 1;\n"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Downgrade.Present || !r.Upgrade.Present || r.IsMerge() || !r.IsBase() {
		t.Errorf("unexpected %+v", r)
	}
	if r.Doc != "Revision ID: a1" {
		t.Errorf("doc without a message %q, want the header alone", r.Doc)
	}
}

func TestParseSQLErrors(t *testing.T) {
	cases := []struct {
		name, src string
		want      []string // "line: message fragment"
	}{
		{"missing revision id", "-- Revises: a\n\n-- +upgrade\n", []string{`0:missing "-- Revision ID:" header line`}},
		{"empty revision id", "-- Revision ID:\n\n-- +upgrade\n", []string{"1:empty Revision ID"}},
		{"illegal characters", "-- Revision ID: a-b@c\n\n-- +upgrade\n", []string{"1:Character(s) '-, @' not allowed in revision identifier 'a-b@c'"}},
		{"too long", "-- Revision ID: " + strings.Repeat("a", 33) + "\n\n-- +upgrade\n", []string{"1:is 33 characters long"}},
		{"unknown header", "-- Revision ID: a\n-- Revise: b\n\n-- +upgrade\n", []string{`2:unknown header "revise"`}},
		{"header without colon", "-- Revision ID: a\n-- just a comment\n\n-- +upgrade\n", []string{`2:header line "-- just a comment" has no "Key: value" form`}},
		{"repeated header", "-- Revision ID: a\n-- Revision ID: b\n\n-- +upgrade\n", []string{`2:header "revision id" repeated (first on line 1)`}},
		{"empty parent entry", "-- Revision ID: a\n-- Revises: b, , c\n\n-- +upgrade\n", []string{`2:Revises: empty entry`}},
		{"parent with a space", "-- Revision ID: a\n-- Revises: b c\n\n-- +upgrade\n", []string{`2:Revises: "b c" is not one identifier`}},
		{"label with @", "-- Revision ID: a\n-- Branch Labels: x@y\n\n-- +upgrade\n", []string{`2:Branch Labels: "x@y" contains '@'`}},
		{"bad transaction", "-- Revision ID: a\n-- Transaction: sometimes\n\n-- +upgrade\n", []string{`2:Transaction: "sometimes" is not understood`}},
		{"sql before upgrade", "-- Revision ID: a\n\nSELECT 1;\n-- +upgrade\n", []string{`3:SQL before the first "-- +upgrade" line`}},
		{"no upgrade section", "-- Revision ID: a\n\n-- +downgrade\nSELECT 1;\n", []string{`0:missing "-- +upgrade" section`}},
		{"two upgrade sections", "-- Revision ID: a\n\n-- +upgrade\n-- +upgrade\n", []string{`4:second "-- +upgrade" section (the first starts on line 3)`}},
		{"header not separated", "-- Revision ID: a\nSELECT 1;\n-- +upgrade\n", []string{`2:header line "SELECT 1;" is not of the form`}},
		{"not utf-8", "-- Revision ID: a\xff\n", []string{"0:not valid UTF-8 text"}},
		{"several problems at once", "-- Revision ID: a-b\n-- Revise: c\n\n-- +downgrade\n", []string{
			"1:Character(s) '-' not allowed", `2:unknown header "revise"`, `0:missing "-- +upgrade" section`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseSQL("dir/r.sql", []byte(c.src))
			assertFileErrors(t, err, "dir/r.sql", c.want)
		})
	}
}

// assertFileErrors checks that err joins exactly the FileErrors described by
// want ("line:fragment"), each naming path.
func assertFileErrors(t *testing.T, err error, path string, want []string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %v", want)
	}
	got := fileErrors(err)
	if len(got) != len(want) {
		t.Fatalf("got %d errors %v, want %d %v", len(got), err, len(want), want)
	}
	for k, w := range want {
		line, frag, _ := strings.Cut(w, ":")
		fe := got[k]
		if fe.Path != path || strconv.Itoa(fe.Line) != line || !strings.Contains(fe.Err.Error(), frag) {
			t.Errorf("error %d = %v, want %s:%s: ...%s...", k, fe, path, line, frag)
		}
	}
}

func fileErrors(err error) []*FileError {
	var out []*FileError
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			out = append(out, fileErrors(e)...)
		}
		return out
	}
	var fe *FileError
	if errors.As(err, &fe) {
		return []*FileError{fe}
	}
	return nil
}

// writeRevisions writes .sql revision files into a new directory: each entry
// is "id|parents|deps|labels" (comma-separated lists).
func writeRevisions(t testing.TB, specs ...string) string {
	t.Helper()
	dir := t.TempDir()
	for k, spec := range specs {
		f := strings.Split(spec, "|")
		for len(f) < 4 {
			f = append(f, "")
		}
		var b strings.Builder
		b.WriteString("-- Revision ID: " + f[0] + "\n")
		b.WriteString("-- Revises: " + f[1] + "\n")
		if f[2] != "" {
			b.WriteString("-- Depends On: " + f[2] + "\n")
		}
		if f[3] != "" {
			b.WriteString("-- Branch Labels: " + f[3] + "\n")
		}
		b.WriteString("-- Message: revision " + f[0] + "\n\n-- +upgrade\nSELECT 1;\n\n-- +downgrade\nSELECT 2;\n")
		name := filepath.Join(dir, string(rune('a'+k/26))+string(rune('a'+k%26))+"_"+f[0]+".sql")
		if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadValidationErrors(t *testing.T) {
	cases := []struct {
		name  string
		specs []string
		want  []string // fragments, in order
	}{
		{"duplicate id", []string{"a1||", "a1||"}, []string{"revision a1 is defined twice"}},
		{"missing parent", []string{"a1||", "b1|zz|"}, []string{"revision b1 revises zz, which no revision file defines"}},
		{"missing dependency", []string{"a1||", "b1|a1|zz"}, []string{"revision b1 depends on zz, which is neither a revision nor a branch label"}},
		{"self parent", []string{"a1|a1|"}, []string{"revision a1 revises itself"}},
		{"self dependency", []string{"a1||a1"}, []string{"revision a1 depends on itself"}},
		{"cycle", []string{"a1|c1|", "b1|a1|", "c1|b1|"}, []string{"cycle in revisions: a1 -> c1 -> b1 -> a1"}},
		{"dependency cycle", []string{"a1||", "b1|a1|c1", "c1|b1|"}, []string{"cycle in revisions: b1 -> c1 -> b1"}},
		{"label twice", []string{"a1|||core", "b1|a1||core"}, []string{"Branch name 'core' in revision b1 already used by revision a1"}},
		{"label equal to an id", []string{"a1||", "b1|a1||a1"}, []string{"Branch name 'a1' in revision b1 already used by revision a1"}},
		{"several problems", []string{"a1||", "a1||", "b1|zz|", "c1|b1|yy"}, []string{
			"revision a1 is defined twice", "revision b1 revises zz", "revision c1 depends on yy"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := writeRevisions(t, c.specs...)
			g, err := Load(dir)
			if !errors.Is(err, ErrInvalidGraph) {
				t.Fatalf("want ErrInvalidGraph, got %v", err)
			}
			if g == nil {
				t.Fatal("a broken directory must still give a browsable graph")
			}
			fes := fileErrors(err)
			if len(fes) != len(c.want) {
				t.Fatalf("got %d errors, want %d:\n%v", len(fes), len(c.want), err)
			}
			for k, w := range c.want {
				if !strings.Contains(fes[k].Error(), w) || !strings.HasPrefix(fes[k].Path, dir) || fes[k].Line == 0 {
					t.Errorf("error %d = %q, want a file:line error containing %q", k, fes[k].Error(), w)
				}
			}
		})
	}
}

func TestLoadKeepsMissingParentsForBrowsing(t *testing.T) {
	dir := writeRevisions(t, "a1||", "b1|a1,zz|")
	g, err := Load(dir)
	if err == nil {
		t.Fatal("want an error")
	}
	i := g.Index["b1"]
	if !reflect.DeepEqual(g.Missing[i], []string{"zz"}) || !reflect.DeepEqual(g.IDs(g.Parents[i]), []string{"a1"}) {
		t.Errorf("missing %v parents %v", g.Missing[i], g.IDs(g.Parents[i]))
	}
	if len(g.History) != 2 {
		t.Errorf("history %v", g.IDs(g.History))
	}
}

func TestLoadUnreadableFile(t *testing.T) {
	if os.Geteuid() == 0 {
		// root reads anything; use a directory entry that cannot be read
		// as a file instead: a dangling symlink.
		dir := t.TempDir()
		if err := os.Symlink(filepath.Join(dir, "nowhere"), filepath.Join(dir, "a1_x.sql")); err != nil {
			t.Fatal(err)
		}
		_, err := Load(dir)
		if err == nil || !strings.Contains(err.Error(), "a1_x.sql: cannot read") {
			t.Fatalf("got %v", err)
		}
		return
	}
	dir := writeRevisions(t, "a1||")
	files, _ := filepath.Glob(filepath.Join(dir, "*.sql"))
	if err := os.Chmod(files[0], 0); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "cannot read") {
		t.Fatalf("got %v", err)
	}
}

func TestLoadMissingDirectory(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope"))
	if err == nil || !strings.Contains(err.Error(), "reading versions directory") {
		t.Fatalf("got %v", err)
	}
}

func TestRedundantDependencyIsDroppedWithAWarning(t *testing.T) {
	// d depends on a, which is already its ancestor through b and c.
	dir := writeRevisions(t, "a1||", "b1|a1|", "c1|b1|", "d1|c1|a1")
	g, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	d := g.Index["d1"]
	if len(g.NormDeps[d]) != 0 || !reflect.DeepEqual(g.IDs(g.Down[d]), []string{"c1"}) {
		t.Errorf("normalised deps %v down %v", g.IDs(g.NormDeps[d]), g.IDs(g.Down[d]))
	}
	if w := g.Revisions[d].Warnings; len(w) != 1 || !strings.Contains(w[0], "already an ancestor") {
		t.Errorf("warnings %v", w)
	}
}

func TestPythonGraphErrorsNameTheLine(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a_first.py":  "\"\"\"first\"\"\"\nrevision = 'a1'\ndown_revision = None\n",
		"b_second.py": "\"\"\"second\"\"\"\nrevision = 'b1'\n\ndown_revision = 'zz'\ndepends_on = ['yy']\n",
	}
	for n, src := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err := Load(dir)
	fes := fileErrors(err)
	if len(fes) != 2 || fes[0].Line != 4 || fes[1].Line != 5 || !strings.HasSuffix(fes[0].Path, "b_second.py") {
		t.Fatalf("got %v", err)
	}
}
