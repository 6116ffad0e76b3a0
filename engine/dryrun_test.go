package engine

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"retort/models"
)

const h01 = "../testdata/conformance/h01_two_trees"

// h01UpgradeHeads is `upgrade heads` on the h01_two_trees case, step by
// step as ALEMBIC-SEMANTICS.md §6 records it (rows after each step from the
// case's expected.json).
func h01UpgradeHeads(t *testing.T) *models.Plan {
	revs := readCaseRevisions(t, h01)
	op := func(kind models.OpKind, from, to string) models.VersionOp {
		return models.VersionOp{Kind: kind, From: from, To: to}
	}
	type s struct {
		rev        string
		from       []string
		ops        []models.VersionOp
		before, to []string
	}
	steps := []s{
		{"a000", nil, []models.VersionOp{op(models.OpInsert, "", "a000")}, nil, []string{"a000"}},
		{"b000", []string{"a000"}, []models.VersionOp{op(models.OpUpdate, "a000", "b000")}, []string{"a000"}, []string{"b000"}},
		{"d000", []string{"b000"}, []models.VersionOp{op(models.OpUpdate, "b000", "d000")}, []string{"b000"}, []string{"d000"}},
		{"c000", []string{"b000"}, []models.VersionOp{op(models.OpInsert, "", "c000")}, []string{"d000"}, []string{"c000", "d000"}},
		{"f000", []string{"a000"}, []models.VersionOp{op(models.OpInsert, "", "f000")}, []string{"c000", "d000"}, []string{"c000", "d000", "f000"}},
		{"x000", nil, []models.VersionOp{op(models.OpInsert, "", "x000")}, []string{"c000", "d000", "f000"}, []string{"c000", "d000", "f000", "x000"}},
		{"y000", []string{"x000"}, []models.VersionOp{op(models.OpDelete, "x000", ""), op(models.OpUpdate, "c000", "y000")},
			[]string{"c000", "d000", "f000", "x000"}, []string{"d000", "f000", "y000"}},
		{"e000", []string{"c000", "d000"}, []models.VersionOp{op(models.OpUpdate, "d000", "e000")}, []string{"d000", "f000", "y000"}, []string{"e000", "f000", "y000"}},
	}
	p := &models.Plan{Command: "upgrade", Target: "heads", Final: []string{"e000", "f000", "y000"}}
	for _, st := range steps {
		p.Steps = append(p.Steps, models.Step{Direction: models.Upgrade, Revision: revs[st.rev], From: st.from, To: []string{st.rev},
			Ops: st.ops, Before: st.before, After: st.to})
	}
	return p
}

// TestDryRunMatchesAlembic compares retort's dry run of h01 `upgrade heads`
// with `alembic upgrade heads --sql` (transaction_per_migration) byte for
// byte.
func TestDryRunMatchesAlembic(t *testing.T) {
	plan := h01UpgradeHeads(t)
	var b bytes.Buffer
	if err := DryRun(&b, plan, DialectPostgres); err != nil {
		t.Fatal(err)
	}
	a := newAlembicProject(t, h01, "postgresql://retort@localhost/retort")
	if diff := a.matchAlembic(b.String(), "upgrade", "heads"); diff != "" {
		t.Fatal(diff)
	}
}

// TestDryRunDowngradeToBase: the table is dropped when no row is left, and
// a downgrade of a chain matches Alembic's `downgrade b000:base --sql`.
func TestDryRunDowngradeToBase(t *testing.T) {
	revs := readCaseRevisions(t, h01)
	plan := downgradeChain([]*models.Revision{revs["a000"], revs["b000"]}, 1, -1)
	var b bytes.Buffer
	if err := DryRun(&b, plan, DialectPostgres); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(b.String(), "COMMIT;\n\nDROP TABLE alembic_version;\n\n") {
		t.Errorf("dry run does not end by dropping the version table:\n%s", b.String())
	}
	a := newAlembicProject(t, h01, "postgresql://retort@localhost/retort")
	if diff := a.matchAlembic(b.String(), "downgrade", "b000:base"); diff != "" {
		t.Fatal(diff)
	}
}

