package sqlsplit

import (
	"fmt"
	"strings"
	"testing"
)

// tok is a compact expectation: kind and text.
type tok struct {
	Kind TokenKind
	Text string
}

func TestTokens(t *testing.T) {
	tests := []struct {
		in   string
		want []tok
	}{
		{"SELECT a, 1 FROM t;", []tok{
			{Keyword, "SELECT"}, {Space, " "}, {Ident, "a"}, {Punct, ","}, {Space, " "}, {Number, "1"},
			{Space, " "}, {Keyword, "FROM"}, {Space, " "}, {Ident, "t"}, {Punct, ";"},
		}},
		{"select Drop", []tok{{Keyword, "select"}, {Space, " "}, {Keyword, "Drop"}}},
		{"'it''s' E'it\\'s' e'\\\\' U&'x' u&\"y\" N'n' b'01' X'ff'", []tok{
			{String, "'it''s'"}, {Space, " "}, {String, "E'it\\'s'"}, {Space, " "}, {String, "e'\\\\'"},
			{Space, " "}, {String, "U&'x'"}, {Space, " "}, {QuotedIdent, "u&\"y\""}, {Space, " "},
			{String, "N'n'"}, {Space, " "}, {String, "b'01'"}, {Space, " "}, {String, "X'ff'"},
		}},
		{"'a\\' 'b'", []tok{{String, "'a\\'"}, {Space, " "}, {String, "'b'"}}},
		{"E'a'\n  'b\\'c' 'd'", []tok{{String, "E'a'\n  'b\\'c'"}, {Space, " "}, {String, "'d'"}}},
		{"E'a' 'b'", []tok{{String, "E'a'"}, {Space, " "}, {String, "'b'"}}},
		{"$$x$$ $tag$ $$ $tag$ $1 $name $ a$$b $é$z$é$", []tok{
			{String, "$$x$$"}, {Space, " "}, {String, "$tag$ $$ $tag$"}, {Space, " "}, {Param, "$1"},
			{Space, " "}, {Param, "$name"}, {Space, " "}, {Other, "$"}, {Space, " "}, {Ident, "a$$b"},
			{Space, " "}, {String, "$é$z$é$"},
		}},
		{"\"a\"\"b\" `c` ident_1 _x café", []tok{
			{QuotedIdent, "\"a\"\"b\""}, {Space, " "}, {QuotedIdent, "`c`"}, {Space, " "}, {Ident, "ident_1"},
			{Space, " "}, {Ident, "_x"}, {Space, " "}, {Ident, "café"},
		}},
		{"-- c;\r\n/* a /* b */ c */x", []tok{
			{Comment, "-- c;"}, {Space, "\r\n"}, {Comment, "/* a /* b */ c */"}, {Ident, "x"},
		}},
		{"1 1.5 .5 5. 1e10 1.5E-3 0x1F 1_000 1..2", []tok{
			{Number, "1"}, {Space, " "}, {Number, "1.5"}, {Space, " "}, {Number, ".5"}, {Space, " "},
			{Number, "5."}, {Space, " "}, {Number, "1e10"}, {Space, " "}, {Number, "1.5E-3"}, {Space, " "},
			{Number, "0x1F"}, {Space, " "}, {Number, "1_000"}, {Space, " "}, {Number, "1"}, {Punct, "."},
			{Number, ".2"},
		}},
		{"a::int>=b<>c||d->>'k' @> x=-1 a=--c", []tok{
			{Ident, "a"}, {Operator, "::"}, {Keyword, "int"}, {Operator, ">="}, {Ident, "b"}, {Operator, "<>"},
			{Ident, "c"}, {Operator, "||"}, {Ident, "d"}, {Operator, "->>"}, {String, "'k'"}, {Space, " "},
			{Operator, "@>"}, {Space, " "}, {Ident, "x"}, {Operator, "=-"}, {Number, "1"}, {Space, " "},
			{Ident, "a"}, {Operator, "="}, {Comment, "--c"},
		}},
		{"x := :name ?1 ? a[1:2]", []tok{
			{Ident, "x"}, {Space, " "}, {Operator, ":="}, {Space, " "}, {Param, ":name"}, {Space, " "},
			{Param, "?1"}, {Space, " "}, {Operator, "?"}, {Space, " "}, {Ident, "a"}, {Punct, "["},
			{Number, "1"}, {Punct, ":"}, {Number, "2"}, {Punct, "]"},
		}},
		{"\\x\x00", []tok{{Other, "\\"}, {Ident, "x"}, {Other, "\x00"}}},
		{"'open", []tok{{String, "'open"}}},
		{"/* open /* */", []tok{{Comment, "/* open /* */"}}},
		{"", nil},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.in), func(t *testing.T) {
			toks := Tokens(tt.in)
			got := make([]tok, len(toks))
			for i, tk := range toks {
				got[i] = tok{tk.Kind, tk.Text}
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Fatalf("Tokens(%q)\n got %v\nwant %v", tt.in, got, tt.want)
			}
			checkTokens(t, tt.in, toks)
		})
	}
}

// checkTokens asserts that tokens are non-empty, sit at their Offset and
// concatenate back to the input.
func checkTokens(t testing.TB, in string, toks []Token) {
	t.Helper()
	var b strings.Builder
	for i, tk := range toks {
		if tk.Text == "" {
			t.Fatalf("token %d is empty", i)
		}
		if tk.Offset != b.Len() {
			t.Fatalf("token %d %q at Offset %d, want %d", i, tk.Text, tk.Offset, b.Len())
		}
		b.WriteString(tk.Text)
	}
	if b.String() != in {
		t.Fatalf("tokens concatenate to %q, want %q", b.String(), in)
	}
}

func TestTokenKindString(t *testing.T) {
	if got := Keyword.String(); got != "Keyword" {
		t.Errorf("Keyword.String() = %q", got)
	}
	if got := TokenKind(99).String(); got != "TokenKind(99)" {
		t.Errorf("TokenKind(99).String() = %q", got)
	}
}

func TestKeywords(t *testing.T) {
	for w := range keywords {
		if len(w) > maxKeywordLen {
			t.Errorf("keyword %q is longer than maxKeywordLen %d", w, maxKeywordLen)
		}
		if w != strings.ToLower(w) {
			t.Errorf("keyword %q is not lower case", w)
		}
	}
	for _, w := range []string{"begin", "BEGIN", "Case", "end", "Current_Timestamp", "concurrently", "atomic"} {
		if !isKeyword(w) {
			t.Errorf("isKeyword(%q) = false", w)
		}
	}
	for _, w := range []string{"users", "current_timestampx", "beginning", "", "séléct"} {
		if isKeyword(w) {
			t.Errorf("isKeyword(%q) = true", w)
		}
	}
}
