package engine

import (
	"context"
	"slices"
	"strings"
	"time"

	sq "github.com/Masterminds/squirrel"

	"retort/models"
	"retort/revisions"
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
//
// Its name is fixed, so two histories kept in one schema under different
// version tables (--version-table) share it; each row names its version
// table (versionTableColumn), and the log and drift of a DB read only the
// rows of its own. Rows written before that column existed have NULL
// there and belong to every history: nobody can tell whose they are.
type auditTable struct {
	tableRef
	// versionTable is the name of the version table whose history this DB
	// writes and reads.
	versionTable string
}

// versionTableColumn was added after the first release of the log: an
// existing log gets it (ALTER TABLE) at the next run that writes to it.
const versionTableColumn = "version_table"

// auditColumns in the order insert writes them.
var auditColumns = []string{"revision", "direction", "rows_before", "rows_after", "sha256",
	"started_at", "finished_at", "db_user", "os_user", "host", "retort_version", "outcome", "error_text",
	versionTableColumn}

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
		"    error_text TEXT NOT NULL,\n" +
		"    " + versionTableColumn + " TEXT\n" +
		")"
}

// addVersionTableSQL brings a log created before versionTableColumn existed
// up to date (nullable, as in createSQL: the old rows cannot be attributed).
// On PostgreSQL, runners on two version tables of one schema hold different
// locks and may both add the column: IF NOT EXISTS lets the second one
// through. SQLite has no IF NOT EXISTS here, and needs none: its lock is
// per database file.
func (a auditTable) addVersionTableSQL(dialect string) string {
	add := "ADD COLUMN IF NOT EXISTS "
	if dialect == DialectSQLite {
		add = "ADD COLUMN "
	}
	return "ALTER TABLE " + a.sql() + " " + add + versionTableColumn + " TEXT"
}

// own restricts a query on the log to the rows of this DB's version table
// (and those written before the log recorded it), when the log has the
// column.
func (a auditTable) own(q sq.SelectBuilder, hasColumn bool) sq.SelectBuilder {
	if !hasColumn {
		return q
	}
	return q.Where(sq.Or{sq.Eq{versionTableColumn: a.versionTable}, sq.Eq{versionTableColumn: nil}})
}

// auditRecord is one row about to be written.
type auditRecord struct {
	step               *models.Step
	before, after      []string
	started, finished  time.Time
	outcome, errorText string
	versionTable       string
}

// record starts the audit row of a step with this table's version table.
func (a auditTable) record(s *models.Step, before, after []string, started time.Time, outcome string) auditRecord {
	return auditRecord{step: s, before: before, after: after, started: started, finished: time.Now(),
		outcome: outcome, versionTable: a.versionTable}
}

// insert builds the INSERT of one audit row.
func (a auditTable) insert(r auditRecord, id identity, retortVersion string) sq.Sqlizer {
	return a.insertValues(auditValues(r, id, retortVersion))
}

// insertValues is the INSERT of one row of vals, in auditColumns order.
func (a auditTable) insertValues(vals []any) sq.Sqlizer {
	return sq.Insert(a.sql()).Columns(auditColumns...).Values(vals...)
}

// insertGuarded is insert, with the version_table value passed through
// guard (a query that fails unless the version table is right): the guard
// then runs with the row's values, before any trigger on the log table can
// drop the row or change the version table. Its arguments come after the
// values before version_table's (guardedValues).
func (a auditTable) insertGuarded(r auditRecord, id identity, retortVersion string, guard sq.Sqlizer) (sq.Sqlizer, error) {
	gsql, gargs, err := guard.ToSql()
	if err != nil {
		return nil, err
	}
	vals := auditValues(r, id, retortVersion)
	k := slices.Index(auditColumns, versionTableColumn)
	vals[k] = sq.Expr("CASE WHEN ("+gsql+") = 1 THEN ? END", append(gargs, vals[k])...)
	return a.insertValues(vals), nil
}

// guardedValues are the arguments of insertGuarded, in the order of its
// placeholders.
func guardedValues(vals, guardArgs []any) []any {
	k := slices.Index(auditColumns, versionTableColumn)
	out := make([]any, 0, len(vals)+len(guardArgs))
	out = append(out, vals[:k]...)
	out = append(out, guardArgs...)
	return append(out, vals[k:]...)
}

// auditValues are the values of an audit row, in auditColumns order.
func auditValues(r auditRecord, id identity, retortVersion string) []any {
	rev, sha := stepRevision(r.step), ""
	if r.step.Revision != nil {
		sha = r.step.Revision.Checksum
	}
	return []any{rev, directionName(r.step.Direction), joinRows(r.before), joinRows(r.after), sha,
		r.started.UTC(), r.finished.UTC(), id.dbUser, id.osUser, id.host, retortVersion,
		r.outcome, r.errorText, r.versionTable}
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
	// VersionTable is the version table of the run; "" for an entry written
	// before the log recorded it.
	VersionTable string
}

// logShape reads whether the audit table exists and has the version_table
// column.
func (db *DB) logShape(ctx context.Context) (exists, hasVersionTable bool, err error) {
	cols, err := db.conn.columns(ctx, db.audit.tableRef)
	if err != nil {
		return false, false, db.wrap(err, "looking for the audit table %s", db.audit.sql())
	}
	return len(cols) > 0, slices.Contains(cols, versionTableColumn), nil
}

// Log returns the newest limit entries of the audit log (all when limit <=
// 0), newest first: those of this DB's version table, and those written
// before the log recorded the version table. A database without the log has
// no entries.
func (db *DB) Log(ctx context.Context, limit int) ([]LogEntry, error) {
	if err := db.enter(ctx, false); err != nil {
		return nil, err
	}
	defer db.gate.leave()
	exists, hasVT, err := db.logShape(ctx)
	if err != nil || !exists {
		return nil, err
	}
	cols := append([]string{"id"}, auditColumns...)
	vt := "''"
	if hasVT {
		vt = "coalesce(" + versionTableColumn + ", '')"
	}
	cols[len(cols)-1] = vt
	q := db.audit.own(sq.Select(cols...).From(db.audit.sql()), hasVT).OrderBy("id DESC")
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
			&e.DBUser, &e.OSUser, &e.Host, &e.RetortVersion, &e.Outcome, &e.Error, &e.VersionTable); err != nil {
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
	defer db.gate.leave()
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
	last := db.audit.own(sq.Select("MAX(id)").From(db.audit.sql()).
		Where(sq.Eq{"outcome": OutcomeOK, "direction": []string{"upgrade", "downgrade"}}), hasVT).
		GroupBy("revision")
	q := sq.Select("revision", "direction", "sha256", "finished_at").From(db.audit.sql()).
		Where(sq.Expr("id IN (?)", last))
	sql, args, err := render(q, db.conn.placeholder())
	if err != nil {
		return nil, err
	}
	out := map[string]DriftInfo{}
	err = db.conn.query(ctx, sql, args, func(scan func(...any) error) error {
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
		return nil, db.wrap(err, "reading the audit table %s", db.audit.sql())
	}
	return out, nil
}
