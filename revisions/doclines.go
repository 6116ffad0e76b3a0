package revisions

import "unicode/utf8"

// pyLines splits s as Python's str.splitlines does: at every line
// boundary it knows, keeping empty lines, with no empty line after a final
// boundary. `alembic show` prints a docstring's lines so (format.go).
func pyLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch r {
		case '\n', '\r', '\v', '\f', 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029:
			out = append(out, s[start:i-size])
			if r == '\r' && i < len(s) && s[i] == '\n' {
				i++
			}
			start = i
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}
