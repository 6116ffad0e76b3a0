package ui

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// requireTables checks which tables exist in the database at url, through
// a connection of its own (not the engine's), as a user with psql would.
func requireTables(t *testing.T, url string, want map[string]bool) {
	t.Helper()
	for table, exists := range want {
		if got := tableExists(t, url, table); got != exists {
			t.Fatalf("table %s exists: %v, want %v", table, got, exists)
		}
	}
}

func tableExists(t *testing.T, url, table string) bool {
	t.Helper()
	ctx := context.Background()
	var n int
	if path, ok := strings.CutPrefix(url, "sqlite:"); ok {
		db, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		err = db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", table).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		return n > 0
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	err = conn.QueryRow(ctx, "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1", table).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n > 0
}