// TestDryRunSQLite: SQLite has no RETURNING; steps still get their
// transaction, since retort runs them in one.
func TestDryRunSQLite(t *testing.T) {
	revs := readCaseRevisions(t, h01)
	plan := upgradeChain([]*models.Revision{revs["a000"], revs["b000"]}, -1, 1)
	var b bytes.Buffer
	if err := DryRun(&b, plan, DialectSQLite); err != nil {
		t.Fatal(err)
	}
	want := "BEGIN;\n\nCREATE TABLE alembic_version (\n    version_num VARCHAR(32) NOT NULL, \n    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n);\n\n" +
		"-- Running upgrade  -> a000\n\nSELECT 'up a000';\n\nINSERT INTO alembic_version (version_num) VALUES ('a000');\n\nCOMMIT;\n\n" +
		"BEGIN;\n\n-- Running upgrade a000 -> b000\n\nSELECT 'up b000';\n\n" +
		"UPDATE alembic_version SET version_num='b000' WHERE alembic_version.version_num = 'a000';\n\nCOMMIT;\n\n"
	if b.String() != want {
		t.Errorf("sqlite dry run:\n%s\nwant:\n%s", b.String(), want)
	}
}

// TestDryRunDetails: a `Transaction: none` step has no BEGIN/COMMIT, values
// are quoted safely, the version table can be renamed and schema-qualified,
// and plans that cannot run are refused.
func TestDryRunDetails(t *testing.T) {
	r := makeRev(revSpec{id: "o'brien", noTx: true, up: "CREATE INDEX CONCURRENTLY i ON t (a);\n-- trailing comment\n", down: "DROP INDEX i;"})
	plan := &models.Plan{Steps: []models.Step{{Direction: models.Upgrade, Revision: r, To: []string{r.ID},
		Ops: []models.VersionOp{{Kind: models.OpInsert, To: r.ID}}, After: []string{r.ID}}}}
	var b bytes.Buffer
	if err := DryRun(&b, plan, "postgres", WithVersionTable("ops", "Version Table")); err != nil {
		t.Fatal(err)
	}
	want := "CREATE TABLE ops.\"Version Table\" (\n    version_num VARCHAR(32) NOT NULL, \n    CONSTRAINT \"Version Table_pkc\" PRIMARY KEY (version_num)\n);\n\n" +
		"-- Running upgrade  -> o'brien\n\nCREATE INDEX CONCURRENTLY i ON t (a);\n\n" +
		"INSERT INTO ops.\"Version Table\" (version_num) VALUES ('o''brien') RETURNING ops.\"Version Table\".version_num;\n\n"
	if b.String() != want {
		t.Errorf("dry run:\n%s\nwant:\n%s", b.String(), want)
	}

	py := makeRev(revSpec{id: "p1", format: models.FormatPython})
	refused := []*models.Plan{
		{Steps: []models.Step{{Direction: models.Upgrade, Revision: py, To: []string{"p1"}, Ops: []models.VersionOp{{Kind: models.OpInsert, To: "p1"}}, After: []string{"p1"}}}},
		{Purge: true},
	}
	for _, p := range refused {
		b.Reset()
		if err := DryRun(&b, p, DialectPostgres); !errorsIs(err, ErrRefused) || b.Len() != 0 {
			t.Errorf("DryRun of an unrunnable plan: %v, wrote %q", err, b.String())
		}
	}
	if err := DryRun(&b, &models.Plan{}, "oracle"); err == nil || !strings.Contains(err.Error(), `unknown dialect "oracle"`) {
		t.Errorf("DryRun with an unknown dialect: %v", err)
	}
	if err := DryRun(&b, &models.Plan{}, DialectPostgres, WithVersionTable("", "bad?name")); err == nil {
		t.Error("a table name with '?' was accepted")
	}
}

// TestQuoting covers identifiers and literals.
func TestQuoting(t *testing.T) {
	idents := map[string]string{"alembic_version": "alembic_version", "Mixed": `"Mixed"`, "user": `"user"`,
		"with space": `"with space"`, `q"uote`: `"q""uote"`, "9lives": `"9lives"`, "a$b": "a$b"}
	for in, want := range idents {
		if got := quoteIdent(in); got != want {
			t.Errorf("quoteIdent(%q) = %s, want %s", in, got, want)
		}
	}
	if got := quoteLiteral("it's"); got != "'it''s'" {
		t.Errorf("quoteLiteral = %s", got)
	}
	got, err := inline(versionTable{tableRef{name: "v"}}.deleteAll())
	if err != nil || got != "DELETE FROM v" {
		t.Errorf("inline(deleteAll) = %q, %v", got, err)
	}
	if !slices.Equal(idsOf(chain(2, nil)), []string{"r000", "r001"}) {
		t.Error("chain ids")
	}
}
