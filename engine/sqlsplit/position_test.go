package sqlsplit

import "testing"

func TestPosition(t *testing.T) {
	script := "SELECT 1;\n  SELECT 'é',\r\n\tbad FROM t;\nSELECT 3"
	stmts := Split(script)
	second, third := stmts[1], stmts[2]
	tests := []struct {
		name      string
		st        Statement
		pos       int
		line, col int
	}{
		{"first character", second, 1, 2, 3},
		{"after a multi-byte character", second, 11, 2, 13},
		{"the CR of a CRLF ends the line", second, 12, 2, 14},
		{"next line after CRLF, a tab is one column", second, 15, 3, 2},
		{"one past the end is just after the last character", second, 26, 3, 12},
		{"far past the end is clamped there too", second, 1000, 3, 12},
		{"zero is clamped to the first character", second, 0, 2, 3},
		{"negative is clamped to the first character", second, -5, 2, 3},
		{"statement at the start of its line", third, 8, 4, 8},
		{"statement foreign to the script is clamped to its end", Statement{SQL: "SELECT 1", Offset: 500, Line: 9}, 3, 4, 9},
		{"statement without a line counts lines in the script", Statement{SQL: "SELECT 3", Offset: 39}, 1, 4, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			line, col := Position(script, tt.st, tt.pos)
			if line != tt.line || col != tt.col {
				t.Fatalf("Position(pos %d) = %d:%d, want %d:%d", tt.pos, line, col, tt.line, tt.col)
			}
		})
	}
}
