package engine

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"retort/engine/sqlsplit"
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
// byte, once retort's CREATE TABLE IF NOT EXISTS is written as Alembic's
// CREATE TABLE (see alembicForm).
func TestDryRunMatchesAlembic(t *testing.T) {
	plan := h01UpgradeHeads(t)
	var b bytes.Buffer
	if err := DryRun(&b, plan, DialectPostgres); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "BEGIN;\n\n"+createIfMissing("alembic_version")+"\n\n-- Running upgrade  -> a000\n\n") {
		t.Errorf("dry run does not create the version table in the first step's transaction:\n%s", b.String())
	}
	if n := strings.Count(b.String(), "CREATE TABLE"); n != 1 {
		t.Errorf("dry run has %d CREATE TABLE, want 1:\n%s", n, b.String())
	}
	a := newAlembicProject(t, h01, "postgresql://retort@localhost/retort")
	if diff := a.matchAlembic(alembicForm(b.String(), plan, "alembic_version"), "upgrade", "heads"); diff != "" {
		t.Fatal(diff)
	}
}

// createIfMissing is the version table's DDL as a dry run prints it.
func createIfMissing(table string) string {
	return "CREATE TABLE IF NOT EXISTS " + table + " (\n    version_num VARCHAR(32) NOT NULL, \n    CONSTRAINT " +
		table + "_pkc PRIMARY KEY (version_num)\n);"
}

// TestDryRunDowngradeToBase: the version table is kept when no row is left,
// as retort (and Alembic online) keep it; otherwise a downgrade of a chain
// matches Alembic's `downgrade b000:base --sql`, which drops it.
func TestDryRunDowngradeToBase(t *testing.T) {
	revs := readCaseRevisions(t, h01)
	plan := downgradeChain([]*models.Revision{revs["a000"], revs["b000"]}, 1, -1)
	var b bytes.Buffer
	if err := DryRun(&b, plan, DialectPostgres); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "DROP TABLE") || strings.Contains(b.String(), "CREATE TABLE") {
		t.Errorf("dry run of a downgrade to base creates or drops the version table:\n%s", b.String())
	}
	a := newAlembicProject(t, h01, "postgresql://retort@localhost/retort")
	if diff := a.matchAlembic(alembicForm(b.String(), plan, "alembic_version"), "downgrade", "b000:base"); diff != "" {
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
	want := "BEGIN;\n\n" + createIfMissing("alembic_version") + "\n\n" +
		"-- Running upgrade  -> a000\n\nSELECT 'up a000';\n\nINSERT INTO alembic_version (version_num) VALUES ('a000');\n\nCOMMIT;\n\n" +
		"BEGIN;\n\n-- Running upgrade a000 -> b000\n\nSELECT 'up b000';\n\n" +
		"UPDATE alembic_version SET version_num='b000' WHERE alembic_version.version_num = 'a000';\n\nCOMMIT;\n\n"
	if b.String() != want {
		t.Errorf("sqlite dry run:\n%s\nwant:\n%s", b.String(), want)
	}
}

