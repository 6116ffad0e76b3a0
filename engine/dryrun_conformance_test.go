package engine

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"retort/models"
	"retort/revisions"
)

// TestDryRunConformance plans `upgrade heads` on every conformance case with
// package revisions and compares retort's dry run with Alembic's `upgrade
// heads --sql`. On PostgreSQL: with transaction_per_migration, byte for byte
// once retort's deliberate differences are undone (alembicForm); and in
// Alembic's default mode, which differs only by its one transaction around
// everything, with the BEGIN and COMMIT lines of both left out. On SQLite,
// where Alembic prints no transaction at all, without them too. Except, at a
// merge, which of the merged rows Alembic deletes and which one it updates:
// that follows Python's set order (PYTHONHASHSEED), so those statements are
// compared as "these rows become that one" (see mergeForm).
func TestDryRunConformance(t *testing.T) {
	cases, err := filepath.Glob("../testdata/conformance/*")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no conformance cases: %v", err)
	}
	for _, dir := range cases {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			g, err := revisions.Load(filepath.Join(dir, "sql"))
			if err != nil {
				t.Fatal(err)
			}
			plan, err := revisions.UpgradeOffline(g, "heads")
			if err != nil {
				t.Fatal(err)
			}
			got := mergeForm(alembicForm(dryRunText(t, plan, DialectPostgres), plan, "alembic_version"))
			a := newAlembicProject(t, dir, "postgresql://retort@localhost/retort")
			if want := mergeForm(a.sql(0, "upgrade", "heads")); got != want {
				t.Fatalf("retort's dry run differs from `alembic upgrade heads --sql` (transaction_per_migration):\n%s", lineDiff(want, got))
			}
			want := withoutTransactions(mergeForm(a.sqlOneTransaction("upgrade", "heads")))
			if got := withoutTransactions(got); got != want {
				t.Fatalf("retort's dry run, without BEGIN and COMMIT, differs from `alembic upgrade heads --sql`:\n%s", lineDiff(want, got))
			}
			got = withoutTransactions(mergeForm(alembicForm(dryRunText(t, plan, DialectSQLite), plan, "alembic_version")))
			lite := newAlembicProject(t, dir, "sqlite:///never-created.db")
			if want := mergeForm(lite.sql(0, "upgrade", "heads")); got != want {
				t.Fatalf("retort's SQLite dry run, without BEGIN and COMMIT, differs from Alembic's:\n%s", lineDiff(want, got))
			}
		})
	}
}

// dryRunText is the dry run of plan.
func dryRunText(t *testing.T, plan *models.Plan, dialect string) string {
	t.Helper()
	var b bytes.Buffer
	if err := DryRun(&b, plan, dialect); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

var (
	deleteRE = regexp.MustCompile(`^DELETE FROM \S+ WHERE \S+ = '([^']*)';$`)
	updateRE = regexp.MustCompile(`^UPDATE \S+ SET version_num='([^']*)' WHERE \S+ = '([^']*)';$`)
)

// mergeForm rewrites each run of DELETE statements followed by an UPDATE of
// the version table (a merge) into one line naming the rows, sorted, and the
// row they become.
func mergeForm(sql string) string {
	blocks := strings.Split(sql, "\n\n")
	var out []string
	for i := 0; i < len(blocks); i++ {
		var rows []string
		j := i
		for ; j < len(blocks); j++ {
			m := deleteRE.FindStringSubmatch(blocks[j])
			if m == nil {
				break
			}
			rows = append(rows, m[1])
		}
		if j > i && j < len(blocks) {
			if m := updateRE.FindStringSubmatch(blocks[j]); m != nil {
				rows = append(rows, m[2])
				slices.Sort(rows)
				out = append(out, fmt.Sprintf("-- merge %s -> %s", strings.Join(rows, ", "), m[1]))
				i = j
				continue
			}
		}
		out = append(out, blocks[i])
	}
	return strings.Join(out, "\n\n")
}

func TestMergeForm(t *testing.T) {
	a := "BEGIN;\n\nDELETE FROM v WHERE v.version_num = 'x';\n\nUPDATE v SET version_num='y' WHERE v.version_num = 'c';\n\nCOMMIT;\n\n"
	b := "BEGIN;\n\nDELETE FROM v WHERE v.version_num = 'c';\n\nUPDATE v SET version_num='y' WHERE v.version_num = 'x';\n\nCOMMIT;\n\n"
	want := "BEGIN;\n\n-- merge c, x -> y\n\nCOMMIT;\n\n"
	if mergeForm(a) != want || mergeForm(b) != want {
		t.Errorf("mergeForm:\n%q\n%q\nwant %q", mergeForm(a), mergeForm(b), want)
	}
	if c := "DELETE FROM v WHERE v.version_num = 'x';\n\nCOMMIT;"; mergeForm(c) != c {
		t.Errorf("a lone DELETE was rewritten: %q", mergeForm(c))
	}
}
