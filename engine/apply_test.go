package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"retort/models"
)

// TestApplyUpgradeDowngradeStamp runs a chain up, down and stamps it, and
// checks after every step, through a separate connection, that the version
// rows are the step's After rows; then checks the audit log.
func TestApplyUpgradeDowngradeStamp(t *testing.T) {
	dialects(t, func(t *testing.T, url string) {
		ctx := context.Background()
		revs := chain(3, nil)
		db := open(t, url, WithRetortVersion("1.2.3"))
		p := newProbe(t, url)
		var wrong []string
		steps := 0
		check := func(e models.Event) {
			if e.Kind != models.EventStepDone {
				return
			}
			steps++
			if got := p.rows(); !eqRows(got, e.Step.After) {
				wrong = append(wrong, e.Step.ShortLog()+": rows "+strings.Join(got, ",")+", want "+strings.Join(e.Step.After, ","))
			}
		}
		for _, plan := range []*models.Plan{
			upgradeChain(revs, -1, 2),
			downgradeChain(revs, 2, -1),
			stampPlan(nil, "r001"),
			stampPlan([]string{"r001"}, ""),
		} {
			if err := db.Apply(ctx, plan, check); err != nil {
				t.Fatalf("%s %s: %v", plan.Command, plan.Target, err)
			}
			cur, err := db.Current(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !eqRows(cur, plan.Final) {
				t.Errorf("after %s %s: Current = %v, want %v", plan.Command, plan.Target, cur, plan.Final)
			}
		}
		if len(wrong) > 0 {
			t.Errorf("rows after steps differ from Step.After:\n%s", strings.Join(wrong, "\n"))
		}
		if steps != 8 {
			t.Errorf("%d step-done events, want 8", steps)
		}
		for i := range revs {
			if p.tableExists(revs[i].ID) {
				t.Errorf("table %s left after downgrade to base", revs[i].ID)
			}
		}
		checkAuditLog(t, db, p, revs)
	})
}

// checkAuditLog checks the log left by TestApplyUpgradeDowngradeStamp.
func checkAuditLog(t *testing.T, db *DB, p *probe, revs []*models.Revision) {
	t.Helper()
	log, err := db.Log(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range log {
		got = append(got, e.Direction+" "+e.Revision+" ["+strings.Join(e.RowsBefore, ",")+"]->["+strings.Join(e.RowsAfter, ",")+"] "+e.Outcome)
	}
	want := []string{
		"stamp  [r001]->[] ok",
		"stamp r001 []->[r001] ok",
		"downgrade r000 [r000]->[] ok",
		"downgrade r001 [r001]->[r000] ok",
		"downgrade r002 [r002]->[r001] ok",
		"upgrade r002 [r001]->[r002] ok",
		"upgrade r001 [r000]->[r001] ok",
		"upgrade r000 []->[r000] ok",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("audit log, newest first:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	host, _ := os.Hostname()
	dbUser := ""
	if p.pg != nil {
		dbUser = p.strings("SELECT current_user::text")[0]
	}
	for _, e := range log {
		if e.RetortVersion != "1.2.3" || e.Host != host || e.OSUser == "" || e.DBUser != dbUser {
			t.Errorf("entry %d: version %q host %q os user %q db user %q; want 1.2.3, %q, someone, %q",
				e.ID, e.RetortVersion, e.Host, e.OSUser, e.DBUser, host, dbUser)
		}
		if e.StartedAt.IsZero() || e.FinishedAt.Before(e.StartedAt) {
			t.Errorf("entry %d: started %v, finished %v", e.ID, e.StartedAt, e.FinishedAt)
		}
	}
	if up := log[len(log)-1]; up.SHA256 != revs[0].Checksum {
		t.Errorf("upgrade of r000 logged sha256 %q, want the file's %q", up.SHA256, revs[0].Checksum)
	}
	if n := len(mustLog(t, db, 3)); n != 3 {
		t.Errorf("Log(3) returned %d entries", n)
	}
}

func mustLog(t *testing.T, db *DB, limit int) []LogEntry {
	t.Helper()
	log, err := db.Log(context.Background(), limit)
	if err != nil {
		t.Fatal(err)
	}
	return log
}

// TestEventsInOrder checks the exact sequence of events of a run, the file
// lines of statements, rows affected and a NOTICE raised by the SQL.
func TestEventsInOrder(t *testing.T) {
	dialects(t, func(t *testing.T, url string) {
		pg := !strings.HasPrefix(url, "sqlite:")
		up := "CREATE TABLE n1 (id integer);\n"
		if pg {
			up += "DO $$ BEGIN RAISE NOTICE 'hello'; END $$;\n"
		} else {
			up += "SELECT 1;\n"
		}
		up += "-- a comment line\nINSERT INTO n1 VALUES (1), (2);"
		rev := makeRev(revSpec{id: "a1", up: up, down: "DROP TABLE n1;"})
		plan := &models.Plan{Steps: []models.Step{{Direction: models.Upgrade, Revision: rev, To: []string{"a1"},
			Ops: []models.VersionOp{{Kind: models.OpInsert, To: "a1"}}, After: []string{"a1"}}}, Final: []string{"a1"}}
		db := open(t, url)
		rec := &recorder{}
		if err := db.Apply(context.Background(), plan, rec.sink); err != nil {
			t.Fatal(err)
		}
		want := []string{"lock-acquired", "step-started", "statement", "statement", "notice", "statement", "step-done", "run-done"}
		if !pg {
			want = slices.Delete(want, 4, 5)
		}
		if got := rec.kinds(); !slices.Equal(got, want) {
			t.Fatalf("events %v, want %v", got, want)
		}
		var stmts []models.Event
		for _, e := range rec.all() {
			if e.Total != 1 {
				t.Errorf("%s event: Total %d, want 1", e.Kind, e.Total)
			}
			switch e.Kind {
			case models.EventStatement:
				stmts = append(stmts, e)
			case models.EventNotice:
				if e.Severity != "NOTICE" || e.Message != "hello" || e.Index != 0 || e.Step == nil {
					t.Errorf("notice %+v, want NOTICE hello of step 0", e)
				}
			case models.EventRunDone:
				if e.Err != nil {
					t.Errorf("run-done carries %v", e.Err)
				}
			}
		}
		first := rev.Upgrade.Line
		if stmts[0].Line != first || stmts[1].Line != first+1 || stmts[2].Line != first+3 {
			t.Errorf("statement lines %d, %d, %d; want %d, %d, %d", stmts[0].Line, stmts[1].Line, stmts[2].Line, first, first+1, first+3)
		}
		if stmts[2].SQL != "INSERT INTO n1 VALUES (1), (2)" || stmts[2].Rows != 2 {
			t.Errorf("third statement %q rows %d, want the INSERT of 2 rows", stmts[2].SQL, stmts[2].Rows)
		}
	})
}

// TestFailedStatementRollsBackStep: a statement failing halfway through a
// step leaves the schema and the version rows as they were before the step,
// reports where it failed, and is logged.
func TestFailedStatementRollsBackStep(t *testing.T) {
	dialects(t, func(t *testing.T, url string) {
		pg := !strings.HasPrefix(url, "sqlite:")
		revs := chain(2, func(i int) string {
			if i == 1 {
				return "INSERT INTO t1 VALUES (1);\nSELECT id FROM\n    no_such_table;\nCREATE TABLE never (id integer);"
			}
			return ""
		})
		db := open(t, url)
		p := newProbe(t, url)
		rec := &recorder{}
		err := db.Apply(context.Background(), upgradeChain(revs, -1, 1), rec.sink)
		var pe *PartialError
		if !errors.As(err, &pe) {
			t.Fatalf("Apply returned %v, want a *PartialError", err)
		}
		if len(pe.Committed) != 1 || pe.Committed[0].Revision.ID != "r000" || pe.Failed.Revision.ID != "r001" {
			t.Fatalf("committed %v, failed %v; want r000 committed, r001 failed", pe.Committed, pe.Failed)
		}
		if !strings.Contains(err.Error(), "1 step(s) committed before it: upgrade  -> r000") {
			t.Errorf("error %q does not list the committed step", err)
		}
		if p.tableExists("t1") || p.tableExists("never") || !p.tableExists("t0") {
			t.Errorf("tables t0 %v, t1 %v, never %v; want only t0", p.tableExists("t0"), p.tableExists("t1"), p.tableExists("never"))
		}
		if got := p.rows(); !slices.Equal(got, []string{"r000"}) {
			t.Errorf("rows %v, want [r000]", got)
		}
		f := pe.Failure
		stmtLine := revs[1].Upgrade.Line + 2 // the SELECT, after CREATE and INSERT
		wantLine, wantState := stmtLine, ""
		if pg {
			wantLine, wantState = stmtLine+1, "42P01" // PostgreSQL points at no_such_table
		}
		if f.SQLState != wantState || f.Line != wantLine || f.Path != revs[1].Path || f.Statement != "SELECT id FROM\n    no_such_table" {
			t.Errorf("failure %+v; want SQLSTATE %q at %s:%d", f, wantState, revs[1].Path, wantLine)
		}
		if !strings.Contains(f.Message, "no_such_table") {
			t.Errorf("failure message %q does not name the table", f.Message)
		}
		evs := rec.all()
		if last := evs[len(evs)-2]; last.Kind != models.EventStepFailed || last.Failure != f || last.Line != wantLine {
			t.Errorf("event before run-done: %+v, want step-failed with the failure", last)
		}
		log := mustLog(t, db, 1)
		if log[0].Revision != "r001" || log[0].Outcome != OutcomeFailed || !strings.Contains(log[0].Error, "no_such_table") ||
			!slices.Equal(log[0].RowsAfter, []string{"r000"}) {
			t.Errorf("newest audit entry %+v, want r001 failed with rows [r000]", log[0])
		}
	})
}

// TestStaleRowsRefused: a version table changed behind the plan's back is
// refused before the step runs anything, at the start and between steps.
func TestStaleRowsRefused(t *testing.T) {
	dialects(t, func(t *testing.T, url string) {
		ctx := context.Background()
		revs := chain(3, nil)
		db := open(t, url)
		p := newProbe(t, url)
		if err := db.Apply(ctx, upgradeChain(revs, -1, 0), nil); err != nil {
			t.Fatal(err)
		}
		p.exec("UPDATE alembic_version SET version_num = 'zzz'")
		err := db.Apply(ctx, upgradeChain(revs, 0, 2), nil)
		want := "version table changed behind the plan's back: it holds [zzz], the plan expected [r000]; reload and plan again"
		var pe *PartialError
		if !errors.Is(err, ErrStaleRows) || !errors.As(err, &pe) || len(pe.Committed) != 0 || !strings.Contains(err.Error(), want) {
			t.Fatalf("Apply returned %v, want a partial error with %q and nothing committed", err, want)
		}
		if p.tableExists("t1") {
			t.Error("table t1 exists: the refused step ran")
		}

		// Between steps: the row moves after the first step committed.
		p.exec("UPDATE alembic_version SET version_num = 'r000'")
		err = db.Apply(ctx, upgradeChain(revs, 0, 2), func(e models.Event) {
			if e.Kind == models.EventStepDone && e.Index == 0 {
				p.exec("UPDATE alembic_version SET version_num = 'r000'")
			}
		})
		if !errors.As(err, &pe) || len(pe.Committed) != 1 || pe.Failed.Revision.ID != "r002" || !errors.Is(err, ErrStaleRows) {
			t.Fatalf("Apply returned %v, want step r002 refused after r001 committed", err)
		}
		if !p.tableExists("t1") || p.tableExists("t2") {
			t.Errorf("t1 %v, t2 %v: want t1 only", p.tableExists("t1"), p.tableExists("t2"))
		}
		if want := "it holds [r000], the plan expected [r001]"; !strings.Contains(err.Error(), want) {
			t.Errorf("Apply returned %v, want it to say %q", err, want)
		}
	})
}

// TestStaleRowsRefusedWithoutStatements: a step without statements (a merge,
// say) checks its version rows with its version changes, and is refused
// before they run.
func TestStaleRowsRefusedWithoutStatements(t *testing.T) {
	dialects(t, func(t *testing.T, url string) {
		ctx := context.Background()
		revs := chain(3, nil)
		revs[1].Upgrade.SQL = "-- nothing to do"
		db := open(t, url)
		p := newProbe(t, url)
		err := db.Apply(ctx, upgradeChain(revs, -1, 2), func(e models.Event) {
			if e.Kind == models.EventStepDone && e.Index == 0 {
				p.exec("UPDATE alembic_version SET version_num = 'zzz'")
			}
		})
		var pe *PartialError
		want := "it holds [zzz], the plan expected [r000]"
		if !errors.As(err, &pe) || len(pe.Committed) != 1 || pe.Failed.Revision.ID != "r001" ||
			!errors.Is(err, ErrStaleRows) || !strings.Contains(err.Error(), want) {
			t.Fatalf("Apply returned %v, want step r001 refused after r000 committed, saying %q", err, want)
		}
		if rows := p.rows(); !slices.Equal(rows, []string{"zzz"}) {
			t.Errorf("version rows %v, want the [zzz] the refused step found", rows)
		}
		if p.tableExists("t2") {
			t.Error("table t2 exists: the step after the refused one ran")
		}
	})
}

// TestVersionRowMismatch: an UPDATE of a version row that hits no row fails
// with Alembic's message and rolls the step back.
func TestVersionRowMismatch(t *testing.T) {
	dialects(t, func(t *testing.T, url string) {
		revs := chain(2, func(i int) string {
			if i == 1 {
				return "DELETE FROM alembic_version;"
			}
			return ""
		})
		db := open(t, url)
		p := newProbe(t, url)
		err := db.Apply(context.Background(), upgradeChain(revs, -1, 1), nil)
		want := "Online migration expected to match one row when updating 'r000' to 'r001' in 'alembic_version'; 0 found"
		if !errors.Is(err, ErrVersionRow) || !strings.Contains(err.Error(), want) {
			t.Fatalf("Apply returned %v, want %q", err, want)
		}
		if got := p.rows(); !slices.Equal(got, []string{"r000"}) || p.tableExists("t1") {
			t.Errorf("rows %v, t1 %v; want [r000] and no t1", got, p.tableExists("t1"))
		}
	})
}

// TestRefusedBeforeAnythingRuns: plans this engine cannot finish are refused
// whole, before the lock, the version table or any statement.
func TestRefusedBeforeAnythingRuns(t *testing.T) {
	good := chain(1, nil)[0]
	py := makeRev(revSpec{id: "p1", parents: "r000", up: "", format: models.FormatPython})
	py.Path = "versions/p1.py"
	noDown := makeRev(revSpec{id: "n1", up: "SELECT 1;", noDowngrade: true})
	badSQL := makeRev(revSpec{id: "b1", parents: "r000", up: "SELECT 1;\nSELECT 'unterminated;\n"})
	commit := makeRev(revSpec{id: "c1", parents: "r000", up: "SAVEPOINT a;\nROLLBACK TO SAVEPOINT a;\n/* done */ commit;\nSELECT 1;"})
	prepared := makeRev(revSpec{id: "x1", parents: "r000", up: "SELECT 1;\nPREPARE /* 2pc */ TRANSACTION 'retort';"})
	commitPrepared := makeRev(revSpec{id: "x2", parents: "r000", up: "COMMIT PREPARED 'retort';"})
	upStep := func(r *models.Revision, before []string) models.Step {
		s := models.Step{Direction: models.Upgrade, Revision: r, To: []string{r.ID}, Before: before, After: []string{r.ID}}
		if len(before) == 0 {
			s.Ops = []models.VersionOp{{Kind: models.OpInsert, To: r.ID}}
		} else {
			s.Ops = []models.VersionOp{{Kind: models.OpUpdate, From: before[0], To: r.ID}}
		}
		return s
	}
	cases := []struct {
		name  string
		steps []models.Step
		want  []string
	}{
		{"python", []models.Step{upStep(good, nil), upStep(py, []string{"r000"})},
			[]string{"versions/p1.py: revision p1 is an Alembic Python revision"}},
		{"no downgrade", []models.Step{{Direction: models.Downgrade, Revision: noDown, From: []string{"n1"}, Before: []string{"n1"},
			Ops: []models.VersionOp{{Kind: models.OpDelete, From: "n1"}}}},
			[]string{"versions/n1.sql: revision n1 has no -- +downgrade section: it cannot be downgraded"}},
		{"unterminated string", []models.Step{upStep(good, nil), upStep(badSQL, []string{"r000"})},
			[]string{"versions/b1.sql:6: unterminated"}},
		{"commit inside a step", []models.Step{upStep(good, nil), upStep(commit, []string{"r000"})},
			[]string{"versions/c1.sql:7: COMMIT would end the step's transaction"}},
		{"prepare transaction inside a step", []models.Step{upStep(good, nil), upStep(prepared, []string{"r000"})},
			[]string{"versions/x1.sql:6: PREPARE TRANSACTION would end the step's transaction"}},
		{"commit prepared inside a step", []models.Step{upStep(good, nil), upStep(commitPrepared, []string{"r000"})},
			[]string{"versions/x2.sql:5: COMMIT PREPARED would end the step's transaction"}},
		{"rows do not follow", []models.Step{upStep(good, nil), upStep(noDown, []string{"zzz"})},
			[]string{"step 2 (upgrade  -> n1) starts from [zzz] but the step before it ends at [r000]"}},
		{"ops do not lead to After", []models.Step{{Direction: models.Upgrade, Revision: good, To: []string{"r000"},
			Ops: []models.VersionOp{{Kind: models.OpUpdate, From: "r000", To: "x"}}, After: []string{"r000"}}},
			[]string{"step 1 (upgrade  -> r000): update r000 to x: row r000 is not there"}},
	}
	dialects(t, func(t *testing.T, url string) {
		db := open(t, url)
		p := newProbe(t, url)
		for _, c := range cases {
			rec := &recorder{}
			err := db.Apply(context.Background(), &models.Plan{Steps: c.steps}, rec.sink)
			if !errors.Is(err, ErrRefused) {
				t.Errorf("%s: Apply returned %v, want ErrRefused", c.name, err)
				continue
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%s: error %q does not say %q", c.name, err, w)
				}
			}
			if got := rec.kinds(); !slices.Equal(got, []string{"run-done"}) {
				t.Errorf("%s: events %v, want only run-done", c.name, got)
			}
		}
		if p.tableExists("alembic_version") || p.tableExists("r000") {
			t.Error("a refused plan created tables")
		}
	})
}

// TestCurrentNeverWrites: reading a fresh database creates nothing; a plan
// without steps creates the version table (and the audit log) and checks
// the start rows.
func TestCurrentNeverWrites(t *testing.T) {
	dialects(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db := open(t, url)
		p := newProbe(t, url)
		if rows, err := db.Current(ctx); err != nil || rows != nil {
			t.Fatalf("Current = %v, %v on a fresh database", rows, err)
		}
		if log, err := db.Log(ctx, 10); err != nil || len(log) != 0 {
			t.Fatalf("Log = %v, %v on a fresh database", log, err)
		}
		if p.tableExists("alembic_version") || p.tableExists("retort_log") {
			t.Fatal("a read created a table")
		}
		if err := db.Apply(ctx, &models.Plan{}, nil); err != nil {
			t.Fatal(err)
		}
		if !p.tableExists("alembic_version") || !p.tableExists("retort_log") {
			t.Fatal("an empty plan did not create the tables")
		}
		p.exec("INSERT INTO alembic_version VALUES ('x1')")
		if err := db.Apply(ctx, &models.Plan{}, nil); !errors.Is(err, ErrStaleRows) {
			t.Errorf("empty plan starting from no rows on a table holding x1: %v, want ErrStaleRows", err)
		}
	})
}

// TestPurge: stamp --purge empties the table first, in the same
// transaction as the stamp.
func TestPurge(t *testing.T) {
	dialects(t, func(t *testing.T, url string) {
		db := open(t, url)
		p := newProbe(t, url)
		if err := db.Apply(context.Background(), &models.Plan{}, nil); err != nil {
			t.Fatal(err)
		}
		p.exec("INSERT INTO alembic_version VALUES ('junk1'), ('junk2')")
		plan := stampPlan(nil, "r005")
		plan.Purge = true
		if err := db.Apply(context.Background(), plan, nil); err != nil {
			t.Fatal(err)
		}
		if got := p.rows(); !slices.Equal(got, []string{"r005"}) {
			t.Errorf("rows %v, want [r005]", got)
		}
	})
}

// TestRowsCheckedBeforeCommit: a step whose version changes each hit their
// row but leave other rows in the table (here a trigger adds one) is not
// committed, whether the check rides in the audit row's INSERT or runs on
// its own.
func TestRowsCheckedBeforeCommit(t *testing.T) {
	for _, audit := range []bool{true, false} {
		t.Run(fmt.Sprintf("audit=%v", audit), func(t *testing.T) { testRowsCheckedBeforeCommit(t, audit) })
	}
}

func testRowsCheckedBeforeCommit(t *testing.T, audit bool) {
	dialects(t, func(t *testing.T, url string) {
		ctx := context.Background()
		revs := chain(2, nil)
		db := open(t, url, WithAudit(audit))
		p := newProbe(t, url)
		if err := db.Apply(ctx, upgradeChain(revs, -1, 0), nil); err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(url, "sqlite:") {
			p.exec("CREATE TRIGGER extra AFTER UPDATE ON alembic_version BEGIN INSERT INTO alembic_version VALUES ('extra'); END")
		} else {
			p.exec("CREATE FUNCTION extra() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO alembic_version VALUES ('extra'); RETURN NULL; END $$")
			p.exec("CREATE TRIGGER extra AFTER UPDATE ON alembic_version FOR EACH ROW EXECUTE FUNCTION extra()")
		}
		err := db.Apply(ctx, upgradeChain(revs, 0, 1), nil)
		want := "after the step's changes the version table does not hold [r001]"
		if !errors.Is(err, ErrStaleRows) || !strings.Contains(err.Error(), want) {
			t.Fatalf("Apply returned %v, want %q", err, want)
		}
		if got := p.rows(); !slices.Equal(got, []string{"r000"}) || p.tableExists("t1") {
			t.Errorf("rows %v, t1 %v: want the step rolled back", got, p.tableExists("t1"))
		}
		if !audit {
			return
		}
		log, err := db.Log(ctx, 0)
		if err != nil || len(log) != 2 || log[0].Revision != "r001" || log[0].Outcome != OutcomeFailed || !strings.Contains(log[0].Error, want) {
			t.Errorf("audit log %+v, %v; want r001 failed with %q", log, err, want)
		}
	})
}

// TestRowsCheckedWithRedirectedLog: a trigger that moves the audit row
// elsewhere (returning NULL, as trigger-based partitioning does) does not
// let a step with the wrong version rows commit: the check rides in the
// row's values, which are computed before any trigger runs.
func TestRowsCheckedWithRedirectedLog(t *testing.T) {
	ctx := context.Background()
	url := pgtestDatabase(t)
	revs := chain(2, nil)
	db := open(t, url)
	p := newProbe(t, url)
	if err := db.Apply(ctx, upgradeChain(revs, -1, 0), nil); err != nil {
		t.Fatal(err)
	}
	p.exec("CREATE TABLE retort_log_archive (LIKE retort_log)")
	p.exec("CREATE FUNCTION redirect() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO retort_log_archive SELECT NEW.*; RETURN NULL; END $$")
	p.exec("CREATE TRIGGER redirect BEFORE INSERT ON retort_log FOR EACH ROW EXECUTE FUNCTION redirect()")
	p.exec("CREATE FUNCTION extra() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO alembic_version VALUES ('extra'); RETURN NULL; END $$")
	p.exec("CREATE TRIGGER extra AFTER UPDATE ON alembic_version FOR EACH ROW EXECUTE FUNCTION extra()")
	err := db.Apply(ctx, upgradeChain(revs, 0, 1), nil)
	if want := "after the step's changes the version table does not hold [r001]"; !errors.Is(err, ErrStaleRows) || !strings.Contains(err.Error(), want) {
		t.Fatalf("Apply returned %v, want %q", err, want)
	}
	if got := p.rows(); !slices.Equal(got, []string{"r000"}) || p.tableExists("t1") {
		t.Errorf("rows %v, t1 %v: want the step rolled back", got, p.tableExists("t1"))
	}
}

// TestVersionColumnWidened: a revision that widens version_num, as Alembic
// projects do for long revision ids, does not break the steps after it,
// inside a transaction or not, in this run or the next (the version-row
// read is a prepared statement, whose result type must not change).
func TestVersionColumnWidened(t *testing.T) {
	ctx := context.Background()
	url := pgtestDatabase(t)
	revs := chain(5, func(i int) string {
		if i == 1 {
			return "ALTER TABLE alembic_version ALTER COLUMN version_num TYPE VARCHAR(255);"
		}
		return ""
	})
	revs[3].Transactional = false
	db := open(t, url)
	p := newProbe(t, url)
	if err := db.Apply(ctx, upgradeChain(revs, -1, 3), nil); err != nil {
		t.Fatalf("the run that widens the column: %v", err)
	}
	if err := db.Apply(ctx, upgradeChain(revs, 3, 4), nil); err != nil {
		t.Fatalf("the next run: %v", err)
	}
	if got := p.rows(); !slices.Equal(got, []string{"r004"}) {
		t.Errorf("rows %v, want [r004]", got)
	}
	if got := p.strings("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'alembic_version'::regclass AND attname = 'version_num'"); got[0] != "character varying(255)" {
		t.Errorf("version_num is %s", got[0])
	}
}

// TestVersionChangeFails: a step whose revision drops the version table
// fails at its version change, with the change named, and rolls back, on
// both dialects (on SQLite, which has no guards, too).
func TestVersionChangeFails(t *testing.T) {
	dialects(t, func(t *testing.T, url string) {
		revs := chain(2, func(i int) string {
			if i == 1 {
				return "DROP TABLE alembic_version;"
			}
			return ""
		})
		db := open(t, url)
		err := db.Apply(context.Background(), upgradeChain(revs, -1, 1), nil)
		var pe *PartialError
		if !errors.As(err, &pe) || len(pe.Committed) != 1 || !strings.Contains(err.Error(), "changing the version table alembic_version (update r000 to r001)") {
			t.Fatalf("Apply = %v", err)
		}
		if got := newProbe(t, url).rows(); !slices.Equal(got, []string{"r000"}) {
			t.Errorf("rows %v, want [r000]", got)
		}
	})
}
