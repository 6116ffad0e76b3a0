package sqlfacts

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"retort/pgparse/pgparsetest"
	"retort/revisions"
)

func TestObjects(t *testing.T) {
	p := pgparsetest.New(t)
	cases := []struct {
		sql  string
		want []Object
	}{
		{"ALTER TABLE s.loans RENAME COLUMN due TO due_at", []Object{
			{Kind: Column, Name: Name{Name: "due"}, Table: Name{"s", "loans"}, NewName: "due_at", Change: Rename},
			{Kind: Table, Name: Name{"s", "loans"}, Change: Alter}}},
		{"ALTER TABLE fees RENAME TO patron_transactions", []Object{
			{Kind: Table, Name: Name{Name: "fees"}, NewName: "patron_transactions", Change: Rename}}},
		{"DROP VIEW IF EXISTS a, b.c CASCADE", []Object{
			{Kind: View, Name: Name{Name: "a"}, Change: Drop}, {Kind: View, Name: Name{"b", "c"}, Change: Drop}}},
		{"DROP TRIGGER tr ON s.tb", []Object{{Kind: Trigger, Name: Name{Name: "tr"}, Table: Name{"s", "tb"}, Change: Drop}}},
		{"DROP FUNCTION f(int)", []Object{{Kind: Function, Name: Name{Name: "f"}, Change: Drop}}},
		{"CREATE VIEW v AS WITH w AS (SELECT 1) SELECT * FROM w, items", []Object{
			{Kind: View, Name: Name{Name: "v"}, Change: Create}, {Kind: Relation, Name: Name{Name: "items"}, Change: Use}}},
		{"UPDATE items SET x = 1 FROM documents d WHERE d.id = items.doc", []Object{
			{Kind: Table, Name: Name{Name: "items"}, Change: Write}, {Kind: Relation, Name: Name{Name: "documents"}, Change: Use}}},
		{"CREATE TYPE mood AS ENUM ('a')", []Object{{Kind: Type, Name: Name{Name: "mood"}, Change: Create}}},
		{"CREATE SCHEMA s CREATE TABLE s.x (id int)", []Object{
			{Kind: Schema, Name: Name{Name: "s"}, Change: Create}, {Kind: Table, Name: Name{"s", "x"}, Change: Create}}},
	}
	for _, c := range cases {
		s, err := AnalyzeStatement(p, c.sql)
		if err != nil || s.Err != nil {
			t.Fatalf("%s: %v %v", c.sql, err, s.Err)
		}
		if !reflect.DeepEqual(s.Objects, c.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", c.sql, s.Objects, c.want)
		}
	}
}

func TestStatementsKeepTheirLines(t *testing.T) {
	p := pgparsetest.New(t)
	section := "SET lock_timeout = '2s';\n\nCREATE INDEX i ON t (a);\nSELECT 1\n  FROM WHERE x;\nDO $$BEGIN END$$;\nSET LOCAL statement_timeout TO 5000"
	got, err := Analyze(p, section)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 5 {
		t.Fatalf("%d statements", len(got))
	}
	if got[0].Line != 1 || got[1].Line != 3 || got[2].Line != 4 || got[3].Line != 6 || got[4].Line != 7 {
		t.Errorf("lines %d %d %d %d %d", got[0].Line, got[1].Line, got[2].Line, got[3].Line, got[4].Line)
	}
	if want := []Setting{{Name: "lock_timeout", Value: "2s"}}; !reflect.DeepEqual(got[0].Settings, want) {
		t.Errorf("settings %+v", got[0].Settings)
	}
	if want := []Setting{{Name: "statement_timeout", Value: "5000", Local: true}}; !reflect.DeepEqual(got[4].Settings, want) {
		t.Errorf("settings %+v", got[4].Settings)
	}
	var perr *ParseError
	if e, ok := got[2].Err.(*ParseError); !ok {
		t.Fatalf("SELECT 1 FROM WHERE x: %v", got[2].Err)
	} else {
		perr = e
	}
	// At WHERE, line 5 column 8.
	if perr.Line != 5 || perr.Column != 8 || !strings.Contains(perr.Message, "syntax error") {
		t.Errorf("parse error %+v", perr)
	}
	if !got[3].Opaque || got[3].Tag != "DO" {
		t.Errorf("DO: opaque %v, tag %q", got[3].Opaque, got[3].Tag)
	}
}

// Every statement of the example histories is read, and anything at all
// (here, each file whole, and each line of each file alone) is read
// without a panic.
func TestExamplesAndGarbage(t *testing.T) {
	p := pgparsetest.New(t)
	files, err := filepath.Glob("../examples/library/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rev, err := revisions.ParseSQL(f, src)
		if err != nil {
			t.Fatal(err)
		}
		for _, sec := range []string{rev.Upgrade.SQL, rev.Downgrade.SQL} {
			sts, err := Analyze(p, sec)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range sts {
				if s.Err != nil {
					t.Errorf("%s:%d: %v", f, rev.Upgrade.Line+s.Line-1, s.Err)
				}
			}
		}
		if _, err := Analyze(p, string(src)); err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(src), "\n") {
			if _, err := Analyze(p, line); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, s := range []string{"\x00", "ALTER TABLE", strings.Repeat("(", 100000), "CREATE TABLE \xff (a int)", "$$"} {
		sts, err := Analyze(p, s)
		if err != nil {
			t.Fatalf("%.20q: %v", s, err)
		}
		for _, st := range sts {
			// libpg_query takes any byte over 0x7f in a name (the server
			// checks the encoding before parsing); "$$" alone is an
			// unterminated string sqlsplit keeps whole.
			if st.Err == nil && s != "$$" && !strings.Contains(s, "\xff") {
				t.Errorf("%.20q: no error", s)
			}
		}
	}
}
