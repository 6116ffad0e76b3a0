package engine

import "context"

// VersionRows returns the version rows, sorted, and whether the version
// table exists at all: Alembic creates the table on any write command, so
// "no table" and "no rows" are different states of a database. Like
// Current, it never writes.
func (db *DB) VersionRows(ctx context.Context) ([]string, bool, error) {
	if err := db.enter(ctx, false); err != nil {
		return nil, false, err
	}
	defer db.gate.leave()
	return db.readRows(ctx)
}
