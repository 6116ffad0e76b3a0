package engine

import (
	"context"
	"errors"
	"testing"

	"retort/models"
)

// TestWarningsAndErrorsCarryDetailAndHint: a WARNING raised by a statement
// reaches the listener with its DETAIL and HINT, and so does a WARNING
// raised by the statement that then fails; the failure carries the error's
// SQLSTATE, message, DETAIL and HINT, in the step-failed event and in the
// PartialError.
func TestWarningsAndErrorsCarryDetailAndHint(t *testing.T) {
	url := pgtestDatabase(t)
	up := "DO $$ BEGIN RAISE WARNING 'careful' USING DETAIL = 'w detail', HINT = 'w hint'; END $$;\n" +
		"DO $$ BEGIN\n  RAISE WARNING 'last words';\n" +
		"  RAISE EXCEPTION 'boom' USING ERRCODE = 'P0099', DETAIL = 'e detail', HINT = 'e hint';\nEND $$;"
	rev := makeRev(revSpec{id: "w1", up: up, down: "SELECT 1;"})
	plan := &models.Plan{Final: []string{"w1"}, Steps: []models.Step{{Direction: models.Upgrade, Revision: rev,
		To: []string{"w1"}, Ops: []models.VersionOp{{Kind: models.OpInsert, To: "w1"}}, After: []string{"w1"}}}}
	rec := &recorder{}
	err := open(t, url).Apply(context.Background(), plan, rec.sink)
	var pe *PartialError
	if !errors.As(err, &pe) || pe.Failure == nil {
		t.Fatalf("Apply: %v, want a *PartialError with a failure", err)
	}
	want := models.Failure{SQLState: "P0099", Message: "boom", Detail: "e detail", Hint: "e hint",
		Path: rev.Path, Line: rev.Upgrade.Line + 1,
		Statement: "DO $$ BEGIN\n  RAISE WARNING 'last words';\n" +
			"  RAISE EXCEPTION 'boom' USING ERRCODE = 'P0099', DETAIL = 'e detail', HINT = 'e hint';\nEND $$"}
	if *pe.Failure != want {
		t.Errorf("failure %+v\nwant    %+v", *pe.Failure, want)
	}
	var notices []models.Event
	var failed *models.Event
	for _, e := range rec.all() {
		switch e.Kind {
		case models.EventNotice:
			notices = append(notices, e)
		case models.EventStepFailed:
			failed = &e
		}
	}
	if len(notices) != 2 {
		t.Fatalf("%d notices, want 2: %+v", len(notices), notices)
	}
	if n := notices[0]; n.Severity != "WARNING" || n.Message != "careful" || n.Detail != "w detail" || n.Hint != "w hint" || n.Index != 0 {
		t.Errorf("first notice %+v, want WARNING careful with its detail and hint", n)
	}
	if n := notices[1]; n.Severity != "WARNING" || n.Message != "last words" || n.Detail != "" || n.Hint != "" {
		t.Errorf("second notice %+v, want the failing statement's WARNING last words", n)
	}
	if failed == nil || failed.Failure == nil || *failed.Failure != want || failed.Line != want.Line || failed.SQL != want.Statement {
		t.Errorf("step-failed event %+v, want the failure %+v", failed, want)
	}
}
