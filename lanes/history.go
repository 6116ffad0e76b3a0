package lanes

import "retort/models"

// Entry is one row of a drawn history: a revision, or a placeholder for a
// parent that no file defines (so that a broken history can still be drawn
// and browsed).
type Entry struct {
	// Rev is the revision's position in Graph.Revisions, -1 for a
	// placeholder.
	Rev int
	// Missing is the id of the missing parent a placeholder stands for.
	Missing string
}

// History turns the revisions of g listed in order (newest first, as
// revisions.History gives them) into rows: each revision, and after the last
// revision naming a missing parent, a placeholder for that parent. It returns
// the rows and their edges for Compute.
func History(g *models.Graph, order []int) ([]Entry, []Node) {
	lastRef := map[string]int{} // missing id -> position in order of its last child
	var missing []string
	for k, i := range order {
		for _, id := range g.Missing[i] {
			if _, seen := lastRef[id]; !seen {
				missing = append(missing, id)
			}
			lastRef[id] = k
		}
	}
	after := make(map[int][]string, len(missing))
	for _, id := range missing {
		after[lastRef[id]] = append(after[lastRef[id]], id)
	}
	entries := make([]Entry, 0, len(order)+len(missing))
	// rowOfRev is a slice, not a map: it is read once per edge, and a map
	// lookup was a tenth of the layout's time on a large history.
	rowOfRev := make([]int, len(g.Revisions))
	for i := range rowOfRev {
		rowOfRev[i] = -1 // not drawn
	}
	rowOfMissing := make(map[string]int, len(missing))
	for k, i := range order {
		rowOfRev[i] = len(entries)
		entries = append(entries, Entry{Rev: i})
		for _, id := range after[k] {
			rowOfMissing[id] = len(entries)
			entries = append(entries, Entry{Rev: -1, Missing: id})
		}
	}
	nodes := make([]Node, len(entries))
	for r, e := range entries {
		if e.Rev >= 0 {
			nodes[r] = edgesOf(g, e.Rev, rowOfRev, rowOfMissing)
		}
	}
	return entries, nodes
}

// edgesOf lists revision i's edges as rows: parents in declared order (a
// missing parent goes to its placeholder), then dependencies. Revisions
// outside the drawn rows are left out.
func edgesOf(g *models.Graph, i int, rowOfRev []int, rowOfMissing map[string]int) Node {
	var n Node
	if len(g.Missing[i]) == 0 {
		// Every parent is a revision, and Parents has their positions
		// in declared order: no id to look up.
		for _, p := range g.Parents[i] {
			if r := rowOfRev[p]; r >= 0 {
				n.Parents = append(n.Parents, r)
			}
		}
	} else {
		for _, id := range g.Revisions[i].Parents {
			if p, ok := g.Index[id]; ok {
				if r := rowOfRev[p]; r >= 0 {
					n.Parents = append(n.Parents, r)
				}
			} else if r, ok := rowOfMissing[id]; ok {
				n.Parents = append(n.Parents, r)
			}
		}
	}
	for _, d := range g.Deps[i] {
		if r := rowOfRev[d]; r >= 0 {
			n.Deps = append(n.Deps, r)
		}
	}
	return n
}
