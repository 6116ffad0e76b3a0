package revisions

import (
	"strings"

	"retort/models"
)

// result is what one recorded Alembic command did when retort ran it.
type result struct {
	err           error
	steps         []models.Step
	before, after state
	// startResolved: an offline command got as far as its start rows.
	startResolved bool
}

// execute runs an Alembic command line (argv after `alembic`) with retort's
// planner against a simulated database.
func execute(g *models.Graph, db state, argv []string) result {
	res := result{before: db, after: db}
	var pos []string
	sql, purge, rangeArg := false, false, ""
	for k := 1; k < len(argv); k++ {
		switch argv[k] {
		case "--sql":
			sql = true
		case "--purge":
			purge = true
		case "-r":
			k++
			rangeArg = argv[k]
		default:
			pos = append(pos, argv[k])
		}
	}
	var plan *models.Plan
	switch argv[0] {
	case "history":
		// The lines printed are compared by the CLI's tests.
		_, res.err = History(g, rangeArg, db.rows)
		return res
	case "current":
		_, res.err = Current(g, db.rows)
		return res
	case "upgrade":
		if sql {
			res.startResolved, res.after = offlineStartState(g, pos[0], false)
			plan, res.err = UpgradeOffline(g, pos[0])
		} else {
			plan, res.err = Upgrade(g, db.rows, pos[0])
		}
	case "downgrade":
		if sql {
			res.startResolved, res.after = offlineStartState(g, pos[0], true)
			plan, res.err = DowngradeOffline(g, pos[0])
		} else {
			plan, res.err = Downgrade(g, db.rows, pos[0])
		}
	case "stamp":
		if sql {
			res.startResolved, res.after = offlineStartState(g, pos[0], false)
			plan, res.err = StampOffline(g, pos, purge)
		} else {
			plan, res.err = Stamp(g, db.rows, pos, purge)
		}
	default:
		panic("unknown command " + argv[0])
	}
	if res.err != nil {
		// Nothing is applied: res.after stays the state before (online) or
		// the offline start rows, and compareOutcome holds Alembic's
		// recorded rows to that.
		return res
	}
	res.steps = plan.Steps
	res.after = state{rows: plan.Final, exists: true}
	return res
}

// offlineStartState resolves the FROM of an offline FROM:TO the way
// Alembic's offline context does, to know the rows a failed run stops at.
func offlineStartState(g *models.Graph, target string, needsRange bool) (bool, state) {
	from, _, ok := strings.Cut(target, ":")
	if !ok {
		return !needsRange, state{}
	}
	rows, err := OfflineStartRows(g, from)
	if err != nil {
		return false, state{}
	}
	return true, state{rows: rows, exists: true}
}
