package pyread

import (
	"strings"
	"unicode/utf8"
)

// pySourceText checks that src is a Python source file retort can read
// (UTF-8, as Python assumes without a coding line) and returns it with the
// BOM removed and line ends normalized to "\n", as Python reads it.
func pySourceText(src []byte) (string, *Error) {
	if len(src) == 0 {
		return "", errorf(0, "the file is empty")
	}
	text := strings.ReplaceAll(string(src), "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	lineOf := func(i int) int { return 1 + strings.Count(text[:i], "\n") }
	if enc, line := pyCodingCookie(strings.TrimPrefix(text, "\ufeff")); enc != "" && !isPyUTF8Name(enc) && !isPyASCII(text) {
		return "", errorf(line, "the file declares the encoding %q; retort reads Python files as UTF-8 only", enc)
	}
	if i := strings.IndexByte(text, 0); i >= 0 {
		return "", errorf(lineOf(i), "the file contains a NUL byte")
	}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r == utf8.RuneError && size == 1 {
			return "", errorf(lineOf(i), "the file is not valid UTF-8 (byte 0x%02x); Python reads source files as UTF-8", text[i])
		}
		i += size
	}
	return strings.TrimPrefix(text, "\ufeff"), nil
}

// pyCodingCookie finds a PEP 263 coding declaration (`# -*- coding: x -*-`)
// on the first or second line, and returns the encoding and its line.
func pyCodingCookie(text string) (string, int) {
	lines := strings.SplitN(text, "\n", 3)
	for n := 0; n < len(lines) && n < 2; n++ {
		line := strings.TrimLeft(lines[n], " \t\f")
		if !strings.HasPrefix(line, "#") {
			if line != "" {
				return "", 0 // line 2 counts only after a blank or comment line 1
			}
			continue
		}
		if enc := pyCookieEncoding(line); enc != "" {
			return enc, n + 1
		}
	}
	return "", 0
}

// pyCookieEncoding applies Python's `coding[:=][ \t]*([-\w.]+)` to a comment.
func pyCookieEncoding(comment string) string {
	for rest := comment; ; {
		i := strings.Index(rest, "coding")
		if i < 0 {
			return ""
		}
		rest = rest[i+len("coding"):]
		if rest == "" || (rest[0] != ':' && rest[0] != '=') {
			continue
		}
		value := strings.TrimLeft(rest[1:], " \t")
		end := 0
		for end < len(value) && (isPyIdentStart(value[end]) && value[end] < utf8.RuneSelf || isPyDigit(value[end]) || value[end] == '-' || value[end] == '.') {
			end++
		}
		if end > 0 {
			return value[:end]
		}
	}
}

func isPyUTF8Name(enc string) bool {
	e := strings.ReplaceAll(strings.ToLower(enc), "_", "-")
	return e == "utf-8" || e == "utf8" || e == "u8" || e == "utf" || strings.HasPrefix(e, "utf-8-")
}

func isPyASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
