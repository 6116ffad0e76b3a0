package sqlsplit

import "fmt"

// TokenKind classifies a token.
type TokenKind int

const (
	// Other is a byte no SQL token starts with (a backslash, a lone $, a
	// control character).
	Other TokenKind = iota
	// Space is a run of whitespace, line breaks included.
	Space
	// Comment is a -- comment (without its line break) or a /* */ comment.
	Comment
	// Keyword is an unquoted word found in the keyword table.
	Keyword
	// Ident is any other unquoted word.
	Ident
	// QuotedIdent is "...", U&"..." or `...`.
	QuotedIdent
	// String is a string constant in any of its forms, dollar quotes
	// included.
	String
	// Number is a numeric constant.
	Number
	// Operator is a run of operator characters, :: or :=.
	Operator
	// Punct is one of ( ) [ ] { } , ; . :
	Punct
	// Param is a parameter: $1, ?1, :name or SQLite's $name.
	Param
)

var tokenKindNames = [...]string{
	Other:       "Other",
	Space:       "Space",
	Comment:     "Comment",
	Keyword:     "Keyword",
	Ident:       "Ident",
	QuotedIdent: "QuotedIdent",
	String:      "String",
	Number:      "Number",
	Operator:    "Operator",
	Punct:       "Punct",
	Param:       "Param",
}

func (k TokenKind) String() string {
	if k >= 0 && int(k) < len(tokenKindNames) {
		return tokenKindNames[k]
	}
	return fmt.Sprintf("TokenKind(%d)", int(k))
}

// Token is one lexical token. Text is a slice of the lexed input starting at
// byte Offset, so the Texts of all tokens concatenate back to the input.
type Token struct {
	Kind   TokenKind
	Text   string
	Offset int
}

// significant reports whether the token matters to the grammar, that is,
// it is neither whitespace nor a comment.
func (t Token) significant() bool {
	return t.Kind != Space && t.Kind != Comment
}

// isAnyWord reports whether the token is an unquoted word.
func (t Token) isAnyWord() bool {
	return t.Kind == Keyword || t.Kind == Ident
}

// isWord reports whether the token is the unquoted word w (lower case).
func (t Token) isWord(w string) bool {
	return t.isAnyWord() && len(t.Text) == len(w) && equalFoldASCII(t.Text, w)
}

// isPunct reports whether the token is the punctuation p.
func (t Token) isPunct(p string) bool {
	return t.Kind == Punct && t.Text == p
}

// equalFoldASCII compares s with the lower-case ASCII word w, ignoring the
// case of s. It is strings.EqualFold without the Unicode tables, which
// keywords do not need.
func equalFoldASCII(s, w string) bool {
	if len(s) != len(w) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if lowerASCII(s[i]) != w[i] {
			return false
		}
	}
	return true
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
