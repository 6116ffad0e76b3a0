package sqlsplit

import "testing"

// TestTransactionControl: what a statement is, however comments surround
// it; ROLLBACK TO SAVEPOINT and words that merely start like it are none.
func TestTransactionControl(t *testing.T) {
	for stmt, want := range map[string]string{
		"COMMIT/* x */":                         "COMMIT",
		"/* lead */ROLLBACK":                    "ROLLBACK",
		"-- lead\nEND":                          "END",
		"begin/* */transaction":                 "BEGIN",
		"START -- c\n TRANSACTION":              "START",
		"prepare /* 2pc */ transaction 'x'":     "PREPARE TRANSACTION",
		"PREPARE TRANSACTION":                   "PREPARE TRANSACTION",
		"rollback -- c\n prepared 'x'":          "ROLLBACK PREPARED",
		"COMMIT PREPARED 'x'":                   "COMMIT PREPARED",
		"ROLLBACK WORK -- c\n TO a":             "",
		"SELECT 'COMMIT'":                       "",
		"PREPARE transaction AS SELECT 1":       "",
		"prepare transaction(int) AS SELECT $1": "",
		"":                                      "",
	} {
		got, ok := TransactionControl(stmt)
		if got != want && ok || ok != (want != "") {
			t.Errorf("TransactionControl(%q) = %q, %v; want %q", stmt, got, ok, want)
		}
	}
}
