package revisions

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"retort/models"
)

const pyFormsDir = "../testdata/pyforms"

// pyFileErrors flattens err into the *FileError values it is made of, and
// reports whether it is made of nothing else.
func pyFileErrors(err error) ([]*FileError, bool) {
	if fe, ok := err.(*FileError); ok {
		return []*FileError{fe}, true
	}
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return nil, false
	}
	var out []*FileError
	for _, e := range joined.Unwrap() {
		fe, ok := e.(*FileError)
		if !ok {
			return nil, false
		}
		out = append(out, fe)
	}
	return out, len(out) > 0
}

func parsePyFile(t *testing.T, path string) *models.Revision {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rev, err := ParsePython(path, src)
	if err != nil {
		t.Fatalf("ParsePython(%s): %v", path, err)
	}
	sum := sha256.Sum256(src)
	if rev.Checksum != hex.EncodeToString(sum[:]) || rev.Path != path || rev.Format != models.FormatPython || !rev.Transactional {
		t.Errorf("%s: checksum %q path %q format %v transactional %v", path, rev.Checksum, rev.Path, rev.Format, rev.Transactional)
	}
	return rev
}

func TestParsePythonPyForms(t *testing.T) {
	var expected struct {
		Revisions map[string]struct {
			File         string   `json:"file"`
			DownRevision []string `json:"down_revision"`
			Labels       []string `json:"branch_labels_declared"`
			DependsOn    []string `json:"depends_on"`
			Message      string   `json:"message"`
		} `json:"revisions"`
		Notes map[string]string `json:"notes"`
	}
	raw, err := os.ReadFile(filepath.Join(pyFormsDir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &expected); err != nil {
		t.Fatal(err)
	}
	if len(expected.Revisions) < 10 || len(expected.Notes) == 0 {
		t.Fatalf("expected.json lists %d revisions and %d notes; the fixture is incomplete", len(expected.Revisions), len(expected.Notes))
	}
	for id, want := range expected.Revisions {
		rev := parsePyFile(t, filepath.Join(pyFormsDir, "alembic", "versions", want.File))
		if rev.ID != id || !slices.Equal(rev.Parents, want.DownRevision) || !slices.Equal(rev.BranchLabels, want.Labels) ||
			!slices.Equal(rev.DependsOn, want.DependsOn) || rev.Message != want.Message {
			t.Errorf("%s: got id %q parents %q labels %q deps %q message %q; want %q %q %q %q %q", want.File,
				rev.ID, rev.Parents, rev.BranchLabels, rev.DependsOn, rev.Message,
				id, want.DownRevision, want.Labels, want.DependsOn, want.Message)
		}
		_, noted := expected.Notes[id]
		if noted != (len(rev.Warnings) > 0) {
			t.Errorf("%s: warnings %q, but expected.json notes code changing a value: %v", want.File, rev.Warnings, noted)
		}
	}
	// The note is about depends_on, extended in the try block on line 9 of
	// 7a0000000007, which is read as succeeding.
	rev := parsePyFile(t, filepath.Join(pyFormsDir, "alembic", "versions", "7a0000000007_files_checksum.py"))
	want := []string{"depends_on is read as if `import retort_example_optional_package` in the try block on line 9 succeeds, as where the application's packages are installed; if it fails, Alembic reads another value"}
	if !slices.Equal(rev.Warnings, want) {
		t.Errorf("7a0000000007 warnings %q, want %q", rev.Warnings, want)
	}
}

func TestParsePythonPyFormsHeaderFields(t *testing.T) {
	for _, c := range []struct {
		file, created string
		line          int
	}{
		{"1a0000000001_create_core.py", "", 12},
		{"2b0000000002_add_users.py", "2024-02-01 10:00:00.000000", 15},
		{"3c0000000003_records_branch.py", "", 12},
	} {
		rev := parsePyFile(t, filepath.Join(pyFormsDir, "alembic", "versions", c.file))
		if rev.Line != c.line || rev.CreateDate != c.created {
			t.Errorf("%s: line %d create date %q, want %d %q", c.file, rev.Line, rev.CreateDate, c.line, c.created)
		}
	}
}

// pySQLHeader returns the value of a `-- Key:` header line of a .sql file.
func pySQLHeader(t *testing.T, path, key string) string {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.SplitSeq(string(src), "\n") {
		if v, ok := strings.CutPrefix(line, "-- "+key+":"); ok {
			return strings.TrimSpace(v)
		}
	}
	t.Fatalf("%s has no %q header", path, key)
	return ""
}

// pyGraphEntry is one revision of a conformance case's graph.json.
type pyGraphEntry struct {
	ID     string   `json:"id"`
	Down   []string `json:"down"`
	Labels []string `json:"labels"`
	Deps   []string `json:"deps"`
}

func TestParsePythonConformance(t *testing.T) {
	dirs, err := filepath.Glob("../testdata/conformance/*/graph.json")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no conformance cases under ../testdata/conformance (%v)", err)
	}
	files := 0
	for _, graphFile := range dirs {
		dir := filepath.Dir(graphFile)
		var graph []pyGraphEntry
		raw, err := os.ReadFile(graphFile)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, &graph); err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		pys, _ := filepath.Glob(filepath.Join(dir, "alembic", "versions", "*.py"))
		if len(pys) != len(graph) {
			t.Fatalf("%s: %d .py files for %d revisions in graph.json", dir, len(pys), len(graph))
		}
		seen := map[string]bool{}
		for _, py := range pys {
			files++
			rev := parsePyFile(t, py)
			i := slices.IndexFunc(graph, func(g pyGraphEntry) bool { return g.ID == rev.ID })
			if i < 0 || seen[rev.ID] {
				t.Errorf("%s: revision %q is not in graph.json or read twice", py, rev.ID)
				continue
			}
			seen[rev.ID] = true
			g := graph[i]
			sql := filepath.Join(dir, "sql", strings.TrimSuffix(filepath.Base(py), ".py")+".sql")
			msg, created := pySQLHeader(t, sql, "Message"), pySQLHeader(t, sql, "Create Date")
			if !slices.Equal(rev.Parents, g.Down) || !slices.Equal(rev.BranchLabels, g.Labels) || !slices.Equal(rev.DependsOn, g.Deps) ||
				rev.Message != msg || rev.CreateDate != created || len(rev.Warnings) > 0 {
				t.Errorf("%s: got parents %q labels %q deps %q message %q created %q warnings %q; want %q %q %q %q %q",
					py, rev.Parents, rev.BranchLabels, rev.DependsOn, rev.Message, rev.CreateDate, rev.Warnings,
					g.Down, g.Labels, g.Deps, msg, created)
			}
		}
	}
	if files < 500 {
		t.Errorf("read only %d conformance .py files", files)
	}
}

