package sqlfacts

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"retort/engine/pgtest"
	"retort/pgparse/pgparsetest"
)

// The facts checked against PostgreSQL 15 itself: each statement runs in
// an open transaction while a second connection reads pg_locks for the
// first one's locks, and the first reads, before and after, each table's
// relfilenode (a rewrite gives it a new one) and its sequential scans in
// the transaction (pg_stat_xact_user_tables). The transaction is then
// rolled back, so every case starts from the same schema.

const serverSchema = `
CREATE TABLE u (id bigint PRIMARY KEY, code text);
CREATE TABLE t (id bigint PRIMARY KEY, a int, b varchar(10), c numeric(10,2), u_id bigint, n text);
INSERT INTO u SELECT g, 'c' || g FROM generate_series(1, 100) g;
INSERT INTO t SELECT g, g, 'x', g, g, 'n' FROM generate_series(1, 100) g;
CREATE INDEX t_a ON t (a);
CREATE VIEW tv AS SELECT id, a FROM t;
ALTER TABLE t ADD CONSTRAINT t_chk CHECK (a > 0) NOT VALID;
ALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (u_id) REFERENCES u (id) NOT VALID;
CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER t_trg BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION trg();
CREATE TABLE p (k int) PARTITION BY LIST (k);
CREATE TABLE p1 (k int);
CREATE MATERIALIZED VIEW mv AS SELECT id FROM u;
CREATE UNIQUE INDEX mv_id ON mv (id);
CREATE SCHEMA s2;
ANALYZE;
`

type serverCase struct {
	sql string
	// unclaimed are relations PostgreSQL locks that the statement does not
	// name, so that its facts cannot: the table of a DROP INDEX, the
	// table a dropped table's foreign key references.
	unclaimed []string
	// rewriteUnless: the statement's rewrite has a condition; rewrites
	// says whether this form meets it.
	rewriteUnless bool
	rewrites      bool
	// noScanCheck: a DML statement, whose plan (and so its scans) the
	// planner chooses.
	noScanCheck bool
	// extraScans are tables a query the statement runs reads, as the
	// planner chooses (a foreign key's validation joins the referenced
	// table; a materialized view's query reads its tables).
	extraScans []string
}

