package lint

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"retort/engine/pgtest"
	"retort/engine/sqlsplit"
	"retort/models"
	"retort/pgparse"
	"retort/pgparse/pgparsetest"
	"retort/sqlfacts"
)

// Each rule on PostgreSQL 15: its unsafe form is flagged and its safe form
// is not, and both run on a real server in a schema of their own, built
// by the history below. Where the rule is about what PostgreSQL does, the
// server shows it: the lock the unsafe form holds (read from pg_locks by a
// second connection while its transaction is open), the rewrite (a new
// relfilenode) or the full read (pg_stat_xact_user_tables), or the error it
// fails with; and the safe form does not.

const ruleHistory = `CREATE TABLE patrons (id bigint PRIMARY KEY, name text, email text);
CREATE TABLE loans (id bigint PRIMARY KEY, patron_id bigint, due date, note text, amount int);
CREATE TABLE tiny (id bigint, note text);
INSERT INTO patrons SELECT g, 'p' || g, NULL FROM generate_series(1, 200) g;
INSERT INTO loans SELECT g, g % 200 + 1, current_date, 'n', g FROM generate_series(1, 200) g;
INSERT INTO tiny SELECT g, 'n' FROM generate_series(1, 5) g;
CREATE VIEW loan_overview AS SELECT l.id, l.due, p.name FROM loans l JOIN patrons p ON p.id = l.patron_id;
CREATE INDEX loans_due ON loans (due);
ANALYZE;`

type ruleCase struct {
	rule         string
	unsafe, safe string
	// unsafeNoTx, safeNoTx: the revision has "-- Transaction: none".
	unsafeNoTx, safeNoTx bool
	// pre are earlier steps of the safe form's plan.
	pre []string
	// db: lint reads the test database's catalog.
	db bool
	// What PostgreSQL does with the unsafe form, and not with the safe one.
	table    string // the table observed (default loans)
	lock     string // the strongest pg_locks mode the unsafe form holds on it
	rewrite  bool
	scan     bool
	errState string // the SQLSTATE the unsafe form fails with
	// safeLock is the weaker lock the safe form holds, when that is the
	// point; safeReads: the safe form still reads the table (VALIDATE
	// CONSTRAINT does, under a weaker lock).
	safeLock  string
	safeReads bool
}

