package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"retort/engine/internal/tables"
	"retort/models"
)

// TestDrift: a revision whose file changed after its upgrade is flagged; one
// whose file did not is not; one downgraded since, or never applied through
// retort, is absent.
func TestDrift(t *testing.T) {
	dialects(t, func(t *testing.T, url string) {
		ctx := context.Background()
		revs := chain(3, nil)
		db := open(t, url)
		if err := db.Apply(ctx, upgradeChain(revs, -1, 2), nil); err != nil {
			t.Fatal(err)
		}
		if err := db.Apply(ctx, downgradeChain(revs, 2, 1), nil); err != nil {
			t.Fatal(err)
		}
		edited := makeRev(revSpec{id: "r001", parents: "r000", up: "CREATE TABLE t1 (id integer PRIMARY KEY);", down: "DROP TABLE t1;", checksumExtra: "-- edited\n"})
		unknown := makeRev(revSpec{id: "zz", up: "SELECT 1;"})
		before := time.Now()
		drift, err := db.Drift(ctx, graphOf(t, []*models.Revision{revs[0], edited, revs[2], unknown}))
		if err != nil {
			t.Fatal(err)
		}
		if len(drift) != 2 {
			t.Fatalf("drift has %d entries %v, want r000 and r001", len(drift), drift)
		}
		if d := drift["r000"]; d.Changed || d.Recorded != revs[0].Checksum || d.AppliedAt.After(before) || d.AppliedAt.IsZero() {
			t.Errorf("r000: %+v, want unchanged", d)
		}
		if d := drift["r001"]; !d.Changed || d.Recorded != revs[1].Checksum || d.Current != edited.Checksum {
			t.Errorf("r001: %+v, want changed from %s to %s", d, revs[1].Checksum, edited.Checksum)
		}
	})
}

// TestAuditOff: WithAudit(false) writes no log and creates no log table.
func TestAuditOff(t *testing.T) {
	dialects(t, func(t *testing.T, url string) {
		db := open(t, url, WithAudit(false))
		if err := db.Apply(context.Background(), upgradeChain(chain(2, nil), -1, 1), nil); err != nil {
			t.Fatal(err)
		}
		p := newProbe(t, url)
		if p.tableExists("retort_log") || !eqRows(p.rows(), []string{"r001"}) {
			t.Errorf("retort_log exists %v, rows %v", p.tableExists("retort_log"), p.rows())
		}
	})
}

// TestAuditFailureDoesNotFailStep: a log table that cannot take the row
// does not stop the migration: the step whose row failed is rolled back
// whole and runs again without the log, the run warns once and goes on
// without it. Three ways to break the table: an extra NOT NULL column
// retort does not fill (the INSERT fails when it runs), a dropped column (it
// fails when PostgreSQL prepares it, before anything of the batch runs), and
// a trigger that divides by zero (which is not the guard failing, though
// the guard rides in the same INSERT).
func TestAuditFailureDoesNotFailStep(t *testing.T) {
	breakages := map[string]func(p *probe, sqlite bool){
		"not null column": func(p *probe, sqlite bool) {
			if sqlite {
				p.exec("DROP TABLE retort_log")
				p.exec("CREATE TABLE retort_log (id INTEGER PRIMARY KEY, ticket TEXT NOT NULL, version_table TEXT)")
				return
			}
			p.exec("ALTER TABLE retort_log ADD COLUMN ticket TEXT NOT NULL DEFAULT 'x'")
			p.exec("ALTER TABLE retort_log ALTER COLUMN ticket DROP DEFAULT")
		},
		"dropped column": func(p *probe, _ bool) { p.exec("ALTER TABLE retort_log DROP COLUMN host") },
		"failing trigger": func(p *probe, sqlite bool) {
			if sqlite {
				p.exec("CREATE TRIGGER broken BEFORE INSERT ON retort_log BEGIN SELECT 1 / 0, RAISE(ABORT, 'broken'); END")
				return
			}
			p.exec("CREATE FUNCTION broken() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM 1 / (SELECT count(*) - count(*) FROM retort_log); RETURN NEW; END $$")
			p.exec("CREATE TRIGGER broken BEFORE INSERT ON retort_log FOR EACH ROW EXECUTE FUNCTION broken()")
		},
	}
	for name, breakLog := range breakages {
		for _, tx := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/transactional=%v", name, tx), func(t *testing.T) {
				dialects(t, func(t *testing.T, url string) { testAuditFailure(t, url, breakLog, tx) })
			})
		}
	}
}

