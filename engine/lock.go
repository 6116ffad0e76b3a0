package engine

import (
	"context"
	"fmt"
	"time"

	"retort/engine/internal/secret"
	"retort/models"
)

// unlockTimeout bounds the release of the lock, which runs even when the
// run's context is cancelled.
const unlockTimeout = 10 * time.Second

// unknownHolder names the holder when the lock was taken but nobody could be
// found holding it: it was released between the two queries (the next try
// will likely get it), or the holder is not visible to this session.
const unknownHolder = "a session that could not be identified (it may have released the lock just now)"

// acquireLock polls the lock until it is free, telling the listener who
// holds it while it waits, and gives up after the lock timeout. The context
// ends the wait; no statement runs with it, so that a cancellation never
// breaks the connection. Every retry waits the poll interval, even when no
// holder was found: a holder that cannot be seen must not turn the wait
// into a busy loop.
func (db *DB) acquireLock(ctx context.Context, em *emitter) error {
	bg := context.WithoutCancel(ctx)
	start := time.Now()
	lastHolder := ""
	for {
		ok, err := db.lock.tryLock(bg)
		if err != nil {
			return db.wrap(err, "taking the migration lock on %s", db.version.SQL())
		}
		if ok {
			em.emit(models.Event{Kind: models.EventLockAcquired, Index: -1})
			return nil
		}
		holder := db.lockHolder(bg)
		if holder != lastHolder {
			lastHolder = holder
			em.emit(models.Event{Kind: models.EventLockWaiting, Index: -1,
				Message: "waiting for the migration lock on " + db.version.SQL() + ", held by " + holder})
		}
		waited := time.Since(start)
		if db.cfg.lockTimeout > 0 && waited >= db.cfg.lockTimeout {
			return fmt.Errorf("%w: waited %s for the lock on %s, held by %s",
				ErrLockTimeout, db.cfg.lockTimeout, db.version.SQL(), holder)
		}
		wait := db.cfg.lockPoll
		if left := db.cfg.lockTimeout - waited; db.cfg.lockTimeout > 0 && left < wait {
			wait = left
		}
		if err := sleep(ctx, wait); err != nil {
			return fmt.Errorf("%w while waiting for the lock on %s (held by %s): %w", ErrCancelled, db.version.SQL(), holder, err)
		}
	}
}

// lockHolder describes the holder of the lock for messages, never "".
func (db *DB) lockHolder(ctx context.Context) string {
	holder, err := db.lock.holder(ctx)
	switch {
	case err != nil:
		return "a session that could not be identified (" + secret.Text(err.Error(), db.secrets) + ")"
	case holder == "":
		return unknownHolder
	}
	return holder
}

// releaseLock frees the lock with a context that is not cancelled, so that
// a cancelled run still unlocks.
func (db *DB) releaseLock(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), unlockTimeout)
	defer cancel()
	return db.wrap(db.lock.unlock(ctx), "releasing the migration lock on %s", db.version.SQL())
}

// LockHolder describes who holds the migration lock of this database (pid,
// application, since when), or returns "" when it is free.
func (db *DB) LockHolder(ctx context.Context) (string, error) {
	if err := db.enter(ctx, false); err != nil {
		return "", err
	}
	defer db.gate.Leave()
	h, err := db.lock.holder(ctx)
	return h, db.wrap(err, "looking for the holder of the migration lock on %s", db.version.SQL())
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
