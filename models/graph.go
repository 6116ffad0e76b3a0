package models

// Graph is a loaded versions directory: the revisions in load order and the
// relations between them. Package revisions builds it (revisions.Load /
// revisions.Build) and owns every algorithm on it; the fields are exported so
// that other packages can read them cheaply. Treat a Graph as immutable.
//
// Relations are kept as positions into Revisions (ints), not ids, because the
// algorithms walk them many times on histories of tens of thousands of
// revisions.
type Graph struct {
	// Revisions in load order: files sorted by name (byte order), the order
	// Alembic's revision map would have on the same files. Every tie in
	// heads, history and plan order is broken by this order.
	Revisions []*Revision
	// Index maps a revision id to its position in Revisions.
	Index map[string]int
	// LabelOwner maps a declared branch label to the position of the
	// revision that declares it.
	LabelOwner map[string]int

	// Parents[i] are the positions of Revisions[i].Parents (declared order).
	// A parent that no file defines is left out here and listed in
	// Missing[i], so that a broken history can still be drawn.
	Parents [][]int
	// Missing[i] are the parent ids of revision i that no file defines.
	Missing [][]string
	// Deps[i] are the resolved depends_on of revision i (declared order,
	// labels resolved to their revision, duplicates dropped).
	Deps [][]int
	// NormDeps[i] are Deps[i] minus those an ancestor already depends on
	// (Alembic's "normalized" dependencies), in load order.
	NormDeps [][]int
	// Down[i] is Parents[i] followed by NormDeps[i], duplicates dropped:
	// everything revision i needs applied first.
	Down [][]int
	// Children[i] are the revisions naming i as a parent, in load order.
	Children [][]int
	// Dependents[i] are the revisions naming i in depends_on, in load order.
	Dependents [][]int

	// Heads have no children (what `alembic heads` lists), load order.
	Heads []int
	// RealHeads have neither children nor dependents; the target `heads`
	// means these.
	RealHeads []int
	// Bases have no parent; RealBases also have no depends_on. An
	// unreadable revision (Revision.Problem) is never listed as a base: its
	// parents may be unknown.
	Bases, RealBases []int
	// EffectiveLabels[i] are the branch labels revision i carries after
	// Alembic's propagation (to descendants, and down a linear run of
	// ancestors), sorted.
	EffectiveLabels [][]string
	// History is every revision in `alembic history` order, newest first.
	History []int
	// Unreadable are the revisions whose file could not be read whole
	// (Revision.Problem), in load order. No plan is made while there is one.
	Unreadable []int

	// Warnings are observations about the versions directories that belong
	// to no revision, each naming its file (an entry skipped because it is
	// not a regular file). A revision's own are in Revision.Warnings.
	Warnings []string
}

// Len is the number of revisions.
func (g *Graph) Len() int { return len(g.Revisions) }

// Rev returns the revision with the given id, or nil.
func (g *Graph) Rev(id string) *Revision {
	if i, ok := g.Index[id]; ok {
		return g.Revisions[i]
	}
	return nil
}

// IDs turns positions into revision ids.
func (g *Graph) IDs(positions []int) []string {
	out := make([]string, len(positions))
	for k, p := range positions {
		out[k] = g.Revisions[p].ID
	}
	return out
}

// IsHead reports whether revision i has no children.
func (g *Graph) IsHead(i int) bool { return len(g.Children[i]) == 0 }

// IsRealHead reports whether revision i has neither children nor dependents.
func (g *Graph) IsRealHead(i int) bool {
	return len(g.Children[i]) == 0 && len(g.Dependents[i]) == 0
}

// IsBranchPoint reports whether revision i has more than one child.
func (g *Graph) IsBranchPoint(i int) bool { return len(g.Children[i]) > 1 }

// IsMergePoint reports whether revision i has more than one parent.
func (g *Graph) IsMergePoint(i int) bool { return len(g.Parents[i]) > 1 }
