package engine

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"retort/revisions"
)

// TestDryRunConformance plans `upgrade heads` on every conformance case with
// package revisions and compares retort's dry run with Alembic's `upgrade
// heads --sql`. Everything is compared byte for byte except, at a merge,
// which of the merged rows Alembic deletes and which one it updates: that
// follows Python's set order (PYTHONHASHSEED), so those statements are
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
			var b bytes.Buffer
			if err := DryRun(&b, plan, DialectPostgres); err != nil {
				t.Fatal(err)
			}
			a := newAlembicProject(t, dir, "postgresql://retort@localhost/retort")
			want, got := mergeForm(a.sql(0, "upgrade", "heads")), mergeForm(b.String())
			if got != want {
				t.Fatalf("retort's dry run differs from `alembic upgrade heads --sql`:\n%s", lineDiff(want, got))
			}
		})
	}
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
