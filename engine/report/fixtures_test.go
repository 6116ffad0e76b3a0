package report

// The fixtures the golden files were made from: the same inputs given to
// the functions of the UI and of the CLI that wrote these texts before this
// package (ui.logEvent through logpane's lines, confirm.RunResult,
// FailureLines, FailedHow, FormatDuration, DescribeStep; cli's
// progressPrinter, interruptedOutcome and reportInterruptedRun), whose
// outputs are testdata/ui.json and testdata/cli.json. Plain text and text
// with control characters alike.

import (
	"errors"
	"fmt"
	"time"

	"retort/engine"
	"retort/models"
	"retort/revisions"
)

// Fixture steps, events and errors for the outcome texts.

func rev(id, msg, path string) *models.Revision {
	return &models.Revision{ID: id, Message: msg, Path: path, Transactional: true}
}

func fixtureSteps() []*models.Step {
	a := rev("a1b2c3d4e5f6a7b8", "create the accounts table", "versions/a1b2_accounts.sql")
	b := rev("b2", "", "versions/b2.sql")
	m := rev("m3", "merge heads", "versions/m3.sql")
	h := rev("h\x1b]0;x\x07id\u202e", "msg\twith tab \x1b[31mred\x1b[0m\r\nline2\u2066", "versions/h\x00.sql")
	return []*models.Step{
		{Direction: models.Upgrade, Revision: a, To: []string{a.ID}, Before: nil, After: []string{a.ID}},
		{Direction: models.Upgrade, Revision: b, From: []string{a.ID}, To: []string{"b2"}, Before: []string{a.ID}, After: []string{"b2"}},
		{Direction: models.Upgrade, Revision: m, From: []string{"b2", "c9"}, To: []string{"m3"}, Before: []string{"b2", "c9"}, After: []string{"m3"}},
		{Direction: models.Downgrade, Revision: b, From: []string{"b2"}, To: []string{a.ID}, Before: []string{"b2"}, After: []string{a.ID}},
		{Direction: models.Downgrade, Revision: a, From: []string{a.ID}, Before: []string{a.ID}},
		{Direction: models.Stamp, From: []string{"b2"}, To: []string{"m3", "x4"}, Before: []string{"b2"}, After: []string{"m3", "x4"}},
		{Direction: models.Stamp, Before: nil, After: nil},
		{Direction: models.Upgrade, Revision: h, From: []string{"m3", "x\ty"}, To: []string{h.ID}, Before: []string{"m3"}, After: []string{h.ID}},
	}
}

func fixtureFailures() []*models.Failure {
	return []*models.Failure{
		nil,
		{},
		{SQLState: "42P01", Message: `relation "nowhere" does not exist`, Detail: "some detail", Hint: "a hint",
			Statement: "INSERT INTO nowhere\n  VALUES (1)", Path: "versions/b2.sql", Line: 7},
		{Message: "cancelled", Path: "versions/b2.sql", Line: 9, Statement: "CREATE INDEX CONCURRENTLY i ON t (x)", Ran: 2},
		{Message: "boom", Path: "versions/b2.sql"},
		{SQLState: "XX\x1b", Message: "bad\tthing \x1b[2J\u202eevil", Detail: "d\r\ne", Hint: "h\x07", Statement: "SELECT\t1\n\x1b]0;t\x07", Path: "versions/h\x00.sql", Line: 2, Ran: 3},
	}
}

func fixtureErrors() []error {
	steps := fixtureSteps()
	lost := fmt.Errorf("%w: the COMMIT of step upgrade a -> b2 failed (connection reset): the step may or may not have been applied", engine.ErrCommitUnknown)
	fs := fixtureFailures()
	return []error{
		nil,
		errors.New("plan refused before anything ran: versions/b2.sql: revision b2 has no -- +downgrade section\nversions/a1.sql: another"),
		&revisions.CommandError{Message: "Can't locate revision identified by 'zz'", Detail: "no file defines it"},
		&engine.PartialError{Committed: nil, Failed: steps[1], Failure: fs[2], Err: fmt.Errorf("versions/b2.sql:7: ERROR: relation \"nowhere\" does not exist (SQLSTATE 42P01)")},
		&engine.PartialError{Committed: []models.Step{*steps[0]}, Failed: steps[1], Failure: fs[3], Err: fmt.Errorf("%w before versions/b2.sql:9: context canceled", engine.ErrCancelled)},
		&engine.PartialError{Committed: []models.Step{*steps[0], *steps[1]}, Failed: steps[2], Err: fmt.Errorf("%w before this step started: context canceled", engine.ErrCancelled)},
		&engine.PartialError{Committed: []models.Step{*steps[0]}, Failed: steps[1], Failure: fs[4], Err: lost},
		&engine.PartialError{Committed: []models.Step{*steps[0]}, Failed: steps[1], Failure: fs[1], Err: errors.New("version table changed behind the plan's back: it holds [x], the plan expected [a1b2c3d4e5f6a7b8]; reload and plan again")},
		lost,
		fmt.Errorf("%w: waited 1s for the lock on alembic_version, held by pid 4 (application_name \"retort\")", engine.ErrLockTimeout),
		errors.New("db said: \x1b[2J\tboom\nsecond \u202eline\r\n"),
		&engine.PartialError{Committed: []models.Step{*steps[0]}, Failed: steps[7], Failure: fs[5], Err: errors.New("evil\x1b]0;t\x07\n\tmore")},
	}
}

