package sqlsplit

import (
	"slices"
	"strings"
)

// txControl are the first words of statements that end or nest a
// transaction (START as in START TRANSACTION, END and ABORT as PostgreSQL's
// COMMIT and ROLLBACK; COMMIT PREPARED and ROLLBACK PREPARED start with
// theirs).
var txControl = map[string]bool{"BEGIN": true, "START": true, "COMMIT": true, "END": true,
	"ROLLBACK": true, "ABORT": true}

// TransactionControl names the transaction control a statement is, if it is
// any: a statement that ends or nests the transaction it runs in (BEGIN,
// COMMIT, END, ROLLBACK, ABORT, START TRANSACTION), or hands it to a
// prepared transaction that outlives it (PREPARE TRANSACTION, COMMIT
// PREPARED, ROLLBACK PREPARED). ROLLBACK TO SAVEPOINT stays inside the
// transaction and is not. The words are the statement's tokens without
// comments, so that `COMMIT/* x */` or a comment before `END` is seen as
// the server sees it.
func TransactionControl(stmt string) (what string, ok bool) {
	words := leadingWords(stmt, 3)
	if len(words) == 0 {
		return "", false
	}
	switch {
	case txControl[words[0]] && len(words) > 1 && words[1] == "PREPARED":
		return words[0] + " PREPARED", true
	case txControl[words[0]]:
		return words[0], !rollbackToSavepoint(words)
	case preparedTransaction(words):
		return "PREPARE TRANSACTION", true
	}
	return "", false
}

// preparedTransaction recognises PREPARE TRANSACTION 'id', and not the
// prepared statement `PREPARE transaction AS ...` (TRANSACTION is not a
// reserved word), which the word after the name tells apart.
func preparedTransaction(words []string) bool {
	if len(words) < 2 || words[0] != "PREPARE" || words[1] != "TRANSACTION" {
		return false
	}
	return len(words) < 3 || words[2] != "AS" && words[2] != "("
}

// leadingWords returns the first n significant tokens of a statement (no
// whitespace, no comments), upper-cased.
func leadingWords(sql string, n int) []string {
	var out []string
	for _, t := range Tokens(sql) {
		if t.Kind == Space || t.Kind == Comment {
			continue
		}
		out = append(out, strings.ToUpper(t.Text))
		if len(out) == n {
			break
		}
	}
	return out
}

// rollbackToSavepoint recognises ROLLBACK [WORK | TRANSACTION] TO ..., which
// stays inside the transaction.
func rollbackToSavepoint(words []string) bool {
	return words[0] == "ROLLBACK" && slices.Contains(words[1:min(3, len(words))], "TO")
}
