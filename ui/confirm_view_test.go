package ui

import (
	"strings"
	"testing"
	"time"

	"retort/models"
)

// Once the run is over, the modal speaks of what ran, in the past tense,
// and says what became of each step.
func TestModalAfterTheRun(t *testing.T) {
	st := newStyles(false)
	a := &models.Revision{ID: "a10000000001", Message: "create t"}
	b := &models.Revision{ID: "b20000000002", Message: "drop t"}
	plan := &models.Plan{Command: "upgrade", Final: []string{b.ID}, Steps: []models.Step{
		{Direction: models.Upgrade, Revision: a, To: []string{a.ID}},
		{Direction: models.Upgrade, Revision: b, From: []string{a.ID}, To: []string{b.ID}},
	}}
	sql := "-- Running upgrade  -> a10000000001\nCREATE TABLE t (id int);\n-- Running upgrade a10000000001 -> b20000000002\nDROP TABLE t;\n"
	open := newConfirm(st, actionReq{}, "Upgrade").showPlan(plan, sql, "", "", false).setSize(76, 20)
	body := func(m confirmModel) string {
		var out []string
		for _, l := range append(m.header(), m.wrapped...) {
			out = append(out, l.plain())
		}
		return strings.Join(out, "\n")
	}
	if got := body(open); !strings.Contains(got, "SQL that will run, in this order (1 destructive statement):") {
		t.Fatalf("before the run:\n%s", got)
	}

	ok := open.startRun(fixedNow())
	ok.prog.done = []bool{true, true}
	ok = ok.finish(runResult(st, plan, nil, 3*time.Millisecond))
	got := body(ok)
	for _, want := range []string{"done: 2 step(s) committed", "SQL that ran, in this order (1 destructive statement):", "1  done", "2  done"} {
		if !strings.Contains(got, want) {
			t.Errorf("after a run that went through, %q is missing:\n%s", want, got)
		}
	}
	if strings.Contains(got, "will run") {
		t.Errorf("after the run the modal still says what will run:\n%s", got)
	}
	if !strings.Contains(body(open), "will run") {
		t.Error("finishing a copy changed the modal it was copied from")
	}

	stopped := open.startRun(fixedNow())
	stopped.prog.done = []bool{true, false}
	stopped = stopped.finish(nil)
	got = body(stopped)
	for _, want := range []string{"the run stopped at step 2 of 2", "1  done", "2  stopped"} {
		if !strings.Contains(got, want) {
			t.Errorf("after a run that stopped, %q is missing:\n%s", want, got)
		}
	}
}
