package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"retort/engine"
	"retort/models"
	"retort/revisions"
	"retort/ui/plain"
	"retort/visible"
)

// actionKind is what an action key asks for.
type actionKind uint8

const (
	actUpgradeOne actionKind = iota
	actUpgradeTo
	actDowngradeOne
	actDowngradeTo
	actStamp
	actPreview
)

// actionReq is an action on the selected revision. It names the graph it
// was asked on: a reload replaces the model's graph while the plan is being
// computed or shown, and a position or a plan of the old graph must not be
// read against the new one.
type actionReq struct {
	kind actionKind
	// g is the graph the action was asked on; rev is the selected
	// revision's position in g, id its id.
	g   *models.Graph
	rev int
	id  string
	// idWidth is how many characters of an id the History shows: the
	// typed confirmation asks for the id as shown there.
	idWidth int
	// seq tells two requests apart, so that the plan of a modal that was
	// closed never lands in a later one.
	seq int
}

// planAction computes the plan of an action from the version rows. It is
// pure: the UI runs it in a Cmd because plans on large graphs take a while.
//
//   - u: the first step of the plan to the selection; when the selection is
//     applied or out of reach, one step up (`+1`), or with several version
//     rows one step up the selection's branch (`<sel>@+1`).
//   - U: the plan to the selection.
//   - d: the first step of the plan down to the selection's parent (to
//     `<sel>@base` for a base), that is one step toward un-applying it; when
//     the selection is not applied, `-1`. With several version rows, one
//     step down the selection's branch (`<sel>@-1`).
//   - D: the plan down to the selection (which stays applied).
//   - s: stamp the selection.
//   - p: what moving the database to the selection would run: the upgrade
//     plan when it is pending, else the downgrade plan.
func planAction(rows []string, applied []bool, req actionReq) (*models.Plan, error) {
	g := req.g
	rev := g.Revisions[req.rev]
	isApplied := applied != nil && applied[req.rev]
	switch req.kind {
	case actUpgradeOne:
		p, err := revisions.Upgrade(g, rows, rev.ID)
		if err == nil && !p.Empty() {
			return firstStep(p), nil
		}
		if len(rows) > 1 {
			return branchStep(g, rows, rev, "+1")
		}
		p2, err2 := revisions.Upgrade(g, rows, "+1")
		if err2 != nil {
			if err != nil {
				return nil, fmt.Errorf("cannot upgrade toward %s: %w; one step up (+1): %w", rev.ShortID(), err, err2)
			}
			return nil, fmt.Errorf("%s is applied; one step up (+1): %w", rev.ShortID(), err2)
		}
		return firstStep(p2), nil
	case actUpgradeTo:
		return revisions.Upgrade(g, rows, rev.ID)
	case actDowngradeOne:
		if len(rows) > 1 {
			return branchStep(g, rows, rev, "-1")
		}
		target := "-1"
		if isApplied {
			target = rev.ID + "@base"
			if len(rev.Parents) > 0 {
				target = rev.Parents[0]
			}
		}
		p, err := revisions.Downgrade(g, rows, target)
		if err != nil {
			return nil, err
		}
		return firstStep(p), nil
	case actDowngradeTo:
		return revisions.Downgrade(g, rows, rev.ID)
	case actStamp:
		return revisions.Stamp(g, rows, []string{rev.ID}, false)
	case actPreview:
		if isApplied {
			return revisions.Downgrade(g, rows, rev.ID)
		}
		return revisions.Upgrade(g, rows, rev.ID)
	}
	return nil, fmt.Errorf("unknown action %d", req.kind)
}

