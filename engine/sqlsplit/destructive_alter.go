package sqlsplit

import "strings"

// alterDrops are the things ALTER ... DROP can remove, keyed by the word
// after DROP. NOT stands for NOT NULL.
var alterDrops = []struct {
	word string
	what object
}{
	{"column", object{one: "a column", many: "columns"}},
	{"constraint", object{one: "a constraint", many: "constraints"}},
	{"default", object{one: "a default", many: "defaults"}},
	{"not", object{one: "a NOT NULL constraint", many: "NOT NULL constraints"}},
	{"identity", object{one: "an identity", many: "identities"}},
	{"expression", object{one: "a generation expression", many: "generation expressions"}},
	{"attribute", object{one: "an attribute", many: "attributes"}},
}

// alterReason finds every DROP outside parentheses in an ALTER statement
// and phrases them together: "drops a column", "drops 2 columns, a
// constraint". An ALTER without DROP is not destructive.
func alterReason(toks []Token) (string, bool) {
	target, _ := matchObject(toks[1:])
	isTable := startsWithWords(toks[1:], []string{"table"}) || startsWithWords(toks[1:], []string{"foreign", "table"})
	var order []object
	count := map[string]int{}
	depth := 0
	for i, t := range toks {
		switch {
		case t.isPunct("("):
			depth++
		case t.isPunct(")"):
			depth = max(depth-1, 0)
		case depth == 0 && t.isWord("drop"):
			what := alterDropped(toks[i+1:], isTable, target)
			if count[what.one] == 0 {
				order = append(order, what)
			}
			count[what.one]++
		}
	}
	if len(order) == 0 {
		return "", false
	}
	parts := make([]string, len(order))
	for i, o := range order {
		parts[i] = counted(o, count[o.one])
	}
	return "drops " + strings.Join(parts, ", ") + cascade(toks), true
}

// alterDropped names what one ALTER ... DROP removes, from the words after
// DROP. In ALTER TABLE the word COLUMN is optional, so any other word names
// a column; elsewhere (ALTER EXTENSION e DROP FUNCTION f, ALTER PUBLICATION
// p DROP TABLE t) it removes a member of the altered object.
func alterDropped(after []Token, isTable bool, target object) object {
	for _, d := range alterDrops {
		if len(after) > 0 && after[0].isWord(d.word) {
			return d.what
		}
	}
	if isTable {
		return object{one: "a column", many: "columns"}
	}
	member, _ := matchObject(after)
	return object{one: member.one + " from " + target.one, many: member.many + " from " + target.one}
}