// pySource joins lines into a file.
func pySource(lines ...string) string { return strings.Join(lines, "\n") + "\n" }

// The identifiers a .py file gives are checked by the rules of .sql files;
// an error is one *FileError naming the file and line. When the file names
// its id, the revision comes with the error, marked with it; otherwise
// there is no revision.
func TestParsePythonIdentifierErrors(t *testing.T) {
	const path = "versions/x.py"
	tail := "down_revision = None"
	for _, c := range []struct {
		name, src string
		line      int
		msg, id   string
	}{
		{"illegal characters", pySource(`"""Doc."""`, "", `revision = "ab-c+d@e"`, tail), 3,
			"Character(s) '+, -, @' not allowed in revision identifier 'ab-c+d@e'", "ab-c+d@e"},
		{"one illegal character", pySource(`revision = 'x-y'`, tail), 1,
			"Character(s) '-' not allowed in revision identifier 'x-y'", "x-y"},
		{"a value that is not a literal", pySource("revision = 'a'", "down_revision = some_function()"), 2,
			"down_revision: expected None, a string, or a tuple/list of strings, found a call to some_function()", "a"},
		{"an id that is not a literal", pySource("revision = some_function()", tail), 1,
			"revision: expected a string, found a call to some_function()", ""},
		{"a syntax error", pySource(`"""Doc."""`, `revision = "abc`, tail), 2, "unterminated string literal", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			rev, err := ParsePython(path, []byte(c.src))
			fe, ok := err.(*FileError)
			if !ok {
				t.Fatalf("error %T %v is not one *FileError", err, err)
			}
			if fe.Path != path || fe.Line != c.line || fe.Err.Error() != c.msg {
				t.Errorf("got %s:%d %q\nwant %s:%d %q", fe.Path, fe.Line, fe.Err, path, c.line, c.msg)
			}
			switch {
			case c.id == "" && rev != nil:
				t.Errorf("a revision %+v without an id", rev)
			case c.id != "" && (rev == nil || rev.ID != c.id || rev.Problem != err):
				t.Errorf("revision %+v, want %q marked with the error", rev, c.id)
			}
		})
	}
}

func TestParsePythonJoinedErrors(t *testing.T) {
	src := pySource(`"""Doc."""`, "depends_on = make()", "branch_labels = ('a', 1)")
	_, err := ParsePython("x.py", []byte(src))
	errs, ok := pyFileErrors(err)
	if !ok {
		t.Fatalf("error %T %v is not made of *FileError", err, err)
	}
	var got []string
	for _, fe := range errs {
		got = append(got, fe.Error())
	}
	want := []string{
		`x.py: no "revision = ..." assignment at module level`,
		`x.py: no "down_revision = ..." assignment at module level (a first revision says down_revision = None)`,
		"x.py:2: depends_on: expected None, a string, or a tuple/list of strings, found a call to make()",
		"x.py:3: branch_labels: expected None, a string, or a tuple/list of strings, found the number 1 inside the tuple",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestParsePythonErrorsAreFileErrors(t *testing.T) {
	// errors.As must find the location through the joined error too.
	_, err := ParsePython("x.py", []byte("down_revision = f()\n"))
	var fe *FileError
	if !errors.As(err, &fe) || fe.Path != "x.py" {
		t.Fatalf("errors.As(%v) found %v", err, fe)
	}
}

// A .py revision's message is its docstring's first line, and its doc the
// whole docstring, which the CLI prints in `show` (cli's tests compare what
// Alembic printed for this file).
func TestPythonDocstringIsMessageAndDoc(t *testing.T) {
	src := "\"\"\"  First line\nsecond line\n\n  Revision ID: x1\n\vform feed\n  \"\"\"\n" +
		"revision = \"x1\"\ndown_revision = None\nbranch_labels = None\ndepends_on = None\n"
	rev, err := ParsePython("/v/01_x1.py", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if rev.Message != "First line" || rev.Doc != "First line\nsecond line\n\n  Revision ID: x1\n\vform feed" {
		t.Fatalf("message %q doc %q", rev.Message, rev.Doc)
	}
}
