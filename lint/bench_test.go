package lint

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"retort/models"
	"retort/pgparse"
	"retort/revisions"
)

// BenchmarkLintExample parses and lints the example history, all 30
// revisions as a plan from an empty database.
func BenchmarkLintExample(b *testing.B) {
	g, err := revisions.Load(filepath.Join("..", "examples", "library"))
	if err != nil {
		b.Fatal(err)
	}
	plan, err := revisions.UpgradeOffline(g, "heads")
	if err != nil {
		b.Fatal(err)
	}
	p := pgparse.New(b.TempDir())
	defer p.Close()
	if _, err := p.Start(); err != nil {
		b.Fatal(err)
	}
	steps := PlanSteps(plan)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Lint(context.Background(), steps, Options{Parser: p}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLintMegabyte lints a 1 MB revision: DDL and data statements
// over a thousand tables.
func BenchmarkLintMegabyte(b *testing.B) {
	var sb strings.Builder
	for k := 0; sb.Len() < 1<<20; k++ {
		fmt.Fprintf(&sb, "CREATE TABLE t%d (id bigint PRIMARY KEY, name text NOT NULL, created timestamptz DEFAULT now());\n", k)
		fmt.Fprintf(&sb, "ALTER TABLE t%d ADD COLUMN note text;\nCREATE INDEX t%d_name ON t%d (name);\n", k, k, k)
		fmt.Fprintf(&sb, "INSERT INTO t%d (id, name) SELECT g, 'n' || g FROM generate_series(1, 10) g;\n", k)
		fmt.Fprintf(&sb, "UPDATE t%d SET note = name WHERE id < 5;\n", k)
	}
	rev := &models.Revision{ID: "big", Path: "big.sql", Transactional: true,
		Upgrade: models.Section{Present: true, SQL: sb.String(), Line: 5}}
	p := pgparse.New(b.TempDir())
	defer p.Close()
	if _, err := p.Start(); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(sb.Len()))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Lint(context.Background(), []Step{{Revision: rev, Direction: models.Upgrade}}, Options{Parser: p}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStartup is the grammar's start: compiling it into an empty
// cache, then loading it from that cache (what every later process does).
func BenchmarkStartup(b *testing.B) {
	for _, warm := range []bool{false, true} {
		b.Run(map[bool]string{false: "compile", true: "cached"}[warm], func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				dir := b.TempDir()
				if warm {
					p := pgparse.New(dir)
					if _, err := p.Start(); err != nil {
						b.Fatal(err)
					}
					p.Close()
				}
				b.StartTimer()
				begin := time.Now()
				p := pgparse.New(dir)
				if _, err := p.Parse("SELECT 1"); err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(time.Since(begin).Milliseconds()), "ms/start")
				p.Close()
			}
		})
	}
}
