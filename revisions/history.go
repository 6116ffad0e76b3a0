package revisions

import (
	"strings"

	"retort/models"
)

// History lists the revisions `alembic history [-r RANGE]` prints, newest
// first, as positions. rangeArg is "" for the whole history, else
// `[start]:[end]` with Alembic's forms; `current` on either side stands for
// the version rows given in current.
func History(g *models.Graph, rangeArg string, current []string) ([]int, error) {
	base, head := "base", "heads"
	if rangeArg != "" {
		start, end, err := splitHistoryRange(rangeArg)
		if err != nil {
			return nil, err
		}
		if start != "" {
			base = start
		}
		if end != "" {
			head = end
		}
	}
	lower, upper := strArg(base), strArg(head)
	// Alembic passes the rows for `current`, or the default when there are
	// none (`head or "heads"`).
	if base == "current" {
		lower = strArg("base")
		if len(current) > 0 {
			lower = tupleArg(current)
		}
	}
	if head == "current" {
		upper = strArg("heads")
		if len(current) > 0 {
			upper = tupleArg(current)
		}
	}
	opts := catchOpts{start: base, hasStart: true, end: head, hasEnd: true}
	r := resolver{g}
	needs, targets, err := r.collectUpgrade(upper, lower, true, false, false)
	if err != nil {
		return nil, catch(err, opts)
	}
	order := topoSort(g, needs, targets)
	if len(order) != needs.count() {
		return nil, unordered(g, needs, order)
	}
	return order, nil
}

// HistoryUsesCurrent reports whether `history -r RANGE` needs the
// database's version rows: when either end of the range is exactly
// `current`, the test Alembic makes (a label or id that merely contains
// the word does not count).
func HistoryUsesCurrent(rangeArg string) bool {
	if rangeArg == "" {
		return false
	}
	start, end, err := splitHistoryRange(rangeArg)
	return err == nil && (start == "current" || end == "current")
}

// splitHistoryRange is Alembic's `rev_range.strip().split(":")`: exactly one
// colon; either side may be empty.
func splitHistoryRange(rangeArg string) (start, end string, err error) {
	parts := strings.Split(strings.TrimSpace(rangeArg), ":")
	switch {
	case len(parts) < 2:
		return "", "", cmdErr(ErrRange, "History range requires [start]:[end], [start]:, or :[end]")
	case len(parts) > 2:
		return "", "", cmdErr(ErrRange, "History range %q has more than one ':'", rangeArg)
	}
	return parts[0], parts[1], nil
}
