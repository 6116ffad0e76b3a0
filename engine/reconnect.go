package engine

import (
	"context"
	"errors"
	"fmt"

	"retort/engine/internal/gate"
)

// enter takes the gate for a read (run false) or a run (run true), and
// opens the DB's connection again when it was lost. Behind a run it fails
// at once with ErrBusy; behind a read it waits, as long as ctx allows.
func (db *DB) enter(ctx context.Context, run bool) error {
	if err := db.gate.Enter(ctx, run); errors.Is(err, gate.ErrRunning) {
		return ErrBusy
	} else if err != nil {
		return fmt.Errorf("%w while waiting for a read on the connection to end: %w", ErrCancelled, err)
	}
	if err := db.revive(ctx); err != nil {
		db.gate.Leave()
		return err
	}
	return nil
}

// revive opens again a connection found dead (a COMMIT lost with the
// network, a server restart), so that one failure does not leave the DB
// unusable until it is reopened. It is called with the gate held, so no run
// is in progress on this DB; the run lock was a property of the lost
// session and is released with it (if the server has not noticed the loss
// yet, the new session simply waits for that lock like any other runner
// would). A connection that is up is left alone.
func (db *DB) revive(ctx context.Context) error {
	if !db.conn.lost() {
		return nil
	}
	if err := db.open(ctx); err != nil {
		return fmt.Errorf("the connection to the database was lost and could not be opened again (reopen the database): %w", err)
	}
	return nil
}
