package sqlsplit

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden statements under testdata/split")

// goldenCases lists the directories under testdata/split. Each holds
// input.sql and one NN.golden.sql per statement Split must return.
func goldenCases(t testing.TB) []string {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join("testdata", "split", "*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) == 0 {
		t.Fatal("no golden cases under testdata/split")
	}
	return dirs
}

func TestSplitGolden(t *testing.T) {
	for _, dir := range goldenCases(t) {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			input, err := os.ReadFile(filepath.Join(dir, "input.sql"))
			if err != nil {
				t.Fatal(err)
			}
			script := string(input)
			if err := Check(script); err != nil {
				t.Fatalf("Check: %v", err)
			}
			got := Split(script)
			if *update {
				writeGolden(t, dir, got)
			}
			want := readGolden(t, dir)
			for i := range max(len(got), len(want)) {
				switch {
				case i >= len(got):
					t.Errorf("statement %02d missing, want:\n%s", i+1, want[i])
				case i >= len(want):
					t.Errorf("unexpected statement %02d:\n%s", i+1, got[i].SQL)
				case got[i].SQL != want[i]:
					t.Errorf("statement %02d:\ngot:\n%s\nwant:\n%s", i+1, got[i].SQL, want[i])
				}
			}
			checkStatements(t, script, got)
		})
	}
}

// readGolden returns the contents of dir's NN.golden.sql files in order.
func readGolden(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.golden.sql"))
	if err != nil {
		t.Fatal(err)
	}
	want := make([]string, len(files))
	for i := range files {
		name := filepath.Join(dir, fmt.Sprintf("%02d.golden.sql", i+1))
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatalf("golden files must be numbered 01.golden.sql up without gaps: %v", err)
		}
		want[i] = string(b)
	}
	return want
}

func writeGolden(t *testing.T, dir string, stmts []Statement) {
	t.Helper()
	old, err := filepath.Glob(filepath.Join(dir, "*.golden.sql"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range old {
		if err := os.Remove(f); err != nil {
			t.Fatal(err)
		}
	}
	for i, st := range stmts {
		name := filepath.Join(dir, fmt.Sprintf("%02d.golden.sql", i+1))
		if err := os.WriteFile(name, []byte(st.SQL), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// checkStatements asserts what holds for the statements of any script:
// each is the slice of the script it claims to be, starts and ends with a
// significant token, reports the right line, and they come in order without
// overlapping; what lies between them is only whitespace, comments and ';'.
func checkStatements(t testing.TB, script string, stmts []Statement) {
	t.Helper()
	prevEnd := 0
	for i, st := range stmts {
		checkGap(t, script[prevEnd:min(max(st.Offset, prevEnd), len(script))])
		if st.SQL == "" {
			t.Fatalf("statement %d is empty", i+1)
		}
		if st.Offset < prevEnd {
			t.Fatalf("statement %d at offset %d overlaps or precedes the previous one ending at %d", i+1, st.Offset, prevEnd)
		}
		end := st.Offset + len(st.SQL)
		if end > len(script) || script[st.Offset:end] != st.SQL {
			t.Fatalf("statement %d: SQL %q is not script[%d:%d]", i+1, st.SQL, st.Offset, end)
		}
		if want := 1 + strings.Count(script[:st.Offset], "\n"); st.Line != want {
			t.Fatalf("statement %d: Line = %d, want %d", i+1, st.Line, want)
		}
		toks := Tokens(st.SQL)
		if !toks[0].significant() || !toks[len(toks)-1].significant() {
			t.Fatalf("statement %d %q starts or ends with whitespace or a comment", i+1, st.SQL)
		}
		prevEnd = end
	}
	checkGap(t, script[prevEnd:])
}

// checkGap asserts that text left out of every statement holds nothing
// that would have to be executed.
func checkGap(t testing.TB, gap string) {
	t.Helper()
	for _, tk := range Tokens(gap) {
		if tk.significant() && !tk.isPunct(";") {
			t.Fatalf("Split dropped %s token %q in %q", tk.Kind, tk.Text, gap)
		}
	}
}
