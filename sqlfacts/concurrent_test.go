package sqlfacts

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"retort/engine/pgtest"
	"retort/pgparse/pgparsetest"
)

// A statement that cannot run in a transaction is watched while it runs:
// a writer's open transaction makes it wait half way, and a second
// connection reads its locks from pg_locks meanwhile.
func TestConcurrentLocksMatchPostgres(t *testing.T) {
	p := pgparsetest.New(t)
	url := pgtest.NewDatabase(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	a, writer, watcher := connect(t, ctx, url), connect(t, ctx, url), connect(t, ctx, url)
	if _, err := a.Exec(ctx, serverSchema); err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{
		"CREATE INDEX CONCURRENTLY x ON t (b)",
		"DROP INDEX CONCURRENTLY t_a",
		"REINDEX INDEX CONCURRENTLY t_a",
	} {
		t.Run(sql, func(t *testing.T) {
			s, err := AnalyzeStatement(p, sql)
			if err != nil || s.Err != nil || !s.Concurrently || !s.NoTransaction {
				t.Fatalf("analyze: %v %v, concurrently %v, no transaction %v", err, s.Err, s.Concurrently, s.NoTransaction)
			}
			var oid int64
			if err := watcher.QueryRow(ctx, "SELECT 't'::regclass::oid::int8").Scan(&oid); err != nil {
				t.Fatal(err)
			}
			tx, err := writer.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tx.Exec(ctx, "UPDATE t SET a = a WHERE id = 1"); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() {
				_, err := a.Exec(ctx, sql)
				done <- err
			}()
			mode := waitForLock(t, ctx, watcher, a.PgConn().PID(), oid)
			if err := tx.Commit(ctx); err != nil {
				t.Fatal(err)
			}
			if err := <-done; err != nil {
				t.Fatalf("PostgreSQL refused the statement: %v", err)
			}
			claimed := s.LockOn(Name{Name: "t"})
			if sql != "CREATE INDEX CONCURRENTLY x ON t (b)" {
				// The statement names the index; its table is t.
				claimed = s.LockOn(Name{Name: "t_a"})
			}
			if claimed.PgLocksMode() != mode {
				t.Errorf("facts say %s, PostgreSQL holds %s on t while the statement waits", claimed, mode)
			}
			if sql == "DROP INDEX CONCURRENTLY t_a" {
				if _, err := a.Exec(ctx, "CREATE INDEX t_a ON t (a)"); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// waitForLock polls until the backend pid waits for a lock, and returns
// the strongest mode it then holds on the relation oid.
func waitForLock(t *testing.T, ctx context.Context, watcher *pgx.Conn, pid uint32, oid int64) string {
	t.Helper()
	for {
		var waiting bool
		var mode *string
		err := watcher.QueryRow(ctx, `SELECT
				EXISTS (SELECT 1 FROM pg_locks WHERE pid = $1 AND NOT granted),
				(SELECT mode FROM pg_locks WHERE pid = $1 AND granted AND locktype = 'relation' AND relation = $2
				 ORDER BY array_position(ARRAY['AccessShareLock', 'RowShareLock', 'RowExclusiveLock',
				   'ShareUpdateExclusiveLock', 'ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock',
				   'AccessExclusiveLock'], mode) DESC LIMIT 1)`, pid, oid).Scan(&waiting, &mode)
		if err != nil {
			t.Fatal(err)
		}
		if waiting && mode != nil {
			return *mode
		}
		select {
		case <-ctx.Done():
			t.Fatal("the statement never waited")
		case <-time.After(20 * time.Millisecond):
		}
	}
}
