package revisions

import (
	"fmt"
	"sort"
	"strings"

	"retort/models"
)

// Upgrade plans `upgrade TARGET` against a database whose version table
// holds rows: the steps in Alembic's order, each with its version-table
// changes. TARGET takes every form Alembic accepts (`head`, `heads`, ids,
// prefixes, `label@head`, `+N`, `rev+N`, `label@+N`, ...). Errors carry
// Alembic's CLI message (*CommandError).
func Upgrade(g *models.Graph, rows []string, target string) (*models.Plan, error) {
	if err := checkReadable(g); err != nil {
		return nil, err
	}
	if strings.Contains(target, ":") {
		return nil, cmdErr(ErrRange, "Range revision not allowed")
	}
	return upgradePlan(g, rows, target)
}

// Downgrade plans `downgrade TARGET` from rows (`base`, ids, `-N`,
// `label@-N`, `label@base`, ...). A plan that would downgrade a revision
// without a downgrade section is refused before anything runs.
func Downgrade(g *models.Graph, rows []string, target string) (*models.Plan, error) {
	if err := checkReadable(g); err != nil {
		return nil, err
	}
	if strings.Contains(target, ":") {
		return nil, cmdErr(ErrRange, "Range revision not allowed")
	}
	return downgradePlan(g, rows, target)
}

// UpgradeOffline plans `upgrade [FROM:]TO --sql`: the start rows are FROM's
// revision (none when FROM is absent or base).
func UpgradeOffline(g *models.Graph, target string) (*models.Plan, error) {
	if err := checkReadable(g); err != nil {
		return nil, err
	}
	from, to, hasFrom := cutRange(target)
	var rows []string
	if hasFrom {
		var err error
		if rows, err = offlineStart(g, from); err != nil {
			return nil, err
		}
	}
	return upgradePlan(g, rows, to)
}

// DowngradeOffline plans `downgrade FROM:TO --sql`.
func DowngradeOffline(g *models.Graph, target string) (*models.Plan, error) {
	if err := checkReadable(g); err != nil {
		return nil, err
	}
	from, to, hasFrom := cutRange(target)
	if !hasFrom {
		return nil, cmdErr(ErrRange, "downgrade with --sql requires <fromrev>:<torev>")
	}
	rows, err := offlineStart(g, from)
	if err != nil {
		return nil, err
	}
	return downgradePlan(g, rows, to)
}

// OfflineStartRows resolves the FROM of an offline `FROM:TO` range into the
// version rows the plan starts from.
func OfflineStartRows(g *models.Graph, from string) ([]string, error) {
	if err := checkReadable(g); err != nil {
		return nil, err
	}
	return offlineStart(g, from)
}

// checkReadable refuses to plan while a revision's file could not be read
// whole, even a plan that does not reach it: an unknown parent, dependency
// or label changes the graph's shape, so no plan of it can be trusted. The
// refusal lists every problem with its file and line.
func checkReadable(g *models.Graph) error {
	if len(g.Unreadable) == 0 {
		return nil
	}
	var b strings.Builder
	if n := len(g.Unreadable); n == 1 {
		b.WriteString("cannot plan while 1 revision cannot be read (an unknown parent, dependency or label may change the graph's shape); fix it first:")
	} else {
		fmt.Fprintf(&b, "cannot plan while %d revisions cannot be read (an unknown parent, dependency or label may change the graph's shape); fix them first:", n)
	}
	for _, i := range g.Unreadable {
		for _, line := range strings.Split(g.Revisions[i].Problem.Error(), "\n") {
			b.WriteString("\n  " + line)
		}
	}
	return &CommandError{Class: ErrUnreadable, Message: b.String()}
}

// cutRange splits Alembic's `FROM:TO`.
func cutRange(target string) (from, to string, ok bool) {
	from, to, ok = strings.Cut(target, ":")
	if !ok {
		return "", target, false
	}
	return from, to, true
}

