package engine

import (
	"context"
	"slices"
	"strings"
	"testing"

	"retort/engine/sqlsplit"
	"retort/models"
)

// TestTxControlBehindComments: transaction control is recognised however
// comments surround it; ROLLBACK TO SAVEPOINT and words that merely start
// like it are not refused.
func TestTxControlBehindComments(t *testing.T) {
	refused := []string{
		"COMMIT/* x */;",
		"END/**/;",
		"/* lead */ commit;",
		"/* lead */ROLLBACK;",
		"-- lead\nEND;",
		"begin/* */transaction;",
		"START -- c\n TRANSACTION;",
		"ABORT;",
		"rollback /* to */ ;",
		"PREPARE TRANSACTION 'x';",
		"prepare /* 2pc */ transaction 'x';",
		"PREPARE TRANSACTION;",
		"COMMIT PREPARED 'x';",
		"rollback -- c\n prepared 'x';",
	}
	allowed := []string{
		"ROLLBACK/* */TO SAVEPOINT a;",
		"ROLLBACK WORK -- c\n TO a;",
		"SELECT 'COMMIT';",
		"/* COMMIT */ SELECT 1;",
		"ENDX();",
		"CREATE TABLE commit_log (id int);",
		"PREPARE q AS SELECT 1;",
		"PREPARE transaction AS SELECT 1;",
		"prepare transaction(int) AS SELECT $1;",
	}
	for _, sql := range refused {
		r := &models.Revision{ID: "x", Path: "versions/x.sql", Transactional: true}
		err := checkNoTxControl(r, models.Section{Present: true, SQL: sql, Line: 5}, sqlsplit.Split(sql))
		if err == nil || !strings.Contains(err.Error(), "versions/x.sql:") || !strings.Contains(err.Error(), "would end the step's transaction") {
			t.Errorf("%q: got %v, want it refused", sql, err)
		}
	}
	for _, sql := range allowed {
		r := &models.Revision{ID: "x", Path: "versions/x.sql", Transactional: true}
		if err := checkNoTxControl(r, models.Section{Present: true, SQL: sql, Line: 5}, sqlsplit.Split(sql)); err != nil {
			t.Errorf("%q: refused: %v", sql, err)
		}
	}
}

// TestPreparedStatementNamedTransaction: `PREPARE transaction AS ...` is a
// prepared statement named transaction, which PostgreSQL runs inside the
// step's transaction; it must not be refused as PREPARE TRANSACTION.
func TestPreparedStatementNamedTransaction(t *testing.T) {
	url := pgtestDatabase(t)
	revs := chain(1, func(int) string {
		return "PREPARE transaction AS SELECT 1;\nEXECUTE transaction;\nDEALLOCATE transaction;"
	})
	db := open(t, url)
	if err := db.Apply(context.Background(), upgradeChain(revs, -1, 0), nil); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if got := newProbe(t, url).rows(); !slices.Equal(got, []string{"r000"}) {
		t.Errorf("rows %v, want [r000]", got)
	}
}
