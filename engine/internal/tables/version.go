package tables

import (
	"fmt"
	"slices"
	"strings"

	sq "github.com/Masterminds/squirrel"

	"retort/models"
)

// VersionColumn is the only column of Alembic's version table.
const VersionColumn = "version_num"

// Version builds the statements on Alembic's version table.
type Version struct {
	Ref
}

// CreateSQL is Alembic's DDL, byte for byte as SQLAlchemy sends it when
// Alembic creates the table (including the space after `NOT NULL,`, and
// its tabs, which SQLite keeps in its schema). The primary key constraint
// is named `<table>_pkc`.
func (v Version) CreateSQL() string { return "CREATE TABLE " + v.columnsSQL("\t") }

// CreateIfMissingSQL is the same DDL in the form a preview prints, where
// nobody knows yet whether the table exists: retort creates it only when it
// is missing. Its tabs are spaces, as in Alembic's offline output.
func (v Version) CreateIfMissingSQL() string {
	return "CREATE TABLE IF NOT EXISTS " + v.columnsSQL("    ")
}

// columnsSQL is the part of the DDL after CREATE TABLE.
func (v Version) columnsSQL(indent string) string {
	return v.SQL() + " (\n" +
		indent + VersionColumn + " VARCHAR(32) NOT NULL, \n" +
		indent + "CONSTRAINT " + QuoteIdent(v.Name+"_pkc") + " PRIMARY KEY (" + VersionColumn + ")\n" +
		")"
}

// SelectRows reads every version row. The cast keeps the result's type
// the same when a revision widens the column (`ALTER COLUMN version_num TYPE
// VARCHAR(255)`, a common Alembic idiom): the read is a prepared statement,
// which PostgreSQL refuses to run once its result type changed.
func (v Version) SelectRows() sq.Sqlizer {
	return sq.Select("CAST(" + VersionColumn + " AS TEXT)").From(v.SQL())
}

// DeleteAll empties the table (stamp --purge).
func (v Version) DeleteAll() sq.Sqlizer {
	return sq.Delete(v.SQL())
}

// Op is the statement of one version-table change, shaped like Alembic's
// so that a preview prints what Alembic prints. returning adds PostgreSQL's
// `RETURNING` clause that SQLAlchemy emits for an INSERT.
func (v Version) Op(op models.VersionOp, returning bool) (sq.Sqlizer, error) {
	switch op.Kind {
	case models.OpInsert:
		ins := sq.Insert(v.SQL()).Columns(VersionColumn).Values(op.To)
		if returning {
			ins = ins.Suffix("RETURNING " + v.Col(VersionColumn))
		}
		return ins, nil
	case models.OpUpdate:
		// squirrel's UpdateBuilder writes `SET version_num = ?`; Alembic
		// writes `SET version_num=?`, so the statement is an Expr with the
		// same placeholders.
		return sq.Expr("UPDATE "+v.SQL()+" SET "+VersionColumn+"=? WHERE "+v.Col(VersionColumn)+" = ?", op.To, op.From), nil
	case models.OpDelete:
		return sq.Delete(v.SQL()).Where(sq.Expr(v.Col(VersionColumn)+" = ?", op.From)), nil
	}
	return nil, fmt.Errorf("unknown version operation kind %d", op.Kind)
}

// OpKey names the shape of a version change's statement, OpArgs are its
// arguments in the order Op takes them.
func OpKey(op models.VersionOp) string { return fmt.Sprintf("op/%d", op.Kind) }

// OpArgs are the arguments of Op(op).
func OpArgs(op models.VersionOp) []any {
	switch op.Kind {
	case models.OpInsert:
		return []any{op.To}
	case models.OpUpdate:
		return []any{op.To, op.From}
	}
	return []any{op.From}
}

// GuardArgs are the arguments of a guard that the table holds exactly rows:
// their number, then each row.
func GuardArgs(rows []string) []any {
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

// SameRows compares version rows as sets.
func SameRows(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(slices.Compact(x), slices.Compact(y))
}

// Render produces the SQL and arguments of s with the dialect's
// placeholders.
func Render(s sq.Sqlizer, ph sq.PlaceholderFormat) (string, []any, error) {
	sql, args, err := s.ToSql()
	if err != nil {
		return "", nil, err
	}
	sql, err = ph.ReplacePlaceholders(sql)
	return sql, args, err
}

// Inline produces the SQL of s with its arguments written as quoted
// literals, for a preview. The scan skips what is between single quotes (a
// literal) and between double quotes (an identifier, which may hold a single
// quote, as in "o'v"); a doubled quote inside either closes and reopens it,
// which leaves the state right. Identifiers never contain '?' (Ref.Check),
// so every '?' outside them is a placeholder.
func Inline(s sq.Sqlizer) (string, error) {
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
	return QuoteLiteral(str), nil
}
