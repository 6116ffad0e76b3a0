package sqlsplit

import (
	"reflect"
	"testing"
)

func TestSplitOffsetsAndLines(t *testing.T) {
	tests := []struct {
		name   string
		script string
		want   []Statement
	}{
		{
			name:   "one line",
			script: "SELECT 1; SELECT 2;",
			want:   []Statement{{"SELECT 1", 0, 1}, {"SELECT 2", 10, 1}},
		},
		{
			name:   "leading whitespace and comments are skipped",
			script: "\n\n  -- note\n  /* block\n */ SELECT 1;",
			want:   []Statement{{"SELECT 1", 27, 5}},
		},
		{
			name:   "line breaks inside strings and comments are counted",
			script: "SELECT 'a\nb';\n/* x\ny */\nSELECT $$\n$$;\nSELECT 3",
			want:   []Statement{{"SELECT 'a\nb'", 0, 1}, {"SELECT $$\n$$", 24, 5}, {"SELECT 3", 38, 7}},
		},
		{
			name:   "CRLF is one line break",
			script: "SELECT 1;\r\n\r\nSELECT 2;\r\n",
			want:   []Statement{{"SELECT 1", 0, 1}, {"SELECT 2", 13, 3}},
		},
		{
			name:   "a lone CR is not a line break",
			script: "SELECT 1;\rSELECT 2;",
			want:   []Statement{{"SELECT 1", 0, 1}, {"SELECT 2", 10, 1}},
		},
		{
			name:   "trailing whitespace and comment before ; are not part of SQL",
			script: "SELECT 1 -- why\n  ;",
			want:   []Statement{{"SELECT 1", 0, 1}},
		},
		{
			name:   "multi-byte characters count in bytes for Offset",
			script: "SELECT 'é';SELECT 2",
			want:   []Statement{{"SELECT 'é'", 0, 1}, {"SELECT 2", 12, 1}},
		},
		{
			name:   "nothing but comments",
			script: "-- a\n/* b */;;\n",
			want:   nil,
		},
		{
			name:   "an unterminated string runs to the end",
			script: "SELECT 1;\nSELECT 'abc;\nSELECT 3;",
			want:   []Statement{{"SELECT 1", 0, 1}, {"SELECT 'abc;\nSELECT 3;", 10, 2}},
		},
		{
			name:   "an unclosed parenthesis keeps the rest together",
			script: "SELECT (1;\nSELECT 2;",
			want:   []Statement{{"SELECT (1;\nSELECT 2;", 0, 1}},
		},
		{
			name:   "a stray ) does not swallow the next ;",
			script: "SELECT 1);\nSELECT 2;",
			want:   []Statement{{"SELECT 1)", 0, 1}, {"SELECT 2", 11, 2}},
		},
		{
			name:   "END after a dot is a column, not the end of a body",
			script: "CREATE TRIGGER t AFTER INSERT ON x BEGIN UPDATE y SET a = NEW.end; END;\nSELECT 1;",
			want: []Statement{
				{"CREATE TRIGGER t AFTER INSERT ON x BEGIN UPDATE y SET a = NEW.end; END", 0, 1},
				{"SELECT 1", 72, 2},
			},
		},
		{
			name:   "quoted BEGIN does not open a body",
			script: `CREATE TRIGGER t AFTER INSERT ON x WHEN "begin" BEGIN SELECT 1; END; SELECT 2;`,
			want: []Statement{
				{`CREATE TRIGGER t AFTER INSERT ON x WHEN "begin" BEGIN SELECT 1; END`, 0, 1},
				{"SELECT 2", 69, 1},
			},
		},
		{
			name:   "BEGIN in a non-CREATE statement is a transaction",
			script: "BEGIN; CREATE TABLE begin_end (x int); COMMIT;",
			want:   []Statement{{"BEGIN", 0, 1}, {"CREATE TABLE begin_end (x int)", 7, 1}, {"COMMIT", 39, 1}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Split(tt.script)
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Split(%q)\n got %#v\nwant %#v", tt.script, got, tt.want)
			}
			checkStatements(t, tt.script, got)
		})
	}
}
