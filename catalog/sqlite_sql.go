package catalog

import (
	"strings"

	"retort/engine/sqlsplit"
)

// What SQLite keeps only in the text of a CREATE statement (sqlite_master's
// sql), read with retort's SQL lexer: the check constraints, generated
// columns' expressions, collations and AUTOINCREMENT of a table, and the
// definitions of indexes, views and triggers, normalised so that the same
// definition written twice compares equal.

// token is a significant token (not a space or a comment); spaced says
// whitespace or a comment came before it.
type token struct {
	sqlsplit.Token
	spaced bool
}

// tokens lexes s into its significant tokens.
func tokens(s string) []token {
	var out []token
	spaced := false
	for _, t := range sqlsplit.Tokens(s) {
		if t.Kind == sqlsplit.Space || t.Kind == sqlsplit.Comment {
			spaced = true
			continue
		}
		out = append(out, token{t, spaced})
		spaced = false
	}
	return out
}

// is reports whether t is the word w, in any case.
func (t token) is(w string) bool {
	return (t.Kind == sqlsplit.Keyword || t.Kind == sqlsplit.Ident) && strings.EqualFold(t.Text, w)
}

func (t token) punct(p string) bool { return t.Kind == sqlsplit.Punct && t.Text == p }

// normalize writes tokens back as text: one space where the source had
// whitespace or comments (none after an opening or before a closing
// parenthesis or a comma), identifiers unquoted where quotes are not
// needed. Words keep their case: a word PostgreSQL reserves may be a
// column's name in SQLite.
func normalize(ts []token) string {
	var b strings.Builder
	for i, t := range ts {
		if i > 0 && t.spaced && !ts[i-1].punct("(") && !t.punct(")") && !t.punct(",") {
			b.WriteByte(' ')
		}
		switch t.Kind {
		case sqlsplit.QuotedIdent:
			b.WriteString(sqliteIdent(unquote(t.Text)))
		default:
			b.WriteString(t.Text)
		}
	}
	return b.String()
}

// unquote removes an identifier's quotes ("x", `x`, [x]).
func unquote(s string) string {
	if len(s) >= 2 {
		switch q := s[0]; q {
		case '"', '`':
			if s[len(s)-1] == q {
				return strings.ReplaceAll(s[1:len(s)-1], string([]byte{q, q}), string(q))
			}
		case '[':
			if s[len(s)-1] == ']' {
				return s[1 : len(s)-1]
			}
		}
	}
	return s
}

// name is the identifier a token holds, unquoted.
func name(t token) string {
	if t.Kind == sqlsplit.QuotedIdent || t.Kind == sqlsplit.String {
		return unquote(strings.Trim(t.Text, "'"))
	}
	return t.Text
}

// sqliteIdent writes a name as the text form shows SQLite's: as is when it
// is a plain word, else in double quotes.
func sqliteIdent(s string) string {
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
		}
	}
	if s == "" {
		return `""`
	}
	return s
}

// closing returns the index of the parenthesis closing the one at open.
func closing(ts []token, open int) int {
	depth := 0
	for i := open; i < len(ts); i++ {
		switch {
		case ts[i].punct("("):
			depth++
		case ts[i].punct(")"):
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return len(ts)
}

// afterName returns the index of the token after the name of the object a
// CREATE statement makes, the name following the word kind (INDEX, VIEW,
// TRIGGER, TABLE), skipping IF NOT EXISTS and a schema; -1 when the
// statement does not read so.
func afterName(ts []token, kind string) int {
	i := 0
	for i < len(ts) && !ts[i].is(kind) {
		i++
	}
	i++
	if i+2 < len(ts) && ts[i].is("if") && ts[i+1].is("not") && ts[i+2].is("exists") {
		i += 3
	}
	if i+1 < len(ts) && ts[i+1].punct(".") {
		i += 2
	}
	if i >= len(ts) {
		return -1
	}
	return i + 1
}

// definitionAfterName is a CREATE statement's text after the name of what
// it creates, normalised; the whole statement when it cannot be read so.
func definitionAfterName(sql, kind string) string {
	ts := tokens(sql)
	if i := afterName(ts, kind); i >= 0 {
		return normalize(ts[i:])
	}
	return normalize(ts)
}

// tableText is what a table's CREATE TABLE says beyond its pragmas.
type tableText struct {
	autoincrement bool
	// checks are "CONSTRAINT name (expr)" or "(expr)", in order: names
	// and expressions.
	checks []check
	// generated and collate map a column's name to its generation
	// expression ("(expr) STORED") and its collation.
	generated, collate map[string]string
}

type check struct{ name, expr string }

// parseTable reads a CREATE TABLE statement. What it cannot read is left
// out (the pragmas still give the columns, keys and indexes).
func parseTable(sql string) tableText {
	tt := tableText{generated: map[string]string{}, collate: map[string]string{}}
	ts := tokens(sql)
	open := 0
	for open < len(ts) && !ts[open].punct("(") {
		open++
	}
	end := closing(ts, open)
	if end >= len(ts) {
		return tt
	}
	for _, el := range splitTop(ts[open+1 : end]) {
		tt.element(el)
	}
	return tt
}

// splitTop cuts a list at its top-level commas.
func splitTop(ts []token) [][]token {
	var out [][]token
	depth, start := 0, 0
	for i, t := range ts {
		switch {
		case t.punct("("):
			depth++
		case t.punct(")"):
			depth--
		case t.punct(",") && depth == 0:
			out = append(out, ts[start:i])
			start = i + 1
		}
	}
	return append(out, ts[start:])
}

// element reads one column definition or table constraint.
func (tt *tableText) element(el []token) {
	if len(el) == 0 {
		return
	}
	column := ""
	first := el[0]
	if !(first.is("constraint") || first.is("primary") || first.is("unique") || first.is("check") || first.is("foreign")) {
		column = name(first)
		el = el[1:]
	}
	constraint := ""
	for i := 0; i < len(el); i++ {
		t := el[i]
		switch {
		case t.is("constraint") && i+1 < len(el):
			constraint = name(el[i+1])
			i++
			continue
		case t.is("autoincrement"):
			tt.autoincrement = true
		case t.is("collate") && i+1 < len(el) && column != "":
			tt.collate[column] = sqliteIdent(name(el[i+1]))
			i++
		case t.is("check") && i+1 < len(el) && el[i+1].punct("("):
			end := closing(el, i+1)
			tt.checks = append(tt.checks, check{name: constraint, expr: normalize(el[i+1 : min(end+1, len(el))])})
			i = end
		case t.is("as") && column != "" && i+1 < len(el) && el[i+1].punct("("):
			end := closing(el, i+1)
			expr := normalize(el[i+1 : min(end+1, len(el))])
			how := "VIRTUAL"
			if end+1 < len(el) && el[end+1].is("stored") {
				how = "STORED"
			}
			tt.generated[column] = expr + " " + how
			i = end
		case t.punct("("):
			// A default's or a key's parentheses hold nothing of the above.
			i = closing(el, i)
		}
		constraint = ""
	}
}
