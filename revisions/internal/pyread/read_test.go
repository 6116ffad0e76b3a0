package pyread

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const pyFormsDir = "../../../testdata/pyforms"

// pySource joins lines into a file.
func pySource(lines ...string) string { return strings.Join(lines, "\n") + "\n" }

func TestReadErrors(t *testing.T) {
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
		{"revision only in a block", pySource("if X:", "    revision = 'abc'", "else:", "    pass", tail), 0,
			"no \"revision = ...\" assignment at module level; revision is only set by code retort cannot follow without running Python (line 2: `revision = 'abc'` inside the if block on line 1)"},
		{"revision only in a function", pySource("def f():", "    revision = 'abc'", tail), 0,
			`no "revision = ..." assignment at module level`},
		{"missing down_revision", pySource(`"""Doc."""`, "revision = 'abc'", "depends_on = None"), 0,
			`no "down_revision = ..." assignment at module level (a first revision says down_revision = None)`},
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
			f := Read([]byte(c.src))
			if len(f.Errors) != 1 {
				t.Fatalf("errors %v, want one; read %+v", f.Errors, f.Values)
			}
			if e := f.Errors[0]; e.Line != c.line || e.Err.Error() != c.msg {
				t.Errorf("got %d %q\nwant %d %q", e.Line, e.Err, c.line, c.msg)
			}
		})
	}
}

// pyWant is what a valid source must read as.
type pyWant struct {
	id, message, created  string
	parents, labels, deps []string
	line                  int
}

func checkPyRevision(t *testing.T, src string, want pyWant) *File {
	t.Helper()
	f := Read([]byte(src))
	if len(f.Errors) > 0 {
		t.Fatalf("Read: %v", f.Errors)
	}
	v := f.Values
	if id := v[Revision].Items; len(id) != 1 || id[0] != want.id || f.Message != want.message || f.CreateDate != want.created ||
		!slices.Equal(v[DownRevision].Items, want.parents) || !slices.Equal(v[BranchLabels].Items, want.labels) ||
		!slices.Equal(v[DependsOn].Items, want.deps) || (want.line != 0 && v[Revision].Line != want.line) {
		t.Errorf("got id %q message %q created %q parents %q labels %q deps %q line %d\nwant %+v",
			id, f.Message, f.CreateDate, v[DownRevision].Items, v[BranchLabels].Items, v[DependsOn].Items, v[Revision].Line, want)
	}
	return f
}

func TestReadForms(t *testing.T) {
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
		{"empty string means none", pySource("revision = 'a'", "down_revision = 'p'", "branch_labels = b\"\"", "depends_on = ''"),
			pyWant{id: "a", parents: []string{"p"}}},
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
			f := checkPyRevision(t, c.src, c.want)
			if len(f.Warnings) > 0 {
				t.Errorf("unexpected warnings %q", f.Warnings)
			}
		})
	}
}