// TestDryRunDetails: a `Transaction: none` step runs its statements outside
// a transaction and its version change in one of its own, after the version
// table was created in one of its own; values are quoted safely, the version
// table can be renamed and schema-qualified, and plans that cannot run are
// refused.
func TestDryRunDetails(t *testing.T) {
	r := makeRev(revSpec{id: "o'brien", noTx: true, up: "CREATE INDEX CONCURRENTLY i ON t (a);\n-- trailing comment\n", down: "DROP INDEX i;"})
	plan := &models.Plan{Steps: []models.Step{{Direction: models.Upgrade, Revision: r, To: []string{r.ID},
		Ops: []models.VersionOp{{Kind: models.OpInsert, To: r.ID}}, After: []string{r.ID}}}}
	var b bytes.Buffer
	if err := DryRun(&b, plan, "postgres", WithVersionTable("ops", "Version Table")); err != nil {
		t.Fatal(err)
	}
	want := "BEGIN;\n\nCREATE TABLE IF NOT EXISTS ops.\"Version Table\" (\n    version_num VARCHAR(32) NOT NULL, \n    CONSTRAINT \"Version Table_pkc\" PRIMARY KEY (version_num)\n);\n\nCOMMIT;\n\n" +
		"-- Running upgrade  -> o'brien\n\nCREATE INDEX CONCURRENTLY i ON t (a);\n\n" +
		"BEGIN;\n\nINSERT INTO ops.\"Version Table\" (version_num) VALUES ('o''brien') RETURNING ops.\"Version Table\".version_num;\n\nCOMMIT;\n\n"
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

// TestDryRunQuotesInNames: a quote in the version table's name or schema is
// part of a quoted identifier, not the start of a literal, when the values
// are inlined.
func TestDryRunQuotesInNames(t *testing.T) {
	revs := chain(2, nil)
	for _, c := range []struct{ schema, table, want string }{
		{"", "o'v", `UPDATE "o'v" SET version_num='r001' WHERE "o'v".version_num = 'r000';`},
		{"it's", `q"'t`, `UPDATE "it's"."q""'t" SET version_num='r001' WHERE "it's"."q""'t".version_num = 'r000';`},
	} {
		var b bytes.Buffer
		if err := DryRun(&b, upgradeChain(revs, -1, 1), DialectPostgres, WithVersionTable(c.schema, c.table)); err != nil {
			t.Errorf("%s.%s: %v", c.schema, c.table, err)
			continue
		}
		if !strings.Contains(b.String(), "\n"+c.want+"\n") {
			t.Errorf("%s.%s: dry run lacks %s:\n%s", c.schema, c.table, c.want, b.String())
		}
	}
}

// TestDryRunScriptDoesWhatApplyDoes runs the dry run's script, statement by
// statement, on one database and the same plans with Apply on another: the
// version rows and the schema must come out the same after each plan. The
// plans go up (through a `Transaction: none` step), down to base (which
// leaves the version table, empty) and up again (which the script can only
// do because it creates the table only if it is missing).
func TestDryRunScriptDoesWhatApplyDoes(t *testing.T) {
	dialects(t, func(t *testing.T, url string) {
		revs := chain(3, nil)
		revs[1] = makeRev(revSpec{id: "r001", parents: "r000", noTx: true, up: "CREATE INDEX i1 ON t0 (id);", down: "DROP INDEX i1;"})
		dialect, other := DialectPostgres, ""
		if strings.HasPrefix(url, "sqlite:") {
			dialect, other = DialectSQLite, "sqlite:"+filepath.Join(t.TempDir(), "script.db")
		} else {
			other = pgtestDatabase(t)
		}
		db := open(t, url)
		applied, scripted := newProbe(t, url), newScriptRunner(t, other)
		for _, plan := range []*models.Plan{upgradeChain(revs, -1, 2), downgradeChain(revs, 2, -1), upgradeChain(revs, -1, 1)} {
			if err := db.Apply(context.Background(), plan, nil); err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := DryRun(&b, plan, dialect); err != nil {
				t.Fatal(err)
			}
			scripted.run(b.String())
			what := plan.Command + " to " + strings.Join(plan.Final, ",")
			if a, s := applied.rows(), scripted.rows(); !slices.Equal(a, s) || !applied.tableExists("alembic_version") {
				t.Errorf("after %s: Apply left rows %v, the script %v", what, a, s)
			}
			if a, s := applied.schema(), scripted.schema(); !slices.Equal(a, s) {
				t.Errorf("after %s: Apply left %v, the script %v", what, a, s)
			}
		}
	})
}

// scriptRunner runs a dry run's text the way a DBA would feed it to psql or
// sqlite3: each statement in order, on one connection.
type scriptRunner struct {
	*probe
}

func newScriptRunner(t *testing.T, url string) scriptRunner {
	t.Helper()
	p := newProbe(t, url)
	if p.sqlite != nil {
		p.sqlite.SetMaxOpenConns(1) // BEGIN and COMMIT on the same connection
	}
	return scriptRunner{p}
}

func (s scriptRunner) run(script string) {
	s.t.Helper()
	for _, st := range sqlsplit.Split(script) {
		s.exec(st.SQL)
	}
}

// TestChain covers the test helper's ids.
func TestChain(t *testing.T) {
	if !slices.Equal(idsOf(chain(2, nil)), []string{"r000", "r001"}) {
		t.Error("chain ids")
	}
}
