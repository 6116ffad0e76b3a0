package lint

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"retort/sqlfacts"
)

// Catalog answers what lint asks a database.
type Catalog interface {
	// TableSize is the planner's row estimate of a table and its size on
	// disk; known is false when the table does not exist.
	TableSize(ctx context.Context, t sqlfacts.Name) (rows float64, bytes int64, known bool, err error)
	// Dependents are the objects other than the table's own (its indexes,
	// constraints, triggers) that use the table, or its column when
	// column is not "": views and materialized views, foreign keys of
	// other tables.
	Dependents(ctx context.Context, t sqlfacts.Name, column string) ([]Dependent, error)
	// Volatile reports whether a function of that name is declared
	// VOLATILE; known is false when there is none.
	Volatile(ctx context.Context, fn sqlfacts.Name) (volatile, known bool, err error)
}

// Dependent is an object that uses another.
type Dependent struct {
	Kind sqlfacts.Kind
	Name sqlfacts.Name
	// Where says where it comes from: "the database", or a revision and
	// line.
	Where string
}

// PgCatalog reads PostgreSQL's catalog on a connection of its own.
type PgCatalog struct {
	conn *pgx.Conn
}

// OpenCatalog connects to a postgres:// URL (SQLAlchemy's
// postgresql+driver:// spelling too) for reading the catalog.
func OpenCatalog(ctx context.Context, rawURL string) (*PgCatalog, error) {
	if scheme, rest, ok := strings.Cut(rawURL, "://"); ok {
		if base, _, driver := strings.Cut(scheme, "+"); driver {
			rawURL = base + "://" + rest
		}
	}
	cfg, err := pgx.ParseConfig(rawURL)
	if err != nil {
		return nil, fmt.Errorf("reading the database URL: %w", err)
	}
	cfg.RuntimeParams["application_name"] = "retort lint"
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connecting to read the catalog: %w", err)
	}
	return &PgCatalog{conn: conn}, nil
}

// Close closes the connection.
func (c *PgCatalog) Close() error { return c.conn.Close(context.Background()) }

// regclass is a name as to_regclass reads it: quoted, schema-qualified
// when the statement was.
func regclass(n sqlfacts.Name) string {
	q := pgx.Identifier{n.Name}
	if n.Schema != "" {
		q = pgx.Identifier{n.Schema, n.Name}
	}
	return q.Sanitize()
}

// TableSize implements Catalog.
func (c *PgCatalog) TableSize(ctx context.Context, t sqlfacts.Name) (float64, int64, bool, error) {
	var rows *float64
	var bytes *int64
	err := c.conn.QueryRow(ctx, `SELECT c.reltuples::float8, pg_relation_size(c.oid)
		FROM pg_class c WHERE c.oid = to_regclass($1)`, regclass(t)).Scan(&rows, &bytes)
	if err == pgx.ErrNoRows {
		return 0, 0, false, nil
	}
	if err != nil || rows == nil || bytes == nil {
		return 0, 0, false, err
	}
	return *rows, *bytes, true, nil
}

// Dependents implements Catalog: pg_depend's normal dependencies on the
// table (or its column), from views (through their rewrite rules) and
// from constraints of other tables.
func (c *PgCatalog) Dependents(ctx context.Context, t sqlfacts.Name, column string) ([]Dependent, error) {
	rows, err := c.conn.Query(ctx, `
		WITH target AS (SELECT to_regclass($1) AS oid)
		SELECT DISTINCT
			CASE v.relkind WHEN 'm' THEN 'materialized view' WHEN 'v' THEN 'view' ELSE 'constraint' END,
			coalesce(vn.nspname, cn.nspname), coalesce(v.relname, con.conname), coalesce(cr.relname, '')
		FROM pg_depend d CROSS JOIN target
		LEFT JOIN pg_rewrite r ON d.classid = 'pg_rewrite'::regclass AND r.oid = d.objid
		LEFT JOIN pg_class v ON v.oid = r.ev_class
		LEFT JOIN pg_namespace vn ON vn.oid = v.relnamespace
		LEFT JOIN pg_constraint con ON d.classid = 'pg_constraint'::regclass AND con.oid = d.objid
		LEFT JOIN pg_class cr ON cr.oid = con.conrelid
		LEFT JOIN pg_namespace cn ON cn.oid = cr.relnamespace
		WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid = target.oid AND d.deptype = 'n'
		  AND ($2 = '' OR d.refobjsubid = (SELECT attnum FROM pg_attribute
			WHERE attrelid = target.oid AND attname = $2 AND NOT attisdropped))
		  AND (v.oid IS NOT NULL AND v.oid <> target.oid OR con.oid IS NOT NULL AND con.conrelid <> target.oid)
		ORDER BY 1, 2, 3`, regclass(t), column)
	if err != nil {
		return nil, fmt.Errorf("reading what uses %s: %w", t, err)
	}
	defer rows.Close()
	var out []Dependent
	for rows.Next() {
		var kind, schema, name, table string
		if err := rows.Scan(&kind, &schema, &name, &table); err != nil {
			return nil, err
		}
		d := Dependent{Kind: sqlfacts.Kind(kind), Name: sqlfacts.Name{Schema: schema, Name: name}, Where: "the database"}
		if kind == "constraint" {
			d.Name.Name = name + " on " + table
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Volatile implements Catalog.
func (c *PgCatalog) Volatile(ctx context.Context, fn sqlfacts.Name) (bool, bool, error) {
	var volatile *bool
	err := c.conn.QueryRow(ctx, `SELECT bool_or(p.provolatile = 'v') FROM pg_proc p
		JOIN pg_namespace n ON n.oid = p.pronamespace
		WHERE p.proname = $1 AND ($2 = '' AND pg_function_is_visible(p.oid) OR n.nspname = $2)`,
		fn.Name, fn.Schema).Scan(&volatile)
	if err != nil {
		return false, false, fmt.Errorf("reading the volatility of %s: %w", fn, err)
	}
	if volatile == nil {
		return false, false, nil
	}
	return *volatile, true, nil
}
