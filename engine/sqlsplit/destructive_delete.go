package sqlsplit

// deleteReason reports a DELETE without WHERE in a statement that starts
// with DELETE or WITH: the statement's own DELETE, or a data-modifying
// DELETE inside a WITH clause. A WHERE counts only at the DELETE's own
// parenthesis level: one inside a USING subquery does not limit it. One
// pass with a stack keeps it linear however many DELETEs a statement holds.
func deleteReason(toks []Token) (string, bool) {
	// unlimited[d] is true while a DELETE FROM at depth d has seen no WHERE.
	unlimited := []bool{false}
	for i, t := range toks {
		top := len(unlimited) - 1
		switch {
		case t.isPunct("("):
			unlimited = append(unlimited, false)
		case t.isPunct(")"):
			if top == 0 {
				continue // a stray ')' is the server's to report
			}
			if unlimited[top] {
				return "deletes every row", true
			}
			unlimited = unlimited[:top]
		case t.isWord("delete") && i+1 < len(toks) && toks[i+1].isWord("from"):
			unlimited[top] = true
		case t.isWord("where"):
			unlimited[top] = false
		}
	}
	for _, u := range unlimited {
		if u {
			return "deletes every row", true
		}
	}
	return "", false
}
