package engine

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"retort/engine/internal/tables"
	"retort/engine/pgtest"
	"retort/models"
	"retort/revisions"
)

// benchSteps is the length of the benchmark history.
const benchSteps = 1000

// benchPlan is 1,000 revisions of one trivial statement each: the first
// creates a table, every other inserts its number into it.
func benchPlan() *models.Plan {
	revs := make([]*models.Revision, benchSteps)
	for i := range revs {
		s := revSpec{id: fmt.Sprintf("r%04d", i), up: fmt.Sprintf("INSERT INTO bench VALUES (%d);", i), down: "SELECT 1;"}
		if i == 0 {
			s.up = "CREATE TABLE bench (n integer);"
		} else {
			s.parents = fmt.Sprintf("r%04d", i-1)
		}
		revs[i] = makeRev(s)
	}
	return upgradeChain(revs, -1, benchSteps-1)
}

// BenchmarkApply1000 applies the 1,000 revisions base to head on a fresh
// PostgreSQL database per iteration (opening the connection included), with
// the audit log on, as retort runs by default. Compare with
// BenchmarkPsqlFloor.
func BenchmarkApply1000(b *testing.B) { benchApply(b, true) }

// BenchmarkApply1000NoAudit is the same run with --no-audit: the cost of the
// engine alone.
func BenchmarkApply1000NoAudit(b *testing.B) { benchApply(b, false) }

func benchApply(b *testing.B, audit bool) {
	plan := benchPlan()
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		url := pgtest.NewDatabase(b)
		b.StartTimer()
		db, err := Open(ctx, url, WithAudit(audit))
		if err != nil {
			b.Fatal(err)
		}
		if err := db.Apply(ctx, plan, nil); err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
}

// BenchmarkPsqlFloor runs the same statements and version-table updates, one
// transaction per step, through `psql -f` on a fresh database per
// iteration: what the work costs without retort.
func BenchmarkPsqlFloor(b *testing.B) { benchPsql(b, psqlScript(benchPlan(), false)) }

// BenchmarkPsqlFloorAudited is the floor with what BenchmarkApply1000 adds
// for its audit log: each step also writes its retort_log row in its
// transaction, as the engine does. Compare with BenchmarkApply1000.
func BenchmarkPsqlFloorAudited(b *testing.B) { benchPsql(b, psqlScript(benchPlan(), true)) }

func benchPsql(b *testing.B, sql string) {
	psql, err := exec.LookPath("psql")
	if err != nil {
		b.Fatal("psql is needed for the floor benchmark: install it with `apt-get install postgresql-client`")
	}
	script := filepath.Join(b.TempDir(), "floor.sql")
	if err := os.WriteFile(script, []byte(sql), 0o644); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		b.StopTimer()
		url := pgtest.NewDatabase(b)
		b.StartTimer()
		out, err := exec.Command(psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", script, url).CombinedOutput()
		if err != nil {
			b.Fatalf("psql: %v\n%s", err, out)
		}
	}
}

// psqlScript writes the plan as psql would be fed it by hand: per step
// BEGIN, the statement, the version-table change, COMMIT; with audited,
// also the step's row in an audit table like the engine's.
func psqlScript(plan *models.Plan, audited bool) string {
	var b strings.Builder
	b.WriteString("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));\n")
	audit := tables.Audit{Ref: tables.Ref{Name: DefaultAuditTable}, VersionTable: DefaultVersionTable}
	if audited {
		b.WriteString(audit.CreateSQL(postgresDialect{}.auditTypes()) + ";\n")
	}
	for k, s := range plan.Steps {
		b.WriteString("BEGIN;\n" + strings.TrimSpace(s.Revision.Upgrade.SQL) + "\n")
		op := s.Ops[0]
		if op.Kind == models.OpInsert {
			fmt.Fprintf(&b, "INSERT INTO alembic_version (version_num) VALUES ('%s');\n", op.To)
		} else {
			fmt.Fprintf(&b, "UPDATE alembic_version SET version_num='%s' WHERE alembic_version.version_num = '%s';\n", op.To, op.From)
		}
		if audited {
			fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ('%s', 'upgrade', '%s', '%s', '%064x', now(), now(), "+
				"current_user, 'bench', 'localhost', 'bench', 'ok', '', '%s');\n",
				audit.SQL(), strings.Join(tables.AuditColumns(), ", "), s.Revision.ID, strings.Join(s.Before, ","), strings.Join(s.After, ","), k, DefaultVersionTable)
		}
		b.WriteString("COMMIT;\n")
	}
	return b.String()
}

