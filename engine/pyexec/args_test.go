package pyexec

import (
	"slices"
	"testing"
	"time"
)

// The engine's $N statements become psycopg2's %s ones: placeholders in
// order of appearance (a placeholder may repeat), quoted text and percent
// signs kept as psycopg2 reads them back.
func TestDBAPIStatement(t *testing.T) {
	at := time.Date(2025, 3, 4, 12, 0, 0, 123456789, time.UTC)
	sql, args, err := dbapiStatement(dialectPostgres,
		`SELECT '50% $1', "a$2", $2, $1, $2 WHERE x LIKE 'a%' AND t = $3`, []any{"one", 2, at})
	if err != nil {
		t.Fatal(err)
	}
	want := `SELECT '50%% $1', "a$2", %s, %s, %s WHERE x LIKE 'a%%' AND t = %s`
	if sql != want || !slices.Equal(args, []any{2, "one", 2, "2025-03-04T12:00:00.123456789Z"}) {
		t.Errorf("got %q %v\nwant %q", sql, args, want)
	}
	if sql, _, _ := dbapiStatement(dialectPostgres, "SELECT '100%'", nil); sql != "SELECT '100%'" {
		t.Errorf("a statement without arguments became %q", sql)
	}
	if sql, args, _ := dbapiStatement(dialectSQLite, "INSERT INTO t VALUES (?, ?)", []any{"a%", at}); sql != "INSERT INTO t VALUES (?, ?)" ||
		args[1] != at.String() {
		t.Errorf("SQLite: %q %v", sql, args)
	}
	if _, _, err := dbapiStatement(dialectPostgres, "SELECT $2", []any{1}); err == nil {
		t.Error("a placeholder without its argument was accepted")
	}
	if _, _, err := dbapiStatement(dialectSQLite, "SELECT ?", []any{[]byte("x")}); err == nil {
		t.Error("an argument Python cannot receive was accepted")
	}
}