func fixtureDurations() []time.Duration {
	return []time.Duration{0, 740 * time.Microsecond, 12 * time.Millisecond, 1530 * time.Millisecond, 83 * time.Second, 2*time.Hour + 3*time.Second}
}

func fixturePlans() []*models.Plan {
	steps := fixtureSteps()
	return []*models.Plan{
		{Steps: []models.Step{*steps[0], *steps[1]}, Final: []string{"b2"}},
		{Steps: []models.Step{*steps[4]}, Final: nil},
		{Steps: []models.Step{*steps[5]}, Final: []string{"m3", "x4"}},
	}
}

func fixtureEvents() []models.Event {
	steps := fixtureSteps()
	fs := fixtureFailures()
	errs := fixtureErrors()
	t := time.Date(2024, 5, 2, 10, 31, 7, 0, time.UTC)
	ev := []models.Event{
		{Kind: models.EventLockWaiting, Index: -1, Message: "waiting for the migration lock on alembic_version, held by pid 12 (application_name \"retort\", user \"app\", from a local socket)"},
		{Kind: models.EventLockWaiting, Index: -1, Message: "waiting for the migration lock, held by\nsomeone on two lines"},
		{Kind: models.EventLockAcquired, Index: -1},
	}
	for i, s := range steps {
		ev = append(ev, models.Event{Kind: models.EventStepStarted, Index: i, Total: len(steps), Step: s})
	}
	for k, d := range fixtureDurations() {
		ev = append(ev, models.Event{Kind: models.EventStatement, Index: 1, Total: 3, Step: steps[1],
			SQL: []string{"SELECT 1", "INSERT INTO t\n    VALUES (1),\n           (2)", "UPDATE t SET x = 'a  b'"}[k%3], Line: 5, Duration: d, Rows: []int64{1, 0, -1, 2}[k%4]})
		ev = append(ev, models.Event{Kind: models.EventStepDone, Index: 1, Total: 3, Step: steps[1], Duration: d})
	}
	ev = append(ev,
		models.Event{Kind: models.EventNotice, Index: 1, Step: steps[1], Severity: "NOTICE", Message: "table \"t\" does not exist, skipping"},
		models.Event{Kind: models.EventNotice, Index: 1, Step: steps[1], Severity: "WARNING", Message: "careful", Detail: "w detail", Hint: "w hint"},
		models.Event{Kind: models.EventNotice, Index: 1, Step: steps[1], Severity: "WARNING", Message: "retort: the audit log retort_log could not be written\nsecond line", Hint: "only a hint"},
		models.Event{Kind: models.EventNotice, Index: 7, Step: steps[7], Severity: "NOTICE\x1b", Message: "tab\there \x1b[1mbold\u202e", Detail: "d\te\nf", Hint: "h\x00"},
		models.Event{Kind: models.EventLockWaiting, Index: -1, Message: "held by \x1b]0;pwned\x07\tsomeone\nelse"},
		models.Event{Kind: models.EventStatement, Index: 7, Total: 8, Step: steps[7], SQL: "INSERT\tINTO t\n VALUES ('\x1b[2J')", Line: 3, Duration: time.Millisecond, Rows: 1},
	)
	for k, err := range errs {
		if err == nil {
			continue
		}
		ev = append(ev, models.Event{Kind: models.EventStepFailed, Index: 1, Total: 3, Step: steps[1], Duration: time.Second,
			Failure: fs[k%len(fs)], Err: err})
	}
	for _, err := range errs {
		ev = append(ev, models.Event{Kind: models.EventRunDone, Index: -1, Err: err})
	}
	for i := range ev {
		ev[i].Time = t
	}
	return ev
}

// Interrupted are the inputs of the interrupted-run report.
type interruptedCase struct {
	RunErr  error
	Rows    []string
	ReadErr error
}

func fixtureInterrupted() []interruptedCase {
	var out []interruptedCase
	for _, err := range fixtureErrors() {
		out = append(out, interruptedCase{RunErr: err, Rows: []string{"a1", "b2"}})
	}
	out = append(out, interruptedCase{RunErr: nil, Rows: nil}, interruptedCase{RunErr: fixtureErrors()[3], ReadErr: errors.New("reading the version table alembic_version: connection refused")})
	return out
}
