package revisions

import (
	"strings"
)

// collectUpgrade is `_collect_upgrade_revisions`: the revisions needed to go
// from lower (the current state) to upper (the target), and the targets.
func (r resolver) collectUpgrade(upper, lower arg, inclusive, implicitBase, assertLen bool) (bitset, []int, error) {
	raw, err := r.parseUpgradeTarget(lower, upper, assertLen)
	if err != nil {
		return nil, nil, err
	}
	if err := r.isRevision(raw, "the target "+upper.String()); err != nil {
		return nil, nil, err
	}
	targets, err := r.filterTargetsByLowerLabel(raw, lower)
	if err != nil {
		return nil, nil, err
	}
	required, err := reachChecked(r.g, toAncestors, targets)
	if err != nil {
		return nil, nil, err
	}
	current, err := r.revisionsOf(lower)
	if err != nil {
		return nil, nil, err
	}
	if !implicitBase {
		for _, c := range current {
			if c != refNone && (c < 0 || !required.has(c)) {
				return nil, nil, &rangeError{lower: lower.String(), upper: upper.String()}
			}
		}
	}
	if len(current) > 0 && current[0] == refNone {
		if current, lower, err = r.relativeLower(upper, lower, assertLen); err != nil {
			return nil, nil, err
		}
	}
	if err := r.isRevision(current, "the current revision "+lower.String()); err != nil {
		return nil, nil, err
	}
	have, err := reachChecked(r.g, toAncestors, current)
	if err != nil {
		return nil, nil, err
	}
	needs := required.clone()
	needs.subtract(have)
	if inclusive {
		low, err := r.revisionsOf(lower)
		if err != nil {
			return nil, nil, err
		}
		if err := r.isRevision(low, lower.String()); err != nil {
			return nil, nil, err
		}
		for _, x := range low {
			needs.add(x)
		}
	}
	if len(current) > 0 && !implicitBase {
		below, err := reachChecked(r.g, toChildren, current)
		if err != nil {
			return nil, nil, err
		}
		needs.intersect(below)
	}
	return needs, targets, nil
}

// filterTargetsByLowerLabel handles `label@...` as the lower bound of a
// history range: only targets carrying that label count.
func (r resolver) filterTargetsByLowerLabel(targets []int, lower arg) ([]int, error) {
	if !lower.isStr || !strings.Contains(lower.str(), "@") {
		return targets, nil
	}
	branch, _, _ := strings.Cut(lower.str(), "@")
	br, err := r.getRevision(branch)
	if err != nil {
		return nil, err
	}
	if br >= 0 && r.g.Revisions[br].ID == branch {
		// A revision id used as the label: take its (single) label.
		labels := r.g.EffectiveLabels[br]
		if len(labels) != 1 {
			return nil, crash("_collect_upgrade_revisions", "revision %s used as a branch in %q carries %d branch labels, not one", branch, lower.str(), len(labels))
		}
		branch = labels[0]
	}
	var out []int
	for _, t := range targets {
		if hasLabel(r.g.EffectiveLabels[t], branch) {
			out = append(out, t)
		}
	}
	return out, nil
}

// relativeLower resolves a relative lower bound (`-2:` in a history range)
// by walking down from upper.
func (r resolver) relativeLower(upper, lower arg, assertLen bool) ([]int, arg, error) {
	target := lower.String()
	if lower.isStr {
		target = lower.str()
	}
	_, rev, err := r.parseDowngradeTarget(upper, target, assertLen)
	if err != nil {
		return nil, lower, err
	}
	switch rev {
	case refNone:
		return nil, lower, crash("_collect_upgrade_revisions", "the range start %s names no revision", target)
	case refBase:
		return nil, arg{}, nil
	}
	return []int{rev}, strArg(r.g.Revisions[rev].ID), nil
}

// collectDowngrade is `_collect_downgrade_revisions`: the applied revisions
// that must be downgraded to reach target from the current rows, the rows
// themselves, and the target.
func (r resolver) collectDowngrade(rows arg, target string, assertLen bool) (bitset, []int, error) {
	label, trev, err := r.parseDowngradeTarget(rows, target, assertLen)
	if err != nil {
		return nil, nil, err
	}
	if trev == refBase {
		trev = refNone
	}
	roots := r.g.Bases
	if trev != refNone {
		roots = r.g.Children[trev]
	}
	if label != "" && len(roots) > 1 {
		br, err := r.resolveBranch(label)
		if err != nil {
			return nil, nil, err
		}
		onBranch := reach(r.g, toParents, br)
		var kept []int
		for _, x := range roots {
			if onBranch.has(x) {
				kept = append(kept, x)
			}
		}
		if len(kept) == 0 {
			return nil, nil, revErr(ErrBadDowngradeTarget, "Not a valid downgrade target from current heads")
		}
		roots = kept
	}
	heads, err := r.revisionsOf(rows)
	if err != nil {
		return nil, nil, err
	}
	drop := reach(r.g, toDescendants, roots...)
	drop.intersect(reach(r.g, toAncestors, heads...))
	if trev != refNone && drop.empty() && !contains(heads, trev) {
		return nil, nil, &rangeError{lower: "Nothing to drop", upper: rows.String()}
	}
	return drop, heads, nil
}
