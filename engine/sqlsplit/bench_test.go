package sqlsplit

import (
	"fmt"
	"strings"
	"testing"
)

// benchScript generates a script of about size bytes mixing the
// constructs a migration holds: DDL, inserts with quoted text, comments,
// and dollar-quoted PL/pgSQL functions.
func benchScript(size int) string {
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "-- step %d: add table t%d; with a comment\n", i, i)
		fmt.Fprintf(&b, "CREATE TABLE t%d (id bigserial PRIMARY KEY, \"name;x\" text NOT NULL DEFAULT 'a;b', n numeric(10, 2));\n", i)
		fmt.Fprintf(&b, "INSERT INTO t%d (\"name;x\", n) VALUES ('it''s %d', 1.5), (E'line\\n%d', 2e3);\n", i, i, i)
		fmt.Fprintf(&b, "/* block /* nested */ comment */ CREATE INDEX CONCURRENTLY t%d_idx ON t%d (lower(\"name;x\"));\n", i, i)
		fmt.Fprintf(&b, "CREATE FUNCTION f%d() RETURNS trigger LANGUAGE plpgsql AS $fn$\nBEGIN\n  NEW.n := NEW.n + 1; -- bump\n  RETURN NEW;\nEND;\n$fn$;\n", i)
		fmt.Fprintf(&b, "DELETE FROM t%d WHERE id = $1;\n\n", i)
	}
	return b.String()
}

func BenchmarkSplit(b *testing.B) {
	script := benchScript(1 << 20)
	b.SetBytes(int64(len(script)))
	b.ReportAllocs()
	var n int
	for b.Loop() {
		n = len(Split(script))
	}
	b.ReportMetric(float64(n), "stmts/op")
}

func BenchmarkTokens(b *testing.B) {
	script := benchScript(1 << 20)
	b.SetBytes(int64(len(script)))
	b.ReportAllocs()
	for b.Loop() {
		Tokens(script)
	}
}
