package report

import (
	"errors"
	"strings"
	"testing"
	"time"

	"retort/engine"
	"retort/models"
	"retort/visible"
)

// hostile is text a revision file or a database could hold: escape
// sequences, a bell, a bidi override, NUL and a carriage return.
const hostile = "evil \x1b[2J\x1b]0;title\x07 \u202eabc\x00 end\r"

// TestControlCharactersShowVisibly: every output of the package shows the
// control characters of hostile text as visible stand-ins, removing
// nothing, and lets none reach the terminal.
func TestControlCharactersShowVisibly(t *testing.T) {
	rev := &models.Revision{ID: "id" + hostile, Message: hostile, Path: "versions/" + hostile}
	step := &models.Step{Direction: models.Upgrade, Revision: rev, From: []string{hostile}, To: []string{rev.ID}}
	f := &models.Failure{SQLState: "XX000", Message: hostile, Detail: hostile, Hint: hostile, Statement: hostile, Path: rev.Path, Line: 3, Ran: 1}
	err := &engine.PartialError{Failed: step, Failure: f, Err: errors.New(hostile)}
	events := []models.Event{
		{Kind: models.EventLockWaiting, Message: hostile},
		{Kind: models.EventStepStarted, Step: step, Total: 1},
		{Kind: models.EventStatement, Step: step, SQL: hostile},
		{Kind: models.EventNotice, Step: step, Severity: "NOTICE", Message: hostile, Detail: hostile, Hint: hostile},
		{Kind: models.EventStepFailed, Step: step, Failure: f, Err: err},
		{Kind: models.EventRunDone, Err: err},
		{Kind: models.EventRunDone, Err: errors.New(hostile)},
	}
	var outputs []string
	for _, ev := range events {
		outputs = append(outputs, Progress(ev))
		for _, l := range LogLines(ev, Glyphs{}) {
			outputs = append(outputs, l.Text)
		}
	}
	plan := &models.Plan{Steps: []models.Step{*step}, Final: []string{hostile}}
	outputs = append(outputs, strings.Join(Result(plan, err, time.Second, Glyphs{}).Lines(), "\n"),
		strings.Join(Result(plan, nil, time.Second, Glyphs{}).Lines(), "\n"),
		InterruptedRun(err, []string{hostile}, nil), InterruptedRun(nil, nil, errors.New(hostile)))
	for k, out := range outputs {
		for _, r := range out {
			if r != '\n' && r != '\t' && visible.Control(r) {
				t.Errorf("output %d lets %U through: %q", k, r, out)
				break
			}
		}
	}
	all := strings.Join(outputs, "\n")
	for _, want := range []string{"evil ␛[2J␛]0;title␇ <U+202E>abc␀ end", "id" + "evil ␛[2J"} {
		if !strings.Contains(all, want) {
			t.Errorf("the outputs lack %q", want)
		}
	}
}
