package catalog

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"retort/schema"
)

// Clearing a scratch database that was given to use (--scratch): what
// revisions made there is dropped, retort's own tables too, so that the
// next use starts from an empty database.

// dropWords are the DROP statements of the top-level kinds, by kind.
func dropWords(k schema.Kind) string {
	switch k {
	case schema.KindMatView:
		return "MATERIALIZED VIEW"
	case schema.KindEnum:
		return "TYPE"
	}
	return strings.ToUpper(string(k))
}

// Clear drops every schema but public and every object in public, with
// CASCADE, and retort's tables. Only for a scratch database.
func (c *pgConn) Clear(ctx context.Context) error {
	tx, err := c.conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return c.wrap(err)
	}
	r := newPGReader(tx, c.version)
	err = r.readAll(ctx)
	tx.Rollback(context.WithoutCancel(ctx))
	if err != nil {
		return c.wrap(err)
	}
	for _, o := range r.objects {
		if o.Table != "" || o.Kind == schema.KindSchema && o.Name == "public" {
			continue
		}
		words := dropWords(o.Kind)
		if o.Kind == schema.KindTable && strings.HasPrefix(o.Def, "FOREIGN") {
			words = "FOREIGN TABLE"
		}
		if _, err := c.conn.Exec(ctx, fmt.Sprintf("DROP %s IF EXISTS %s CASCADE", words, o.Name)); err != nil {
			return c.wrap(fmt.Errorf("dropping %s %s: %w", o.Kind, o.Name, err))
		}
	}
	return nil
}

// Clear drops every view, trigger, index and table, retort's too, and
// forgets AUTOINCREMENT's counters. Only for a scratch database.
func (c *sqliteConn) Clear(ctx context.Context) error {
	if c.db == nil {
		return nil
	}
	conn, err := c.db.Conn(ctx)
	if err != nil {
		return c.wrap(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
		return c.wrap(err)
	}
	var drops []string
	hasSequence := false
	rows, err := conn.QueryContext(ctx, `SELECT type, name FROM sqlite_master WHERE type IN ('view', 'trigger', 'index', 'table') AND sql IS NOT NULL
		ORDER BY CASE type WHEN 'view' THEN 0 WHEN 'trigger' THEN 1 WHEN 'index' THEN 2 ELSE 3 END, name`)
	if err != nil {
		return c.wrap(err)
	}
	for rows.Next() {
		var kind, name string
		if err := rows.Scan(&kind, &name); err != nil {
			rows.Close()
			return c.wrap(err)
		}
		if strings.EqualFold(name, "sqlite_sequence") {
			hasSequence = true
			continue
		}
		drops = append(drops, fmt.Sprintf("DROP %s IF EXISTS %s", strings.ToUpper(kind), quoteSQLite(name)))
	}
	rows.Close()
	if hasSequence {
		drops = append(drops, "DELETE FROM sqlite_sequence")
	}
	for _, d := range drops {
		if _, err := conn.ExecContext(ctx, d); err != nil {
			return c.wrap(fmt.Errorf("%s: %w", d, err))
		}
	}
	return nil
}

// SQLiteVersion is the version of the SQLite library retort uses.
func SQLiteVersion(ctx context.Context) (string, error) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		return "", err
	}
	defer db.Close()
	var v string
	err = db.QueryRowContext(ctx, "SELECT sqlite_version()").Scan(&v)
	return v, err
}
