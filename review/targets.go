package review

import (
	"fmt"
	"slices"
	"strings"

	"retort/models"
	"retort/revisions"
)

// Target is what a review compares: the heads of the branches, by
// position in the graph, and the merge revision whose parents they are
// (-1 when heads were named).
type Target struct {
	Merge int
	Heads []int
}

// Targets resolves `retort review`'s arguments: one merge revision (its
// parents are the heads), or two or more revisions ("heads" names every
// head), each resolved as `retort show` resolves it.
func Targets(g *models.Graph, args []string) (Target, error) {
	if len(args) == 0 {
		return Target{}, fmt.Errorf("name a merge revision, two or more revisions, or heads")
	}
	var found []int
	for _, arg := range args {
		revs, err := revisions.Show(g, arg)
		if err != nil {
			return Target{}, err
		}
		if len(revs) == 0 {
			return Target{}, fmt.Errorf("%q names no revision to review", arg)
		}
		for _, i := range revs {
			if !slices.Contains(found, i) {
				found = append(found, i)
			}
		}
	}
	if len(found) == 1 {
		i := found[0]
		if g.IsMergePoint(i) || len(g.Missing[i]) > 0 && len(g.Revisions[i].Parents) > 1 {
			return MergeTarget(g, i)
		}
		if len(args) == 1 && args[0] == "heads" {
			return Target{}, fmt.Errorf("there is one head, %s: no branches to review", g.Revisions[i].ID)
		}
		return Target{}, fmt.Errorf("%s is not a merge: name a merge revision, or two or more revisions to review", g.Revisions[i].ID)
	}
	return HeadsTarget(g, found)
}

// MergeTarget reviews the branches merge revision i joins.
func MergeTarget(g *models.Graph, i int) (Target, error) {
	rev := g.Revisions[i]
	if len(g.Missing[i]) > 0 {
		return Target{}, fmt.Errorf("%s: the merge %s names %s, which no file defines", rev.Path, rev.ID, strings.Join(g.Missing[i], ", "))
	}
	if !g.IsMergePoint(i) {
		return Target{}, fmt.Errorf("%s is not a merge", rev.ID)
	}
	t, err := HeadsTarget(g, g.Parents[i])
	t.Merge = i
	return t, err
}

// HeadsTarget reviews the branches ending at heads (two or more, none an
// ancestor of another).
func HeadsTarget(g *models.Graph, heads []int) (Target, error) {
	if len(heads) < 2 {
		return Target{}, fmt.Errorf("a review needs two or more branches")
	}
	for _, h := range heads {
		line := revisions.Lineage(g, h)
		for _, o := range heads {
			if o != h && line[o] {
				return Target{}, fmt.Errorf("%s is an ancestor of %s: name the newest revision of each branch",
					g.Revisions[o].ID, g.Revisions[h].ID)
			}
		}
	}
	return Target{Merge: -1, Heads: slices.Clone(heads)}, nil
}

// layout is where a review's revisions are: each branch's by position,
// oldest first, and what each head needs applied (by position).
type layout struct {
	revs   [][]int
	needed [][]bool
}

// Split lays out the review of t, without what the revisions touch: the
// common ancestors (through parents), each branch's revisions since them,
// oldest first, and which other branches have each of them already
// (Revision.KnownTo).
func Split(g *models.Graph, t Target) *Review {
	r, _ := split(g, t)
	return r
}

func split(g *models.Graph, t Target) (*Review, layout) {
	r := &Review{Heads: g.IDs(t.Heads), Ancestors: []Ref{}, Shared: []Shared{}}
	if t.Merge >= 0 {
		m := refOf(g.Revisions[t.Merge])
		r.Merge = &m
	}
	lines := make([][]bool, len(t.Heads))
	lay := layout{revs: make([][]int, len(t.Heads)), needed: make([][]bool, len(t.Heads))}
	for k, h := range t.Heads {
		lines[k] = revisions.Lineage(g, h)
		lay.needed[k] = revisions.Needed(g, h)
	}
	common := make([]bool, g.Len())
	for i := range common {
		common[i] = true
		for _, l := range lines {
			common[i] = common[i] && l[i]
		}
	}
	for _, i := range g.History {
		if common[i] && !hasChildIn(g, i, common) {
			r.Ancestors = append(r.Ancestors, refOf(g.Revisions[i]))
		}
	}
	oldestFirst := slices.Clone(g.History)
	slices.Reverse(oldestFirst)
	for k, h := range t.Heads {
		b := Branch{Head: g.Revisions[h].ID, Labels: slices.Clone(g.EffectiveLabels[h])}
		if b.Labels == nil {
			b.Labels = []string{}
		}
		for _, i := range oldestFirst {
			if !lines[k][i] || common[i] {
				continue
			}
			lay.revs[k] = append(lay.revs[k], i)
			rv := Revision{ID: g.Revisions[i].ID, Touches: []Touch{}, KnownTo: []string{}}
			for l, other := range t.Heads {
				if l != k && lay.needed[l][i] {
					rv.KnownTo = append(rv.KnownTo, g.Revisions[other].ID)
				}
			}
			b.Revisions = append(b.Revisions, rv)
		}
		if b.Revisions == nil {
			b.Revisions = []Revision{}
		}
		r.Branches = append(r.Branches, b)
	}
	return r, lay
}

// hasChildIn reports whether a child of revision i is in set.
func hasChildIn(g *models.Graph, i int, set []bool) bool {
	for _, c := range g.Children[i] {
		if set[c] {
			return true
		}
	}
	return false
}
