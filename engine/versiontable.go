package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"

	sq "github.com/Masterminds/squirrel"

	"retort/models"
)

// versionColumn is the only column of Alembic's version table.
const versionColumn = "version_num"

// versionTable builds the statements on Alembic's version table. Every
// statement that carries a value is a squirrel Sqlizer with `?`
// placeholders; render turns them into the dialect's placeholders and
// inline into literals for a dry run.
type versionTable struct {
	tableRef
}

// createSQL is Alembic's DDL, byte for byte as SQLAlchemy prints it
// (including the space after `NOT NULL,`). The primary key constraint is
// named `<table>_pkc`.
func (v versionTable) createSQL() string { return "CREATE TABLE " + v.columnsSQL() }

// createIfMissingSQL is the same DDL in the form a dry run prints, where
// nobody knows yet whether the table exists: retort creates it only when it
// is missing.
func (v versionTable) createIfMissingSQL() string {
	return "CREATE TABLE IF NOT EXISTS " + v.columnsSQL()
}

// columnsSQL is the part of the DDL after CREATE TABLE.
func (v versionTable) columnsSQL() string {
	return v.sql() + " (\n" +
		"    " + versionColumn + " VARCHAR(32) NOT NULL, \n" +
		"    CONSTRAINT " + quoteIdent(v.name+"_pkc") + " PRIMARY KEY (" + versionColumn + ")\n" +
		")"
}

// selectRows reads every version row. The cast keeps the result's type
// the same when a revision widens the column (`ALTER COLUMN version_num TYPE
// VARCHAR(255)`, a common Alembic idiom): the read is a prepared statement,
// which PostgreSQL refuses to run once its result type changed.
func (v versionTable) selectRows() sq.Sqlizer {
	return sq.Select("CAST(" + versionColumn + " AS TEXT)").From(v.sql())
}

// deleteAll empties the table (stamp --purge).
func (v versionTable) deleteAll() sq.Sqlizer {
	return sq.Delete(v.sql())
}

// opSQL is the statement of one version-table change, shaped like
// Alembic's so that a dry run prints what Alembic prints. returning adds
// PostgreSQL's `RETURNING` clause that SQLAlchemy emits for an INSERT.
func (v versionTable) opSQL(op models.VersionOp, returning bool) (sq.Sqlizer, error) {
	switch op.Kind {
	case models.OpInsert:
		ins := sq.Insert(v.sql()).Columns(versionColumn).Values(op.To)
		if returning {
			ins = ins.Suffix("RETURNING " + v.col(versionColumn))
		}
		return ins, nil
	case models.OpUpdate:
		// squirrel's UpdateBuilder writes `SET version_num = ?`; Alembic
		// writes `SET version_num=?`, so the statement is an Expr with the
		// same placeholders.
		return sq.Expr("UPDATE "+v.sql()+" SET "+versionColumn+"=? WHERE "+v.col(versionColumn)+" = ?", op.To, op.From), nil
	case models.OpDelete:
		return sq.Delete(v.sql()).Where(sq.Expr(v.col(versionColumn)+" = ?", op.From)), nil
	}
	return nil, fmt.Errorf("unknown version operation kind %d", op.Kind)
}

