package revisions

import (
	"regexp"
	"strconv"
	"strings"

	"retort/models"
)

// A resolved element is a revision position, or one of these: Alembic's
// resolver returns None for "no revision" (base, or a walk that ran out) and
// the string "base" when a walk goes below a base.
const (
	refNone = -1
	refBase = -2
)

// relativeTarget is Alembic's `_relative_destination`, matched at the start
// of the string only (Python's re.match has no end anchor): `label@`,
// a symbol, then a signed number.
var relativeTarget = regexp.MustCompile(`^(?:(.+?)@)?(\w+)?([+-]\d+)`)

// resolver ports Alembic's RevisionMap identifier resolution onto a Graph.
// Every method follows the Alembic method named in its comment, including
// the order in which it tries things, because the error a user sees depends
// on that order.
type resolver struct {
	g *models.Graph
}

// key looks up an exact revision id or branch label.
func (r resolver) key(k string) (int, bool) {
	if i, ok := r.g.Index[k]; ok {
		return i, true
	}
	i, ok := r.g.LabelOwner[k]
	return i, ok
}

// keys lists every key of Alembic's revision map in its order: revision ids
// in load order, then branch labels (by declaring revision, in load order).
func (r resolver) keys() []string {
	out := make([]string, 0, r.g.Len()+len(r.g.LabelOwner))
	for _, rev := range r.g.Revisions {
		out = append(out, rev.ID)
	}
	for _, rev := range r.g.Revisions {
		for _, l := range rev.BranchLabels {
			if owner, ok := r.g.LabelOwner[l]; ok && r.g.Revisions[owner] == rev {
				out = append(out, l)
			}
		}
	}
	return out
}

// resolveNumber is `_resolve_revision_number`: it splits `label@rest` and
// expands `heads`, `head` and `base` into identifiers.
func (r resolver) resolveNumber(id string) (ids []string, label string, err error) {
	if before, after, ok := strings.Cut(id, "@"); ok {
		label, id = before, after
	}
	switch id {
	case "heads":
		if label != "" {
			heads, err := r.filterForLineage(r.g.Heads, label, false)
			return r.g.IDs(heads), label, err
		}
		return r.g.IDs(r.g.RealHeads), label, nil
	case "head":
		h, err := r.currentHead(label)
		if err != nil || h == refNone {
			return nil, label, err
		}
		return []string{r.g.Revisions[h].ID}, label, nil
	case "base":
		return nil, label, nil
	}
	return []string{id}, label, nil
}

// currentHead is `get_current_head`: the one versioned head, filtered by
// lineage with label.
func (r resolver) currentHead(label string) (int, error) {
	heads := r.g.Heads
	if label != "" {
		var err error
		if heads, err = r.filterForLineage(heads, label, false); err != nil {
			return refNone, err
		}
	}
	if len(heads) > 1 {
		arg := "head"
		if label != "" {
			arg = label + "@head"
		}
		return refNone, &multipleHeadsError{heads: r.g.IDs(heads), argument: arg}
	}
	if len(heads) == 0 {
		return refNone, nil
	}
	return heads[0], nil
}

// filterForLineage is `filter_for_lineage`: the targets that share lineage
// with what checkAgainst names.
func (r resolver) filterForLineage(targets []int, checkAgainst string, withDeps bool) ([]int, error) {
	if len(targets) == 0 {
		return nil, nil // Alembic resolves checkAgainst per target: none, no error
	}
	ids, label, err := r.resolveNumber(checkAgainst)
	if err != nil {
		return nil, err
	}
	var shares []string
	if label != "" {
		shares = append(shares, label)
	}
	shares = append(shares, ids...)
	against := make([]int, 0, len(shares))
	for _, s := range shares {
		i, err := r.revisionForIdent(s, "")
		if err != nil {
			return nil, err
		}
		if i >= 0 {
			against = append(against, i)
		}
	}
	var out []int
	for _, t := range targets {
		if len(shares) == 0 || sharesLineage(r.g, t, against, withDeps) {
			out = append(out, t)
		}
	}
	return out, nil
}

// resolveBranch is `_resolve_branch`: a branch label, an exact id, or else
// any identifier (prefix) naming a revision.
func (r resolver) resolveBranch(label string) (int, error) {
	if i, ok := r.key(label); ok {
		return i, nil
	}
	i, err := r.revisionForIdent(label, "")
	if _, isRes := err.(*resolutionError); isRes {
		return refNone, &resolutionError{msg: "No such branch: '" + label + "'", argument: label}
	}
	return i, err
}

// revisionForIdent is `_revision_for_ident`: an exact key, else a unique
// prefix of the keys longer than three characters; with checkBranch, the
// revision must share lineage with that branch.
func (r resolver) revisionForIdent(ident, checkBranch string) (int, error) {
	branchRev := refNone
	if checkBranch != "" {
		var err error
		if branchRev, err = r.resolveBranch(checkBranch); err != nil {
			return refNone, err
		}
	}
	rev, ok := r.key(ident)
	if !ok {
		var err error
		if rev, err = r.byPrefix(ident, checkBranch, branchRev); err != nil {
			return refNone, err
		}
	}
	if checkBranch != "" && !sharesLineage(r.g, rev, []int{branchRev}, false) {
		return refNone, &resolutionError{
			msg:      "Revision " + r.g.Revisions[rev].ID + " is not a member of branch '" + checkBranch + "'",
			argument: ident,
		}
	}
	return rev, nil
}

