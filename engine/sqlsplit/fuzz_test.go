package sqlsplit

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// addGoldenSeeds seeds a fuzz target with every golden input.
func addGoldenSeeds(f *testing.F) {
	for _, dir := range goldenCases(f) {
		b, err := os.ReadFile(filepath.Join(dir, "input.sql"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	for _, s := range []string{"", ";", "'", "$$", "$a$", "/*", "E'\\", "E'a'\n'b", "CREATE TRIGGER t BEGIN", "((", "U&\""} {
		f.Add(s)
	}
}

// FuzzSplit checks that Split never panics, that every statement is the
// slice of the script it claims to be, in order and without overlap, and
// that a statement split again is itself and nothing more. Check, Position
// and Destructive must not panic on the same input.
func FuzzSplit(f *testing.F) {
	addGoldenSeeds(f)
	f.Fuzz(func(t *testing.T, script string) {
		stmts := Split(script)
		checkStatements(t, script, stmts)
		for _, st := range stmts {
			again := Split(st.SQL)
			if want := []Statement{{SQL: st.SQL, Offset: 0, Line: 1}}; !reflect.DeepEqual(again, want) {
				t.Fatalf("Split(%q) = %#v, want the statement itself", st.SQL, again)
			}
			Destructive(st.SQL)
			for _, pos := range []int{-1, 0, 1, len(st.SQL) / 2, len(st.SQL) + 1} {
				line, col := Position(script, st, pos)
				if line < st.Line || col < 1 {
					t.Fatalf("Position(%d) = %d:%d for a statement on line %d", pos, line, col, st.Line)
				}
			}
		}
		if err := Check(script); err != nil {
			if _, ok := err.(*LexError); !ok {
				t.Fatalf("Check returned %T, want *LexError", err)
			}
		}
	})
}

// FuzzTokens checks that Tokens never panics and that its tokens are
// non-empty, sit at their offsets and concatenate back to the input.
func FuzzTokens(f *testing.F) {
	addGoldenSeeds(f)
	f.Fuzz(func(t *testing.T, text string) {
		checkTokens(t, text, Tokens(text))
	})
}
