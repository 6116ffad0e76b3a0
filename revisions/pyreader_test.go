package revisions

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
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
	// The note is about depends_on, changed on line 12 of 7a0000000007.
	rev := parsePyFile(t, filepath.Join(pyFormsDir, "alembic", "versions", "7a0000000007_files_checksum.py"))
	want := []string{"depends_on is changed by code when Python imports the file (line 12); retort read only the literal value on line 7"}
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

func TestParsePythonErrors(t *testing.T) {
	const path = "versions/x.py"
	tail := "down_revision = None"
	for _, c := range []struct {
		name string
		src  string
		line int
		msg  string
	}{
		{"empty file", "", 0, "the file is empty"},
		{"missing revision", pySource(`"""Doc."""`, "# revision = 'a'", `x = "revision = 'b'"`, tail), 0,
			`no "revision = ..." assignment at module level`},
		{"revision only in a block", pySource("try:", "    revision = 'abc'", "except ImportError:", "    pass", tail), 0,
			`no "revision = ..." assignment at module level; revision is only set by code on line 2, which retort does not run`},
		{"revision only in a function", pySource("def f():", "    revision = 'abc'", tail), 0,
			`no "revision = ..." assignment at module level`},
		{"missing down_revision", pySource(`"""Doc."""`, "revision = 'abc'", "depends_on = None"), 0,
			`no "down_revision = ..." assignment at module level (a first revision says down_revision = None)`},
		{"illegal characters", pySource(`"""Doc."""`, "", `revision = "ab-c+d@e"`, tail), 3,
			"Character(s) '+, -, @' not allowed in revision identifier 'ab-c+d@e'"},
		{"one illegal character", pySource(`revision = 'x-y'`, tail), 1,
			"Character(s) '-' not allowed in revision identifier 'x-y'"},
		{"a call", pySource("revision = 'a'", "down_revision = some_function()"), 2,
			"down_revision: expected None, a string, or a tuple/list of strings, found a call to some_function()"},
		{"a dotted call over lines", pySource("revision = 'a'", tail, "depends_on = os.environ.get(", "    'X',", ")"), 3,
			"depends_on: expected None, a string, or a tuple/list of strings, found a call to os.environ.get()"},
		{"a name", pySource("revision = 'a'", tail, "branch_labels = LABELS"), 3,
			"branch_labels: expected None, a string, or a tuple/list of strings, found the name LABELS"},
		{"an f-string", pySource(`revision = f"{base}1"`, tail), 1,
			"revision: expected a string, found an f-string"},
		{"an f-string concatenated", pySource(`revision = "a" f"{base}"`, tail), 1,
			"revision: expected a string, found an f-string"},
		{"arithmetic", pySource("revision = 'a'", `down_revision = "b" + "c"`), 2,
			`down_revision: expected None, a string, or a tuple/list of strings, found an expression: "b" + "c"`},
		{"a conditional", pySource("revision = 'a'", `down_revision = "b" if X else None`), 2,
			`down_revision: expected None, a string, or a tuple/list of strings, found an expression: "b" if X else None`},
		{"a method on a string", pySource("revision = 'A'.lower()", tail), 1,
			"revision: expected a string, found an expression: 'A'.lower()"},
		{"a number", pySource("revision = 12", tail), 1, "revision: expected a string, found the number 12"},
		{"True", pySource("revision = 'a'", tail, "depends_on = True"), 3,
			"depends_on: expected None, a string, or a tuple/list of strings, found True"},
		{"a set", pySource("revision = 'a'", tail, "depends_on = {'b'}"), 3,
			"depends_on: expected None, a string, or a tuple/list of strings, found a set or dict"},
		{"None inside a tuple", pySource("revision = 'a'", "down_revision = (", "    'b',", "    None,", ")"), 4,
			"down_revision: expected None, a string, or a tuple/list of strings, found None inside the tuple"},
		{"a name inside a list", pySource("revision = 'a'", tail, "depends_on = ['b', OTHER]"), 3,
			"depends_on: expected None, a string, or a tuple/list of strings, found the name OTHER inside the list"},
		{"a nested tuple", pySource("revision = 'a'", tail, "depends_on = [('b',)]"), 3,
			"depends_on: expected None, a string, or a tuple/list of strings, found a nested tuple inside the list"},
		{"a star", pySource("revision = 'a'", tail, "depends_on = [*OTHER]"), 3,
			"depends_on: expected None, a string, or a tuple/list of strings, found an expression: *OTHER inside the list"},
		{"revision None", pySource("revision = None", tail), 1, "revision: expected a string, found None"},
		{"revision tuple", pySource("revision = ('a',)", tail), 1, "revision: expected a string, found a tuple"},
		{"revision empty", pySource("revision = ''", tail), 1, "revision: the revision id is empty"},
		{"missing value", pySource("revision =", tail), 1, "revision: missing value after '='"},
		{"last assignment not a literal", pySource("revision = 'a'", tail, "depends_on = None", "", "depends_on = compute()"), 5,
			"depends_on: expected None, a string, or a tuple/list of strings, found a call to compute()"},
		{"empty string in a tuple", pySource("revision = 'a'", "down_revision = ('b', '')"), 2,
			"down_revision: empty string inside the tuple"},
		{"unterminated string", pySource(`"""Doc."""`, `revision = "abc`, tail), 2, "unterminated string literal"},
		{"string broken by a newline", pySource(`revision = 'abc`, `def'`, tail), 1, "unterminated string literal"},
		{"unterminated triple-quoted string", pySource(`"""Doc.`, "", `revision = "abc"`, tail), 1,
			"unterminated triple-quoted string literal (the file ends at line 5)"},
		{"unterminated bracket", pySource("revision = 'a'", tail, "", "depends_on = [", "    'b',", "", "def upgrade():", "    pass"), 4,
			"'[' was never closed"},
		{"unterminated f-string field", pySource("revision = 'a'", tail, `x = f"{y`), 3, "unterminated string literal"},
		{"mismatched bracket", pySource("revision = 'a'", tail, "depends_on = (", "  'b']"), 4,
			"closing parenthesis ']' does not match opening parenthesis '(' on line 3"},
		{"unmatched bracket", pySource("revision = 'a'", tail, ")"), 3, "unmatched ')'"},
		{"not UTF-8", "revision = 'a'\n" + tail + "\n# caf\xe9\n", 3,
			"the file is not valid UTF-8 (byte 0xe9); Python reads source files as UTF-8"},
		{"latin-1 declared", "# -*- coding: latin-1 -*-\n\"\"\"Caf\xe9.\"\"\"\nrevision = 'a'\n" + tail + "\n", 1,
			`the file declares the encoding "latin-1"; retort reads Python files as UTF-8 only`},
		{"NUL byte", "revision = 'a'\n" + tail + "\nx = '\x00'\n", 3, "the file contains a NUL byte"},
		{"truncated hex escape", pySource(`revision = "ab\x4"`, tail), 1, `invalid string literal: truncated \xXX escape`},
		{"escape error in a docstring", pySource(`"""Doc.`, "", `Bad \U0011ffff."""`, `revision = "a"`, tail), 3,
			`invalid string literal: illegal Unicode character in \U escape`},
		{"malformed character name", pySource("revision = 'a'", `down_revision = '\N'`), 2,
			`invalid string literal: malformed \N character escape`},
		{"unknown character name", pySource(`revision = "\N{NO SUCH THING}"`, tail), 1,
			`invalid string literal: unknown Unicode character name in \N{NO SUCH THING}`},
		{"non-ASCII bytes", pySource(`revision = b"é"`, tail), 1,
			"invalid string literal: bytes can only contain ASCII literal characters"},
		{"bytes not UTF-8", pySource(`revision = b"\xff"`, tail), 1, "revision: the bytes value is not UTF-8 text"},
		{"bytes mixed with str", pySource(`revision = "a" b"b"`, tail), 1, "cannot mix bytes and nonbytes literals"},
		{"junk after a continuation", pySource("revision = 'a' \\ x", tail), 1,
			`unexpected character after a line continuation character '\'`},
		{"brackets nested too deeply", pySource("revision = 'a'", tail, "x = "+strings.Repeat("(", 201)+"1"+strings.Repeat(")", 201)), 3,
			"too many nested parentheses"},
		{"continuation at the end", "revision = 'a'\n" + tail + "\nx = 1 \\", 3,
			`unexpected end of file after a line continuation character '\'`},
	} {
		t.Run(c.name, func(t *testing.T) {
			rev, err := ParsePython(path, []byte(c.src))
			if err == nil {
				t.Fatalf("no error; read %+v", rev)
			}
			fe, ok := err.(*FileError)
			if !ok {
				t.Fatalf("error %T %v is not one *FileError", err, err)
			}
			if rev != nil || fe.Path != path || fe.Line != c.line || fe.Err.Error() != c.msg {
				t.Errorf("got %s:%d %q (revision %v)\nwant %s:%d %q", fe.Path, fe.Line, fe.Err, rev, path, c.line, c.msg)
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

// pyWant is what a valid source must read as.
type pyWant struct {
	id, message, created  string
	parents, labels, deps []string
	line                  int
}

func checkPyRevision(t *testing.T, src string, want pyWant) *models.Revision {
	t.Helper()
	rev, err := ParsePython("x.py", []byte(src))
	if err != nil {
		t.Fatalf("ParsePython: %v", err)
	}
	if rev.ID != want.id || rev.Message != want.message || rev.CreateDate != want.created ||
		!slices.Equal(rev.Parents, want.parents) || !slices.Equal(rev.BranchLabels, want.labels) ||
		!slices.Equal(rev.DependsOn, want.deps) || (want.line != 0 && rev.Line != want.line) {
		t.Errorf("got id %q message %q created %q parents %q labels %q deps %q line %d\nwant %+v",
			rev.ID, rev.Message, rev.CreateDate, rev.Parents, rev.BranchLabels, rev.DependsOn, rev.Line, want)
	}
	return rev
}

func TestParsePythonForms(t *testing.T) {
	for _, c := range []struct {
		name string
		src  string
		want pyWant
	}{
		{"annotations with brackets, commas and defaults", pySource(
			"revision: Final[str]='a1'",
			"down_revision: Union[str, Sequence[str], None] = ('b1', 'b2')",
			"branch_labels: Annotated[tuple, Meta(x=1, y=[2, 3])] = ('l1',)",
			"depends_on: list[str] = ['d1']",
		), pyWant{id: "a1", parents: []string{"b1", "b2"}, labels: []string{"l1"}, deps: []string{"d1"}, line: 1}},
		{"prefixes", pySource(
			`revision = u'a1'`,
			`down_revision = (r"x\y", U'z', b'w', Rb'v', bR"u", BR'''t''')`,
		), pyWant{id: "a1", parents: []string{`x\y`, "z", "w", "v", "u", "t"}}},
		{"escapes", pySource(
			`revision = "\x61\u0062\U00000063\N{latin small letter d}\145\`,
			`f\'\"\\"`,
			`down_revision = None`,
			`branch_labels = ("\N{GREEK SMALL LETTER ALPHA}\N{CJK UNIFIED IDEOGRAPH-4E00}\N{HANGUL SYLLABLE GAG}", b"\x41\101\q")`,
		), pyWant{id: `abcdef'"\`, labels: []string{"α一각", `AA\q`}}},
		{"unknown escapes kept", pySource(`revision = "a\d"`, `down_revision = b'\N'`, `depends_on = b'\u0041'`),
			pyWant{id: `a\d`, parents: []string{`\N`}, deps: []string{`\u0041`}}},
		{"implicit concatenation", pySource(
			`revision = "ab" 'cd' """ef""" r'\g'`,
			`down_revision = ("pa"`,
			`    "rent")`,
			`depends_on = ["d" "1", 'd' \`,
			`  '2']`,
		), pyWant{id: `abcdef\g`, parents: []string{"parent"}, deps: []string{"d1", "d2"}}},
		{"multi-line lists with comments and blank lines", pySource(
			"revision = 'a'",
			"down_revision = (  # parents",
			"",
			"    # the first",
			"    'p1',",
			"",
			"    'p2',  # the second, with a trailing comma",
			")",
			"depends_on = [",
			"    'd1', 'd2'",
			"    ,",
			"]",
		), pyWant{id: "a", parents: []string{"p1", "p2"}, deps: []string{"d1", "d2"}}},
		{"empty forms mean none", pySource("revision = 'a'", "down_revision = ''", "branch_labels = ()", "depends_on = []"),
			pyWant{id: "a"}},
		{"empty string means none", pySource("revision = 'a'", "down_revision = None", "branch_labels = \"\"", "depends_on = ''"),
			pyWant{id: "a"}},
		{"parenthesized values", pySource("revision = ('a')", "down_revision = (None)", "branch_labels = (('l'))", "depends_on = ((('d',)))"),
			pyWant{id: "a", labels: []string{"l"}, deps: []string{"d"}}},
		{"tuples without parentheses", pySource("revision = 'a'", "down_revision = 'b',", "depends_on = 'c', 'd'  # two"),
			pyWant{id: "a", parents: []string{"b"}, deps: []string{"c", "d"}}},
		{"a bare string label", pySource("revision = 'a'", "down_revision = None", "branch_labels = 'lab'"),
			pyWant{id: "a", labels: []string{"lab"}}},
		{"the last assignment wins", pySource("revision = 'a'", "down_revision = 'x'", "revision = compute()", "revision = 'b'", "down_revision = None"),
			pyWant{id: "b", line: 4}},
		{"docstring with assignments and headers", pySource(
			`"""Add users`,
			"",
			"Revision ID: fake",
			"Revises: fake0",
			"Create Date: 2024-02-01 10:00:00",
			"",
			"revision = 'fake'",
			`"""`,
			"revision = 'real'",
			"down_revision = None",
		), pyWant{id: "real", message: "Add users", created: "2024-02-01 10:00:00", line: 9}},
		{"strings holding comment marks and quotes", pySource(
			`"""It's # not a comment"""`,
			`revision = "a#b" # revision = 'c'`,
			`down_revision = 'it\'s' "#" '"' # "x"`,
			`# depends_on = ['x']`,
		), pyWant{id: "a#b", message: "It's # not a comment", parents: []string{`it's#"`}}},
		{"multi-line strings hide assignments", pySource(
			"revision = 'a'",
			"SQL = '''",
			"revision = 'fake'",
			"down_revision = 'fake'",
			"'''",
			`OTHER = """\`,
			`depends_on = ["fake"]`,
			`"""`,
			"down_revision = None",
		), pyWant{id: "a"}},
		{"backslash continuations", pySource(
			"revision = \\",
			"    'a'",
			"down_revision = 'b' \\",
			"",
			"x = [1, \\",
			"  2] + \\",
			"  [3]",
		), pyWant{id: "a", parents: []string{"b"}}},
		{"semicolons", pySource("revision = 'a'; down_revision = None;", "x = 1; depends_on = ['d']"),
			pyWant{id: "a", deps: []string{"d"}}},
		{"CRLF line ends", "\"\"\"Title\r\n\r\nCreate Date: 2024\r\n\"\"\"\r\nrevision = 'a'\r\ndown_revision = (\r\n  'b',\r\n)\r\n",
			pyWant{id: "a", message: "Title", created: "2024", parents: []string{"b"}, line: 5}},
		{"a BOM", "\ufeff\"\"\"Title.\"\"\"\nrevision = 'a'\ndown_revision = None\n",
			pyWant{id: "a", message: "Title."}},
		{"comments and coding line before the docstring", pySource(
			"#!/usr/bin/env python",
			"# -*- coding: utf-8 -*-",
			"# SPDX-License-Identifier: MIT",
			"",
			"'''  Trimmed title  ",
			"second line'''",
			"revision = 'a'",
			"down_revision = None",
		), pyWant{id: "a", message: "Trimmed title"}},
		{"a declared ASCII-compatible encoding in an ASCII file", pySource("# coding=latin-1", "revision = 'a'", "down_revision = None"),
			pyWant{id: "a"}},
		{"no docstring", pySource("import os", `"""Not the docstring."""`, "revision = 'a'", "down_revision = None"),
			pyWant{id: "a"}},
		{"an f-string is not a docstring", pySource(`f"""Title {x}"""`, "revision = 'a'", "down_revision = None"),
			pyWant{id: "a"}},
		{"a bytes literal is not a docstring", pySource(`b"""Title"""`, "revision = 'a'", "down_revision = None"),
			pyWant{id: "a"}},
		{"docstring forms", pySource(`(  "Ti" 'tle'`, `   r" \n")`, "revision = 'a'", "down_revision = None"),
			pyWant{id: "a", message: `Title \n`}},
		{"docstring escapes", pySource(`"\n\t Title\x21\nmore"`, "revision = 'a'", "down_revision = None"),
			pyWant{id: "a", message: "Title!"}},
		{"functions, classes and tabs are not module level", pySource(
			"revision = 'a'",
			"down_revision = None",
			"def upgrade():",
			"\trevision = 'fake'",
			"\tdepends_on = ['fake']",
			"class Model:",
			"    branch_labels = ('fake',)",
			"    def f(self, depends_on=None):",
			"        depends_on += ['x']",
			"async def g(): revision = 'fake'",
		), pyWant{id: "a"}},
		{"f-strings with nested quotes", pySource(
			`x = f"{d["k"]} # revision = 'fake'"`,
			`y = f'{x!r:>{width}} {'}'}' ; revision = 'a'`,
			`z = f"""{`,
			`  d["revision = 'fake'"]  # comment }`,
			`}"""`,
			`w = f"\N{DIGIT ONE}{{revision}}"`,
			`v = f"{x:{y}" + 'revision = "fake"'`,
			"down_revision = None",
		), pyWant{id: "a"}},
		{"soft keywords as names", pySource("match = 1", "case: int = 2", "revision = 'a'", "down_revision = None", "type = 3"),
			pyWant{id: "a"}},
		{"a long timestamp id", pySource(`"""A revision whose id is a timestamp."""`, "revision = \"1777000001\"", "down_revision = \"7a0000000007\""),
			pyWant{id: "1777000001", message: "A revision whose id is a timestamp.", parents: []string{"7a0000000007"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			rev := checkPyRevision(t, c.src, c.want)
			if len(rev.Warnings) > 0 {
				t.Errorf("unexpected warnings %q", rev.Warnings)
			}
		})
	}
}

func TestParsePythonWarnings(t *testing.T) {
	head := []string{`"""Doc."""`, "revision = 'a'", "down_revision = None", "depends_on = ['d']"}
	changed := func(name, lines string, literal int) string {
		return name + " is changed by code when Python imports the file (" + lines + "); retort read only the literal value on line " + strconv.Itoa(literal)
	}
	for _, c := range []struct {
		name string
		more []string
		want []string
	}{
		{"augmented assignment in a try block", []string{"try:", "    import x", "    depends_on += ['e']", "except ImportError:", "    pass"},
			[]string{changed("depends_on", "line 7", 4)}},
		{"append at module level", []string{"depends_on.append('e')"}, []string{changed("depends_on", "line 5", 4)}},
		{"augmented assignment at module level", []string{"depends_on += ['e']", "depends_on.extend(['f'])"},
			[]string{changed("depends_on", "lines 5, 6", 4)}},
		{"many changes", slices.Repeat([]string{"depends_on += []"}, 7),
			[]string{changed("depends_on", "lines 5, 6, 7, 8, 9, and 2 more", 4)}},
		{"one-line if", []string{"if X: down_revision = 'b'"}, []string{changed("down_revision", "line 5", 3)}},
		{"else block", []string{"if X:", "    pass", "else:", "  revision = 'b'"}, []string{changed("revision", "line 8", 2)}},
		{"nested blocks", []string{"with a:", "    for i in x:", "        if i:", "            depends_on[0] = i"},
			[]string{changed("depends_on", "line 8", 4)}},
		{"del", []string{"del depends_on"}, []string{changed("depends_on", "line 5", 4)}},
		{"an import", []string{"from foo import bar as revision, depends_on"},
			[]string{changed("revision", "line 5", 2), changed("depends_on", "line 5", 4)}},
		{"a plain import", []string{"import down_revision.sub"}, []string{changed("down_revision", "line 5", 3)}},
		{"a loop target", []string{"for depends_on in []:", "    pass"}, []string{changed("depends_on", "line 5", 4)}},
		{"a with target", []string{"with open(f) as down_revision:", "    pass"}, []string{changed("down_revision", "line 5", 3)}},
		{"a def rebinding the name", []string{"def revision():", "    pass"}, []string{changed("revision", "line 5", 2)}},
		{"a walrus", []string{"print(depends_on := [])"}, []string{changed("depends_on", "line 5", 4)}},
		{"globals", []string{`globals()["depends_on"] = []`, "globals().update(revision='b')", `exec("down_revision = 'c'")`},
			[]string{changed("revision", "line 6", 2), changed("down_revision", "line 7", 3), changed("depends_on", "line 5", 4)}},
		{"tuple unpacking", []string{"revision, x = 'b', 1"}, []string{changed("revision", "line 5", 2)}},
		{"chained assignment in a block", []string{"if X:", "    x = depends_on = []"}, []string{changed("depends_on", "line 6", 4)}},
		{"labels set only by code", []string{"try:", "    branch_labels = ('l',)", "except Exception:", "    pass"},
			[]string{"branch_labels is set only by code when Python imports the file (line 6); retort read none"}},
		{"changes before the last literal", []string{"depends_on.append('e')", "try:", "    depends_on = ['f']", "finally:", "    pass", "depends_on = ['d']"},
			nil},
		{"reads and other objects' attributes", []string{"print(depends_on)", "x = depends_on", "obj.depends_on = 3", "obj.revision.append(1)",
			"y = depends_on.count('d')", "f(depends_on=1)", "z = [revision for revision in x]"}, nil},
		{"functions and classes", []string{"def f():", "    global depends_on", "    depends_on += ['e']", "class C:", "    depends_on = []",
			"    def g(self):", "        revision = 'x'"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := pySource(append(slices.Clone(head), c.more...)...)
			rev := checkPyRevision(t, src, pyWant{id: "a", message: "Doc.", deps: []string{"d"}})
			if !slices.Equal(rev.Warnings, c.want) {
				t.Errorf("warnings\n%q\nwant\n%q", rev.Warnings, c.want)
			}
		})
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

func BenchmarkParsePython(b *testing.B) {
	paths, _ := filepath.Glob(filepath.Join(pyFormsDir, "alembic", "versions", "*.py"))
	var srcs [][]byte
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		srcs = append(srcs, src)
	}
	if len(srcs) == 0 {
		b.Fatal("no pyforms files")
	}
	for i := 0; b.Loop(); i++ {
		if _, err := ParsePython("x.py", srcs[i%len(srcs)]); err != nil {
			b.Fatal(err)
		}
	}
}

// A .py revision's message is its docstring's first line, and its doc the
// whole docstring, which the CLI prints in `show` (its tests compare what
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
