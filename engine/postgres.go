package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	sq "github.com/Masterminds/squirrel"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"

	"retort/engine/internal/tables"
	"retort/engine/step"
	"retort/models"
)

// postgresDialect is PostgreSQL, through pgx on one dedicated connection.
type postgresDialect struct{}

func (postgresDialect) name() string      { return DialectPostgres }
func (postgresDialect) schemes() []string { return []string{"postgres", "postgresql"} }
func (postgresDialect) urlForms() (string, string) {
	return "postgres://user@host/db", "postgres://"
}

// parse takes `postgres://` and `postgresql://` URLs (SQLAlchemy's
// `postgresql+psycopg2://` too: the caller dropped the driver part), which
// pgx reads.
func (postgresDialect) parse(scheme, rest string) (string, error) {
	if !strings.HasPrefix(rest, "//") {
		return "", fmt.Errorf("expected %s://user@host/db", scheme)
	}
	return "postgresql:" + rest, nil
}

// open connects the DB's connection. Its lock is a session advisory lock
// on that connection.
func (postgresDialect) open(ctx context.Context, dsn string, o openOptions) (dbConn, locker, error) {
	cfg, err := parsePostgres(dsn, o.appName)
	if err != nil {
		return nil, nil, fmt.Errorf("connecting to %s: %w", o.redacted, err)
	}
	c, err := connectPostgres(ctx, cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("connecting to %s: %w", o.redacted, err)
	}
	// Let the server notice within a second that retort died (killed,
	// machine gone) while a statement runs, roll the step back and free
	// the lock, instead of finishing a long statement for nobody.
	// PostgreSQL 14+ on Linux, macOS and the BSDs; elsewhere the setting
	// is refused and the server notices at the end of the statement.
	_, _ = c.Exec(ctx, "SET client_connection_check_interval = 1000")
	return c, &pgLocker{c: c, table: o.table}, nil
}

func (postgresDialect) guards() batchGuards { return pgGuards{} }
func (postgresDialect) auditTypes() (string, string) {
	return "id BIGSERIAL PRIMARY KEY", "TIMESTAMP WITH TIME ZONE"
}

// addColumnIfNotExists: runners on two version tables of one schema hold
// different locks and may both add the audit log's version_table column:
// IF NOT EXISTS lets the second one through.
func (postgresDialect) addColumnIfNotExists() bool { return true }
func (postgresDialect) insertReturning() bool      { return true }

// failure reads a PostgreSQL error: SQLSTATE, message, detail, hint and the
// position of the offending token.
func (postgresDialect) failure(err error) (dbFailure, bool) {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return dbFailure{}, false
	}
	return dbFailure{sqlState: pe.Code, message: pe.Message, detail: pe.Detail, hint: pe.Hint, position: int(pe.Position)}, true
}

// tableKinds are the pg_class.relkind values SQLAlchemy's has_table
// accepts: tables, partitioned tables, views, materialized views, foreign
// tables.
var tableKinds = []string{"r", "p", "v", "m", "f"}

// tableQuery mirrors SQLAlchemy's has_table: without a schema, a table
// visible on the search path.
func (postgresDialect) tableQuery(t tables.Ref) sq.Sqlizer {
	q := sq.Select("c.relname").
		From("pg_catalog.pg_class c").
		Join("pg_catalog.pg_namespace n ON n.oid = c.relnamespace")
	return whereTable(q, t)
}

// columnsQuery lists the table's columns, found as tableQuery finds the
// table.
func (postgresDialect) columnsQuery(t tables.Ref) sq.Sqlizer {
	q := sq.Select("a.attname::text").
		From("pg_catalog.pg_attribute a").
		Join("pg_catalog.pg_class c ON c.oid = a.attrelid").
		Join("pg_catalog.pg_namespace n ON n.oid = c.relnamespace").
		Where("a.attnum > 0 AND NOT a.attisdropped").
		OrderBy("a.attnum")
	return whereTable(q, t)
}

// whereTable narrows a query on pg_class c and pg_namespace n to table t:
// one of the kinds SQLAlchemy's has_table accepts, in t's schema or, without
// one, visible on the search path.
func whereTable(q sq.SelectBuilder, t tables.Ref) sq.SelectBuilder {
	q = q.Where(sq.Eq{"c.relname": t.Name, "c.relkind": tableKinds})
	if t.Schema == "" {
		return q.Where("pg_catalog.pg_table_is_visible(c.oid)")
	}
	return q.Where(sq.Eq{"n.nspname": t.Schema})
}