// The module-level code Alembic runs when it imports the file is followed
// where it builds the values from literals: names bound to other names (a
// list shared by them), `+=`, `.append()`, `.extend()`, and try blocks
// whose handlers catch only ImportError, read as succeeding with a warning.
func TestReadFollowsModuleCode(t *testing.T) {
	head := []string{`"""Doc."""`, "revision = 'a'", "down_revision = None", "depends_on = ['d']"}
	assumed := func(field, what string, line int) string {
		return fmt.Sprintf("%s is read as if `%s` in the try block on line %d succeeds, as where the application's packages are installed; if it fails, Alembic reads another value", field, what, line)
	}
	for _, c := range []struct {
		name     string
		more     []string
		deps     []string
		parents  []string
		warnings []string
	}{
		{"augmented assignment in a try block", []string{"try:", "    import x", "    depends_on += ['e']", "except ImportError:", "    pass"},
			[]string{"d", "e"}, nil, []string{assumed("depends_on", "import x", 5)}},
		{"append at module level", []string{"depends_on.append('e')"}, []string{"d", "e"}, nil, nil},
		{"augmented assignment and extend", []string{"depends_on += ['e']", "depends_on.extend(['f'])"}, []string{"d", "e", "f"}, nil, nil},
		{"many changes", slices.Repeat([]string{"depends_on += []"}, 7), []string{"d"}, nil, nil},
		{"a name bound to another", []string{"resolved_depends_on = ('x', 'y')", "depends_on = resolved_depends_on"},
			[]string{"x", "y"}, nil, nil},
		{"a list built up before it is used", []string{"deps = []", "deps += ['x']", "deps.append('y')", "deps.extend(('z',))", "depends_on = deps"},
			[]string{"x", "y", "z"}, nil, nil},
		{"a list changed after it is bound", []string{"deps = ['x']", "depends_on = deps", "deps.append('y')", "other = depends_on", "other += ['z']"},
			[]string{"x", "y", "z"}, nil, nil},
		{"a tuple rebound by +=, not changed in place", []string{"deps = ('x',)", "depends_on = deps", "deps += ('y',)"},
			[]string{"x"}, nil, nil},
		{"tuples and lists mixed", []string{"down_revision = ('p',)", "down_revision += ('q',)", "depends_on += ('e',)", "depends_on.extend(('f', 'g'))"},
			[]string{"d", "e", "f", "g"}, []string{"p", "q"}, nil},
		{"a string built up", []string{"down_revision = 'p'", "down_revision += 'q'"}, []string{"d"}, []string{"pq"}, nil},
		{"Invenio's optional dependency", []string{
			"depends_on = []",
			"try:",
			"    from invenio_foo import models  # noqa",
			"",
			"    depends_on.append('foo1')",
			"except (ImportError, ModuleNotFoundError) as e:",
			"    depends_on = ['never']",
		}, []string{"foo1"}, nil, []string{assumed("depends_on", "from invenio_foo import models", 6)}},
		{"one-line try, with else and finally", []string{
			"try: import a, b",
			"except ImportError: depends_on = []",
			"else:",
			"    depends_on.append('e')",
			"finally:",
			"    down_revision = 'p'",
		}, []string{"d", "e"}, []string{"p"}, []string{assumed("depends_on", "import a, b", 5)}},
		{"nested tries", []string{
			"try:",
			"    import a",
			"    try:",
			"        import b",
			"        depends_on.append('b')",
			"    except ImportError:",
			"        pass",
			"except ImportError:",
			"    pass",
		}, []string{"d", "b"}, nil, []string{assumed("depends_on", "import a", 5), assumed("depends_on", "import b", 7)}},
		{"try without a handler", []string{"try:", "    depends_on = ['f']", "finally:", "    down_revision = None"}, []string{"f"}, nil, nil},
		{"changes before the last literal", []string{"depends_on.append('e')", "try:", "    depends_on = ['f']", "finally:", "    pass", "depends_on = ['d']"},
			[]string{"d"}, nil, nil},
		{"changes in a block before the last literal", []string{"if X:", "    depends_on.append('e')", "depends_on = ['d']"},
			[]string{"d"}, nil, nil},
		{"reads and other objects' attributes", []string{"print(depends_on)", "x = depends_on", "obj.depends_on = 3", "obj.revision.append(1)",
			"y = depends_on.count('d')", "f(depends_on=1)", "z = [revision for revision in x]"}, []string{"d"}, nil, nil},
		{"functions and classes", []string{"def f():", "    global depends_on", "    depends_on += ['e']", "class C:", "    depends_on = []",
			"    def g(self):", "        revision = 'x'"}, []string{"d"}, nil, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := pySource(append(slices.Clone(head), c.more...)...)
			f := checkPyRevision(t, src, pyWant{id: "a", message: "Doc.", deps: c.deps, parents: c.parents})
			if !slices.Equal(f.Warnings, c.warnings) {
				t.Errorf("warnings\n%q\nwant\n%q", f.Warnings, c.warnings)
			}
		})
	}
}

