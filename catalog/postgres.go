package catalog

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"

	"retort/engine"
	"retort/engine/sqlsplit"
	"retort/schema"
)

// pgConn reads a PostgreSQL database.
type pgConn struct {
	conn *pgx.Conn
	// cfg opens another connection, with the role's search_path (Exec).
	cfg      *pgx.ConnConfig
	redacted string
	skip     Skip
	// defaultSchema is where unqualified names go for the role (the
	// version table's schema when Skip.Schema is ""), read before the
	// connection's search_path is emptied.
	defaultSchema string
	// version is server_version_num.
	version int
}

// openPostgres connects to dsn. The connection's search_path is
// pg_catalog alone, so that every name the catalog's functions print
// (pg_get_constraintdef, pg_get_viewdef, a default's regclass) is
// schema-qualified whatever the role's search_path: the same object reads
// the same on the live database and on a scratch one.
func openPostgres(ctx context.Context, dsn, redacted string, o Options) (*pgConn, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", redacted, err)
	}
	// The schema changes between reads (a rehearsal): no prepared
	// statements, whose plans would go stale; one round trip per query.
	cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	cfg.RuntimeParams["application_name"] = engine.DefaultApplicationName
	if o.ReadOnly {
		cfg.RuntimeParams["default_transaction_read_only"] = "on"
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connecting to %s: %w", redacted, err)
	}
	c := &pgConn{conn: conn, cfg: cfg, redacted: redacted, skip: o.Skip}
	err = conn.QueryRow(ctx, `SELECT coalesce(current_schema(), ''), current_setting('server_version_num')::int`).Scan(&c.defaultSchema, &c.version)
	if err == nil {
		_, err = conn.Exec(ctx, `SET search_path = pg_catalog`)
	}
	if err != nil {
		conn.Close(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("reading %s: %w", redacted, err)
	}
	return c, nil
}

func (c *pgConn) Dialect() string { return engine.DialectPostgres }

func (c *pgConn) Close() error { return c.conn.Close(context.Background()) }

func (c *pgConn) ServerVersion(ctx context.Context) (string, error) {
	var v string
	err := c.conn.QueryRow(ctx, `SHOW server_version`).Scan(&v)
	return v, c.wrap(err)
}

// Identity is the cluster's system identifier and the database's oid. A
// role that may not call pg_control_system() gets the server's address,
// port and start time instead of the system identifier.
func (c *pgConn) Identity(ctx context.Context) (string, error) {
	var id string
	err := c.conn.QueryRow(ctx, `SELECT (SELECT system_identifier FROM pg_control_system())::text || '/' ||
		(SELECT oid FROM pg_database WHERE datname = current_database())::text`).Scan(&id)
	if err == nil {
		return id, nil
	}
	err = c.conn.QueryRow(ctx, `SELECT coalesce(host(inet_server_addr()), 'socket') || ':' || current_setting('port') || '@' ||
		pg_postmaster_start_time()::text || '/' || (SELECT oid FROM pg_database WHERE datname = current_database())::text`).Scan(&id)
	return id, c.wrap(err)
}

func (c *pgConn) wrap(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("reading %s: %w", c.redacted, err)
}

// Schema reads the catalog in one read-only transaction.
func (c *pgConn) Schema(ctx context.Context) (*schema.Snapshot, error) {
	tx, err := c.conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, c.wrap(err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	r := newPGReader(tx, c.version)
	if err := r.readAll(ctx); err != nil {
		return nil, c.wrap(err)
	}
	snap := (&schema.Snapshot{Dialect: engine.DialectPostgres, Objects: r.objects}).Filter(c.skipped)
	snap.Sort()
	return snap, nil
}

// skipped reports retort's own tables (and their schema, when it has one
// of its own).
func (c *pgConn) skipped(o schema.Object) bool {
	if o.Table != "" {
		return false
	}
	if c.skip.Schema != "" && o.Kind == schema.KindSchema && o.Name == quoteIdent(c.skip.Schema) {
		return true
	}
	if o.Kind != schema.KindTable || c.skip.VersionTable == "" {
		return false
	}
	s := c.skip.Schema
	if s == "" {
		s = c.defaultSchema
	}
	return o.Name == quoteIdent(s)+"."+quoteIdent(c.skip.VersionTable) || o.Name == quoteIdent(s)+"."+quoteIdent(auditTable)
}

// quoteIdent quotes a name as PostgreSQL's quote_ident does for the names
// retort's own tables have (lower-case letters, digits, underscores): as
// is, or in double quotes.
func quoteIdent(s string) string {
	for i, r := range s {
		if !(r >= 'a' && r <= 'z' || r == '_' || i > 0 && r >= '0' && r <= '9') {
			return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
		}
	}
	return s
}

// Rows reads every ordinary table's rows (partitions but not their
// partitioned parents, which hold none of their own), each as its jsonb
// text: keys sorted, whatever the order of the columns.
func (c *pgConn) Rows(ctx context.Context, keep int) ([]TableRows, error) {
	tables, err := c.queryTexts(ctx, `SELECT `+qualified("n", "c.relname")+` FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND `+where("n", "pg_class", "c.oid")+`
		ORDER BY 1`)
	if err != nil {
		return nil, c.wrap(err)
	}
	var out []TableRows
	for _, t := range tables {
		if c.skipped(schema.Object{Kind: schema.KindTable, Name: t}) {
			continue
		}
		rows, err := c.queryTexts(ctx, `SELECT to_jsonb(t)::text FROM ONLY `+t+` t`)
		if err != nil {
			return nil, c.wrap(fmt.Errorf("the rows of %s: %w", t, err))
		}
		out = append(out, digest(t, rows, keep))
	}
	return out, nil
}

func (c *pgConn) queryTexts(ctx context.Context, sql string) ([]string, error) {
	rows, err := c.conn.Query(ctx, sql)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// digest makes a table's TableRows from its row texts.
func digest(table string, rows []string, keep int) TableRows {
	sort.Strings(rows)
	h := sha256.New()
	for _, r := range rows {
		h.Write([]byte(r))
		h.Write([]byte{'\n'})
	}
	t := TableRows{Table: table, Count: len(rows), Digest: hex.EncodeToString(h.Sum(nil))}
	if len(rows) <= keep {
		t.Rows = rows
	}
	return t
}

// Exec runs the script's statements one by one, outside any transaction
// of retort's (the script may have its own), on a connection of its own
// whose search_path is the role's, not the reader's.
func (c *pgConn) Exec(ctx context.Context, path, script string) error {
	conn, err := pgx.ConnectConfig(ctx, c.cfg)
	if err != nil {
		return fmt.Errorf("connecting to %s: %w", c.redacted, err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	return execScript(path, script, func(sql string) error {
		_, err := conn.Exec(ctx, sql)
		return err
	})
}

// execScript splits script into statements and runs each with exec; an
// error names path and the statement's line.
func execScript(path, script string, exec func(string) error) error {
	if err := sqlsplit.Check(script); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	for _, st := range sqlsplit.Split(script) {
		if err := exec(st.SQL); err != nil {
			return fmt.Errorf("%s:%d: %w", path, st.Line, err)
		}
	}
	return nil
}
