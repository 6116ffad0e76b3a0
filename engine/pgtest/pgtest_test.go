package pgtest

import (
	"context"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

// TestNewDatabase checks that each call gives a distinct, empty, working
// database on the server, and that it is gone after the test.
func TestNewDatabase(t *testing.T) {
	ctx := context.Background()
	var names []string
	t.Run("create", func(t *testing.T) {
		for i := 0; i < 2; i++ {
			u := NewDatabase(t)
			conn, err := pgx.Connect(ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			var name string
			var n int
			if err := conn.QueryRow(ctx, "SELECT current_database(), (SELECT count(*) FROM pg_tables WHERE schemaname = 'public')").Scan(&name, &n); err != nil {
				t.Fatal(err)
			}
			conn.Close(ctx)
			if n != 0 {
				t.Errorf("database %s has %d tables, want a fresh one", name, n)
			}
			names = append(names, name)
		}
		if names[0] == names[1] {
			t.Fatalf("two calls returned the same database %s", names[0])
		}
	})
	conn, err := pgx.Connect(ctx, ServerURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var left int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM pg_database WHERE datname = ANY($1)", names).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("%d of the test databases %v still exist after their tests ended", left, names)
	}
}

func TestWithDatabase(t *testing.T) {
	got, err := withDatabase("postgres://u:p@127.0.0.1:5/postgres?sslmode=disable&dbname=x", "db1")
	if err != nil {
		t.Fatal(err)
	}
	if want := "postgres://u:p@127.0.0.1:5/db1?sslmode=disable"; got != want {
		t.Errorf("withDatabase = %q, want %q", got, want)
	}
	if _, err := withDatabase("host=x dbname=y", "db1"); err == nil {
		t.Error("a key=value DSN was accepted; want an error asking for a URL")
	}
}