// testAuditFailure breaks the log, then runs three steps. With tx false the
// first is `Transaction: none`: its statement ran outside the transaction
// that lost the row, and only that transaction runs again (a second CREATE
// TABLE would fail).
func testAuditFailure(t *testing.T, url string, breakLog func(p *probe, sqlite bool), tx bool) {
	db := open(t, url)
	if err := db.Apply(context.Background(), &models.Plan{}, nil); err != nil {
		t.Fatal(err)
	}
	p := newProbe(t, url)
	breakLog(p, strings.HasPrefix(url, "sqlite:"))
	revs := chain(3, nil)
	revs[0].Transactional = tx
	rec := &recorder{}
	if err := db.Apply(context.Background(), upgradeChain(revs, -1, 2), rec.sink); err != nil {
		t.Fatal(err)
	}
	if !eqRows(p.rows(), []string{"r002"}) || !p.tableExists("t1") || !p.tableExists("t2") {
		t.Errorf("rows %v: the migration did not complete", p.rows())
	}
	if n := p.strings("SELECT count(*) FROM retort_log"); n[0] != "0" {
		t.Errorf("retort_log holds %s rows, want none", n[0])
	}
	var warnings []string
	started, statements := map[int]int{}, 0
	for _, e := range rec.all() {
		switch {
		case e.Kind == models.EventNotice && e.Severity == "WARNING":
			warnings = append(warnings, e.Message)
		case e.Kind == models.EventStepStarted:
			started[e.Index]++
		case e.Kind == models.EventStatement:
			statements++
		}
	}
	want := "the audit log retort_log could not be written, it is off for the rest of this run; the step was rolled back and runs again without it: "
	if !tx {
		want = "the audit log retort_log could not be written, it is off for the rest of this run; " +
			"the step's version change was rolled back and runs again without it (its statements stay applied): "
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], want) {
		t.Errorf("warnings %q, want one saying %q", warnings, want)
	}
	// A transactional first step ran twice (its first run rolled back with
	// the row), the others once.
	if want := map[bool]int{true: 2, false: 1}[tx]; started[0] != want || started[1] != 1 || started[2] != 1 {
		t.Errorf("steps started %v, want the first %d times and the others once", started, want)
	}
	if statements != 2+started[0] {
		t.Errorf("%d statements ran, want %d", statements, 2+started[0])
	}
}

// TestVersionTableInSchema: WithVersionTable puts the version table and the
// log in the given schema, with Alembic's DDL (VARCHAR(32), `<table>_pkc`).
func TestVersionTableInSchema(t *testing.T) {
	url := pgtestDatabase(t)
	p := newProbe(t, url)
	p.exec("CREATE SCHEMA migr")
	db := open(t, url, WithVersionTable("migr", "My_Versions"))
	if err := db.Apply(context.Background(), upgradeChain(chain(1, nil), -1, 0), nil); err != nil {
		t.Fatal(err)
	}
	got := p.strings(`SELECT version_num FROM migr."My_Versions"`)
	if len(got) != 1 || got[0] != "r000" {
		t.Errorf("migr.My_Versions holds %v", got)
	}
	ddl := p.strings(`SELECT conname || ' ' || pg_get_constraintdef(c.oid) || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull::text
		FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey)
		WHERE c.conrelid = 'migr."My_Versions"'::regclass`)
	if len(ddl) != 1 || ddl[0] != "My_Versions_pkc PRIMARY KEY (version_num) character varying(32) true" {
		t.Errorf("version table constraint %v", ddl)
	}
	if n := p.strings("SELECT count(*)::text FROM migr.retort_log"); n[0] != "1" {
		t.Errorf("migr.retort_log has %s rows", n[0])
	}
	if p.tableExists("alembic_version") {
		t.Error("alembic_version was created in public too")
	}
}

