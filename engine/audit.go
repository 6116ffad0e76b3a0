package engine

import (
	"context"
	"slices"
	"strings"
	"time"

	"retort/engine/internal/tables"
	"retort/models"
	"retort/revisions"
)

// Outcomes recorded in the audit log.
const (
	OutcomeOK        = "ok"
	OutcomeFailed    = "failed"
	OutcomeCancelled = "cancelled"
)

// auditRow is the audit row of step s, which took the version table from
// before to after.
func (db *DB) auditRow(s *models.Step, before, after []string, started time.Time, outcome string) tables.Row {
	r := tables.Row{Revision: stepRevision(s), Direction: directionName(s.Direction), Before: before, After: after,
		Started: started, Finished: time.Now(), DBUser: db.ident.dbUser, OSUser: db.ident.osUser, Host: db.ident.host,
		RetortVersion: db.cfg.retortVersion, Outcome: outcome, VersionTable: db.audit.VersionTable}
	if s.Revision != nil {
		r.SHA256 = s.Revision.Checksum
	}
	return r
}

// stepRevision is what the log names a step by: its revision, or for a
// stamp the revisions it stamps.
func stepRevision(s *models.Step) string {
	if s.Revision != nil {
		return s.Revision.ID
	}
	return strings.Join(s.To, ",")
}

// directionName is the direction as the log writes it.
func directionName(d models.Direction) string {
	if d == models.Stamp {
		return "stamp"
	}
	return d.String()
}

// LogEntry is one row of the audit log.
type LogEntry struct {
	ID                    int64
	Revision              string
	Direction             string // upgrade, downgrade or stamp
	RowsBefore, RowsAfter []string
	SHA256                string
	StartedAt, FinishedAt time.Time
	DBUser, OSUser, Host  string
	RetortVersion         string
	Outcome               string // ok, failed or cancelled
	Error                 string
	// VersionTable is the version table of the run; "" for an entry written
	// before the log recorded it.
	VersionTable string
}

// logShape reads whether the audit table exists and has the version_table
// column.
func (db *DB) logShape(ctx context.Context) (exists, hasVersionTable bool, err error) {
	cols, err := columns(ctx, db.dialect, db.conn, db.audit.Ref)
	if err != nil {
		return false, false, db.wrap(err, "looking for the audit table %s", db.audit.SQL())
	}
	return len(cols) > 0, slices.Contains(cols, tables.VersionTableColumn), nil
}

// Log returns the newest limit entries of the audit log (all when limit <=
// 0), newest first: those of this DB's version table, and those written
// before the log recorded the version table. A database without the log has
// no entries.
func (db *DB) Log(ctx context.Context, limit int) ([]LogEntry, error) {
	if err := db.enter(ctx, false); err != nil {
		return nil, err
	}
	defer db.gate.Leave()
	exists, hasVT, err := db.logShape(ctx)
	if err != nil || !exists {
		return nil, err
	}
	sql, args, err := tables.Render(db.audit.SelectLog(hasVT, limit), db.conn.Placeholder())
	if err != nil {
		return nil, err
	}
	var out []LogEntry
	err = db.conn.Query(ctx, sql, args, func(scan func(...any) error) error {
		var e LogEntry
		var before, after string
		if err := scan(&e.ID, &e.Revision, &e.Direction, &before, &after, &e.SHA256, &e.StartedAt, &e.FinishedAt,
			&e.DBUser, &e.OSUser, &e.Host, &e.RetortVersion, &e.Outcome, &e.Error, &e.VersionTable); err != nil {
			return err
		}
		e.RowsBefore, e.RowsAfter = tables.SplitRows(before), tables.SplitRows(after)
		out = append(out, e)
		return nil
	})
	return out, db.wrap(err, "reading the audit table %s", db.audit.SQL())
}

// DriftInfo compares a revision file with the file as it was applied.
type DriftInfo struct {
	Revision string
	// Recorded is the sha256 logged at the revision's last successful
	// upgrade, Current the file's checksum now.
	Recorded, Current string
	// AppliedAt is when that upgrade finished.
	AppliedAt time.Time
	// Changed is true when the file changed after it was applied.
	Changed bool
}

// Drift reports, for every revision of g that is applied now, whether its
// file changed since retort applied it. Applied means: the version table
// holds it or a revision that needs it (revisions.Needed: through parents
// and depends_on); whoever moved the rows there (retort,
// Alembic, a stamp). The file as applied is the one of the revision's last
// successful upgrade in the log, when that came after its last successful
// downgrade. Revisions that are not applied, and those the log cannot speak
// for (applied by Alembic, or stamped, since their last retort downgrade or
// ever), are absent from the map.
func (db *DB) Drift(ctx context.Context, g *models.Graph) (map[string]DriftInfo, error) {
	if err := db.enter(ctx, false); err != nil {
		return nil, err
	}
	defer db.gate.Leave()
	out := map[string]DriftInfo{}
	exists, hasVT, err := db.logShape(ctx)
	if err != nil || !exists {
		return out, err
	}
	rows, _, err := db.readRows(ctx)
	if err != nil {
		return nil, err
	}
	var held []int
	for _, id := range rows {
		if i, ok := g.Index[id]; ok {
			held = append(held, i)
		}
	}
	if len(held) == 0 {
		return out, nil
	}
	applied := revisions.Needed(g, held...)
	upgrades, err := db.lastUpgrades(ctx, hasVT)
	if err != nil {
		return nil, err
	}
	for i, r := range g.Revisions {
		d, ok := upgrades[r.ID]
		if !ok || !applied[i] {
			continue
		}
		d.Current = r.Checksum
		d.Changed = d.Recorded != r.Checksum
		out[r.ID] = d
	}
	return out, nil
}

// lastUpgrades reads, for each revision whose last successful upgrade or
// downgrade in the log is an upgrade, that upgrade.
func (db *DB) lastUpgrades(ctx context.Context, hasVT bool) (map[string]DriftInfo, error) {
	sql, args, err := tables.Render(db.audit.LastChanges(hasVT, OutcomeOK), db.conn.Placeholder())
	if err != nil {
		return nil, err
	}
	out := map[string]DriftInfo{}
	err = db.conn.Query(ctx, sql, args, func(scan func(...any) error) error {
		var d DriftInfo
		var dir string
		if err := scan(&d.Revision, &dir, &d.Recorded, &d.AppliedAt); err != nil {
			return err
		}
		if dir == "upgrade" {
			out[d.Revision] = d
		}
		return nil
	})
	if err != nil {
		return nil, db.wrap(err, "reading the audit table %s", db.audit.SQL())
	}
	return out, nil
}