var ruleCases = []ruleCase{
	{rule: "require-concurrent-index-creation", unsafe: "CREATE INDEX loans_patron ON loans (patron_id)",
		safe: "CREATE INDEX CONCURRENTLY IF NOT EXISTS loans_patron ON loans (patron_id)", safeNoTx: true, lock: "ShareLock", scan: true},
	{rule: "require-concurrent-index-creation", safe: "CREATE TABLE fines (id bigint);\nCREATE INDEX fines_id ON fines (id)"},
	{rule: "adding-required-field", unsafe: "ALTER TABLE loans ADD COLUMN renewals bigint NOT NULL",
		safe: "ALTER TABLE loans ADD COLUMN renewals bigint NOT NULL DEFAULT 0", errState: "23502"},
	{rule: "add-column-rewrites-table", unsafe: "ALTER TABLE loans ADD COLUMN token uuid DEFAULT gen_random_uuid()",
		safe: "ALTER TABLE loans ADD COLUMN token uuid;\nALTER TABLE loans ALTER COLUMN token SET DEFAULT gen_random_uuid()", rewrite: true},
	{rule: "add-column-rewrites-table", unsafe: "ALTER TABLE loans ADD COLUMN seq bigserial",
		safe: "ALTER TABLE loans ADD COLUMN seq bigint", rewrite: true},
	{rule: "add-column-rewrites-table", unsafe: "ALTER TABLE loans ADD COLUMN at timestamptz DEFAULT clock_timestamp()",
		safe: "ALTER TABLE loans ADD COLUMN at timestamptz DEFAULT now()", rewrite: true},
	{rule: "changing-column-type", unsafe: "ALTER TABLE loans ALTER COLUMN amount TYPE bigint",
		safe: "ALTER TABLE loans ADD COLUMN amount_big bigint", rewrite: true},
	{rule: "constraint-missing-not-valid", unsafe: "ALTER TABLE loans ADD CONSTRAINT loans_patron_fk FOREIGN KEY (patron_id) REFERENCES patrons (id)",
		safe: "ALTER TABLE loans ADD CONSTRAINT loans_patron_fk FOREIGN KEY (patron_id) REFERENCES patrons (id) NOT VALID",
		lock: "ShareRowExclusiveLock", scan: true},
	{rule: "constraint-missing-not-valid", unsafe: "ALTER TABLE loans ADD CONSTRAINT loans_amount CHECK (amount > 0)",
		safe: "ALTER TABLE loans VALIDATE CONSTRAINT loans_amount", pre: []string{"ALTER TABLE loans ADD CONSTRAINT loans_amount CHECK (amount > 0) NOT VALID"},
		lock: "AccessExclusiveLock", scan: true, safeLock: "ShareUpdateExclusiveLock", safeReads: true},
	{rule: "constraint-missing-not-valid", unsafe: "ALTER TABLE loans ADD CONSTRAINT loans_amount CHECK (amount > 0) NOT VALID;\nALTER TABLE loans VALIDATE CONSTRAINT loans_amount",
		safe: "ALTER TABLE loans ADD CONSTRAINT loans_amount CHECK (amount > 0) NOT VALID", lock: "AccessExclusiveLock", scan: true},
	{rule: "set-not-null-on-large-table", unsafe: "ALTER TABLE loans ALTER COLUMN note SET NOT NULL",
		pre:  []string{"ALTER TABLE loans ADD CONSTRAINT loans_note_nn CHECK (note IS NOT NULL) NOT VALID", "ALTER TABLE loans VALIDATE CONSTRAINT loans_note_nn"},
		safe: "ALTER TABLE loans ALTER COLUMN note SET NOT NULL", lock: "AccessExclusiveLock", scan: true},
	{rule: "set-not-null-on-large-table", db: true, unsafe: "ALTER TABLE loans ALTER COLUMN note SET NOT NULL",
		safe: "ALTER TABLE tiny ALTER COLUMN note SET NOT NULL", scan: true},
	{rule: "drop-used-object", unsafe: "ALTER TABLE loans DROP COLUMN due",
		safe: "DROP VIEW loan_overview;\nALTER TABLE loans DROP COLUMN due", errState: "2BP01"},
	{rule: "drop-used-object", db: true, unsafe: "DROP TABLE patrons",
		safe: "DROP VIEW loan_overview;\nDROP TABLE patrons", errState: "2BP01"},
	{rule: "drop-used-object", db: true, unsafe: "ALTER TABLE loans DROP COLUMN due",
		safe: "ALTER TABLE loans DROP COLUMN note", errState: "2BP01"},
	{rule: "require-lock-timeout", unsafe: "ALTER TABLE loans ADD COLUMN x bigint",
		safe: "SET LOCAL lock_timeout = '1s';\nALTER TABLE loans ADD COLUMN x bigint", lock: "AccessExclusiveLock"},
	{rule: "require-lock-timeout", unsafe: "ALTER TABLE loans ADD COLUMN x bigint",
		pre: []string{"SET lock_timeout = '1s'"}, safe: "ALTER TABLE loans ADD COLUMN x bigint"},
	{rule: "concurrently-in-transaction", unsafe: "CREATE INDEX CONCURRENTLY IF NOT EXISTS loans_patron ON loans (patron_id)",
		safe: "CREATE INDEX CONCURRENTLY IF NOT EXISTS loans_patron ON loans (patron_id)", safeNoTx: true, errState: "25001"},
	{rule: "syntax-error", unsafe: "ALTER TABLE loans ADD COLUMN", safe: "ALTER TABLE loans ADD COLUMN x bigint", errState: "42601"},
	{rule: "disallowed-unique-constraint", unsafe: "ALTER TABLE patrons ADD CONSTRAINT patrons_name UNIQUE (name)",
		pre:  []string{"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS patrons_name ON patrons (name)"},
		safe: "ALTER TABLE patrons ADD CONSTRAINT patrons_name UNIQUE USING INDEX patrons_name", table: "patrons", lock: "AccessExclusiveLock", scan: true},
	{rule: "require-concurrent-index-deletion", unsafe: "DROP INDEX loans_due", safe: "DROP INDEX CONCURRENTLY IF EXISTS loans_due",
		safeNoTx: true, lock: "AccessExclusiveLock"},
	{rule: "renaming-column", unsafe: "ALTER TABLE patrons RENAME COLUMN email TO mail", safe: "ALTER TABLE patrons ADD COLUMN mail text"},
	{rule: "renaming-table", unsafe: "ALTER TABLE patrons RENAME TO readers", safe: "CREATE TABLE readers (id bigint)"},
	{rule: "ban-drop-column", unsafe: "ALTER TABLE patrons DROP COLUMN email", safe: "CREATE TABLE t2 (a bigint, b text);\nALTER TABLE t2 DROP COLUMN b"},
	{rule: "ban-drop-table", unsafe: "DROP TABLE tiny", safe: "CREATE TABLE t2 (a bigint);\nDROP TABLE t2"},
	{rule: "prefer-bigint", unsafe: "CREATE TABLE t2 (id int, n smallint)", safe: "CREATE TABLE t2 (id bigint)"},
	{rule: "prefer-identity", unsafe: "CREATE TABLE t2 (id bigserial)", safe: "CREATE TABLE t2 (id bigint GENERATED BY DEFAULT AS IDENTITY)"},
	{rule: "prefer-text-field", unsafe: "CREATE TABLE t2 (a varchar(10))", safe: "CREATE TABLE t2 (a text CHECK (length(a) <= 10))"},
	{rule: "ban-char-field", unsafe: "CREATE TABLE t2 (a char(2))", safe: "CREATE TABLE t2 (a text)"},
	{rule: "prefer-timestamptz", unsafe: "CREATE TABLE t2 (a timestamp)", safe: "CREATE TABLE t2 (a timestamptz)"},
	{rule: "prefer-jsonb", unsafe: "CREATE TABLE t2 (a json)", safe: "CREATE TABLE t2 (a jsonb)"},
	{rule: "prefer-robust-stmts", unsafe: "CREATE INDEX CONCURRENTLY loans_patron ON loans (patron_id)", unsafeNoTx: true,
		safe: "CREATE INDEX CONCURRENTLY IF NOT EXISTS loans_patron ON loans (patron_id)", safeNoTx: true},
	{rule: "backfill-in-transaction", unsafe: "ALTER TABLE loans ADD COLUMN x bigint;\nUPDATE loans SET x = 0",
		safe: "UPDATE loans SET note = 'x' WHERE id = 1", lock: "AccessExclusiveLock"},
	{rule: "index-more-than-three-columns", unsafe: "CREATE INDEX CONCURRENTLY IF NOT EXISTS i4 ON loans (patron_id, due, note, amount)",
		unsafeNoTx: true, safe: "CREATE INDEX CONCURRENTLY IF NOT EXISTS i2 ON loans (patron_id, due)", safeNoTx: true},
	{rule: "ban-truncate-cascade", unsafe: "TRUNCATE patrons CASCADE", safe: "TRUNCATE tiny"},
	{rule: "identifier-too-long", unsafe: "CREATE TABLE " + strings.Repeat("a", 64) + " (id bigint)", safe: "CREATE TABLE " + strings.Repeat("a", 63) + " (id bigint)"},
}