// TestLockKeyFollowsSearchPath: a runner naming the schema and one relying
// on search_path for the same table exclude each other; a runner on another
// version table does not wait for them.
func TestLockKeyFollowsSearchPath(t *testing.T) {
	url := pgtestDatabase(t)
	holder := open(t, url, WithVersionTable("public", "alembic_version"))
	release := make(chan struct{})
	done := holdLock(t, holder, release)
	defer func() { close(release); <-done }()
	same := open(t, url, WithLockTimeout(200*time.Millisecond), WithLockPollInterval(20*time.Millisecond))
	if err := same.Apply(context.Background(), &models.Plan{}, nil); !errors.Is(err, ErrLockTimeout) {
		t.Errorf("runner on the same table through search_path: %v, want a lock timeout", err)
	}
	other := open(t, url, WithVersionTable("", "other_version"), WithLockTimeout(200*time.Millisecond))
	if err := other.Apply(context.Background(), &models.Plan{}, nil); err != nil {
		t.Errorf("runner on another version table: %v", err)
	}
}

// TestDriftOnlyForAppliedRevisions: drift is reported only for revisions the
// version table says are applied. A revision stamped away since its upgrade
// is not, and neither is one the log last saw downgraded, even once it is
// applied again by a stamp (retort did not apply that file).
func TestDriftOnlyForAppliedRevisions(t *testing.T) {
	dialects(t, func(t *testing.T, url string) {
		ctx := context.Background()
		revs := chain(4, nil)
		db := open(t, url)
		edited := make([]*models.Revision, len(revs))
		for i, r := range revs {
			e := *r
			e.Checksum = "edited-" + r.Checksum
			edited[i] = &e
		}
		for _, plan := range []*models.Plan{
			upgradeChain(revs, -1, 3),
			stampPlan([]string{"r003"}, "r002"), // r003 no longer applied
			downgradeChain(revs, 2, 1),          // r002 downgraded by retort
			stampPlan([]string{"r001"}, "r002"), // and stamped back
		} {
			if err := db.Apply(ctx, plan, nil); err != nil {
				t.Fatal(err)
			}
		}
		drift, err := db.Drift(ctx, graphOf(t, edited))
		if err != nil {
			t.Fatal(err)
		}
		if len(drift) != 2 || !drift["r000"].Changed || !drift["r001"].Changed {
			t.Errorf("drift %v, want r000 and r001 changed (r002 and r003 are not retort's applications)", drift)
		}
		if err := db.Apply(ctx, stampPlan([]string{"r002"}, ""), nil); err != nil {
			t.Fatal(err)
		}
		if drift, err := db.Drift(ctx, graphOf(t, edited)); err != nil || len(drift) != 0 {
			t.Errorf("drift with an empty version table: %v, %v", drift, err)
		}
	})
}