// A value that code retort does not follow computes or changes is an
// *Undecided error on the line of that code, naming the field: running the
// module in Python would settle it. The other fields are still read.
func TestReadUndecided(t *testing.T) {
	head := []string{`"""Doc."""`, "revision = 'a'", "down_revision = None", "depends_on = ['d']"}
	changed := func(field string, line int, what string) string {
		return fmt.Sprintf("%s: changed on line %d by %s, which retort cannot follow without running Python", field, line, what)
	}
	type undecided struct {
		field Field
		line  int
		msg   string
	}
	for _, c := range []struct {
		name string
		more []string
		want []undecided
	}{
		{"one-line if", []string{"if X: down_revision = 'b'"},
			[]undecided{{DownRevision, 5, changed("down_revision", 5, "`down_revision = 'b'` inside the if block on line 5")}}},
		{"else block", []string{"if X:", "    pass", "else:", "  revision = 'b'"},
			[]undecided{{Revision, 8, changed("revision", 8, "`revision = 'b'` inside the else block on line 7")}}},
		{"nested blocks", []string{"with a:", "    for i in x:", "        if i:", "            depends_on[0] = i"},
			[]undecided{{DependsOn, 8, changed("depends_on", 8, "`depends_on[0] = i` inside the if block on line 7")}}},
		{"del", []string{"del depends_on"}, []undecided{{DependsOn, 5, changed("depends_on", 5, "`del depends_on`")}}},
		{"an import", []string{"from foo import bar as revision, depends_on"}, []undecided{
			{Revision, 5, changed("revision", 5, "`from foo import bar as revision, depends_on`")},
			{DependsOn, 5, changed("depends_on", 5, "`from foo import bar as revision, depends_on`")}}},
		{"a plain import", []string{"import down_revision.sub"},
			[]undecided{{DownRevision, 5, changed("down_revision", 5, "`import down_revision.sub`")}}},
		{"a loop target", []string{"for depends_on in []:", "    pass"},
			[]undecided{{DependsOn, 5, changed("depends_on", 5, "`for depends_on in []`")}}},
		{"a with target", []string{"with open(f) as down_revision:", "    pass"},
			[]undecided{{DownRevision, 5, changed("down_revision", 5, "`with open(f) as down_revision`")}}},
		{"a def rebinding the name", []string{"def revision():", "    pass"},
			[]undecided{{Revision, 5, changed("revision", 5, "`def revision()`")}}},
		{"a walrus", []string{"print(depends_on := [])"}, []undecided{{DependsOn, 5, changed("depends_on", 5, "`print(depends_on := [])`")}}},
		{"globals", []string{`globals()["depends_on"] = []`, "globals().update(revision='b')", `exec("down_revision = 'c'")`}, []undecided{
			{DependsOn, 5, changed("depends_on", 5, "`globals()[\"depends_on\"] = []`")},
			{Revision, 6, changed("revision", 6, "`globals().update(revision='b')`")},
			{DownRevision, 7, changed("down_revision", 7, "`exec(\"down_revision = 'c'\")`")}}},
		{"tuple unpacking", []string{"revision, x = 'b', 1"}, []undecided{{Revision, 5, changed("revision", 5, "`revision, x = 'b', 1`")}}},
		{"chained assignment in a block", []string{"if X:", "    x = depends_on = []"},
			[]undecided{{DependsOn, 6, changed("depends_on", 6, "`x = depends_on = []` inside the if block on line 5")}}},
		{"labels set only by code", []string{"try:", "    branch_labels = ('l',)", "except Exception:", "    pass"},
			[]undecided{{BranchLabels, 6, "branch_labels is only set by code retort cannot follow without running Python (line 6: `branch_labels = ('l',)` inside the try block on line 5)"}}},
		{"a try that catches more than ImportError", []string{"try:", "    import x", "    depends_on += ['e']", "except (ImportError, KeyError):", "    pass"},
			[]undecided{{DependsOn, 7, changed("depends_on", 7, "`depends_on += ['e']` inside the try block on line 5")}}},
		{"a list changed in a block through another name", []string{"deps = depends_on", "if X:", "    deps.append('e')"},
			[]undecided{{DependsOn, 7, changed("depends_on", 7, "`deps.append('e')` inside the if block on line 6")}}},
		{"a name bound to a call", []string{"LABELS = compute()", "branch_labels = LABELS"},
			[]undecided{{BranchLabels, 6, "branch_labels: expected None, a string, or a tuple/list of strings, found the name LABELS, which is a call to compute() (line 5)"}}},
		{"a name that is not bound", []string{"branch_labels = LABELS"},
			[]undecided{{BranchLabels, 5, "branch_labels: expected None, a string, or a tuple/list of strings, found the name LABELS"}}},
		{"a list built from a name that is not bound", []string{"deps = []", "deps += more", "depends_on = deps"},
			[]undecided{{DependsOn, 6, changed("depends_on", 6, "`deps += more`")}}},
		{"a list extended by a string", []string{"depends_on.extend('ef')"},
			[]undecided{{DependsOn, 5, changed("depends_on", 5, "`depends_on.extend('ef')`")}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := Read([]byte(pySource(append(slices.Clone(head), c.more...)...)))
			var got []undecided
			for _, e := range f.Errors {
				var u *Undecided
				if !errors.As(e, &u) {
					t.Fatalf("error %v is not an *Undecided", e)
				}
				got = append(got, undecided{u.Field, e.Line, u.Error()})
				if v := f.Values[u.Field]; len(v.Items) > 0 {
					t.Errorf("%s has a value %q along with the error", u.Field, v.Items)
				}
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("got\n%v\nwant\n%v", got, c.want)
			}
			idUndecided := slices.ContainsFunc(c.want, func(u undecided) bool { return u.field == Revision })
			if id := f.Values[Revision].Items; !idUndecided && (len(id) != 1 || id[0] != "a") {
				t.Errorf("the id is not read beside the error: %q", id)
			}
		})
	}
}

