package sqlsplit

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"retort/engine/pgtest"
)

// TestMain gives the tests a real PostgreSQL: RETORT_TEST_DATABASE_URL's, or
// a throwaway server started for the run.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// startPostgres returns a connection to a fresh database on the test server.
// The tests only ever parse statements on it; nothing is executed.
func startPostgres(t *testing.T) *pgx.Conn {
	t.Helper()
	url := pgtest.NewDatabase(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("connecting to the test server: %v", err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}
