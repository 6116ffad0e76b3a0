package confirm

import (
	"regexp"
	"retort/engine"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"retort/models"
	"retort/ui/theme"
)

// Once the run is over, the modal speaks of what ran, in the past tense,
// and says what became of each step.
func TestModalAfterTheRun(t *testing.T) {
	st := theme.New(false)
	a := &models.Revision{ID: "a10000000001", Message: "create t"}
	b := &models.Revision{ID: "b20000000002", Message: "drop t"}
	plan := &models.Plan{Command: "upgrade", Final: []string{b.ID}, Steps: []models.Step{
		{Direction: models.Upgrade, Revision: a, To: []string{a.ID}},
		{Direction: models.Upgrade, Revision: b, From: []string{a.ID}, To: []string{b.ID}},
	}}
	sql := &engine.Preview{Destructive: 1, Items: []engine.PreviewItem{
		{Kind: engine.PreviewComment, Text: "-- Running upgrade  -> a10000000001"},
		{Kind: engine.PreviewStatement, Text: "CREATE TABLE t (id int)"},
		{Kind: engine.PreviewComment, Step: 1, Text: "-- Running upgrade a10000000001 -> b20000000002"},
		{Kind: engine.PreviewStatement, Step: 1, Text: "DROP TABLE t", Destructive: "drops a table"},
	}}
	open := New(st, "Upgrade").ShowPlan(plan, sql, Confirmation{}).SetSize(76, 20)
	body := func(m Model) string {
		var out []string
		for _, l := range append(m.header(), m.wrapped...) {
			out = append(out, l.Plain())
		}
		return strings.Join(out, "\n")
	}
	if got := body(open); !strings.Contains(got, "SQL that will run, in this order (1 destructive statement):") {
		t.Fatalf("before the run:\n%s", got)
	}

	ok := open.StartRun(fixedNow())
	ok.prog.done = []bool{true, true}
	ok = ok.Finish(RunResult(st, plan, nil, 3*time.Millisecond))
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

	started := func(k int) models.Event {
		return models.Event{Kind: models.EventStepStarted, Index: k, Total: 2, Step: &plan.Steps[k]}
	}
	finished := func(k int) models.Event { return models.Event{Kind: models.EventStepDone, Index: k, Total: 2} }
	for _, c := range []struct {
		name       string
		events     []models.Event
		want, gone []string
	}{
		{"a step that failed", []models.Event{started(0), finished(0), started(1)},
			[]string{"the run stopped at step 2 of 2", "1  done", "2  stopped"}, []string{"not run"}},
		{"refused before its first step (lock timeout, stale rows)", nil,
			[]string{"SQL of the plan, which did not run", "1  not run", "2  not run"}, []string{"stopped", "done"}},
		{"cancelled between two steps", []models.Event{started(0), finished(0)},
			[]string{"the run stopped after step 1 of 2", "1  done", "2  not run"}, []string{"2  stopped", "at step"}},
	} {
		m := open.StartRun(fixedNow())
		for _, ev := range c.events {
			m = m.OnEvent(ev)
		}
		got = body(m.Finish(nil))
		for _, want := range c.want {
			if !strings.Contains(got, want) {
				t.Errorf("after a run %s, %q is missing:\n%s", c.name, want, got)
			}
		}
		for _, gone := range c.gone {
			if strings.Contains(got, gone) {
				t.Errorf("after a run %s, %q should not be said:\n%s", c.name, gone, got)
			}
		}
	}
}

// sgr matches a whole SGR sequence, the only kind the styles draw.
var sgr = regexp.MustCompile("\x1b\\[[0-9;]*m")

// The typed id of a guarded downgrade, with the cursor moved into it (the
// character under the cursor is drawn reversed), wraps at narrow widths in
// colour without cutting an escape sequence in two: every line, stripped
// of its escape sequences, is plain text, and the reversed cursor is drawn.
func TestGuardInputWrapsInColour(t *testing.T) {
	defer lipgloss.SetColorProfile(termenv.Ascii)
	for _, profile := range []termenv.Profile{termenv.TrueColor, termenv.ANSI} {
		lipgloss.SetColorProfile(profile)
		st := theme.New(false)
		c := New(st, "Downgrade")
		c.phase, c.guard, c.accept, c.verb = PhaseConfirm, "2b0000000002", []string{"2b0000000002"}, "downgrade"
		for _, k := range []tea.KeyMsg{
			{Type: tea.KeyRunes, Runes: []rune("2b00 0000")},
			{Type: tea.KeyLeft}, {Type: tea.KeyLeft}, {Type: tea.KeyLeft}, {Type: tea.KeyLeft}, {Type: tea.KeyLeft},
		} {
			c, _ = c.Update(k)
		}
		if c.input.Pos() != 4 {
			t.Fatalf("the cursor is at %d, want 4 (on the space)", c.input.Pos())
		}
		reversed := false
		for w := 8; w <= 60; w++ {
			c = c.SetSize(w, 12)
			var typed strings.Builder
			for k, l := range c.View() {
				plain := sgr.ReplaceAllString(l, "")
				if strings.ContainsAny(plain, "\x1b[") {
					t.Fatalf("profile %v, %d columns: line %d holds a broken escape sequence: %q", profile, w, k, l)
				}
				if n := ansi.StringWidth(l); n != w {
					t.Errorf("profile %v, %d columns: line %d is %d wide: %q", profile, w, k, n, l)
				}
				reversed = reversed || strings.Contains(l, "\x1b[7m")
				typed.WriteString(strings.TrimSpace(plain))
			}
			if !strings.Contains(typed.String(), "2b000000") {
				t.Errorf("profile %v, %d columns: the typed text is not shown whole: %q", profile, w, typed.String())
			}
		}
		if !reversed {
			t.Errorf("profile %v: the cursor is never drawn reversed", profile)
		}
	}
}