// TestAuditLogPerVersionTable: two histories in one schema, under different
// version tables, share retort_log but each sees only its own rows, in the
// log and in drift.
func TestAuditLogPerVersionTable(t *testing.T) {
	dialects(t, func(t *testing.T, url string) {
		ctx := context.Background()
		revs := chain(2, nil)
		mine, theirs := open(t, url), open(t, url, WithVersionTable("", "other_version"))
		if err := mine.Apply(ctx, upgradeChain(revs, -1, 1), nil); err != nil {
			t.Fatal(err)
		}
		other := []*models.Revision{makeRev(revSpec{id: "r000", up: "CREATE TABLE other (id integer);", down: "DROP TABLE other;"})}
		if err := theirs.Apply(ctx, upgradeChain(other, -1, 0), nil); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			db   *DB
			want string
		}{{mine, "r001 alembic_version,r000 alembic_version"}, {theirs, "r000 other_version"}} {
			var got []string
			for _, e := range mustLog(t, c.db, 0) {
				got = append(got, e.Revision+" "+e.VersionTable)
			}
			if strings.Join(got, ",") != c.want {
				t.Errorf("log %v, want %s", got, c.want)
			}
		}
		// r000 differs between the two histories: each compares with its own.
		if d, err := theirs.Drift(ctx, graphOf(t, other)); err != nil || len(d) != 1 || d["r000"].Changed {
			t.Errorf("drift of the other history: %v, %v", d, err)
		}
		if d, err := mine.Drift(ctx, graphOf(t, revs)); err != nil || len(d) != 2 || d["r000"].Changed || d["r001"].Changed {
			t.Errorf("drift of the first history: %v, %v", d, err)
		}
	})
}

// oldAuditDDL is retort_log as the first release created it, without the
// version_table column.
func oldAuditDDL(dialect string) string {
	d, err := dialectNamed(dialect)
	if err != nil {
		panic(err)
	}
	ddl := tables.Audit{Ref: tables.Ref{Name: DefaultAuditTable}}.CreateSQL(d.auditTypes())
	return strings.Replace(ddl, ",\n    "+tables.VersionTableColumn+" TEXT\n)", "\n)", 1)
}

// TestAuditLogOldShape: a log without the version_table column is read as it
// is (reads never write), gets the column at the next run, and keeps its old
// rows, which belong to every history.
func TestAuditLogOldShape(t *testing.T) {
	dialects(t, func(t *testing.T, url string) {
		ctx := context.Background()
		dialect := DialectPostgres
		if strings.HasPrefix(url, "sqlite:") {
			dialect = DialectSQLite
		}
		p := newProbe(t, url)
		p.exec(oldAuditDDL(dialect))
		p.exec("INSERT INTO retort_log (revision, direction, rows_before, rows_after, sha256, started_at, finished_at, " +
			"db_user, os_user, host, retort_version, outcome, error_text) VALUES ('old', 'upgrade', '', 'old', '', " +
			"CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'u', 'o', 'h', '0.1', 'ok', '')")
		db, other := open(t, url), open(t, url, WithVersionTable("", "other_version"))
		if log := mustLog(t, db, 0); len(log) != 1 || log[0].Revision != "old" || log[0].VersionTable != "" {
			t.Fatalf("old log read as %+v", log)
		}
		if cols := p.strings(columnsQuery(p)); slices.Contains(cols, tables.VersionTableColumn) {
			t.Fatal("reading the log changed it")
		}
		if err := db.Apply(ctx, upgradeChain(chain(1, nil), -1, 0), nil); err != nil {
			t.Fatal(err)
		}
		if cols := p.strings(columnsQuery(p)); !slices.Contains(cols, tables.VersionTableColumn) {
			t.Errorf("columns after a run: %v", cols)
		}
		var got []string
		for _, e := range mustLog(t, db, 0) {
			got = append(got, e.Revision+":"+e.VersionTable)
		}
		if strings.Join(got, ",") != "r000:alembic_version,old:" {
			t.Errorf("log after the upgrade: %v", got)
		}
		if log := mustLog(t, other, 0); len(log) != 1 || log[0].Revision != "old" {
			t.Errorf("log of another version table: %+v, want the old row only", log)
		}
	})
}

// columnsQuery lists the columns of retort_log in the probe's dialect.
func columnsQuery(p *probe) string {
	if p.pg != nil {
		return "SELECT column_name::text FROM information_schema.columns WHERE table_name = 'retort_log'"
	}
	return "SELECT name FROM pragma_table_info('retort_log')"
}