var serverCases = []serverCase{
	{sql: "ALTER TABLE t ADD COLUMN x int"},
	{sql: "ALTER TABLE t ADD COLUMN x int DEFAULT 0"},
	{sql: "ALTER TABLE t ADD COLUMN x int NOT NULL DEFAULT 0"},
	{sql: "ALTER TABLE t ADD COLUMN x float8 DEFAULT random()"},
	{sql: "ALTER TABLE t ADD COLUMN x timestamptz DEFAULT now()"},
	{sql: "ALTER TABLE t ADD COLUMN x timestamptz DEFAULT CURRENT_TIMESTAMP"},
	{sql: "ALTER TABLE t ADD COLUMN x uuid DEFAULT gen_random_uuid()"},
	{sql: "ALTER TABLE t ADD COLUMN x bigserial"},
	{sql: "ALTER TABLE t ADD COLUMN x int GENERATED ALWAYS AS IDENTITY"},
	{sql: "ALTER TABLE t ADD COLUMN x int GENERATED ALWAYS AS (a * 2) STORED"},
	{sql: "ALTER TABLE t ADD COLUMN x int CHECK (x > 0)"},
	{sql: "ALTER TABLE t ADD COLUMN x bigint REFERENCES u (id)"},
	{sql: "ALTER TABLE p1 ADD COLUMN x int NOT NULL"},
	{sql: "ALTER TABLE t ALTER COLUMN c TYPE bigint", rewriteUnless: true, rewrites: true},
	{sql: "ALTER TABLE t ALTER COLUMN b TYPE text", rewriteUnless: true},
	{sql: "ALTER TABLE t ALTER COLUMN b TYPE varchar(20)", rewriteUnless: true},
	{sql: "ALTER TABLE t ALTER COLUMN n SET NOT NULL"},
	{sql: "ALTER TABLE t ALTER COLUMN n DROP NOT NULL"},
	{sql: "ALTER TABLE t ALTER COLUMN a SET DEFAULT 0"},
	{sql: "ALTER TABLE t ALTER COLUMN a SET STATISTICS 100"},
	{sql: "ALTER TABLE t SET (fillfactor = 70)"},
	{sql: "ALTER TABLE t DROP COLUMN n"},
	{sql: "ALTER TABLE t ADD CONSTRAINT x CHECK (a > 0)"},
	{sql: "ALTER TABLE t ADD CONSTRAINT x CHECK (a > 0) NOT VALID"},
	{sql: "ALTER TABLE t ADD CONSTRAINT x FOREIGN KEY (u_id) REFERENCES u (id)", extraScans: []string{"u"}},
	{sql: "ALTER TABLE t ADD CONSTRAINT x FOREIGN KEY (u_id) REFERENCES u (id) NOT VALID"},
	{sql: "ALTER TABLE t VALIDATE CONSTRAINT t_chk"},
	// Validating a foreign key also takes ROW SHARE on the referenced
	// table, which the statement does not name.
	{sql: "ALTER TABLE t VALIDATE CONSTRAINT t_fk", unclaimed: []string{"u"}, extraScans: []string{"u"}},
	{sql: "ALTER TABLE u ADD CONSTRAINT u_code UNIQUE (code)"},
	{sql: "ALTER TABLE t DROP CONSTRAINT t_chk"},
	{sql: "ALTER TABLE t DISABLE TRIGGER t_trg"},
	{sql: "ALTER TABLE t ENABLE ROW LEVEL SECURITY"},
	{sql: "ALTER TABLE p1 SET UNLOGGED"},
	{sql: "ALTER TABLE p ATTACH PARTITION p1 FOR VALUES IN (1)"},
	{sql: "ALTER TABLE t RENAME COLUMN n TO m"},
	{sql: "ALTER TABLE t RENAME TO t2"},
	{sql: "ALTER TABLE t RENAME CONSTRAINT t_chk TO t_check"},
	{sql: "ALTER INDEX t_a RENAME TO t_b"},
	{sql: "ALTER TABLE t SET SCHEMA s2"},
	{sql: "CREATE INDEX x ON t (a)"},
	{sql: "CREATE UNIQUE INDEX x ON u (code)"},
	{sql: "DROP INDEX t_a", unclaimed: []string{"t"}},
	{sql: "CREATE TRIGGER x AFTER UPDATE ON t FOR EACH ROW EXECUTE FUNCTION trg()"},
	{sql: "DROP TRIGGER t_trg ON t"},
	{sql: "CREATE TABLE t3 (id bigint REFERENCES u (id))"},
	{sql: "CREATE TABLE p2 PARTITION OF p FOR VALUES IN (2)"},
	{sql: "CREATE TABLE c2 (x int) INHERITS (u)"},
	{sql: "CREATE TABLE t4 (LIKE t)"},
	{sql: "CREATE VIEW v2 AS SELECT t.id, u.code FROM t JOIN u ON u.id = t.u_id"},
	{sql: "CREATE OR REPLACE VIEW tv AS SELECT id, a FROM t"},
	{sql: "CREATE MATERIALIZED VIEW mv2 AS SELECT id FROM t"},
	{sql: "DROP VIEW tv"},
	{sql: "DROP TABLE p1"},
	// Dropping t drops its foreign key, whose triggers live on u, and, with
	// CASCADE, the view tv.
	{sql: "DROP TABLE t CASCADE", unclaimed: []string{"u", "tv"}},
	{sql: "TRUNCATE t"},
	{sql: "COMMENT ON TABLE t IS 'x'"},
	{sql: "COMMENT ON COLUMN t.a IS 'x'"},
	{sql: "LOCK TABLE t IN SHARE MODE"},
	{sql: "LOCK TABLE t"},
	{sql: "ANALYZE t"},
	{sql: "CLUSTER t USING t_pkey"},
	{sql: "REINDEX TABLE u"},
	// REINDEX INDEX names the index, not its table (SHARE, and read whole).
	{sql: "REINDEX INDEX t_a", unclaimed: []string{"t"}, extraScans: []string{"t"}},
	{sql: "REFRESH MATERIALIZED VIEW mv", unclaimed: []string{"u"}, extraScans: []string{"u"}},
	{sql: "REFRESH MATERIALIZED VIEW CONCURRENTLY mv", unclaimed: []string{"u"}, extraScans: []string{"u"}},
	{sql: "CREATE POLICY pol ON t USING (true)"},
	{sql: "CREATE RULE r AS ON UPDATE TO t DO ALSO NOTIFY t"},
	{sql: "UPDATE t SET a = a + 1"},
	{sql: "UPDATE t SET a = 1 WHERE id = 1", noScanCheck: true},
	{sql: "DELETE FROM t", noScanCheck: true},
	{sql: "INSERT INTO t (id, a) SELECT id + 1000, 1 FROM u", noScanCheck: true},
	{sql: "SELECT * FROM t", noScanCheck: true},
	{sql: "SELECT * FROM t FOR UPDATE", noScanCheck: true},
	{sql: "COPY t (id) TO STDOUT"},
}