// byPrefix resolves a partial identifier.
func (r resolver) byPrefix(prefix, checkBranch string, branchRev int) (int, error) {
	if prefix == "" {
		return refNone, crash("_revision_for_ident", "an empty revision identifier names nothing")
	}
	var cands []int
	var names []string
	for _, k := range r.keys() {
		if len(k) > 3 && strings.HasPrefix(k, prefix) {
			i, _ := r.key(k)
			cands = append(cands, i)
			names = append(names, k)
		}
	}
	if branchRev != refNone && len(cands) > 0 {
		var keptC []int
		var keptN []string
		for n, c := range cands {
			if sharesLineage(r.g, c, []int{branchRev}, false) {
				keptC, keptN = append(keptC, c), append(keptN, names[n])
			}
		}
		cands, names = keptC, keptN
	}
	switch {
	case len(cands) == 0:
		hint := ""
		if len(prefix) < 4 {
			hint = "; please ensure at least four characters are present for partial revision identifier matches"
		}
		return refNone, &resolutionError{msg: "No such revision or branch '" + prefix + "'" + hint, argument: prefix}
	case len(cands) > 1:
		return refNone, &resolutionError{msg: ambiguousPrefix(prefix, names), argument: prefix, candidates: names}
	}
	return cands[0], nil
}

// ambiguousPrefix is the reason Alembic hides behind "Can't locate
// revision": its own message names three candidates and "...", retort's
// names every one, which is what a user needs to pick one.
func ambiguousPrefix(prefix string, names []string) string {
	return "Multiple revisions start with '" + prefix + "': " + strings.Join(names, ", ")
}

// getRevisions is `get_revisions` for one string: `heads`, `head`, `base`,
// `label@...`, an id or prefix, or `label@-N` (walk down from the heads).
func (r resolver) getRevisions(id string) ([]int, error) {
	ids, label, err := r.resolveNumber(id)
	if err != nil {
		return nil, err
	}
	if len(ids) == 1 {
		if n, convErr := strconv.Atoi(ids[0]); convErr == nil && n < 0 {
			return r.walkFromHeads(label, n)
		}
	}
	out := make([]int, 0, len(ids))
	for _, x := range ids {
		i, err := r.revisionForIdent(x, label)
		if err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	return out, nil
}

// walkFromHeads is the `label@-N` branch of get_revisions: walk down from
// each real head carrying the label.
func (r resolver) walkFromHeads(label string, n int) ([]int, error) {
	var out []int
	for _, h := range r.g.RealHeads {
		if label != "" && !hasLabel(r.g.EffectiveLabels[h], label) {
			continue
		}
		w, err := r.walk(h, n, "", true)
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, nil
}

func hasLabel(labels []string, l string) bool {
	for _, x := range labels {
		if x == l {
			return true
		}
	}
	return false
}

// getRevisionsOf is get_revisions for a tuple: each element in turn.
func (r resolver) getRevisionsOf(ids []string) ([]int, error) {
	var out []int
	for _, id := range ids {
		got, err := r.getRevisions(id)
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	return out, nil
}

// getRevision is `get_revision`: exactly one revision (or none, for base).
func (r resolver) getRevision(id string) (int, error) {
	ids, label, err := r.resolveNumber(id)
	if err != nil {
		return refNone, err
	}
	if len(ids) > 1 {
		return refNone, &multipleHeadsError{heads: ids, argument: id}
	}
	if len(ids) == 0 {
		if label != "" {
			// Alembic resolves the branch even for `label@base`.
			if _, err := r.resolveBranch(label); err != nil {
				return refNone, err
			}
		}
		return refNone, nil
	}
	return r.revisionForIdent(ids[0], label)
}

// walk is `_walk`: n steps up (children, filtered by lineage with label) or
// down (parents) from start. It returns refNone when the walk runs out and
// noOverwalk is set, refBase when it steps below a base.
func (r resolver) walk(start, n int, label string, noOverwalk bool) (int, error) {
	cur := start
	steps := n
	if steps < 0 {
		steps = -steps
	}
	for k := 0; k < steps; k++ {
		next, err := r.walkStep(cur, n > 0, label)
		if err != nil {
			return refNone, err
		}
		if len(next) == 0 {
			if noOverwalk {
				return refNone, nil
			}
			return cur, nil
		}
		if len(next) > 1 {
			return refNone, revErr(ErrAmbiguousWalk, "Ambiguous walk")
		}
		cur = next[0]
	}
	return cur, nil
}

// walkStep lists where one step of a walk can go from cur.
func (r resolver) walkStep(cur int, up bool, label string) ([]int, error) {
	if up {
		if cur == refBase {
			return nil, crash("_walk", "cannot walk up from below the base")
		}
		next := r.g.Bases
		if cur != refNone {
			next = r.g.Children[cur]
		}
		if label == "" {
			return next, nil
		}
		return r.filterForLineage(next, label, false)
	}
	switch {
	case cur == refBase:
		return nil, nil
	case cur == refNone:
		return r.g.Heads, nil
	case len(r.g.Parents[cur]) == 0:
		return []int{refBase}, nil
	}
	return r.g.Parents[cur], nil
}

// allCurrent is `_get_all_current`: the rows and their ancestors, reduced to
// those with no descendant (through parents) in the set.
func (r resolver) allCurrent(rows []int) []int {
	set := reach(r.g, toAncestors, rows...)
	var out []int
	for _, i := range set.members() {
		// The set is closed under ancestors, so a revision has a descendant
		// in it exactly when one of its children is in it.
		top := true
		for _, c := range r.g.Children[i] {
			if set.has(c) {
				top = false
				break
			}
		}
		if top {
			out = append(out, i)
		}
	}
	return out
}