// Every rule has a case.
func TestEveryRuleIsTested(t *testing.T) {
	tested := map[string]bool{}
	for _, c := range ruleCases {
		tested[c.rule] = true
	}
	for _, r := range Rules() {
		if !tested[r.Name] {
			t.Errorf("rule %s has no case", r.Name)
		}
	}
}

func TestRulesOnPostgres(t *testing.T) {
	p := pgparsetest.New(t)
	url := pgtest.NewDatabase(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	a, b := connect(t, ctx, url), connect(t, ctx, url)
	db, err := OpenCatalog(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for k, c := range ruleCases {
		t.Run(fmt.Sprintf("%s/%d", c.rule, k), func(t *testing.T) {
			var cat *PgCatalog
			if c.db {
				cat = db
			}
			if c.unsafe != "" {
				schema := fmt.Sprintf("u%d", k)
				prepare(t, ctx, a, schema)
				findings := lintCase(t, p, c, nil, c.unsafe, c.unsafeNoTx, cat, schema)
				if !has(findings, c.rule) {
					t.Errorf("unsafe form not flagged by %s: %v", c.rule, findings)
				}
				unsafe := observe(t, ctx, a, b, schema, c, c.unsafe, c.unsafeNoTx)
				if c.errState != "" && unsafe.errState != c.errState {
					t.Errorf("PostgreSQL: unsafe form failed with %q, want %s", unsafe.errState, c.errState)
				}
				if c.errState == "" && unsafe.errState != "" {
					t.Errorf("PostgreSQL refused the unsafe form: %s", unsafe.err)
				}
				if c.lock != "" && unsafe.lock != c.lock {
					t.Errorf("PostgreSQL held %q on %s, the rule says %s", unsafe.lock, c.tableName(), c.lock)
				}
				if c.rewrite && !unsafe.rewritten {
					t.Errorf("PostgreSQL did not rewrite %s", c.tableName())
				}
				if c.scan && !unsafe.scanned {
					t.Errorf("PostgreSQL did not read all of %s", c.tableName())
				}
			}
			schema := fmt.Sprintf("s%d", k)
			prepare(t, ctx, a, schema)
			for _, pre := range c.pre {
				if _, err := a.Exec(ctx, pre); err != nil {
					t.Fatalf("%s: %v", pre, err)
				}
			}
			findings := lintCase(t, p, c, c.pre, c.safe, c.safeNoTx, cat, schema)
			if has(findings, c.rule) {
				t.Errorf("safe form flagged by %s: %v", c.rule, findings)
			}
			safe := observe(t, ctx, a, b, schema, c, c.safe, c.safeNoTx)
			if safe.errState != "" {
				t.Fatalf("PostgreSQL refused the safe form: %s", safe.err)
			}
			if c.safeLock != "" && safe.lock != c.safeLock {
				t.Errorf("the safe form held %q on %s, not %s", safe.lock, c.tableName(), c.safeLock)
			}
			if (c.rewrite && safe.rewritten) || (c.scan && safe.scanned && !c.safeReads) {
				t.Errorf("the safe form rewrote (%v) or read all of (%v) %s", safe.rewritten, safe.scanned, c.tableName())
			}
		})
	}
}

func (c ruleCase) tableName() string {
	if c.table == "" {
		return "loans"
	}
	return c.table
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

// prepare makes a schema holding the history, and puts it first on a's
// search path.
func prepare(t *testing.T, ctx context.Context, a *pgx.Conn, schema string) {
	t.Helper()
	if _, err := a.Exec(ctx, "RESET lock_timeout; CREATE SCHEMA "+schema+"; SET search_path = "+schema); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Exec(ctx, ruleHistory); err != nil {
		t.Fatal(err)
	}
}

// lintCase lints a revision holding section after the pre steps, with
// the history as what the database holds.
func lintCase(t *testing.T, p *pgparse.Parser, c ruleCase, pre []string, section string, noTx bool, cat *PgCatalog, schema string) []Finding {
	t.Helper()
	hist := &models.Revision{ID: "h1", Path: "h1_history.sql", Transactional: true,
		Upgrade: models.Section{Present: true, SQL: ruleHistory, Line: 3}}
	var steps []Step
	for k, sec := range pre {
		rev := &models.Revision{ID: fmt.Sprintf("p%d", k), Path: "pre.sql", Transactional: !strings.Contains(sec, "CONCURRENTLY"),
			Upgrade: models.Section{Present: true, SQL: sec, Line: 3}}
		steps = append(steps, Step{Revision: rev, Direction: models.Upgrade})
	}
	rev := &models.Revision{ID: "r1", Path: "r1_case.sql", Transactional: !noTx,
		Upgrade: models.Section{Present: true, SQL: section, Line: 5}}
	steps = append(steps, Step{Revision: rev, Direction: models.Upgrade})
	o := Options{Parser: p, History: []*models.Revision{hist}, LargeRows: 100}
	if cat != nil {
		o.Catalog = &inSchema{cat, schema}
	}
	res, err := Lint(context.Background(), steps, o)
	if err != nil {
		t.Fatal(err)
	}
	last := res.Steps[len(res.Steps)-1]
	for _, f := range last.Findings {
		if f.Line < 5 || f.Line > 5+strings.Count(section, "\n") {
			t.Errorf("finding on line %d, outside the section: %+v", f.Line, f)
		}
		if f.Message == "" || strings.Contains(f.Message, "%!") {
			t.Errorf("finding without a proper message: %+v", f)
		}
	}
	return last.Findings
}

func has(fs []Finding, rule string) bool {
	for _, f := range fs {
		if f.Rule == rule {
			return true
		}
	}
	return false
}

type outcome struct {
	err                error
	errState, lock     string
	rewritten, scanned bool
}

// observe runs a section on a (in a transaction, rolled back after the
// observation, unless noTx) and reads what it did to the case's table.
func observe(t *testing.T, ctx context.Context, a, b *pgx.Conn, schema string, c ruleCase, section string, noTx bool) outcome {
	t.Helper()
	table := schema + "." + c.tableName()
	var o outcome
	if noTx {
		for _, st := range sqlsplit.Split(section) {
			if _, err := a.Exec(ctx, st.SQL); err != nil {
				return failed(err)
			}
		}
		return o
	}
	tx, err := a.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	var before, scansBefore int64
	if err := tx.QueryRow(ctx, `SELECT pg_relation_filenode($1::regclass)::int8,
		coalesce((SELECT seq_scan FROM pg_stat_xact_user_tables WHERE relid = $1::regclass), 0)`, table).Scan(&before, &scansBefore); err != nil {
		t.Fatal(err)
	}
	for _, st := range sqlsplit.Split(section) {
		if _, err := tx.Exec(ctx, st.SQL); err != nil {
			return failed(err)
		}
	}
	var lock *string
	if err := b.QueryRow(ctx, `SELECT mode FROM pg_locks WHERE pid = $1 AND locktype = 'relation'
		AND relation = to_regclass($2) ORDER BY array_position(ARRAY['AccessShareLock', 'RowShareLock',
		'RowExclusiveLock', 'ShareUpdateExclusiveLock', 'ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock',
		'AccessExclusiveLock'], mode) DESC LIMIT 1`, a.PgConn().PID(), table).Scan(&lock); err != nil && !errors.Is(err, pgx.ErrNoRows) {
		t.Fatal(err)
	}
	if lock != nil {
		o.lock = *lock
	}
	var after, scansAfter *int64
	if err := tx.QueryRow(ctx, `SELECT pg_relation_filenode(to_regclass($1))::int8,
		(SELECT seq_scan FROM pg_stat_xact_user_tables WHERE relid = to_regclass($1))`, table).Scan(&after, &scansAfter); err != nil {
		t.Fatal(err)
	}
	o.rewritten = after != nil && *after != before
	o.scanned = scansAfter != nil && *scansAfter > scansBefore
	return o
}

func failed(err error) outcome {
	o := outcome{err: err, errState: "?"}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		o.errState = pe.Code
	}
	return o
}

// inSchema reads the catalog for a case's schema: the statements name
// their tables without one.
type inSchema struct {
	c      *PgCatalog
	schema string
}

func (s *inSchema) q(n sqlfacts.Name) sqlfacts.Name {
	if n.Schema == "" {
		n.Schema = s.schema
	}
	return n
}

func (s *inSchema) TableSize(ctx context.Context, t sqlfacts.Name) (float64, int64, bool, error) {
	return s.c.TableSize(ctx, s.q(t))
}

func (s *inSchema) Dependents(ctx context.Context, t sqlfacts.Name, column string) ([]Dependent, error) {
	return s.c.Dependents(ctx, s.q(t), column)
}

func (s *inSchema) Volatile(ctx context.Context, fn sqlfacts.Name) (bool, bool, error) {
	return s.c.Volatile(ctx, fn)
}
