package revisions

import (
	"strconv"
	"strings"
)

// arg is an argument the way Alembic passes it around: a string typed by the
// user, or a tuple of identifiers (version rows). Several rules apply only to
// strings (relative syntax, `label@` filtering), so the difference is kept.
type arg struct {
	items []string
	isStr bool
}

func strArg(s string) arg     { return arg{items: []string{s}, isStr: true} }
func tupleArg(s []string) arg { return arg{items: s} }
func (a arg) str() string     { return a.items[0] }
func (a arg) String() string  { return strings.Join(a.items, ", ") }

// revisionsOf is get_revisions on an argument.
func (r resolver) revisionsOf(a arg) ([]int, error) {
	if a.isStr {
		return r.getRevisions(a.str())
	}
	return r.getRevisionsOf(a.items)
}

// parseRelative matches Alembic's relative syntax; ok is false for an
// absolute identifier.
func parseRelative(target string) (label, symbol, relStr string, rel int, ok bool) {
	m := relativeTarget.FindStringSubmatch(target)
	if m == nil {
		return "", "", "", 0, false
	}
	n, err := strconv.Atoi(m[3])
	if err != nil { // more digits than an int holds: no revision is that far
		return "", "", "", 0, false
	}
	return m[1], m[2], m[3], n, true
}

// didNotProduce is Alembic's "Relative revision ... didn't produce ..."
// error; rel is printed as Alembic prints it at that point (the typed
// "+1", or the number).
func didNotProduce(rel string, n int) error {
	if n < 0 {
		n = -n
	}
	return revErr(ErrRelative, "Relative revision %s didn't produce %d migrations", rel, n)
}

// parseUpgradeTarget is `_parse_upgrade_target`.
func (r resolver) parseUpgradeTarget(current arg, target arg, assertLen bool) ([]int, error) {
	if !target.isStr {
		return r.revisionsOf(target)
	}
	label, symbol, relStr, rel, ok := parseRelative(target.str())
	if !ok {
		return r.getRevisions(target.str())
	}
	if rel <= 0 {
		if symbol == "" {
			return nil, didNotProduce(strconv.Itoa(rel), rel)
		}
		start, err := r.symbolRevision(label, symbol)
		if err != nil {
			return nil, err
		}
		w, err := r.walk(start, rel, "", assertLen)
		return []int{w}, err
	}
	if symbol != "" {
		start, err := r.getRevision(symbol)
		if err != nil {
			return nil, err
		}
		w, err := r.walk(start, rel, label, assertLen)
		return []int{w}, err
	}
	start, err := r.upgradeStart(current, label)
	if err != nil {
		return nil, err
	}
	w, err := r.walk(start, rel, label, assertLen)
	if err != nil {
		return nil, err
	}
	if w == refNone {
		return nil, didNotProduce(relStr, rel)
	}
	return []int{w}, nil
}

// symbolRevision is get_revision(symbol) or get_revision("label@symbol").
func (r resolver) symbolRevision(label, symbol string) (int, error) {
	if label == "" {
		return r.getRevision(symbol)
	}
	return r.getRevision(label + "@" + symbol)
}

// upgradeStart finds where `+N` / `label@+N` walks from: the one current
// revision (on the label's lineage), else the tips of the applied part of
// that lineage, else nothing (base).
func (r resolver) upgradeStart(current arg, label string) (int, error) {
	rows := current.items
	if label == "" {
		if len(rows) == 0 {
			return refNone, nil
		}
		if len(rows) > 1 {
			return refNone, revErr(ErrAmbiguousWalk, "Ambiguous upgrade from multiple current revisions")
		}
		return r.getRevision(rows[0])
	}
	cur, err := r.getRevisionsOf(rows)
	if err != nil {
		return refNone, err
	}
	start, err := r.filterForLineage(cur, label, false)
	if err != nil {
		return refNone, err
	}
	if len(start) == 0 {
		if start, err = r.branchTips(cur, label); err != nil {
			return refNone, err
		}
	}
	switch len(start) {
	case 0:
		return refNone, nil
	case 1:
		return start[0], nil
	}
	return refNone, revErr(ErrAmbiguousWalk, "Ambiguous upgrade from multiple current revisions")
}

