package engine

import (
	"context"
	"fmt"
	"slices"

	"retort/engine/internal/tables"
	"retort/engine/step"
	"retort/models"
)

// opMismatch is Alembic's message for an UPDATE or DELETE of a version row
// in table that did not hit exactly one row. found < 0 means "more than
// one" (a checked change says no more).
func opMismatch(table string, op models.VersionOp, found int64) error {
	n := fmt.Sprint(found)
	if found < 0 {
		n = "more than one"
	}
	if op.Kind == models.OpDelete {
		return fmt.Errorf("%w: Online migration expected to match one row when deleting '%s' in '%s'; %s found",
			ErrVersionRow, op.From, table, n)
	}
	return fmt.Errorf("%w: Online migration expected to match one row when updating '%s' to '%s' in '%s'; %s found",
		ErrVersionRow, op.From, op.To, table, n)
}

// sameRows compares version rows as sets.
func sameRows(a, b []string) bool { return tables.SameRows(a, b) }

// Current returns the version rows, sorted. A missing version table means no
// rows; Current never creates it (reads never write).
func (db *DB) Current(ctx context.Context) ([]string, error) {
	if err := db.enter(ctx, false); err != nil {
		return nil, err
	}
	defer db.gate.Leave()
	rows, _, err := db.readRows(ctx)
	return rows, err
}

// VersionRows returns the version rows, sorted, and whether the version
// table exists at all: Alembic creates the table on any write command, so
// "no table" and "no rows" are different states of a database. Like
// Current, it never writes.
func (db *DB) VersionRows(ctx context.Context) ([]string, bool, error) {
	if err := db.enter(ctx, false); err != nil {
		return nil, false, err
	}
	defer db.gate.Leave()
	return db.readRows(ctx)
}

// readRows reads the version rows (sorted) outside of any step, reporting
// whether the table exists.
func (db *DB) readRows(ctx context.Context) ([]string, bool, error) {
	ok, err := tableExists(ctx, db.dialect, db.conn, db.version.Ref)
	if err != nil || !ok {
		return nil, false, db.wrap(err, "looking for the version table %s", db.version.SQL())
	}
	rows, err := db.queryRows(ctx)
	return rows, true, err
}

// queryRows selects the version rows, sorted.
func (db *DB) queryRows(ctx context.Context) ([]string, error) {
	return db.queryRowsOn(ctx, db.conn)
}

// queryRowsOn selects the version rows on connection c, sorted.
func (db *DB) queryRowsOn(ctx context.Context, c step.Session) ([]string, error) {
	sql, args, err := tables.Render(db.version.SelectRows(), c.Placeholder())
	if err != nil {
		return nil, err
	}
	rows, err := queryStrings(ctx, c, sql, args...)
	if err != nil {
		return nil, db.wrap(err, "reading the version table %s", db.version.SQL())
	}
	slices.Sort(rows)
	return rows, nil
}
