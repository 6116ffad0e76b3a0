package report

import (
	"errors"
	"fmt"
	"testing"

	"retort/engine"
	"retort/models"
)

// A step whose COMMIT was lost is never described as rolled back.
func TestOutcomeWording(t *testing.T) {
	lost := fmt.Errorf("the COMMIT of step x failed: %w", engine.ErrCommitUnknown)
	if got := FailedHow(lost); got != "failed, outcome unknown: check the version table" {
		t.Errorf("FailedHow(lost commit) = %q", got)
	}
	if got := FailedHow(errors.New("syntax error")); got != "failed, rolled back" {
		t.Errorf("FailedHow(error) = %q", got)
	}
	cases := []struct {
		pe   *engine.PartialError
		want string
	}{
		{&engine.PartialError{Err: lost, Failure: &models.Failure{}}, "the outcome of the last step is unknown: check the version table"},
		{&engine.PartialError{Err: engine.ErrCancelled}, "it stopped between two steps"},
		{&engine.PartialError{Err: errors.New("boom"), Failure: &models.Failure{Ran: 2}}, "the failed step runs outside a transaction: 2 of its statements stay applied"},
		{&engine.PartialError{Err: errors.New("boom"), Failure: &models.Failure{}}, "the failed step rolled back"},
	}
	for _, c := range cases {
		if got := StoppedHow(c.pe); got != c.want {
			t.Errorf("StoppedHow(%v) = %q, want %q", c.pe.Err, got, c.want)
		}
	}
}