// pgGuards check a step's version changes in the batch that commits it.
type pgGuards struct{}

// opFound reads the failure of a checkedOp: the number of rows the version
// change found (-1: more than one).
func (pgGuards) opFound(err error) (int64, bool) {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return 0, false
	}
	switch pe.Code {
	case "22012": // division_by_zero
		return 0, true
	case "2201F": // invalid_argument_for_power_function
		return -1, true
	}
	return 0, false
}

// guardFailed reads the failure of a rowsGuard: invalid_text_representation,
// its value guardMarker.
func (pgGuards) guardFailed(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "22P02" && strings.Contains(pe.Message, guardMarker)
}

// checkedOp is the statement a pipelined run sends for a version change.
// An UPDATE or DELETE is wrapped so that the statement itself fails unless
// it changed exactly one row: division by zero when it changed none, the
// square root of a negative number when it changed several. The failure
// aborts the step's transaction, so the COMMIT queued behind it in the same
// round trip does not commit a step whose version change missed (the
// revision's own SQL may have changed the table). An INSERT cannot miss.
func (pgGuards) checkedOp(v tables.Version, op models.VersionOp) (sq.Sqlizer, error) {
	q, err := v.Op(op, false)
	if err != nil || op.Kind == models.OpInsert {
		return q, err
	}
	sql, args, err := q.ToSql()
	if err != nil {
		return nil, err
	}
	return sq.Expr("WITH changed AS ("+sql+" RETURNING 1) "+
		"SELECT CASE WHEN count(*) > 1 THEN sqrt(-count(*)) ELSE 1 / count(*) END FROM changed", args...), nil
}

// guardMarker is in the error of a failed guard, which tells it from any
// other failure of the statement it rides in (a division by zero in a
// trigger on the audit table, say).
const guardMarker = "retort guard: the version table does not hold the rows the step leaves"

// rowsGuard is a query that returns 1 if the table holds exactly rows, and
// fails otherwise (a cast of guardMarker to integer; the count in it keeps
// PostgreSQL from folding the cast, and failing, at plan time). Sent in the
// same pipeline as the version changes and before COMMIT, it stops the
// COMMIT when a change did not hit its row, which saves a round trip per
// step. Its arguments are tables.GuardArgs(rows).
func (pgGuards) rowsGuard(v tables.Version, rows []string) sq.Sqlizer {
	fail := "CAST('" + guardMarker + " (' || count(*) || ' rows)' AS integer)"
	if len(rows) == 0 {
		return sq.Select("CASE WHEN count(*) = 0 THEN 1 ELSE " + fail + " END").From(v.SQL())
	}
	in := strings.Repeat("?, ", len(rows)-1) + "?"
	return sq.Select().From(v.SQL()).Column(sq.Expr(
		"CASE WHEN count(*) = ? AND count(*) = count(CASE WHEN "+tables.VersionColumn+" IN ("+in+") THEN 1 END) THEN 1 ELSE "+fail+" END",
		tables.GuardArgs(rows)...))
}

// pgConn is the dedicated pgx connection of a PostgreSQL DB.
type pgConn struct {
	conn *pgx.Conn
	// cfg is what conn was opened with, for a second connection that
	// checks the outcome of a COMMIT the first one lost, and for opening
	// the DB's connection again once it is lost.
	cfg *pgx.ConnConfig
	// id is the server session behind conn, read once at connect.
	id backendID
	// dbUser is the database user (current_user at connect).
	dbUser string
	// notices raised since the last takeNotices; filled by pgx's OnNotice
	// callback, which runs on the goroutine that is executing a statement.
	notices []step.Notice
}

// parsePostgres reads dsn into the configuration every connection of a DB
// is opened with: the application name set, cancellation by cancel request.
func parsePostgres(dsn, appName string) (*pgx.ConnConfig, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	if appName != "" {
		cfg.RuntimeParams["application_name"] = appName
	}
	// A cancelled context sends PostgreSQL a cancel request instead of
	// cutting the connection (pgx's default), so that a caller giving up
	// on a read does not lose the DB's one connection.
	cfg.BuildContextWatcherHandler = func(pc *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: pc, DeadlineDelay: 10 * time.Second}
	}
	return cfg, nil
}

