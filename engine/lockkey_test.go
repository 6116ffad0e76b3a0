package engine

import (
	"context"
	"testing"
)

// TestLockKeyFollowsTheTable: with search_path = app, public, a runner
// without a configured schema works on the table the search path finds;
// it must take the same lock as a runner told that table's schema, and,
// while no table exists, the same lock as a runner told the schema the
// table will be created in.
func TestLockKeyFollowsTheTable(t *testing.T) {
	ctx := context.Background()
	url := pgtestDatabase(t)
	p := newProbe(t, url)
	p.exec("CREATE SCHEMA app")
	dbname := p.strings("SELECT current_database()::text")[0]
	p.exec(`ALTER DATABASE "` + dbname + `" SET search_path = app, public`)

	// No table yet: it would be created in app, the current schema.
	implicit := open(t, url)
	conflicts(t, ctx, implicit, open(t, url, WithVersionTable("app", "")), "no table, app")

	// The table exists in public only: the search path finds public's.
	p.exec("CREATE TABLE public.alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
	conflicts(t, ctx, implicit, open(t, url, WithVersionTable("public", "")), "table in public")
}

// conflicts checks that a and b exclude each other: while a holds its lock,
// b cannot take its own and sees a as the holder.
func conflicts(t *testing.T, ctx context.Context, a, b *DB, what string) {
	t.Helper()
	if err := a.acquireLock(ctx, newEmitter(nil, 0)); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	defer func() {
		if err := a.releaseLock(ctx); err != nil {
			t.Errorf("%s: %v", what, err)
		}
	}()
	if ok, err := b.lock.tryLock(ctx); err != nil || ok {
		if ok {
			_ = b.lock.unlock(ctx)
		}
		t.Errorf("%s: the second runner took its lock (%v, %v) while the first held its own: different keys", what, ok, err)
	}
	if h, err := b.LockHolder(ctx); err != nil || h == "" {
		t.Errorf("%s: LockHolder of the second runner = %q, %v; want the first runner", what, h, err)
	}
}