// branchyRevisions is a 1,000-revision history with several branches: a
// trunk of 40 revisions, then 8 branches of 120 from its top. The first
// creates a table; every other inserts its number on upgrade and deletes it
// on downgrade.
func branchyRevisions() []*models.Revision {
	const trunk, branches = 40, 8
	revs := make([]*models.Revision, 0, benchSteps)
	add := func(id, parent string, n int) {
		s := revSpec{id: id, parents: parent, up: fmt.Sprintf("INSERT INTO bench VALUES (%d);", n),
			down: fmt.Sprintf("DELETE FROM bench WHERE n = %d;", n)}
		if n == 0 {
			s.up, s.down = "CREATE TABLE bench (n integer);", "DROP TABLE bench;"
		}
		revs = append(revs, makeRev(s))
	}
	for i := 0; i < trunk; i++ {
		add(fmt.Sprintf("t%03d", i), map[bool]string{true: fmt.Sprintf("t%03d", i-1)}[i > 0], i)
	}
	per := (benchSteps - trunk) / branches
	for b := 0; b < branches; b++ {
		parent := fmt.Sprintf("t%03d", trunk-1)
		for i := 0; i < per; i++ {
			id := fmt.Sprintf("b%d_%03d", b, i)
			add(id, parent, trunk+b*per+i)
			parent = id
		}
	}
	return revs
}

// BenchmarkDowngradeBranchy1000 plans `downgrade base` from the 8 heads of
// branchyRevisions and applies it on PostgreSQL (a fresh database upgraded to
// heads per iteration, outside the timing; opening the connection and
// planning included), audit log on. Alembic's row bookkeeping makes this
// quadratic in the number of rows for it; retort's plan carries each step's
// row changes, and the run is linear. Compare with
// BenchmarkDowngradeBranchy1000Psql.
func BenchmarkDowngradeBranchy1000(b *testing.B) {
	g, top := branchyGraph(b)
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		url := upgradedDatabase(b, top)
		b.StartTimer()
		plan, err := revisions.Downgrade(g, top.Final, "base")
		if err != nil {
			b.Fatal(err)
		}
		db, err := Open(ctx, url)
		if err != nil {
			b.Fatal(err)
		}
		if err := db.Apply(ctx, plan, nil); err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
}

// BenchmarkDowngradeBranchy1000Psql feeds the same downgrade to `psql -f`,
// one transaction per step: the statements and version-table changes of
// retort's dry run of the plan.
func BenchmarkDowngradeBranchy1000Psql(b *testing.B) {
	psql, err := exec.LookPath("psql")
	if err != nil {
		b.Fatal("psql is needed for the floor benchmark: install it with `apt-get install postgresql-client`")
	}
	g, top := branchyGraph(b)
	plan, err := revisions.Downgrade(g, top.Final, "base")
	if err != nil {
		b.Fatal(err)
	}
	var sql strings.Builder
	if err := DryRun(&sql, plan, DialectPostgres); err != nil {
		b.Fatal(err)
	}
	script := filepath.Join(b.TempDir(), "floor.sql")
	if err := os.WriteFile(script, []byte(sql.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		b.StopTimer()
		url := upgradedDatabase(b, top)
		b.StartTimer()
		out, err := exec.Command(psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", script, url).CombinedOutput()
		if err != nil {
			b.Fatalf("psql: %v\n%s", err, out)
		}
	}
}

// branchyGraph builds the graph of branchyRevisions and the plan of
// `upgrade heads` on it.
func branchyGraph(b *testing.B) (*models.Graph, *models.Plan) {
	g, err := revisions.Build(branchyRevisions())
	if err != nil {
		b.Fatal(err)
	}
	up, err := revisions.Upgrade(g, nil, "heads")
	if err != nil {
		b.Fatal(err)
	}
	if len(up.Steps) != benchSteps || len(up.Final) != 8 {
		b.Fatalf("upgrade heads has %d steps to %d heads, want %d to 8", len(up.Steps), len(up.Final), benchSteps)
	}
	return g, up
}

// upgradedDatabase is a fresh database on which plan ran, without the audit
// log (so that the downgrade starts by creating it, like any first run).
func upgradedDatabase(b *testing.B, plan *models.Plan) string {
	url := pgtest.NewDatabase(b)
	db, err := Open(context.Background(), url, WithAudit(false))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := db.Apply(context.Background(), plan, nil); err != nil {
		b.Fatal(err)
	}
	return url
}