// connectPostgres opens a connection with base's settings, its notices
// captured into the new pgConn, and reads who it is.
func connectPostgres(ctx context.Context, base *pgx.ConnConfig) (*pgConn, error) {
	cfg := base.Copy()
	c := &pgConn{cfg: base}
	cfg.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) {
		c.notices = append(c.notices, step.Notice{Severity: n.Severity, Message: n.Message, Detail: n.Detail, Hint: n.Hint})
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	c.conn = conn
	if err := c.identify(ctx); err != nil {
		conn.Close(context.WithoutCancel(ctx))
		return nil, err
	}
	return c, nil
}

// rolledBack: err is the server's own ERROR on a connection still up, after
// which the open transaction cannot commit. Anything else (the connection
// lost, a FATAL) leaves a COMMIT sent before it with an unknown outcome.
func (c *pgConn) RolledBack(err error) bool {
	return isServerError(err) && !c.conn.IsClosed()
}

// isServerError reports whether err is a PostgreSQL message of severity
// ERROR, which ends the statement and leaves the session up. The severity
// is read in its unlocalized form: Severity is translated by the server's
// lc_messages ("FEHLER" on a German server); only servers before 9.6 do
// not send the unlocalized one.
func isServerError(err error) bool {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return false
	}
	sev := pe.SeverityUnlocalized
	if sev == "" {
		sev = pe.Severity
	}
	return sev == "ERROR"
}

func (c *pgConn) Placeholder() sq.PlaceholderFormat { return sq.Dollar }

func (c *pgConn) takeNotices() []step.Notice {
	n := c.notices
	c.notices = nil
	return n
}

func (c *pgConn) Exec(ctx context.Context, sql string, args ...any) (int64, error) {
	tag, err := c.conn.Exec(ctx, sql, args...)
	c.takeNotices()
	return tag.RowsAffected(), err
}

func (c *pgConn) ExecBatch(ctx context.Context, stmts []step.Stmt) ([]int64, int, error) {
	b := &pgx.Batch{}
	for _, s := range stmts {
		b.Queue(s.SQL, s.Args...)
	}
	br := c.conn.SendBatch(ctx, b)
	defer c.takeNotices()
	affected := make([]int64, 0, len(stmts))
	for i := range stmts {
		tag, err := br.Exec()
		if err != nil {
			_ = br.Close()
			return affected, preprocessed(stmts, i, err), err
		}
		affected = append(affected, tag.RowsAffected())
	}
	return affected, len(stmts), br.Close()
}

// preprocessed is the statement a batch failed at. pgx prepares the
// statements it has not seen before in a round trip of their own, and a
// failure there is reported at every statement of the batch; the error
// names the statement, which is the one that failed (and nothing ran).
func preprocessed(stmts []step.Stmt, at int, err error) int {
	var pe pgx.ErrPreprocessingBatch
	if !errors.As(err, &pe) {
		return at
	}
	for i, s := range stmts {
		if s.SQL == pe.SQL() {
			return i
		}
	}
	return at
}

func (c *pgConn) Query(ctx context.Context, sql string, args []any, each func(scan func(...any) error) error) error {
	rows, err := c.conn.Query(ctx, sql, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows.Scan); err != nil {
			return err
		}
	}
	rows.Close()
	c.takeNotices()
	return rows.Err()
}

// begin sends BEGIN and the version-row read in one pipeline: one round
// trip for the start of every step, and the read a prepared statement (sent
// as text, PostgreSQL would parse and plan it again on every step).
func (c *pgConn) Begin(ctx context.Context, selectSQL string) ([]string, error) {
	if selectSQL == "" {
		_, err := c.Exec(ctx, "BEGIN")
		return nil, err
	}
	b := &pgx.Batch{}
	b.Queue("BEGIN")
	b.Queue(selectSQL)
	br := c.conn.SendBatch(ctx, b)
	defer c.takeNotices()
	if _, err := br.Exec(); err != nil {
		_ = br.Close()
		return nil, err
	}
	var rows []string
	r, err := br.Query()
	if err == nil {
		rows, err = pgx.CollectRows(r, pgx.RowTo[string])
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	return rows, err
}

// runScript runs a statement without arguments, which pgx sends with the
// simple protocol: no prepared statement, one round trip.
func (c *pgConn) runScript(ctx context.Context, sql string) (int64, []step.Notice, error) {
	c.takeNotices()
	tag, err := c.conn.Exec(ctx, sql)
	return tag.RowsAffected(), c.takeNotices(), err
}

func (c *pgConn) user() string { return c.dbUser }

// lost: pgx found the connection dead.
func (c *pgConn) lost() bool { return c.conn.IsClosed() }

func (c *pgConn) Close(ctx context.Context) error { return c.conn.Close(ctx) }
