package catalog

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"retort/engine/pgtest"
)

// bigSchema is the SQL of a schema of n tables, each with a serial key, a
// foreign key to the one before, text, numeric and date columns with
// defaults, a unique and a check constraint, an index and a comment; a view
// every tenth table, an enum and a trigger function.
func bigSchema(n int) string {
	var b strings.Builder
	b.WriteString("CREATE TYPE state AS ENUM ('new', 'open', 'closed');\n")
	b.WriteString("CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated := now(); RETURN NEW; END $$;\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `CREATE TABLE t%03d (
	id serial PRIMARY KEY,
	code varchar(32) NOT NULL UNIQUE,
	title text NOT NULL DEFAULT '',
	amount numeric(12, 2) CHECK (amount >= 0),
	state state NOT NULL DEFAULT 'new',
	created date NOT NULL DEFAULT CURRENT_DATE,
	updated timestamptz`, i)
		if i > 0 {
			fmt.Fprintf(&b, ",\n\tparent_id integer REFERENCES t%03d (id) ON DELETE CASCADE", i-1)
		}
		fmt.Fprintf(&b, "\n);\nCREATE INDEX t%03d_title ON t%03d (lower(title));\n", i, i)
		fmt.Fprintf(&b, "COMMENT ON TABLE t%03d IS 'table %d';\n", i, i)
		if i%10 == 0 {
			fmt.Fprintf(&b, "CREATE VIEW v%03d AS SELECT id, code, title FROM t%03d WHERE state <> 'closed';\n", i, i)
			fmt.Fprintf(&b, "CREATE TRIGGER t%03d_touch BEFORE UPDATE ON t%03d FOR EACH ROW EXECUTE FUNCTION touch();\n", i, i)
		}
	}
	return b.String()
}

// BenchmarkSchemaPostgres200 reads the snapshot of a 200-table schema from
// the catalog, the database already built. Goal: under 200 ms.
func BenchmarkSchemaPostgres200(b *testing.B) {
	ctx := context.Background()
	url := pgtest.NewDatabase(b)
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := conn.Exec(ctx, bigSchema(200)); err != nil {
		b.Fatal(err)
	}
	conn.Close(ctx)
	c, err := Open(ctx, url, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	snap, err := c.Schema(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if n := countKind(snap.Objects, "table"); n != 200 {
		b.Fatalf("%d tables read, want 200", n)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := c.Schema(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