// branchStep is Alembic's plan for `<rev>@+1` or `<rev>@-1`: one step up or
// down the line of rev, from the version row on it, whatever the other rows.
// It is the whole plan, as `alembic upgrade <rev>@+1` runs it: a step up to
// a merge brings the merge's other parents along. Below where several
// rows part there is no one row to start from, and the error says so.
func branchStep(g *models.Graph, rows []string, rev *models.Revision, rel string) (*models.Plan, error) {
	target := rev.ID + "@" + rel
	plan := revisions.Upgrade
	if rel == "-1" {
		plan = revisions.Downgrade
	}
	p, err := plan(g, rows, target)
	if errors.Is(err, revisions.ErrAmbiguousWalk) || errors.Is(err, revisions.ErrRefused) {
		var on []string
		for _, r := range rows {
			if sharesLine(g, r, rev.ID) {
				on = append(on, r)
			}
		}
		if len(on) > 1 {
			key := "u"
			if rel == "-1" {
				key = "d"
			}
			return nil, plain.Say(err, fmt.Sprintf("%s is below where the current revisions %s part, so one step from it is not on one branch: "+
				"select a revision on the branch to move, then press %s", rev.ID, strings.Join(on, " and "), key))
		}
	}
	return p, err
}

// sharesLine reports whether the revisions a and b are on one line of
// history: one of them needs the other.
func sharesLine(g *models.Graph, a, b string) bool {
	i, ok := g.Index[a]
	j, ok2 := g.Index[b]
	if !ok || !ok2 {
		return false
	}
	return revisions.Needed(g, i)[j] || revisions.Needed(g, j)[i]
}

// branchName names the branch of revision i in a title: its labels and
// its id, else "of <its id>".
func branchName(g *models.Graph, i int) string {
	if labels := g.EffectiveLabels[i]; len(labels) > 0 {
		return visible.Line(strings.Join(labels, ",")) + " (" + visible.Line(g.Revisions[i].ShortID()) + ")"
	}
	return "of " + visible.Line(g.Revisions[i].ShortID())
}

// firstStep cuts a plan to its first step.
func firstStep(p *models.Plan) *models.Plan {
	if len(p.Steps) <= 1 {
		return p
	}
	one := *p
	one.Steps = p.Steps[:1]
	one.Final = p.Steps[0].After
	return &one
}

// guarded reports whether running the plan needs the typed confirmation:
// anything that runs a downgrade.
func guarded(p *models.Plan) bool {
	for _, s := range p.Steps {
		if s.Direction == models.Downgrade {
			return true
		}
	}
	return false
}

// stampDrops are the revisions a stamp marks as not applied without
// running their downgrade (applied before it, not after it), newest first;
// none for a plan that is not a stamp. A stamp that drops any is guarded
// like a downgrade.
func stampDrops(g *models.Graph, p *models.Plan) []*models.Revision {
	if p == nil || p.Command != "stamp" {
		return nil
	}
	before, after := appliedBy(g, p.Start), appliedBy(g, p.Final)
	var out []*models.Revision
	for _, i := range g.History {
		if before[i] && !after[i] {
			out = append(out, g.Revisions[i])
		}
	}
	return out
}

// appliedBy are the revisions the version rows count as applied: the rows
// and everything they need.
func appliedBy(g *models.Graph, rows []string) []bool {
	var held []int
	for _, id := range rows {
		if i, ok := g.Index[id]; ok {
			held = append(held, i)
		}
	}
	return revisions.Needed(g, held...)
}

// planCmd plans an action on its graph and previews what it would run.
func planCmd(e Engine, rows []string, applied []bool, req actionReq) tea.Cmd {
	return func() tea.Msg {
		plan, err := planAction(rows, applied, req)
		if err != nil || plan.Empty() {
			return planReadyMsg{req: req, plan: plan, err: err}
		}
		p, err := e.Preview(plan)
		if err != nil {
			return planReadyMsg{req: req, plan: plan, err: fmt.Errorf("the plan cannot run: %w", err)}
		}
		return planReadyMsg{req: req, plan: plan, preview: p}
	}
}

// waitEventsCmd waits for the next events of a run and takes whatever
// else has come, so that a burst of statements costs one message and one
// frame. When program, the program's context, ends, nobody reads any more:
// the run goes on to its end without a reader.
func waitEventsCmd(program context.Context, run *engine.Run) tea.Cmd {
	return func() tea.Msg {
		evs, ok := run.Next(program, drainMax)
		return runEventsMsg{events: evs, closed: !ok}
	}
}
