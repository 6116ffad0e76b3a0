package engine

import (
	"context"
	"strings"
	"time"

	sq "github.com/Masterminds/squirrel"

	"retort/models"
)

// Outcomes recorded in the audit log.
const (
	OutcomeOK        = "ok"
	OutcomeFailed    = "failed"
	OutcomeCancelled = "cancelled"
)

// auditTable is retort_log, beside the version table: one row per step
// retort ran, for "who downgraded this, and when" and for drift detection.
// Nothing depends on it for correctness; a database only Alembic touched
// has none.
type auditTable struct {
	tableRef
}

// auditColumns in the order insert writes them.
var auditColumns = []string{"revision", "direction", "rows_before", "rows_after", "sha256",
	"started_at", "finished_at", "db_user", "os_user", "host", "retort_version", "outcome", "error_text"}

// createSQL is the DDL of the audit table in the dialect.
func (a auditTable) createSQL(dialect string) string {
	id, ts := "id BIGSERIAL PRIMARY KEY", "TIMESTAMP WITH TIME ZONE"
	if dialect == DialectSQLite {
		// TIMESTAMP makes the modernc driver read the column back as a time.
		id, ts = "id INTEGER PRIMARY KEY AUTOINCREMENT", "TIMESTAMP"
	}
	return "CREATE TABLE " + a.sql() + " (\n" +
		"    " + id + ",\n" +
		"    revision TEXT NOT NULL,\n" +
		"    direction VARCHAR(16) NOT NULL,\n" +
		"    rows_before TEXT NOT NULL,\n" +
		"    rows_after TEXT NOT NULL,\n" +
		"    sha256 VARCHAR(64) NOT NULL,\n" +
		"    started_at " + ts + " NOT NULL,\n" +
		"    finished_at " + ts + " NOT NULL,\n" +
		"    db_user TEXT NOT NULL,\n" +
		"    os_user TEXT NOT NULL,\n" +
		"    host TEXT NOT NULL,\n" +
		"    retort_version TEXT NOT NULL,\n" +
		"    outcome VARCHAR(16) NOT NULL,\n" +
		"    error_text TEXT NOT NULL\n" +
		")"
}

// auditRecord is one row about to be written.
type auditRecord struct {
	step               *models.Step
	before, after      []string
	started, finished  time.Time
	outcome, errorText string
}

// insert builds the INSERT of one audit row.
func (a auditTable) insert(r auditRecord, id identity, retortVersion string) sq.Sqlizer {
	return sq.Insert(a.sql()).Columns(auditColumns...).Values(auditValues(r, id, retortVersion)...)
}

// auditValues are the values of an audit row, in auditColumns order.
func auditValues(r auditRecord, id identity, retortVersion string) []any {
	rev, sha := stepRevision(r.step), ""
	if r.step.Revision != nil {
		sha = r.step.Revision.Checksum
	}
	return []any{rev, directionName(r.step.Direction), joinRows(r.before), joinRows(r.after), sha,
		r.started.UTC(), r.finished.UTC(), id.dbUser, id.osUser, id.host, retortVersion,
		r.outcome, r.errorText}
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

func joinRows(rows []string) string { return strings.Join(rows, ",") }

func splitRows(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
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
}

// Log returns the newest limit entries of the audit log (all when limit <=
// 0), newest first. A database without the log has no entries.
func (db *DB) Log(ctx context.Context, limit int) ([]LogEntry, error) {
	if err := db.enter(ctx, false); err != nil {
		return nil, err
	}
	defer db.gate.leave()
	ok, err := db.conn.tableExists(ctx, db.audit.tableRef)
	if err != nil || !ok {
		return nil, db.wrap(err, "looking for the audit table %s", db.audit.sql())
	}
	q := sq.Select(append([]string{"id"}, auditColumns...)...).From(db.audit.sql()).OrderBy("id DESC")
	if limit > 0 {
		q = q.Limit(uint64(limit))
	}
	sql, args, err := render(q, db.conn.placeholder())
	if err != nil {
		return nil, err
	}
	var out []LogEntry
	err = db.conn.query(ctx, sql, args, func(scan func(...any) error) error {
		var e LogEntry
		var before, after string
		if err := scan(&e.ID, &e.Revision, &e.Direction, &before, &after, &e.SHA256, &e.StartedAt, &e.FinishedAt,
			&e.DBUser, &e.OSUser, &e.Host, &e.RetortVersion, &e.Outcome, &e.Error); err != nil {
			return err
		}
		e.RowsBefore, e.RowsAfter = splitRows(before), splitRows(after)
		out = append(out, e)
		return nil
	})
	return out, db.wrap(err, "reading the audit table %s", db.audit.sql())
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

// Drift reports, for every revision of revs that the audit log says is
// applied (its last successful upgrade or downgrade was an upgrade), whether
// its file changed since. Revisions the log knows nothing about (applied by
// Alembic, stamped, or never applied) are absent from the map.
func (db *DB) Drift(ctx context.Context, revs []*models.Revision) (map[string]DriftInfo, error) {
	if err := db.enter(ctx, false); err != nil {
		return nil, err
	}
	defer db.gate.leave()
	out := map[string]DriftInfo{}
	ok, err := db.conn.tableExists(ctx, db.audit.tableRef)
	if err != nil || !ok {
		return out, db.wrap(err, "looking for the audit table %s", db.audit.sql())
	}
	last := sq.Select("MAX(id)").From(db.audit.sql()).
		Where(sq.Eq{"outcome": OutcomeOK, "direction": []string{"upgrade", "downgrade"}}).
		GroupBy("revision")
	q := sq.Select("revision", "direction", "sha256", "finished_at").From(db.audit.sql()).
		Where(sq.Expr("id IN (?)", last))
	sql, args, err := render(q, db.conn.placeholder())
	if err != nil {
		return nil, err
	}
	applied := map[string]DriftInfo{}
	err = db.conn.query(ctx, sql, args, func(scan func(...any) error) error {
		var d DriftInfo
		var dir string
		if err := scan(&d.Revision, &dir, &d.Recorded, &d.AppliedAt); err != nil {
			return err
		}
		if dir == "upgrade" {
			applied[d.Revision] = d
		}
		return nil
	})
	if err != nil {
		return nil, db.wrap(err, "reading the audit table %s", db.audit.sql())
	}
	for _, r := range revs {
		d, ok := applied[r.ID]
		if !ok {
			continue
		}
		d.Current = r.Checksum
		d.Changed = d.Recorded != r.Checksum
		out[r.ID] = d
	}
	return out, nil
}