// What Python would refuse at import (a TypeError, an AttributeError) is a
// plain error, not one running Python could settle.
func TestReadErrorsPythonRaises(t *testing.T) {
	for _, c := range []struct {
		name string
		src  string
		line int
		msg  string
	}{
		{"a tuple plus a list", pySource("revision = 'a'", "down_revision = ('p',)", "down_revision += ['q']"), 3,
			"`down_revision += ['q']` raises TypeError when Python imports the file (a tuple += a list)"},
		{"None plus a list", pySource("revision = 'a'", "down_revision = None", "depends_on = None", "depends_on += ['q']"), 4,
			"`depends_on += ['q']` raises TypeError when Python imports the file (None += a list)"},
		{"append to a tuple", pySource("revision = 'a'", "down_revision = None", "depends_on = ('d',)", "depends_on.append('e')"), 4,
			"`depends_on.append('e')` raises AttributeError when Python imports the file (depends_on is a tuple)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := Read([]byte(c.src))
			var u *Undecided
			if len(f.Errors) != 1 || f.Errors[0].Line != c.line || f.Errors[0].Err.Error() != c.msg || errors.As(f.Errors[0], &u) {
				t.Fatalf("errors %v, want %d: %s", f.Errors, c.line, c.msg)
			}
		})
	}
}

// Empty strings are read as Alembic reads them, with a warning where
// Alembic 1.8.1 reads them otherwise.
func TestReadEmptyStrings(t *testing.T) {
	f := checkPyRevision(t, pySource("revision = 'a'", "down_revision = ''", "branch_labels = ''", "depends_on = ''"), pyWant{id: "a"})
	want := []string{
		`branch_labels = "": Alembic 1.8.1 takes it as one label, the empty string, which it prints as "()" and no target can name; retort reads no label`,
		`depends_on = "" on a revision without down_revision: Alembic 1.8.1 then refuses to load the history ("Dependency cycle is detected"); retort reads no dependency (write depends_on = None)`,
	}
	if !slices.Equal(f.Warnings, want) {
		t.Errorf("warnings\n%q\nwant\n%q", f.Warnings, want)
	}
}

func BenchmarkRead(b *testing.B) {
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
		if f := Read(srcs[i%len(srcs)]); len(f.Errors) > 0 {
			b.Fatal(f.Errors)
		}
	}
}