// observed is what the server did for one statement.
type observed struct {
	locks     map[string]string // relation name -> strongest pg_locks mode
	rewritten map[string]bool
	scanned   map[string]bool
}

func TestFactsMatchPostgres(t *testing.T) {
	p := pgparsetest.New(t)
	url := pgtest.NewDatabase(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	a, b := connect(t, ctx, url), connect(t, ctx, url)
	if _, err := a.Exec(ctx, serverSchema); err != nil {
		t.Fatal(err)
	}
	for _, c := range serverCases {
		t.Run(c.sql, func(t *testing.T) {
			s, err := AnalyzeStatement(p, c.sql)
			if err != nil || s.Err != nil {
				t.Fatalf("analyze: %v %v", err, s.Err)
			}
			got := run(t, ctx, a, b, &s)
			checkLocks(t, c, &s, got)
			checkRewrites(t, c, &s, got)
			if !c.noScanCheck {
				checkScans(t, c, &s, got)
			}
		})
	}
}

func connect(t *testing.T, ctx context.Context, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// run runs sql in a transaction on a, reads what it did, and rolls back.
func run(t *testing.T, ctx context.Context, a, b *pgx.Conn, s *Statement) observed {
	t.Helper()
	tx, err := a.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	rels := relations(t, ctx, tx, s)
	before := perRelation(t, ctx, tx)
	if _, err := tx.Exec(ctx, s.SQL); err != nil {
		t.Fatalf("PostgreSQL refused the statement: %v", err)
	}
	after := perRelation(t, ctx, tx)
	o := observed{locks: map[string]string{}, rewritten: map[string]bool{}, scanned: map[string]bool{}}
	rows, err := b.Query(ctx, `SELECT relation::int8, mode FROM pg_locks WHERE pid = $1 AND locktype = 'relation'`, a.PgConn().PID())
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var oid int64
		var mode string
		if err := rows.Scan(&oid, &mode); err != nil {
			t.Fatal(err)
		}
		if name, ok := rels[oid]; ok && strength(mode) > strength(o.locks[name]) {
			o.locks[name] = mode
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for name, x := range before {
		y, ok := after[name]
		o.rewritten[name] = ok && y.filenode != 0 && x.filenode != y.filenode
		o.scanned[name] = ok && y.seqScans > x.seqScans
	}
	return o
}

// relations maps the OIDs of the public schema's relations to their
// names. An index is left out unless the statement names it: the locks on
// a table's indexes follow from the lock on the table.
func relations(t *testing.T, ctx context.Context, tx pgx.Tx, s *Statement) map[int64]string {
	t.Helper()
	rows, err := tx.Query(ctx, `SELECT c.oid::int8, c.relname, c.relkind = 'i' FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'`)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]string{}
	for rows.Next() {
		var oid int64
		var name string
		var index bool
		if err := rows.Scan(&oid, &name, &index); err != nil {
			t.Fatal(err)
		}
		if !index || s.LockOn(Name{Name: name}) != NoLock {
			out[oid] = name
		}
	}
	return out
}

type relState struct {
	filenode, seqScans int64
}

// perRelation reads each table's file node and the sequential scans of
// it in this transaction.
func perRelation(t *testing.T, ctx context.Context, tx pgx.Tx) map[string]relState {
	t.Helper()
	rows, err := tx.Query(ctx, `SELECT c.relname, coalesce(pg_relation_filenode(c.oid), 0)::int8,
			coalesce(s.seq_scan, 0)
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		LEFT JOIN pg_stat_xact_user_tables s ON s.relid = c.oid
		WHERE n.nspname = 'public' AND c.relkind IN ('r', 'm')`)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]relState{}
	for rows.Next() {
		var name string
		var st relState
		if err := rows.Scan(&name, &st.filenode, &st.seqScans); err != nil {
			t.Fatal(err)
		}
		out[name] = st
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// strength orders pg_locks modes as LockMode does.
func strength(mode string) LockMode {
	for m := AccessShare; m <= AccessExclusive; m++ {
		if m.PgLocksMode() == mode {
			return m
		}
	}
	return NoLock
}

func checkLocks(t *testing.T, c serverCase, s *Statement, o observed) {
	t.Helper()
	names := map[string]bool{}
	for name := range o.locks {
		names[name] = true
	}
	for _, l := range s.Locks {
		names[l.On.Name] = true
	}
	for name := range names {
		claimed, seen := s.LockOn(Name{Name: name}), strength(o.locks[name])
		if claimed == seen {
			continue
		}
		if claimed == NoLock && contains(c.unclaimed, name) {
			continue
		}
		if seen == NoLock && !exists(o, name) {
			// A relation the statement creates: its lock does not
			// matter to anyone else.
			continue
		}
		t.Errorf("lock on %s: facts say %q, PostgreSQL took %q", name, claimed, seen)
	}
}

// exists reports whether name was a relation before the statement ran.
func exists(o observed, name string) bool {
	_, ok := o.rewritten[name]
	_, locked := o.locks[name]
	return ok || locked
}

func checkRewrites(t *testing.T, c serverCase, s *Statement, o observed) {
	t.Helper()
	for name, rewritten := range o.rewritten {
		var claim *Effect
		for i := range s.Rewrites {
			if s.Rewrites[i].Table.Name == name {
				claim = &s.Rewrites[i]
			}
		}
		switch {
		case claim == nil && rewritten:
			t.Errorf("PostgreSQL rewrote %s; the facts say nothing", name)
		case claim != nil && claim.Unless == "" && !rewritten:
			t.Errorf("the facts say %q, but PostgreSQL did not rewrite %s", claim.Why, name)
		case claim != nil && claim.Unless != "":
			if !c.rewriteUnless {
				t.Errorf("a conditional rewrite of %s (%s) where none was expected", name, claim.Unless)
			} else if rewritten != c.rewrites {
				t.Errorf("rewrite of %s: PostgreSQL %v, the case expects %v", name, rewritten, c.rewrites)
			}
		}
	}
}

func checkScans(t *testing.T, c serverCase, s *Statement, o observed) {
	t.Helper()
	for name, scanned := range o.scanned {
		claimed := false
		for _, e := range s.Scans {
			claimed = claimed || e.Table.Name == name
		}
		for _, e := range s.Rewrites {
			// A rewrite reads every row too.
			claimed = claimed || (e.Table.Name == name && (e.Unless == "" || o.rewritten[name]))
		}
		if !claimed && contains(c.extraScans, name) {
			continue
		}
		if claimed != scanned {
			t.Errorf("scan of %s: facts %v, PostgreSQL %v (%s)", name, claimed, scanned, describeEffects(s))
		}
	}
}

func describeEffects(s *Statement) string {
	var parts []string
	for _, e := range s.Scans {
		parts = append(parts, "scan "+e.Table.String()+": "+e.Why)
	}
	for _, e := range s.Rewrites {
		parts = append(parts, "rewrite "+e.Table.String()+": "+e.Why)
	}
	return fmt.Sprint(strings.Join(parts, "; "))
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}
