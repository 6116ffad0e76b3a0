package engine

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

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
		drift, err := db.Drift(ctx, []*models.Revision{revs[0], edited, revs[2], unknown})
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
// (here: an extra NOT NULL column retort does not fill) does not stop the
// migration; the run warns and goes on without the log.
func TestAuditFailureDoesNotFailStep(t *testing.T) {
	dialects(t, func(t *testing.T, url string) {
		db := open(t, url)
		if err := db.Apply(context.Background(), &models.Plan{}, nil); err != nil {
			t.Fatal(err)
		}
		p := newProbe(t, url)
		p.exec("ALTER TABLE retort_log ADD COLUMN ticket TEXT NOT NULL DEFAULT 'x'")
		if strings.HasPrefix(url, "postgres") {
			p.exec("ALTER TABLE retort_log ALTER COLUMN ticket DROP DEFAULT")
		} else {
			p.exec("DROP TABLE retort_log")
			p.exec("CREATE TABLE retort_log (id INTEGER PRIMARY KEY, ticket TEXT NOT NULL)")
		}
		rec := &recorder{}
		if err := db.Apply(context.Background(), upgradeChain(chain(2, nil), -1, 1), rec.sink); err != nil {
			t.Fatal(err)
		}
		if !eqRows(p.rows(), []string{"r001"}) || !p.tableExists("t1") {
			t.Errorf("rows %v: the migration did not complete", p.rows())
		}
		var warnings []string
		for _, e := range rec.all() {
			if e.Kind == models.EventNotice && e.Severity == "WARNING" {
				warnings = append(warnings, e.Message)
			}
		}
		if len(warnings) != 1 || !strings.Contains(warnings[0], "the audit log retort_log could not be written") {
			t.Errorf("warnings %q, want one about the audit log", warnings)
		}
	})
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
