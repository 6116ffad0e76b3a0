package examples_test

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	_ "modernc.org/sqlite" // the SQLite driver the engine uses
)

// inspector reads a database independently of the engine: its schema and
// every row, as text that two states can be compared by, and row counts.
type inspector interface {
	// snapshot describes every table and view (columns, constraints,
	// indexes, definition) and every row, in a fixed order. Column order is
	// left out: ADD COLUMN can only append, so a downgrade that re-adds a
	// dropped column cannot put it back in its place, on either database.
	snapshot(ctx context.Context) (string, error)
	count(ctx context.Context, query string) (int, error)
	close()
}

// engineTables are the engine's own tables, which are not part of the
// example's schema (the audit log grows with every step).
var engineTables = []string{"alembic_version", "retort_log"}

func isEngineTable(name string) bool {
	for _, t := range engineTables {
		if name == t {
			return true
		}
	}
	return false
}

// formatRows renders rows sorted, one per line.
func formatRows(rows [][]any) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		cells := make([]string, len(r))
		for j, v := range r {
			cells[j] = formatValue(v)
		}
		out[i] = strings.Join(cells, " | ")
	}
	sort.Strings(out)
	return out
}

func formatValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case []byte:
		return string(x)
	case time.Time:
		return x.Format(time.RFC3339)
	}
	return fmt.Sprint(v)
}

// sqliteInspector reads a SQLite file through its own connection.
type sqliteInspector struct{ db *sql.DB }

func openSQLiteInspector(t *testing.T, path string) inspector {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	return &sqliteInspector{db: db}
}

func (s *sqliteInspector) close() { s.db.Close() }

func (s *sqliteInspector) count(ctx context.Context, query string) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, query).Scan(&n)
	return n, err
}

func (s *sqliteInspector) query(ctx context.Context, q string, args ...any) ([][]any, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", q, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out [][]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out = append(out, vals)
	}
	return out, rows.Err()
}

func (s *sqliteInspector) snapshot(ctx context.Context) (string, error) {
	objs, err := s.query(ctx, `SELECT type, name, tbl_name, COALESCE(sql, '') FROM sqlite_master
		WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, o := range objs {
		kind, name, table, def := formatValue(o[0]), formatValue(o[1]), formatValue(o[2]), formatValue(o[3])
		if isEngineTable(table) {
			continue
		}
		fmt.Fprintf(&b, "%s %s\n", kind, name)
		if kind != "table" {
			// The text of CREATE INDEX and CREATE VIEW is kept as written.
			fmt.Fprintf(&b, "  %s\n", def)
			continue
		}
		if err := s.describeTable(ctx, &b, name); err != nil {
			return "", err
		}
	}
	return b.String(), nil
}

func (s *sqliteInspector) describeTable(ctx context.Context, b *strings.Builder, name string) error {
	for _, q := range []string{
		`SELECT 'column', name, type, "notnull", COALESCE(dflt_value, 'NULL'), pk FROM pragma_table_info(?)`,
		`SELECT 'foreign key', "from", "table", "to" FROM pragma_foreign_key_list(?)`,
	} {
		rows, err := s.query(ctx, q, name)
		if err != nil {
			return err
		}
		for _, line := range formatRows(rows) {
			fmt.Fprintf(b, "  %s\n", line)
		}
	}
	cols, err := s.query(ctx, `SELECT name FROM pragma_table_info(?) ORDER BY name`, name)
	if err != nil {
		return err
	}
	return writeRows(ctx, b, s.query, name, cols)
}

// writeRows prints every row of table, its columns in name order so that a
// column re-added at the end compares equal.
func writeRows(ctx context.Context, b *strings.Builder, query func(context.Context, string, ...any) ([][]any, error), table string, cols [][]any) error {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = `"` + formatValue(c[0]) + `"`
	}
	rows, err := query(ctx, `SELECT `+strings.Join(names, ", ")+` FROM "`+table+`"`)
	if err != nil {
		return err
	}
	for _, line := range formatRows(rows) {
		fmt.Fprintf(b, "  row %s\n", line)
	}
	return nil
}

// pgInspector reads a PostgreSQL database through its own connection.
type pgInspector struct{ conn *pgx.Conn }

func openPGInspector(t *testing.T, url string) inspector {
	t.Helper()
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	// The schema changes under the inspector's feet: no cached plans.
	cfg.DefaultQueryExecMode = pgx.QueryExecModeDescribeExec
	conn, err := pgx.ConnectConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &pgInspector{conn: conn}
}

func (p *pgInspector) close() { p.conn.Close(context.Background()) }

func (p *pgInspector) count(ctx context.Context, query string) (int, error) {
	var n int
	err := p.conn.QueryRow(ctx, query).Scan(&n)
	return n, err
}

func (p *pgInspector) query(ctx context.Context, q string, args ...any) ([][]any, error) {
	rows, err := p.conn.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", q, err)
	}
	defer rows.Close()
	var out [][]any
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return nil, err
		}
		out = append(out, vals)
	}
	return out, rows.Err()
}

func (p *pgInspector) snapshot(ctx context.Context) (string, error) {
	rels, err := p.query(ctx, `SELECT table_type, table_name FROM information_schema.tables
		WHERE table_schema = current_schema() ORDER BY table_type, table_name`)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, r := range rels {
		kind, name := formatValue(r[0]), formatValue(r[1])
		if isEngineTable(name) {
			continue
		}
		fmt.Fprintf(&b, "%s %s\n", kind, name)
		if err := p.describe(ctx, &b, kind, name); err != nil {
			return "", err
		}
	}
	return b.String(), nil
}

// pgDescribe are the catalogue queries describing one table; $1 is its name.
var pgDescribe = []string{
	`SELECT 'column', column_name, data_type, COALESCE(character_maximum_length, 0), is_nullable, COALESCE(column_default, 'NULL')
	 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`,
	`SELECT 'constraint', c.conname, pg_get_constraintdef(c.oid)
	 FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid JOIN pg_namespace n ON n.oid = r.relnamespace
	 WHERE n.nspname = current_schema() AND r.relname = $1`,
	`SELECT 'index', indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1`,
}

func (p *pgInspector) describe(ctx context.Context, b *strings.Builder, kind, name string) error {
	if kind == "VIEW" {
		rows, err := p.query(ctx, `SELECT definition FROM pg_views WHERE schemaname = current_schema() AND viewname = $1`, name)
		if err != nil {
			return err
		}
		for _, line := range formatRows(rows) {
			fmt.Fprintf(b, "  %s\n", line)
		}
		return nil
	}
	for _, q := range pgDescribe {
		rows, err := p.query(ctx, q, name)
		if err != nil {
			return err
		}
		for _, line := range formatRows(rows) {
			fmt.Fprintf(b, "  %s\n", line)
		}
	}
	cols, err := p.query(ctx, `SELECT column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1 ORDER BY column_name`, name)
	if err != nil {
		return err
	}
	return writeRows(ctx, b, p.query, name, cols)
}