// checkedOp is the statement a pipelined run sends for a version change.
// An UPDATE or DELETE is wrapped so that the statement itself fails unless
// it changed exactly one row: division by zero when it changed none, the
// square root of a negative number when it changed several. The failure
// aborts the step's transaction, so the COMMIT queued behind it in the same
// round trip does not commit a step whose version change missed (the
// revision's own SQL may have changed the table). An INSERT cannot miss.
func (v versionTable) checkedOp(op models.VersionOp) (sq.Sqlizer, error) {
	q, err := v.opSQL(op, false)
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

// guard is a query that returns 1 if the table holds exactly rows, and
// fails otherwise (a cast of guardMarker to integer; the count in it keeps
// PostgreSQL from folding the cast, and failing, at plan time). Sent in the
// same pipeline as the version changes and before COMMIT, it stops the
// COMMIT when a change did not hit its row, which saves a round trip per
// step. (Not for SQLite, whose casts do not fail; there the engine checks
// and commits separately.)
func (v versionTable) guard(rows []string) sq.Sqlizer {
	fail := "CAST('" + guardMarker + " (' || count(*) || ' rows)' AS integer)"
	if len(rows) == 0 {
		return sq.Select("CASE WHEN count(*) = 0 THEN 1 ELSE " + fail + " END").From(v.sql())
	}
	in := strings.Repeat("?, ", len(rows)-1) + "?"
	return sq.Select().From(v.sql()).Column(sq.Expr(
		"CASE WHEN count(*) = ? AND count(*) = count(CASE WHEN "+versionColumn+" IN ("+in+") THEN 1 END) THEN 1 ELSE "+fail+" END",
		guardArgs(rows)...))
}

// opKey names the shape of a version change's statement, opArgs are its
// arguments in the order opSQL takes them.
func opKey(op models.VersionOp) string { return fmt.Sprintf("op/%d", op.Kind) }

func opArgs(op models.VersionOp) []any {
	switch op.Kind {
	case models.OpInsert:
		return []any{op.To}
	case models.OpUpdate:
		return []any{op.To, op.From}
	}
	return []any{op.From}
}

// guardArgs are the arguments of guard(rows).
func guardArgs(rows []string) []any {
	if len(rows) == 0 {
		return nil
	}
	args := make([]any, 0, len(rows)+1)
	args = append(args, len(rows))
	for _, r := range rows {
		args = append(args, r)
	}
	return args
}

// opMismatch is Alembic's message for an UPDATE or DELETE that did not hit
// exactly one row. found < 0 means "more than one" (a checkedOp says no
// more).
func (v versionTable) opMismatch(op models.VersionOp, found int64) error {
	n := fmt.Sprint(found)
	if found < 0 {
		n = "more than one"
	}
	if op.Kind == models.OpDelete {
		return fmt.Errorf("%w: Online migration expected to match one row when deleting '%s' in '%s'; %s found",
			ErrVersionRow, op.From, v.name, n)
	}
	return fmt.Errorf("%w: Online migration expected to match one row when updating '%s' to '%s' in '%s'; %s found",
		ErrVersionRow, op.From, op.To, v.name, n)
}

// render produces the SQL and arguments of s with the dialect's
// placeholders.
func render(s sq.Sqlizer, ph sq.PlaceholderFormat) (string, []any, error) {
	sql, args, err := s.ToSql()
	if err != nil {
		return "", nil, err
	}
	sql, err = ph.ReplacePlaceholders(sql)
	return sql, args, err
}

// inline produces the SQL of s with its arguments written as quoted
// literals, for a dry run. The scan skips what is between single quotes (a
// literal) and between double quotes (an identifier, which may hold a single
// quote, as in "o'v"); a doubled quote inside either closes and reopens it,
// which leaves the state right. Identifiers never contain '?' (checkIdent),
// so every '?' outside them is a placeholder.
func inline(s sq.Sqlizer) (string, error) {
	sql, args, err := s.ToSql()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	n := 0
	var quote rune // the quote of the literal or identifier being read
	for _, r := range sql {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '\'' || r == '"':
			quote = r
		case r == '?':
			lit, err := inlineArg(sql, args, n)
			if err != nil {
				return "", err
			}
			b.WriteString(lit)
			n++
			continue
		}
		b.WriteRune(r)
	}
	if quote != 0 {
		return "", fmt.Errorf("statement %q has an unterminated quote", sql)
	}
	if n != len(args) {
		return "", fmt.Errorf("statement %q has %d placeholders for %d arguments", sql, n, len(args))
	}
	return b.String(), nil
}

// inlineArg is argument n of a statement as a literal. Version-table
// statements only carry revision ids.
func inlineArg(sql string, args []any, n int) (string, error) {
	if n >= len(args) {
		return "", fmt.Errorf("statement %q has more placeholders than arguments", sql)
	}
	str, ok := args[n].(string)
	if !ok {
		return "", fmt.Errorf("statement %q: argument %d is %T, not a string", sql, n, args[n])
	}
	return quoteLiteral(str), nil
}

// sameRows compares version rows as sets.
func sameRows(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(slices.Compact(x), slices.Compact(y))
}

// Current returns the version rows, sorted. A missing version table means no
// rows; Current never creates it (reads never write).
func (db *DB) Current(ctx context.Context) ([]string, error) {
	if err := db.enter(ctx, false); err != nil {
		return nil, err
	}
	defer db.gate.leave()
	rows, _, err := db.readRows(ctx)
	return rows, err
}

// readRows reads the version rows (sorted) outside of any step, reporting
// whether the table exists.
func (db *DB) readRows(ctx context.Context) ([]string, bool, error) {
	ok, err := db.conn.tableExists(ctx, db.version.tableRef)
	if err != nil || !ok {
		return nil, false, db.wrap(err, "looking for the version table %s", db.version.sql())
	}
	rows, err := db.queryRows(ctx)
	return rows, true, err
}

// queryRows selects the version rows, sorted.
func (db *DB) queryRows(ctx context.Context) ([]string, error) {
	return db.queryRowsOn(ctx, db.conn)
}

// queryRowsOn selects the version rows on connection c, sorted.
func (db *DB) queryRowsOn(ctx context.Context, c dbConn) ([]string, error) {
	sql, args, err := render(db.version.selectRows(), c.placeholder())
	if err != nil {
		return nil, err
	}
	rows, err := queryStrings(ctx, c, sql, args...)
	if err != nil {
		return nil, db.wrap(err, "reading the version table %s", db.version.sql())
	}
	slices.Sort(rows)
	return rows, nil
}
