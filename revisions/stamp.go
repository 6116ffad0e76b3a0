package revisions

import (
	"strings"

	"retort/models"
)

// stampOpts: stamp shows its own message for several heads.
var stampOpts = catchOpts{multipleHeads: "Multiple heads are present; please specify a single target revision"}

// Stamp plans `stamp TARGET...` from rows: the version rows are set as if the
// database had been migrated to the targets, without running anything.
// Alembic's rules are kept, surprising ones included (from rows on two
// branches, `stamp heads` can drop a branch's row); purge empties the table
// first.
func Stamp(g *models.Graph, rows []string, targets []string, purge bool) (*models.Plan, error) {
	if err := checkReadable(g); err != nil {
		return nil, err
	}
	start := sortedCopy(rows)
	if purge {
		rows = nil
	}
	plan, err := stampPlan(g, rows, targets)
	if err != nil {
		return nil, err
	}
	plan.Start, plan.Purge = start, purge
	return plan, nil
}

// StampOffline plans `stamp [FROM:]TARGET... --sql`.
func StampOffline(g *models.Graph, targets []string, purge bool) (*models.Plan, error) {
	if err := checkReadable(g); err != nil {
		return nil, err
	}
	if purge {
		return nil, cmdErr(ErrRange, "Can't use --purge with --sql mode")
	}
	var from string
	hasFrom := false
	dests := make([]string, len(targets))
	for k, t := range targets {
		f, d, ok := cutRange(t)
		dests[k] = d
		if !ok {
			continue
		}
		if hasFrom && f != from {
			return nil, cmdErr(ErrRange, "Stamp operation with --sql only supports a single starting revision at a time")
		}
		from, hasFrom = f, true
	}
	var rows []string
	if hasFrom {
		var err error
		if rows, err = offlineStart(g, from); err != nil {
			return nil, err
		}
	}
	return stampPlan(g, rows, dests)
}

// stampPlan is `ScriptDirectory._stamp_revs` followed by the HeadMaintainer.
func stampPlan(g *models.Graph, rows []string, dests []string) (*models.Plan, error) {
	r := resolver{g}
	if len(dests) == 0 {
		dests = []string{"base"}
	}
	held, err := r.getRevisionsOf(rows)
	if err != nil {
		return nil, catch(err, stampOpts)
	}
	filtered, err := r.stampFiltered(held, dests)
	if err != nil {
		return nil, catch(err, stampOpts)
	}
	resolved, err := r.getRevisionsOf(dests)
	if err != nil {
		return nil, catch(err, stampOpts)
	}
	if len(resolved) == 0 {
		resolved = []int{refNone}
	}
	plan := &models.Plan{Command: "stamp", Target: strings.Join(dests, " "), Start: sortedCopy(rows)}
	m := newMaintainer(g, rows)
	for _, d := range resolved {
		steps, err := r.stampDest(m, d, filtered)
		if err != nil {
			return nil, catch(err, stampOpts)
		}
		plan.Steps = append(plan.Steps, steps...)
	}
	plan.Final = m.sorted()
	return plan, nil
}

// stampFiltered: the held rows that share lineage (through depends_on too)
// with any destination as typed, in row order, each once. `base` matches
// every row.
func (r resolver) stampFiltered(held []int, dests []string) ([]int, error) {
	var out []int
	for _, d := range dests {
		if d == "" {
			continue
		}
		f, err := r.filterForLineage(held, d, true)
		if err != nil {
			return nil, err
		}
		for _, x := range f {
			if !contains(out, x) {
				out = append(out, x)
			}
		}
	}
	return out, nil
}

// stampDest makes the steps for one resolved destination.
func (r resolver) stampDest(m *maintainer, d int, filtered []int) ([]models.Step, error) {
	g := r.g
	from := g.IDs(filtered)
	if d < 0 { // base: delete every filtered row, one step each
		var steps []models.Step
		for _, f := range from {
			s, err := m.stampStep([]string{f}, "", false, true)
			if err != nil {
				return nil, err
			}
			steps = append(steps, s)
		}
		return steps, nil
	}
	if contains(filtered, d) {
		return nil, nil
	}
	below := reach(g, toDescendants, d)
	above := reach(g, toAncestors, d)
	var s models.Step
	var err error
	switch {
	case anyIn(below, filtered):
		if anyIn(above, filtered) {
			return nil, crash("_stamp_revs", "the version rows %s lie both above and below %s; stamp base first, or use --purge",
				strings.Join(from, ", "), g.Revisions[d].ID)
		}
		s, err = m.stampStep(from, g.Revisions[d].ID, false, false)
	case anyIn(above, filtered):
		s, err = m.stampStep(from, g.Revisions[d].ID, true, false)
	default:
		s, err = m.stampStep(nil, g.Revisions[d].ID, true, true)
	}
	if err != nil {
		return nil, err
	}
	return []models.Step{s}, nil
}

func anyIn(set bitset, list []int) bool {
	for _, x := range list {
		if set.has(x) {
			return true
		}
	}
	return false
}
