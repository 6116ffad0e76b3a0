package engine

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"retort/engine/pgtest"
	"retort/models"
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
func BenchmarkPsqlFloor(b *testing.B) {
	psql, err := exec.LookPath("psql")
	if err != nil {
		b.Fatal("psql is needed for the floor benchmark: install it with `apt-get install postgresql-client`")
	}
	script := filepath.Join(b.TempDir(), "floor.sql")
	if err := os.WriteFile(script, []byte(psqlScript(benchPlan())), 0o644); err != nil {
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
// BEGIN, the statement, the version-table change, COMMIT.
func psqlScript(plan *models.Plan) string {
	var b strings.Builder
	b.WriteString("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));\n")
	for _, s := range plan.Steps {
		b.WriteString("BEGIN;\n" + strings.TrimSpace(s.Revision.Upgrade.SQL) + "\n")
		op := s.Ops[0]
		if op.Kind == models.OpInsert {
			fmt.Fprintf(&b, "INSERT INTO alembic_version (version_num) VALUES ('%s');\n", op.To)
		} else {
			fmt.Fprintf(&b, "UPDATE alembic_version SET version_num='%s' WHERE alembic_version.version_num = '%s';\n", op.To, op.From)
		}
		b.WriteString("COMMIT;\n")
	}
	return b.String()
}
