package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"retort/engine/sqlsplit"
	"retort/models"
)

// previewPlan is a downgrade through a `Transaction: none` step and a
// destructive one, then a stamp: every kind of item.
func previewPlan() *models.Plan {
	revs := chain(3, nil)
	revs[1] = makeRev(revSpec{id: "r001", parents: "r000", noTx: true,
		up: "CREATE INDEX i1 ON t0 (id);", down: "DROP INDEX i1;\n-- keep the data\nDELETE FROM t0 WHERE id < 0;"})
	p := downgradeChain(revs, 2, 0)
	stamp := stampPlan([]string{"r000"}, "")
	p.Steps = append(p.Steps, stamp.Steps...)
	p.Final = nil
	return p
}

// TestPreviewItems: a preview is the run's statements in order, each with
// its step, kind, file line and destructive flag, and its text is the dry
// run's.
func TestPreviewItems(t *testing.T) {
	plan := previewPlan()
	p, err := PreviewPlan(plan, DialectSQLite)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range p.Items {
		line := fmt.Sprintf("%d %d %s", it.Step, it.Kind, it.Text)
		if it.Path != "" {
			line += fmt.Sprintf(" @%s:%d", it.Path, it.Line)
		}
		if it.Destructive != "" {
			line += " !" + it.Destructive
		}
		got = append(got, line)
	}
	want := []string{
		"0 0 BEGIN",
		"0 2 -- Running downgrade r002 -> r001",
		"0 3 DROP TABLE t2 @versions/r002.sql:8 !drops a table",
		"0 4 UPDATE alembic_version SET version_num='r001' WHERE alembic_version.version_num = 'r002'",
		"0 1 COMMIT",
		"1 2 -- Running downgrade r001 -> r000",
		"1 3 DROP INDEX i1 @versions/r001.sql:9 !drops an index",
		"1 3 DELETE FROM t0 WHERE id < 0 @versions/r001.sql:11",
		"1 0 BEGIN",
		"1 4 UPDATE alembic_version SET version_num='r000' WHERE alembic_version.version_num = 'r001'",
		"1 1 COMMIT",
		"2 0 BEGIN",
		"2 2 -- Running stamp_revision r000 -> ",
		"2 4 DELETE FROM alembic_version WHERE alembic_version.version_num = 'r000'",
		"2 1 COMMIT",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("items:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if p.Destructive != 2 {
		t.Errorf("Destructive = %d, want 2", p.Destructive)
	}
	var b strings.Builder
	if err := DryRun(&b, plan, DialectSQLite); err != nil || b.String() != p.String() {
		t.Errorf("DryRun differs from the preview's text (%v):\n%s\n---\n%s", err, b.String(), p.String())
	}
}

// TestPreviewFlagsWhatTheTextSays: the flags are those the plan modal found
// by splitting the dry run's text again, statement for statement, on the
// conformance plans and on a plan with destructive statements.
func TestPreviewFlagsWhatTheTextSays(t *testing.T) {
	for _, plan := range []*models.Plan{previewPlan(), h01UpgradeHeads(t)} {
		p, err := PreviewPlan(plan, DialectPostgres)
		if err != nil {
			t.Fatal(err)
		}
		var flags, resplit []string
		for _, it := range p.Items {
			if it.Kind != PreviewComment {
				flags = append(flags, it.Text+" !"+it.Destructive)
			}
		}
		for _, st := range sqlsplit.Split(p.String()) {
			reason, _ := sqlsplit.Destructive(st.SQL)
			resplit = append(resplit, st.SQL+" !"+reason)
		}
		if strings.Join(flags, "\n") != strings.Join(resplit, "\n") {
			t.Errorf("flags:\n%s\nthe text split again:\n%s", strings.Join(flags, "\n"), strings.Join(resplit, "\n"))
		}
	}
}

// TestDBPreview: a DB previews with its own dialect and version table.
func TestDBPreview(t *testing.T) {
	dialects(t, func(t *testing.T, url string) {
		db := open(t, url, WithVersionTable("", "other_version"))
		plan := upgradeChain(chain(2, nil), -1, 1)
		got, err := db.Preview(plan)
		if err != nil {
			t.Fatal(err)
		}
		want, err := PreviewPlan(plan, db.Dialect(), WithVersionTable("", "other_version"))
		if err != nil || got.String() != want.String() || !strings.Contains(got.String(), "INSERT INTO other_version") {
			t.Errorf("DB.Preview:\n%s\nPreviewPlan (%v):\n%s", got, err, want)
		}
		if rows, exists, err := db.VersionRows(context.Background()); err != nil || exists || len(rows) != 0 {
			t.Errorf("a preview touched the database: %v %v %v", rows, exists, err)
		}
	})
}

// TestSQLiteFile: the file of a SQLite URL in every form Open reads, and
// none for other URLs, in-memory databases and URLs Open refuses.
func TestSQLiteFile(t *testing.T) {
	for in, want := range map[string]string{
		"sqlite:app.db":         "app.db",
		"sqlite:///app.db":      "app.db",
		"SQLite:sub/app.db":     "sub/app.db",
		"sqlite+pysqlite:///x":  "x",
		"sqlite:////var/app.db": "/var/app.db",
		"sqlite:/var/app.db":    "/var/app.db",
		"sqlite://":             "",
		"sqlite::memory:":       "",
		"sqlite://host/x.db":    "",
		"sqlite:app.db?mode=ro": "",
		"postgres://u@h/app.db": "",
		"app.db":                "",
	} {
		got, ok := SQLiteFile(in)
		if got != want || ok != (want != "") {
			t.Errorf("SQLiteFile(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

// uiEngine is what the UI needs of the engine, with plain-data results (and
// a Run handle for a run's events): the UI holds such an interface instead of
// *DB, and a test of the UI can stand a scripted engine in for it.
type uiEngine interface {
	Current(ctx context.Context) ([]string, error)
	VersionRows(ctx context.Context) ([]string, bool, error)
	Log(ctx context.Context, limit int) ([]LogEntry, error)
	Drift(ctx context.Context, g *models.Graph) (map[string]DriftInfo, error)
	LockHolder(ctx context.Context) (string, error)
	Redacted() string
	Dialect() string
	Start(ctx context.Context, plan *models.Plan) *Run
	Preview(plan *models.Plan) (*Preview, error)
}

var _ uiEngine = (*DB)(nil)

// A statement holding a control or invisible character is flagged, even
// when it destroys nothing: its screen form differs from its text. Tabs
// and line breaks of ordinary SQL are not.
func TestPreviewFlagsHiddenCharacters(t *testing.T) {
	revs := chain(1, nil)
	revs[0] = makeRev(revSpec{id: "r000", up: "CREATE TABLE t0 (id int);\nUPDATE t0 SET id = 1 WHERE id = 2 /*\u202e*/ OR true;\n" +
		"SELECT 1 /*\u200b*/ + 1;\nSELECT\t2\r\n, 3;", down: "DROP TABLE t0;"})
	p, err := PreviewPlan(upgradeChain(revs, -1, 0), DialectPostgres)
	if err != nil {
		t.Fatal(err)
	}
	flags := map[string]string{}
	for _, it := range p.Items {
		if it.Kind == PreviewStatement {
			flags[it.Text] = it.Destructive
		}
	}
	for text, want := range map[string]string{
		"CREATE TABLE t0 (id int)":                             "",
		"UPDATE t0 SET id = 1 WHERE id = 2 /*\u202e*/ OR true": "holds control characters a terminal would hide (shown as ␛, <U+…>)",
		"SELECT 1 /*\u200b*/ + 1":                              "holds control characters a terminal would hide (shown as ␛, <U+…>)",
		"SELECT\t2\r\n, 3":                                     "",
	} {
		if got, ok := flags[text]; !ok || got != want {
			t.Errorf("%q flagged %q (present %v), want %q; all: %q", text, got, ok, want, flags)
		}
	}
}
