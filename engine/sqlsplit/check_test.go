package sqlsplit

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckErrors(t *testing.T) {
	tests := []struct {
		name     string
		script   string
		line     int
		contains string
	}{
		{"single quote", "SELECT 1;\nSELECT 'abc;\nSELECT 2;", 2, "unterminated quoted string"},
		{"doubled quote is not a close", "SELECT 'it''s;", 1, "unterminated quoted string"},
		{"E string ending in an escaped quote", "SELECT 1;\n\nSELECT E'it\\';", 3, "unterminated E'...' string"},
		{"U& string", "SELECT U&'abc", 1, "unterminated U&'...' string"},
		{"bit string", "\nSELECT B'0101", 2, "unterminated quoted string"},
		{"dollar quote", "SELECT 1;\nDO $$\nBEGIN\nEND;\n$", 2, "unterminated dollar-quoted string $$"},
		{"tagged dollar quote closed by another tag", "SELECT $a$ x $b$;", 1, "unterminated dollar-quoted string $a$"},
		{"dollar tags are case-sensitive", "SELECT $Fn$ x $fn$;", 1, "unterminated dollar-quoted string $Fn$"},
		{"quoted identifier", "SELECT 1;\r\nSELECT \"col;", 2, "unterminated quoted identifier"},
		{"U& quoted identifier", "SELECT U&\"col", 1, "unterminated quoted identifier"},
		{"backtick identifier", "\n\n\nSELECT `col", 4, "unterminated quoted identifier"},
		{"block comment", "SELECT 1;\n/* note\n", 2, "unterminated /* comment"},
		{"nested block comment closed once", "/* a /* b */\nSELECT 1;", 1, "unterminated /* comment"},
		{"unclosed parenthesis", "SELECT 1;\nSELECT (1;\nSELECT 2;", 2, "unclosed parenthesis"},
		{"trigger body without END", "CREATE TRIGGER t AFTER INSERT ON x\nBEGIN\n  SELECT 1;\n", 2, "BEGIN without a matching END"},
		{"CASE without END in a function", "CREATE FUNCTION f() RETURNS int LANGUAGE sql\nRETURN case when true then 1;", 2, "CASE without a matching END"},
		{"the construct opened first is reported", "CREATE TRIGGER t\nBEGIN\nSELECT (1;", 2, "BEGIN without a matching END"},
		{"a lexical error wins over an open parenthesis", "SELECT (\n'abc", 2, "unterminated quoted string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check(tt.script)
			var lexErr *LexError
			if !errors.As(err, &lexErr) {
				t.Fatalf("Check(%q) = %v, want a *LexError", tt.script, err)
			}
			if lexErr.Line != tt.line || !strings.Contains(lexErr.Msg, tt.contains) {
				t.Fatalf("Check(%q) = line %d %q, want line %d containing %q", tt.script, lexErr.Line, lexErr.Msg, tt.line, tt.contains)
			}
			if !strings.HasPrefix(err.Error(), "line ") {
				t.Fatalf("Error() = %q, want it to name the line", err.Error())
			}
		})
	}
}

func TestCheckAcceptsValidScripts(t *testing.T) {
	for _, script := range []string{
		"",
		"SELECT 1",
		"SELECT 'it''s', E'it\\'s', $$a$$, $x$b$x$, \"q\"\"q\", /* a /* b */ c */ 1 -- end",
		"SELECT 'unclosed in a comment -- ';",
		"-- 'unclosed quote in a comment",
		"SELECT 1); SELECT 2;",
		"CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT CASE WHEN 1 THEN 2 END; END;",
		"SELECT a$$b, $1",
	} {
		if err := Check(script); err != nil {
			t.Errorf("Check(%q) = %v, want nil", script, err)
		}
	}
}
