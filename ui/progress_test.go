package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"retort/engine"
	"retort/models"
	"retort/revisions"
	"retort/ui/confirm"
)

// bigStepPlan writes a revision whose upgrade inserts n rows, one statement
// each, reads it back and plans its upgrade from base: one step of n
// statements.
func bigStepPlan(tb testing.TB, n int) *models.Plan {
	tb.Helper()
	dir := tb.TempDir()
	var b strings.Builder
	b.WriteString("-- Revision ID: 9a0000000001\n-- Revises:\n-- Message: many inserts\n\n-- +upgrade\nCREATE TABLE t (id INTEGER);\n")
	for k := 2; k <= n; k++ {
		fmt.Fprintf(&b, "INSERT INTO t VALUES (%d);\n", k)
	}
	b.WriteString("\n-- +downgrade\nDROP TABLE t;\n")
	if err := os.WriteFile(filepath.Join(dir, "9a0000000001_many_inserts.sql"), []byte(b.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
	g, err := revisions.Load(dir)
	if err != nil {
		tb.Fatal(err)
	}
	plan, err := revisions.Upgrade(g, nil, "head")
	if err != nil {
		tb.Fatal(err)
	}
	if len(plan.Steps) != 1 {
		tb.Fatalf("the plan has %d steps, want 1", len(plan.Steps))
	}
	return plan
}

// runningModel is a model whose modal follows a run of plan, its first
// step started, as after the engine's first events.
func runningModel(plan *models.Plan) Model {
	m := New(Config{Dirs: []string{"versions"}, Now: fixedNow})
	next, _ := m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	m = next.(Model)
	m.actions.open = true
	m.actions.modal = confirm.New(m.ctx.Styles, "Upgrade to").ShowPlan(plan, &engine.Preview{}, confirm.Confirmation{}).StartRun(fixedNow())
	m.actions.run = &runState{plan: plan, cancel: func() {}, live: &engine.Run{}}
	next, _ = m.Update(runEventsMsg{events: []models.Event{
		{Kind: models.EventStepStarted, Index: 0, Total: 1, Step: &plan.Steps[0]},
	}})
	return next.(Model)
}

// statementEvent is the event of one statement of plan's first step.
func statementEvent(plan *models.Plan, sql string) runEventsMsg {
	return runEventsMsg{events: []models.Event{{Kind: models.EventStatement, Index: 0, Total: 1, Step: &plan.Steps[0], SQL: sql}}}
}

// TestProgressFollowsStatements: the modal names the statement that runs,
// by its position in the step and its text, as statement events arrive.
func TestProgressFollowsStatements(t *testing.T) {
	plan := bigStepPlan(t, 5)
	m := runningModel(plan)
	if got, want := m.actions.modal.StatementLine(), "statement 1 of 5: CREATE TABLE t (id INTEGER)"; got != want {
		t.Fatalf("after the step started: %q, want %q", got, want)
	}
	for k := 1; k <= 5; k++ {
		next, _ := m.Update(statementEvent(plan, "..."))
		m = next.(Model)
		want := fmt.Sprintf("statement %d of 5: INSERT INTO t VALUES (%d)", k+1, k+1)
		if k == 5 {
			want = "committing the step"
		}
		if got := m.actions.modal.StatementLine(); got != want {
			t.Fatalf("after %d statement events: %q, want %q", k, got, want)
		}
	}
}

// BenchmarkStatementEvent is the Update of one statement event in a step
// of 100 and of 5,000 statements: the cost must not grow with the step
// (the engine waits for the UI to read its events while it holds the
// step's transaction).
func BenchmarkStatementEvent(b *testing.B) {
	for _, n := range []int{100, 5000} {
		b.Run(fmt.Sprintf("statements=%d", n), func(b *testing.B) {
			plan := bigStepPlan(b, n)
			m := runningModel(plan)
			ev := statementEvent(plan, "INSERT INTO t VALUES (2)")
			var tm tea.Model = m
			for b.Loop() {
				tm, _ = tm.Update(ev)
			}
		})
	}
}