// branchTips: the applied revisions on the label's lineage that no other of
// them needs.
func (r resolver) branchTips(cur []int, label string) ([]int, error) {
	active, err := r.filterForLineage(reach(r.g, toAncestors, cur...).members(), label, false)
	if err != nil {
		return nil, err
	}
	needed := newBitset(r.g.Len())
	for _, a := range active {
		for _, d := range r.g.Down[a] {
			needed.add(d)
		}
	}
	var tips []int
	for _, a := range active {
		if !needed.has(a) {
			tips = append(tips, a)
		}
	}
	return tips, nil
}

// parseDowngradeTarget is `_parse_downgrade_target`. It returns the branch
// label that restricts the downgrade (possibly a revision id) and the target.
func (r resolver) parseDowngradeTarget(current arg, target string, assertLen bool) (string, int, error) {
	label, symbol, relStr, rel, ok := parseRelative(target)
	if !ok {
		label, symbol := "", target
		if k := strings.LastIndex(target, "@"); k >= 0 {
			label, symbol = target[:k], target[k+1:]
		}
		rev, err := r.getRevision(symbol)
		return label, rev, err
	}
	if rel >= 0 {
		if symbol == "" {
			return "", refNone, didNotProduce(relStr, rel)
		}
		start, err := r.getRevision(symbol)
		if err != nil {
			return "", refNone, err
		}
		w, err := r.walk(start, rel, label, assertLen)
		if err == nil && w == refNone {
			err = revErr(ErrRelative, "Walked too far")
		}
		return label, w, err
	}
	relative := symbol == ""
	if relative {
		var err error
		if label, symbol, err = r.downgradeStart(current, label, relStr, rel); err != nil {
			return "", refNone, err
		}
	}
	start, err := r.symbolRevision(label, symbol)
	if err != nil {
		return "", refNone, err
	}
	w, err := r.walk(start, rel, "", assertLen)
	if err == nil && w == refNone {
		if relative {
			err = didNotProduce(relStr, rel)
		} else {
			err = revErr(ErrRelative, "Walked too far")
		}
	}
	return label, w, err
}

// downgradeStart finds the revision `-N` / `label@-N` walks down from. Where
// Alembic takes the first row the database happens to return (several
// current heads, no label), retort refuses: the result would depend on the
// physical order of the version table.
func (r resolver) downgradeStart(current arg, label, relStr string, rel int) (string, string, error) {
	rows := current.items
	if label == "" {
		switch {
		case len(rows) == 0:
			return "", "", didNotProduce(relStr, rel)
		case len(rows) > 1:
			return "", "", cmdErr(ErrRefused,
				"downgrade %s from several current heads (%s) is ambiguous: Alembic would walk down from whichever row the database returns first. Name the branch to walk down ('%s@%s') or give the target revision",
				relStr, strings.Join(rows, ", "), rows[0], relStr)
		}
		return rows[0], rows[0], nil
	}
	cur, err := r.getRevisionsOf(rows)
	if err != nil {
		return "", "", err
	}
	list, err := r.filterForLineage(cur, label, false)
	if err != nil {
		return "", "", err
	}
	if len(list) == 0 {
		if list, err = r.filterForLineage(r.allCurrent(cur), label, false); err != nil {
			return "", "", err
		}
	}
	if len(list) == 0 {
		return "", "", crash("_parse_downgrade_target", "no current revision is on branch %s, so %s@%s has nowhere to start", label, label, relStr)
	}
	if len(list) > 1 {
		return "", "", crash("_parse_downgrade_target",
			"%s@%s is ambiguous: %d current revisions are on branch %s (%s); give the target revision instead",
			label, relStr, len(list), label, strings.Join(r.g.IDs(list), ", "))
	}
	return label, r.g.Revisions[list[0]].ID, nil
}

// isRevision mirrors Alembic's `is_revision` assertion on targets: a walk
// that ran out (None) or went below the base ("base") cannot be a target.
func (r resolver) isRevision(revs []int, what string) error {
	for _, x := range revs {
		if x < 0 {
			return crash("is_revision", "%s does not name a revision (the relative walk runs past the end of the history)", what)
		}
	}
	return nil
}
