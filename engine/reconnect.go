package engine

import (
	"context"
	"fmt"
)

// enter takes the gate for a read (run false) or a run (run true), see
// connGate, and opens the DB's connection again when it was lost.
func (db *DB) enter(ctx context.Context, run bool) error {
	if err := db.gate.enter(ctx, run); err != nil {
		return err
	}
	if err := db.revive(ctx); err != nil {
		db.gate.leave()
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
