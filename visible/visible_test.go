package visible

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLine(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain text", "plain text"},
		{"DELETE FROM t WHERE id = -1 /*\x1b]0;*/ OR true /*\a*/;", "DELETE FROM t WHERE id = -1 /*␛]0;*/ OR true /*␇*/;"},
		{"\x1b[2J\x1b[7m", "␛[2J␛[7m"},
		{"a\r\nb\nc\td", "a b c d"},
		{"a\rb", "a␍b"},
		{"nul\x00del\x7f", "nul␀del␡"},
		{"abc\u202edcba", "abc<U+202E>dcba"},
		{"x\u2066y\u2069", "x<U+2066>y<U+2069>"},
		{"id\u200b", "id<U+200B>"},
		{"csi\u009b2J", "csi<U+009B>2J"},
		{"bom\ufeff", "bom<U+FEFF>"},
		{"tag\U000E0041", "tag<U+E0041>"},
		{"bad\xffbyte", "bad<0xFF>byte"},
		{"été — ✓ 日本", "été — ✓ 日本"},
	} {
		if got := Line(c.in); got != c.want {
			t.Errorf("Line(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestText(t *testing.T) {
	in := "CREATE TABLE a (\r\n\tid int -- \x1b[8mhidden\x1b[0m\n);"
	if got, want := Text(in, "    "), "CREATE TABLE a (\n    id int -- ␛[8mhidden␛[0m\n);"; got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
	if got, want := Text("a\tb\n", "\t"), "a\tb\n"; got != want {
		t.Errorf("Text with tab kept = %q, want %q", got, want)
	}
}

func TestEscapeJSON(t *testing.T) {
	in := map[string]string{"m": "a\x1b]0;x\a\u202e\u2066\u200b\x7f\u0085\U000E0041é"}
	raw, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	out := EscapeJSON(raw)
	for _, r := range string(out) {
		if Control(r) {
			t.Fatalf("EscapeJSON left %U raw in %s", r, out)
		}
	}
	if !strings.Contains(string(out), `\u202e`) || !strings.Contains(string(out), `é`) {
		t.Fatalf("EscapeJSON = %s", out)
	}
	var back map[string]string
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	if back["m"] != in["m"] {
		t.Fatalf("round trip: %q, want %q", back["m"], in["m"])
	}
}

// FuzzVisible: whatever the input, no control character reaches the
// output (but the line breaks Text keeps), and nothing printable is
// removed: the input's printable characters appear in the output, in
// order.
func FuzzVisible(f *testing.F) {
	for _, s := range []string{"plain", "\x1b]0;t\a", "a\u202eb", "\r\n\t", "\xff\xfe", "\u009b1m", "\U000E0001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, out := range []string{Line(s), Text(s, "  ")} {
			for _, r := range out {
				if Control(r) && r != '\n' {
					t.Fatalf("%q shows as %q, with %U raw", s, out, r)
				}
			}
			rest := out
			for i, r := range s {
				if r == utf8.RuneError || Control(r) {
					continue
				}
				k := strings.IndexRune(rest, r)
				if k < 0 {
					t.Fatalf("%q shows as %q: %q at %d is gone", s, out, r, i)
				}
				rest = rest[k+utf8.RuneLen(r):]
			}
		}
		var js []byte
		js, _ = json.Marshal(s)
		for _, r := range string(EscapeJSON(js)) {
			if Control(r) {
				t.Fatalf("%q encodes to %s with %U raw", s, EscapeJSON(js), r)
			}
		}
	})
}
