package tables

import (
	"slices"
	"strings"
	"time"

	sq "github.com/Masterminds/squirrel"
)

// Audit builds the statements on retort_log, beside the version table: one
// row per step retort ran, for "who downgraded this, and when" and for drift
// detection.
//
// Its name is fixed, so two histories kept in one schema under different
// version tables (--version-table) share it; each row names its version
// table (VersionTableColumn), and the log and drift of a DB read only the
// rows of its own. Rows written before that column existed have NULL
// there and belong to every history: nobody can tell whose they are.
type Audit struct {
	Ref
	// VersionTable is the name of the version table whose history this log
	// writes and reads.
	VersionTable string
}

// VersionTableColumn was added after the first release of the log: an
// existing log gets it (ALTER TABLE) at the next run that writes to it.
const VersionTableColumn = "version_table"

// auditColumns in the order Row.Values lists them.
var auditColumns = []string{"revision", "direction", "rows_before", "rows_after", "sha256",
	"started_at", "finished_at", "db_user", "os_user", "host", "retort_version", "outcome", "error_text",
	VersionTableColumn}

// AuditColumns are the columns an audit row is written with, in the order
// of Row.Values.
func AuditColumns() []string { return slices.Clone(auditColumns) }

// CreateSQL is the DDL of the audit table, with the dialect's auto-increment
// primary key column and timestamp type.
func (a Audit) CreateSQL(idColumn, timestampType string) string {
	return "CREATE TABLE " + a.SQL() + " (\n" +
		"    " + idColumn + ",\n" +
		"    revision TEXT NOT NULL,\n" +
		"    direction VARCHAR(16) NOT NULL,\n" +
		"    rows_before TEXT NOT NULL,\n" +
		"    rows_after TEXT NOT NULL,\n" +
		"    sha256 VARCHAR(64) NOT NULL,\n" +
		"    started_at " + timestampType + " NOT NULL,\n" +
		"    finished_at " + timestampType + " NOT NULL,\n" +
		"    db_user TEXT NOT NULL,\n" +
		"    os_user TEXT NOT NULL,\n" +
		"    host TEXT NOT NULL,\n" +
		"    retort_version TEXT NOT NULL,\n" +
		"    outcome VARCHAR(16) NOT NULL,\n" +
		"    error_text TEXT NOT NULL,\n" +
		"    " + VersionTableColumn + " TEXT\n" +
		")"
}

// AddVersionTableSQL brings a log created before VersionTableColumn existed
// up to date (nullable, as in CreateSQL: the old rows cannot be
// attributed). ifNotExists: the dialect has ADD COLUMN IF NOT EXISTS.
func (a Audit) AddVersionTableSQL(ifNotExists bool) string {
	add := "ADD COLUMN "
	if ifNotExists {
		add = "ADD COLUMN IF NOT EXISTS "
	}
	return "ALTER TABLE " + a.SQL() + " " + add + VersionTableColumn + " TEXT"
}

// own restricts a query on the log to the rows of this log's version table
// (and those written before the log recorded it), when the log has the
// column.
func (a Audit) own(q sq.SelectBuilder, hasColumn bool) sq.SelectBuilder {
	if !hasColumn {
		return q
	}
	return q.Where(sq.Or{sq.Eq{VersionTableColumn: a.VersionTable}, sq.Eq{VersionTableColumn: nil}})
}

// SelectLog reads the newest limit rows (all when limit <= 0), newest
// first: id, then the columns of Row.Values, the version table "" where it
// is NULL or the log has no such column (hasColumn).
func (a Audit) SelectLog(hasColumn bool, limit int) sq.Sqlizer {
	cols := append([]string{"id"}, auditColumns...)
	vt := "''"
	if hasColumn {
		vt = "coalesce(" + VersionTableColumn + ", '')"
	}
	cols[len(cols)-1] = vt
	q := a.own(sq.Select(cols...).From(a.SQL()), hasColumn).OrderBy("id DESC")
	if limit > 0 {
		q = q.Limit(uint64(limit))
	}
	return q
}

// LastChanges reads, for each revision, its last row of outcome ok among
// upgrades and downgrades: revision, direction, sha256, finished_at.
func (a Audit) LastChanges(hasColumn bool, ok string) sq.Sqlizer {
	last := a.own(sq.Select("MAX(id)").From(a.SQL()).
		Where(sq.Eq{"outcome": ok, "direction": []string{"upgrade", "downgrade"}}), hasColumn).
		GroupBy("revision")
	return sq.Select("revision", "direction", "sha256", "finished_at").From(a.SQL()).
		Where(sq.Expr("id IN (?)", last))
}

// Row is one audit row about to be written.
type Row struct {
	Revision, Direction  string
	Before, After        []string
	SHA256               string
	Started, Finished    time.Time
	DBUser, OSUser, Host string
	RetortVersion        string
	Outcome, Error       string
	VersionTable         string
}

// Values are the row's values, in AuditColumns order.
func (r Row) Values() []any {
	return []any{r.Revision, r.Direction, JoinRows(r.Before), JoinRows(r.After), r.SHA256,
		r.Started.UTC(), r.Finished.UTC(), r.DBUser, r.OSUser, r.Host, r.RetortVersion,
		r.Outcome, r.Error, r.VersionTable}
}

// Insert is the INSERT of one row of vals, in AuditColumns order.
func (a Audit) Insert(vals []any) sq.Sqlizer {
	return sq.Insert(a.SQL()).Columns(auditColumns...).Values(vals...)
}

// InsertGuarded is Insert, with the version_table value passed through
// guard (a query that fails unless the version table is right): the guard
// then runs with the row's values, before any trigger on the log table can
// drop the row or change the version table. Its arguments come after the
// values before version_table's (GuardedValues).
func (a Audit) InsertGuarded(vals []any, guard sq.Sqlizer) (sq.Sqlizer, error) {
	gsql, gargs, err := guard.ToSql()
	if err != nil {
		return nil, err
	}
	vals = slices.Clone(vals)
	k := slices.Index(auditColumns, VersionTableColumn)
	vals[k] = sq.Expr("CASE WHEN ("+gsql+") = 1 THEN ? END", append(gargs, vals[k])...)
	return a.Insert(vals), nil
}

// GuardedValues are the arguments of InsertGuarded, in the order of its
// placeholders.
func GuardedValues(vals, guardArgs []any) []any {
	k := slices.Index(auditColumns, VersionTableColumn)
	out := make([]any, 0, len(vals)+len(guardArgs))
	out = append(out, vals[:k]...)
	out = append(out, guardArgs...)
	return append(out, vals[k:]...)
}

// JoinRows is version rows as the log writes them.
func JoinRows(rows []string) string { return strings.Join(rows, ",") }

// SplitRows reads version rows the log wrote.
func SplitRows(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}