// offlineStart is what Alembic's offline context does with FROM: base means
// no rows, anything else must be exactly one revision.
func offlineStart(g *models.Graph, from string) ([]string, error) {
	if from == "base" {
		return nil, nil
	}
	if strings.Contains(from, ":") {
		return nil, cmdErr(ErrRange, "a range has one ':' (FROM:TO), not several")
	}
	r := resolver{g}
	i, err := r.getRevision(from)
	if err != nil {
		return nil, catch(err, catchOpts{})
	}
	if i < 0 {
		return nil, catch(crash("get_current_heads", "the range start %q names no revision", from), catchOpts{})
	}
	return []string{g.Revisions[i].ID}, nil
}

func upgradePlan(g *models.Graph, rows []string, target string) (*models.Plan, error) {
	r := resolver{g}
	opts := catchOpts{
		ancestor: "Destination %[2]s is not a valid upgrade target from current head(s)",
		end:      target, hasEnd: true,
	}
	needs, targets, err := r.collectUpgrade(strArg(target), tupleArg(rows), false, true, true)
	if err != nil {
		return nil, catch(err, opts)
	}
	order := topoSort(g, needs, targets)
	if len(order) != needs.count() {
		return nil, unordered(g, needs, order)
	}
	plan := &models.Plan{Command: "upgrade", Target: target, Start: sortedCopy(rows)}
	m := newMaintainer(g, rows)
	for k := len(order) - 1; k >= 0; k-- {
		s, err := m.upgradeStep(order[k])
		if err != nil {
			return nil, catch(err, opts)
		}
		plan.Steps = append(plan.Steps, s)
	}
	plan.Final = m.sorted()
	return plan, nil
}

func downgradePlan(g *models.Graph, rows []string, target string) (*models.Plan, error) {
	r := resolver{g}
	opts := catchOpts{
		ancestor:      "Destination %[2]s is not a valid downgrade target from current head(s)",
		ancestorClass: ErrBadDowngradeTarget,
		end:           target, hasEnd: true,
	}
	drop, heads, err := r.collectDowngrade(tupleArg(rows), target, true)
	if err != nil {
		return nil, catch(err, opts)
	}
	order := topoSort(g, drop, heads)
	if len(order) != drop.count() {
		return nil, unordered(g, drop, order)
	}
	plan := &models.Plan{Command: "downgrade", Target: target, Start: sortedCopy(rows)}
	m := newMaintainer(g, rows)
	for _, i := range order {
		s, err := m.downgradeStep(i)
		if err != nil {
			return nil, catch(err, opts)
		}
		plan.Steps = append(plan.Steps, s)
	}
	plan.Final = m.sorted()
	return plan, checkDowngradable(plan)
}

// checkDowngradable refuses a plan that would reach a revision without a
// downgrade section, naming every such revision, before anything runs.
func checkDowngradable(plan *models.Plan) error {
	var missing []string
	for _, s := range plan.Steps {
		r := s.Revision
		if r.Format == models.FormatSQL && !r.Downgrade.Present {
			missing = append(missing, fmt.Sprintf("%s (%s)", r.ID, r.Path))
		}
	}
	if len(missing) > 0 {
		return cmdErr(ErrNoDowngrade, "cannot downgrade to %s: no \"-- +downgrade\" section in %s", plan.Target, strings.Join(missing, ", "))
	}
	return nil
}

// unordered reports revisions Alembic's walk never reaches (it crashes with
// an AssertionError at the end of _topological_sort).
func unordered(g *models.Graph, todo bitset, order []int) error {
	left := todo.clone()
	for _, i := range order {
		left.remove(i)
	}
	return catch(crash("_topological_sort", "the walk from the target never reaches %s, so no order exists for them (a depends_on across trees)",
		strings.Join(g.IDs(left.members()), ", ")), catchOpts{})
}

func sortedCopy(rows []string) []string {
	out := append([]string(nil), rows...)
	sort.Strings(out)
	return out
}
