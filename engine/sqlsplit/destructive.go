package sqlsplit

import (
	"fmt"
	"strings"
)

// Destructive classifies a statement for the guarded-downgrade modal. ok is
// true for DROP of anything, TRUNCATE, DELETE without a WHERE (a
// data-modifying DELETE in a WITH clause included) and ALTER ... DROP;
// reason is a short phrase such as "drops a table", "drops 2 columns",
// "deletes every row" or "truncates a table", with " (cascade)" when
// CASCADE reaches further than the named objects.
//
// Only the statement's own words count: a DROP in a comment, in a string or
// in the quoted body of a function or DO block is not seen. If stmt holds
// several statements, the first destructive one is reported.
func Destructive(stmt string) (reason string, ok bool) {
	for _, st := range Split(stmt) {
		if reason, ok := destructiveReason(significantTokens(st.SQL)); ok {
			return reason, true
		}
	}
	return "", false
}

// significantTokens returns the tokens of a statement without whitespace
// and comments.
func significantTokens(sql string) []Token {
	var out []Token
	l := newLexer(sql)
	for t, ok := l.next(); ok; t, ok = l.next() {
		if t.significant() {
			out = append(out, t)
		}
	}
	return out
}

// destructiveReason classifies one statement by its first word.
func destructiveReason(toks []Token) (string, bool) {
	if len(toks) == 0 {
		return "", false
	}
	switch first := toks[0]; {
	case first.isWord("drop"):
		return dropReason(toks[1:]), true
	case first.isWord("truncate"):
		return truncateReason(toks[1:]), true
	case first.isWord("alter"):
		return alterReason(toks)
	case first.isWord("delete"), first.isWord("with"):
		return deleteReason(toks)
	}
	return "", false
}

// object names a kind of database object as words following DROP or ALTER.
type object struct {
	words     []string // lower case
	one, many string   // "a table", "tables"
}

// objects is ordered so that a longer phrase comes before its prefix.
var objects = []object{
	{[]string{"materialized", "view"}, "a materialized view", "materialized views"},
	{[]string{"foreign", "data", "wrapper"}, "a foreign-data wrapper", "foreign-data wrappers"},
	{[]string{"foreign", "table"}, "a foreign table", "foreign tables"},
	{[]string{"event", "trigger"}, "an event trigger", "event triggers"},
	{[]string{"operator", "class"}, "an operator class", "operator classes"},
	{[]string{"operator", "family"}, "an operator family", "operator families"},
	{[]string{"text", "search"}, "a text search object", "text search objects"},
	{[]string{"access", "method"}, "an access method", "access methods"},
	{[]string{"user", "mapping"}, "a user mapping", "user mappings"},
	{[]string{"owned"}, "everything a role owns", ""},
	{[]string{"table"}, "a table", "tables"},
	{[]string{"index"}, "an index", "indexes"},
	{[]string{"view"}, "a view", "views"},
	{[]string{"schema"}, "a schema", "schemas"},
	{[]string{"database"}, "a database", "databases"},
	{[]string{"function"}, "a function", "functions"},
	{[]string{"procedure"}, "a procedure", "procedures"},
	{[]string{"routine"}, "a routine", "routines"},
	{[]string{"aggregate"}, "an aggregate", "aggregates"},
	{[]string{"type"}, "a type", "types"},
	{[]string{"domain"}, "a domain", "domains"},
	{[]string{"sequence"}, "a sequence", "sequences"},
	{[]string{"trigger"}, "a trigger", "triggers"},
	{[]string{"extension"}, "an extension", "extensions"},
	{[]string{"role"}, "a role", "roles"},
	{[]string{"user"}, "a user", "users"},
	{[]string{"group"}, "a group", "groups"},
	{[]string{"policy"}, "a policy", "policies"},
	{[]string{"rule"}, "a rule", "rules"},
	{[]string{"operator"}, "an operator", "operators"},
	{[]string{"server"}, "a foreign server", "foreign servers"},
	{[]string{"publication"}, "a publication", "publications"},
	{[]string{"subscription"}, "a subscription", "subscriptions"},
	{[]string{"collation"}, "a collation", "collations"},
	{[]string{"conversion"}, "a conversion", "conversions"},
	{[]string{"tablespace"}, "a tablespace", "tablespaces"},
	{[]string{"cast"}, "a cast", "casts"},
	{[]string{"language"}, "a language", "languages"},
	{[]string{"statistics"}, "extended statistics", "extended statistics"},
	{[]string{"transform"}, "a transform", "transforms"},
}

// matchObject finds the object kind toks start with, and how many tokens
// name it. An unknown word becomes "a <word>".
func matchObject(toks []Token) (object, int) {
	for _, o := range objects {
		if startsWithWords(toks, o.words) {
			return o, len(o.words)
		}
	}
	if len(toks) > 0 && toks[0].isAnyWord() {
		w := strings.ToLower(toks[0].Text)
		return object{one: article(w) + " " + w, many: w + "s"}, 1
	}
	return object{one: "an object", many: "objects"}, 0
}

func startsWithWords(toks []Token, words []string) bool {
	if len(toks) < len(words) {
		return false
	}
	for i, w := range words {
		if !toks[i].isWord(w) {
			return false
		}
	}
	return true
}

func article(w string) string {
	if w != "" && strings.IndexByte("aeiou", w[0]) >= 0 {
		return "an"
	}
	return "a"
}

// dropReason phrases DROP <object> name[, name...] [CASCADE].
func dropReason(rest []Token) string {
	o, n := matchObject(rest)
	return "drops " + counted(o, topLevelCommas(rest[n:])+1) + cascade(rest)
}

// truncateReason phrases TRUNCATE [TABLE] name[, name...] [CASCADE].
func truncateReason(rest []Token) string {
	tables := object{one: "a table", many: "tables"}
	return "truncates " + counted(tables, topLevelCommas(rest)+1) + cascade(rest)
}

// counted says "a table" for one and "3 tables" for more.
func counted(o object, n int) string {
	if n <= 1 || o.many == "" {
		return o.one
	}
	return fmt.Sprintf("%d %s", n, o.many)
}

// topLevelCommas counts the commas outside parentheses: the separators of a
// name list, not those of DROP FUNCTION f(int, text).
func topLevelCommas(toks []Token) int {
	n := 0
	forTopLevel(toks, func(t Token) {
		if t.isPunct(",") {
			n++
		}
	})
	return n
}

func cascade(toks []Token) string {
	found := false
	forTopLevel(toks, func(t Token) { found = found || t.isWord("cascade") })
	if found {
		return " (cascade)"
	}
	return ""
}

// forTopLevel calls f for each token outside parentheses, stopping where a
// ')' closes a parenthesis opened before toks.
func forTopLevel(toks []Token, f func(Token)) {
	depth := 0
	for _, t := range toks {
		switch {
		case t.isPunct("("):
			depth++
		case t.isPunct(")"):
			depth--
			if depth < 0 {
				return
			}
		case depth == 0:
			f(t)
		}
	}
}
