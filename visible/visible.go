// Package visible makes text that comes from revision files and databases
// safe to print on a terminal without hiding any of it. Control characters
// and escape sequences are shown as visible stand-ins (ESC as "␛", so that
// "\x1b]0;title\a" prints as "␛]0;title␇"), bidirectional controls and
// invisible characters as "<U+202E>": nothing is removed, so that what the
// screen shows is exactly what runs, and nothing reaches the terminal that
// could move the cursor, retitle the window, reorder the text or hide part
// of it.
//
// Every human-readable output of retort, the CLI's and the UI's, goes
// through Line or Text; JSON output goes through EscapeJSON.
package visible

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Line shows s on one line: line breaks become spaces ("\r\n" one space)
// and tabs a space, everything else as Text shows it.
func Line(s string) string {
	if plain(s, false, false) {
		return s
	}
	return render(s, false, " ")
}

// Text shows s, keeping its line breaks ("\r\n" becomes "\n") and
// expanding each tab to tab (which may be "\t" where the output handles
// tabs itself, or spaces where widths are counted).
func Text(s, tab string) string {
	if plain(s, true, tab == "\t") {
		return s
	}
	return render(s, true, tab)
}

// plain reports whether s is printable ASCII (with line breaks when
// multiline, tabs when tabs are kept), which needs no work: most text is.
func plain(s string, multiline, tabs bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\t' && tabs:
		case c == '\n' && multiline:
		case c < 0x20 || c >= 0x7f:
			return false
		}
	}
	return true
}

func render(s string, multiline bool, tab string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			// A byte that is not UTF-8 is shown as its value, not as
			// U+FFFD, so two different files never print alike.
			fmt.Fprintf(&b, "<0x%02X>", s[i])
		case r == '\r' && i+1 < len(s) && s[i+1] == '\n':
			// "\r\n" is a line break: its "\n" is written next.
		case r == '\n':
			if multiline {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		case r == '\t':
			if multiline {
				b.WriteString(tab)
			} else {
				b.WriteByte(' ')
			}
		default:
			writeRune(&b, r)
		}
		i += size
	}
	return b.String()
}

// writeRune writes r, or its visible stand-in when r is a control or an
// invisible character.
func writeRune(b *strings.Builder, r rune) {
	switch {
	case r < 0x20:
		// The Unicode control pictures: ␀ ␁ … ␛ … ␟.
		b.WriteRune(0x2400 + r)
	case r == 0x7f:
		b.WriteRune('␡')
	case Hidden(r):
		fmt.Fprintf(b, "<U+%04X>", r)
	default:
		b.WriteRune(r)
	}
}

// Hidden reports whether r is a character a terminal does not draw as
// itself: a C1 control, a bidirectional control (which reorders what
// follows it), or an invisible one (zero-width spaces and joiners, the
// byte order mark, line and paragraph separators, the soft hyphen, and the
// tag characters). Two texts that differ only by such characters would
// print alike.
func Hidden(r rune) bool {
	switch {
	case r >= 0x80 && r < 0xa0: // C1 controls, CSI (0x9b) among them
		return true
	case r == 0xad, r == 0x34f, r == 0x61c, r == 0x115f, r == 0x1160, r == 0x180e:
		return true
	case r >= 0x200b && r <= 0x200f: // zero-width space, joiners, LRM, RLM
		return true
	case r >= 0x2028 && r <= 0x202e: // separators, embeddings, overrides
		return true
	case r >= 0x2060 && r <= 0x206f: // word joiner, invisible operators, isolates
		return true
	case r == 0x3164, r == 0xfeff, r == 0xffa0:
		return true
	case r >= 0xfff9 && r <= 0xfffb: // interlinear annotation
		return true
	case r >= 0xe0000 && r <= 0xe007f: // tags
		return true
	}
	return false
}

// Control reports whether r is a control character or a hidden one: what
// Line and Text replace (line breaks and tabs included).
func Control(r rune) bool {
	return r < 0x20 || r == 0x7f || Hidden(r)
}

// EscapeJSON escapes, inside JSON text made by encoding/json, the
// characters its encoder leaves raw although a terminal acts on them or
// does not draw them: DEL, C1 controls, bidirectional controls and
// invisible characters become \uXXXX escapes (a pair of surrogates beyond
// the BMP). encoding/json already escapes the C0 controls. The result
// decodes to the same values: these characters can only occur inside
// strings.
func EscapeJSON(b []byte) []byte {
	if !needsJSONEscape(b) {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case r == 0x7f || Hidden(r):
			out = appendJSONEscape(out, r)
		case r < 0x20 && r != '\n' && r != '\t' && r != '\r':
			// Not made by encoding/json, but never raw in output either.
			out = appendJSONEscape(out, r)
		default:
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	return out
}

func needsJSONEscape(b []byte) bool {
	for _, c := range b {
		if c == 0x7f || c >= 0x80 || (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
			return true
		}
	}
	return false
}

func appendJSONEscape(out []byte, r rune) []byte {
	if r > 0xffff {
		r -= 0x10000
		return fmt.Appendf(out, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
	}
	return fmt.Appendf(out, `\u%04x`, r)
}
