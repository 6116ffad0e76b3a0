package sqlsplit

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"

	_ "modernc.org/sqlite"
)

// goldenScript reads a golden case's input and tells its dialect: cases
// named *sqlite* are SQLite scripts, the others PostgreSQL ones.
func goldenScript(t *testing.T, dir string) (script string, sqlite bool) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "input.sql"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b), strings.Contains(filepath.Base(dir), "sqlite")
}

// TestPostgreSQLParsesEachStatement has a real server parse every statement
// of every PostgreSQL golden case with the extended protocol. Parse rejects
// a string holding two commands ("cannot insert multiple commands into a
// prepared statement") and a cut one (unterminated string, unexpected end
// of input), both with SQLSTATE 42601, so a statement that parses is
// exactly one whole statement. Parse executes nothing; errors such as an
// undefined table come later than the lexer and are fine here.
func TestPostgreSQLParsesEachStatement(t *testing.T) {
	conn := startPostgres(t)
	ctx := context.Background()
	for _, dir := range goldenCases(t) {
		script, sqlite := goldenScript(t, dir)
		if sqlite {
			continue
		}
		for i, st := range Split(script) {
			_, err := conn.PgConn().Prepare(ctx, "", st.SQL, nil)
			var pgErr *pgconn.PgError
			if errors.As(err, &pgErr) && pgErr.Code == "42601" {
				t.Errorf("%s statement %d does not parse as one statement: %v\n%s", filepath.Base(dir), i+1, err, st.SQL)
			} else if err != nil && !errors.As(err, &pgErr) {
				t.Fatalf("%s statement %d: %v", filepath.Base(dir), i+1, err)
			}
		}
	}
}

// TestSQLiteAgreesOnEachStatement checks every SQLite golden case against
// SQLite's own sqlite3_complete: each statement is complete once its ';' is
// added and at none of its inner ';'. Then it runs the statements one by one
// in a fresh in-memory database, as the engine would.
func TestSQLiteAgreesOnEachStatement(t *testing.T) {
	for _, dir := range goldenCases(t) {
		script, sqlite := goldenScript(t, dir)
		if !sqlite {
			continue
		}
		t.Run(filepath.Base(dir), func(t *testing.T) {
			db, err := sql.Open("sqlite", ":memory:")
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			db.SetMaxOpenConns(1) // one connection: :memory: is per connection
			for i, st := range Split(script) {
				if !sqliteComplete(t, st.SQL+";") {
					t.Errorf("statement %d is not complete for SQLite:\n%s", i+1, st.SQL)
				}
				for _, tk := range Tokens(st.SQL) {
					if tk.isPunct(";") && sqliteComplete(t, st.SQL[:tk.Offset+1]) {
						t.Errorf("statement %d is complete for SQLite at its inner ';' (offset %d):\n%s", i+1, tk.Offset, st.SQL)
					}
				}
				if _, err := db.Exec(st.SQL); err != nil {
					t.Errorf("statement %d fails in SQLite: %v\n%s", i+1, err, st.SQL)
				}
			}
		})
	}
}

func sqliteComplete(t *testing.T, s string) bool {
	t.Helper()
	tls := libc.NewTLS()
	defer tls.Close()
	cs, err := libc.CString(s)
	if err != nil {
		t.Fatal(err)
	}
	defer libc.Xfree(tls, cs)
	return sqlite3.Xsqlite3_complete(tls, cs) == 1
}

// TestPositionAgainstPostgreSQL sends statements with syntax errors to a
// real server and maps the Position it reports back into the script.
func TestPositionAgainstPostgreSQL(t *testing.T) {
	conn := startPostgres(t)
	tests := []struct {
		name      string
		script    string
		stmt      int // index of the failing statement
		line, col int
	}{
		{"later line of a later statement", "SELECT 1;\n\nSELECT 'é',\n       2 FROM FROM t;", 1, 4, 15},
		{"columns count characters, not bytes", "SELECT 1;  SELECT 'é' 'x' FROM t;", 1, 1, 23},
		{"statement after a comment on its line", "/* c */ SELECT * FRM t;", 0, 1, 18},
		{"CRLF lines, error at end of input", "SELECT 1;\r\nSELECT\r\n  1 +;\r\n", 1, 3, 6},
		{"inside a multi-line dollar quote body", "DO $$\nBEGIN\n  PERFORM 1;\nEND $$ LANGUAGE;", 0, 4, 16},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := Split(tt.script)[tt.stmt]
			_, err := conn.PgConn().Prepare(context.Background(), "", st.SQL, nil)
			var pgErr *pgconn.PgError
			if !errors.As(err, &pgErr) || pgErr.Position == 0 {
				t.Fatalf("want a PostgreSQL error with a position for %q, got %v", st.SQL, err)
			}
			line, col := Position(tt.script, st, int(pgErr.Position))
			if line != tt.line || col != tt.col {
				t.Fatalf("%s (position %d) maps to %d:%d, want %d:%d", pgErr.Message, pgErr.Position, line, col, tt.line, tt.col)
			}
		})
	}
}
