package sqlsplit

import "testing"

func TestDestructive(t *testing.T) {
	tests := []struct {
		stmt   string
		reason string // "" for a statement that is not destructive
	}{
		// DROP of anything.
		{"DROP TABLE records_metadata", "drops a table"},
		{"drop table if exists a, b, c cascade", "drops 3 tables (cascade)"},
		{"DROP INDEX CONCURRENTLY records_idx", "drops an index"},
		{"DROP INDEX CONCURRENTLY IF EXISTS a, b", "drops 2 indexes"},
		{"DROP MATERIALIZED VIEW mv", "drops a materialized view"},
		{"DROP VIEW v", "drops a view"},
		{"DROP SCHEMA app CASCADE", "drops a schema (cascade)"},
		{"DROP FUNCTION f(int, text)", "drops a function"},
		{"DROP FUNCTION f(int, text), g()", "drops 2 functions"},
		{"DROP TYPE mood", "drops a type"},
		{"DROP SEQUENCE s", "drops a sequence"},
		{"DROP EXTENSION pg_trgm", "drops an extension"},
		{"DROP TRIGGER IF EXISTS t ON x", "drops a trigger"},
		{"DROP POLICY p ON x", "drops a policy"},
		{"DROP OWNED BY app, reader", "drops everything a role owns"},
		{"DROP FOREIGN TABLE ft", "drops a foreign table"},
		{"DROP WIDGET w", "drops a widget"},
		{"DROP", "drops an object"},
		{"/* why */ -- because\n DROP TABLE t", "drops a table"},
		// TRUNCATE.
		{"TRUNCATE records", "truncates a table"},
		{"TRUNCATE TABLE ONLY a, b RESTART IDENTITY CASCADE", "truncates 2 tables (cascade)"},
		// DELETE without WHERE.
		{"DELETE FROM t", "deletes every row"},
		{"delete from t returning *", "deletes every row"},
		{"DELETE FROM t USING (SELECT id FROM u WHERE u.gone) g", "deletes every row"},
		{"WITH gone AS (DELETE FROM t RETURNING id) SELECT count(*) FROM gone", "deletes every row"},
		{"WITH ids AS (SELECT 1) DELETE FROM t", "deletes every row"},
		{"WITH a AS (DELETE FROM t WHERE x), b AS (DELETE FROM u RETURNING 1) SELECT 1", "deletes every row"},
		{"DELETE FROM t WHERE id = 1", ""},
		{"DELETE FROM t WHERE id IN (SELECT id FROM u)", ""},
		{"DELETE FROM t WHERE id IN (SELECT id FROM u)) x", ""},
		{"DELETE FROM t USING u WHERE t.id = u.id", ""},
		{"WITH ids AS (SELECT id FROM u WHERE old) DELETE FROM t WHERE id IN (SELECT id FROM ids)", ""},
		{"WITH gone AS (DELETE FROM t WHERE old RETURNING id) SELECT * FROM gone", ""},
		// ALTER ... DROP.
		{"ALTER TABLE t DROP COLUMN c", "drops a column"},
		{"ALTER TABLE t DROP c", "drops a column"},
		{"ALTER TABLE t DROP IF EXISTS c", "drops a column"},
		{"ALTER TABLE t DROP COLUMN a, DROP COLUMN b, DROP CONSTRAINT t_pk", "drops 2 columns, a constraint"},
		{"ALTER TABLE t DROP CONSTRAINT t_fk CASCADE", "drops a constraint (cascade)"},
		{"ALTER TABLE t ALTER COLUMN c DROP DEFAULT", "drops a default"},
		{"ALTER TABLE t ALTER COLUMN c DROP NOT NULL", "drops a NOT NULL constraint"},
		{"ALTER TYPE address DROP ATTRIBUTE zip", "drops an attribute"},
		{"ALTER DOMAIN d DROP CONSTRAINT positive", "drops a constraint"},
		{"ALTER EXTENSION e DROP FUNCTION f()", "drops a function from an extension"},
		{"ALTER PUBLICATION p DROP TABLE t", "drops a table from a publication"},
		{"ALTER TABLE t ADD COLUMN c int", ""},
		{"ALTER TABLE t ADD CONSTRAINT c CHECK (x <> 'DROP')", ""},
		{"ALTER TABLE t RENAME COLUMN a TO b", ""},
		// Not destructive.
		{"-- DROP TABLE t", ""},
		{"/* DROP TABLE t */ SELECT 1", ""},
		{"SELECT 'DROP TABLE x'", ""},
		{"SELECT \"drop\" FROM t", ""},
		{"DO $$ BEGIN DROP TABLE t; END $$", ""},
		{"CREATE TRIGGER t AFTER INSERT ON x BEGIN DELETE FROM log; END", ""},
		{"CREATE TABLE t (id int REFERENCES u ON DELETE CASCADE)", ""},
		{"UPDATE t SET x = 1", ""},
		{"INSERT INTO t SELECT * FROM u", ""},
		{"CREATE INDEX CONCURRENTLY i ON t (x)", ""},
		{"", ""},
		// Several statements: the first destructive one.
		{"SELECT 1; DELETE FROM t WHERE x; TRUNCATE t; DROP TABLE t", "truncates a table"},
	}
	for _, tt := range tests {
		reason, ok := Destructive(tt.stmt)
		if ok != (tt.reason != "") || reason != tt.reason {
			t.Errorf("Destructive(%q) = %q, %v; want %q, %v", tt.stmt, reason, ok, tt.reason, tt.reason != "")
		}
	}
}
