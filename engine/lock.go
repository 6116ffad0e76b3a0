package engine

import (
	"context"
	"fmt"
	"time"

	"retort/models"
)

// unlockTimeout bounds the release of the lock, which runs even when the
// run's context is cancelled.
const unlockTimeout = 10 * time.Second

// acquireLock polls the lock until it is free, telling the listener who
// holds it while it waits, and gives up after the lock timeout. The context
// ends the wait; no statement runs with it, so that a cancellation never
// breaks the connection.
func (db *DB) acquireLock(ctx context.Context, em *emitter) error {
	bg := context.WithoutCancel(ctx)
	start := time.Now()
	lastHolder := ""
	for {
		ok, err := db.lock.tryLock(bg)
		if err != nil {
			return db.wrap(err, "taking the migration lock on %s", db.version.sql())
		}
		if ok {
			em.emit(models.Event{Kind: models.EventLockAcquired, Index: -1})
			return nil
		}
		holder, err := db.lock.holder(bg)
		if err != nil {
			holder = "an unknown session (" + maskText(err.Error(), db.secrets) + ")"
		}
		if holder != "" && holder != lastHolder {
			lastHolder = holder
			em.emit(models.Event{Kind: models.EventLockWaiting, Index: -1,
				Message: "waiting for the migration lock on " + db.version.sql() + ", held by " + holder})
		}
		waited := time.Since(start)
		if db.cfg.lockTimeout > 0 && waited >= db.cfg.lockTimeout {
			return fmt.Errorf("%w: waited %s for the lock on %s, held by %s",
				ErrLockTimeout, db.cfg.lockTimeout, db.version.sql(), lastHolder)
		}
		wait := db.cfg.lockPoll
		if left := db.cfg.lockTimeout - waited; db.cfg.lockTimeout > 0 && left < wait {
			wait = left
		}
		if holder == "" {
			wait = 0 // released between the two queries: try again now
		}
		if err := sleep(ctx, wait); err != nil {
			return fmt.Errorf("%w while waiting for the lock on %s (held by %s): %w", ErrCancelled, db.version.sql(), lastHolder, err)
		}
	}
}

// releaseLock frees the lock with a context that is not cancelled, so that
// a cancelled run still unlocks.
func (db *DB) releaseLock(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), unlockTimeout)
	defer cancel()
	return db.wrap(db.lock.unlock(ctx), "releasing the migration lock on %s", db.version.sql())
}

// LockHolder describes who holds the migration lock of this database (pid,
// application, since when), or returns "" when it is free.
func (db *DB) LockHolder(ctx context.Context) (string, error) {
	if err := db.enter(ctx, false); err != nil {
		return "", err
	}
	defer db.gate.leave()
	h, err := db.lock.holder(ctx)
	return h, db.wrap(err, "looking for the holder of the migration lock on %s", db.version.sql())
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
