package revisions

import (
	"slices"
	"sort"
	"strings"

	"retort/models"
)

// maintainer is Alembic's HeadMaintainer: it tracks the version rows while a
// plan is built and records, for each step, the INSERT/UPDATE/DELETE that
// takes the table from one state to the next. Where Alembic would crash on
// an inconsistent table (deleting a row that is not there...), it returns an
// error instead.
type maintainer struct {
	g *models.Graph
	// rows is the current set of version rows, sorted. It is never changed
	// in place: every change makes a new slice, so that a step's After and
	// the next step's Before can share it.
	rows []string
	ops  []models.VersionOp
	// applied is every revision the rows imply (their ancestors*), and
	// needed[d] counts the applied revisions that list d in Down. They let
	// an ordinary step ask "does another row still imply my parent?" in
	// constant time: asking it by walking the ancestors of every other row,
	// as Alembic does, makes a long downgrade quadratic. Built on first use.
	applied bitset
	needed  []int32
	// anc answers the ancestor questions of merges and unmerges; built on
	// first use.
	anc *ancestry
}

func newMaintainer(g *models.Graph, rows []string) *maintainer {
	return &maintainer{g: g, rows: sortedCopy(rows)}
}

// sorted returns the rows (shared; callers must not modify the slice).
func (m *maintainer) sorted() []string { return m.rows }

// has reports whether v is a row.
func (m *maintainer) has(v string) bool {
	_, found := sort.Find(len(m.rows), func(k int) int { return strings.Compare(v, m.rows[k]) })
	return found
}

func (m *maintainer) insert(v string) error {
	k, found := sort.Find(len(m.rows), func(k int) int { return strings.Compare(v, m.rows[k]) })
	if found {
		return crash("_insert_version", "the version table already holds %s", v)
	}
	m.rows = slices.Insert(slices.Clip(m.rows), k, v)
	m.ops = append(m.ops, models.VersionOp{Kind: models.OpInsert, To: v})
	return nil
}

func (m *maintainer) delete(v string) error {
	k, found := sort.Find(len(m.rows), func(k int) int { return strings.Compare(v, m.rows[k]) })
	if !found {
		return crash("_delete_version", "the version table does not hold %s", v)
	}
	m.rows = slices.Delete(slices.Clone(m.rows), k, k+1)
	m.ops = append(m.ops, models.VersionOp{Kind: models.OpDelete, From: v})
	return nil
}

// update replaces the row from by to in one new slice: it runs once per
// step of a plan, on as many rows as there are branches.
func (m *maintainer) update(from, to string) error {
	j, found := m.find(to)
	if found {
		return crash("_update_version", "the version table already holds %s", to)
	}
	k, found := m.find(from)
	if !found {
		return crash("_update_version", "the version table does not hold %s", from)
	}
	old := m.rows
	rows := make([]string, len(old))
	if j <= k {
		copy(rows, old[:j])
		rows[j] = to
		copy(rows[j+1:], old[j:k])
		copy(rows[k+1:], old[k+1:])
	} else {
		copy(rows, old[:k])
		copy(rows[k:], old[k+1:j])
		rows[j-1] = to
		copy(rows[j:], old[j:])
	}
	m.rows = rows
	m.ops = append(m.ops, models.VersionOp{Kind: models.OpUpdate, From: from, To: to})
	return nil
}

// find is the position of v in the rows, or where it would go.
func (m *maintainer) find(v string) (int, bool) {
	return sort.Find(len(m.rows), func(k int) int { return strings.Compare(v, m.rows[k]) })
}

// track builds the applied set and the counts from the rows.
func (m *maintainer) track() {
	if m.applied != nil {
		return
	}
	m.applied = reach(m.g, toAncestors, m.heldPositions(nil)...)
	m.needed = make([]int32, m.g.Len())
	for _, x := range m.applied.members() {
		for _, d := range m.g.Down[x] {
			m.needed[d]++
		}
	}
}

// moved records that revision i was upgraded (up) or downgraded.
func (m *maintainer) moved(i int, up bool) {
	delta := int32(1)
	if up {
		m.applied.add(i)
	} else {
		m.applied.remove(i)
		delta = -1
	}
	for _, d := range m.g.Down[i] {
		m.needed[d] += delta
	}
}

// step runs fn and returns the step it made, with its ops and rows.
func (m *maintainer) step(s models.Step, fn func() error) (models.Step, error) {
	s.Before = m.rows
	m.ops = nil
	if err := fn(); err != nil {
		return s, err
	}
	s.Ops = m.ops
	s.After = m.rows
	return s, nil
}

// heldPositions lists the positions of the rows other than except.
func (m *maintainer) heldPositions(except map[string]bool) []int {
	var out []int
	for _, r := range m.rows {
		if except[r] {
			continue
		}
		if i, ok := m.g.Index[r]; ok {
			out = append(out, i)
		}
	}
	return out
}

// notImplied keeps the members of revs that are not ancestors of the rows
// other than except (those rows already imply them). It is asked at every
// merge and unmerge, so it asks the graph's ancestry rather than walking the
// ancestors of every row each time.
func (m *maintainer) notImplied(revs []int, except map[string]bool) []int {
	held := m.heldPositions(except)
	if m.anc == nil {
		m.anc = newAncestry(m.g, toAncestors)
	}
	if !m.anc.exact() {
		return m.notImpliedByWalking(revs, held)
	}
	var out []int
	for _, x := range revs {
		if !slices.ContainsFunc(held, func(r int) bool { return m.anc.isAncestor(x, r) }) {
			out = append(out, x)
		}
	}
	return out
}

// notImpliedByWalking is notImplied for a graph too large for the
// ancestry's chain sets: one walk from the rows.
func (m *maintainer) notImpliedByWalking(revs, held []int) []int {
	implied := reach(m.g, toAncestors, held...)
	var out []int
	for _, x := range revs {
		if !implied.has(x) {
			out = append(out, x)
		}
	}
	return out
}

func idSet(ids ...string) map[string]bool {
	s := make(map[string]bool, len(ids))
	for _, id := range ids {
		s[id] = true
	}
	return s
}

// parentsLeft is T of Alembic's unmerge: the revisions revision i needs that
// no row other than i's still implies. With one down revision d, another
// applied revision needing d implies it (it cannot be an ancestor of i, or d
// would be one too); with several, they may imply each other, so the answer
// is computed from the ancestors of the other rows, as Alembic does.
func (m *maintainer) parentsLeft(i int) []int {
	down := m.g.Down[i]
	if len(down) == 1 {
		if m.needed[down[0]] > 1 {
			return nil
		}
		return down
	}
	return m.notImplied(down, idSet(m.g.Revisions[i].ID))
}

// upgradeStep applies Alembic's rules for upgrading revision i:
// create a row, merge rows, or move a row up.
func (m *maintainer) upgradeStep(i int) (models.Step, error) {
	g := m.g
	rev := g.Revisions[i]
	down := g.IDs(g.Down[i])
	s := models.Step{Direction: models.Upgrade, Revision: rev, From: g.IDs(g.Parents[i]), To: []string{rev.ID}}
	m.track()
	defer m.moved(i, true)
	return m.step(s, func() error {
		var held []string
		for _, d := range down {
			if m.has(d) {
				held = append(held, d)
			}
		}
		switch {
		case len(down) == 0 || len(held) == 0:
			return m.insert(rev.ID)
		case len(down) > 1 && len(held) > 1:
			from := g.IDs(m.notImplied(g.Down[i], idSet(down...)))
			if len(from) == 0 {
				return crash("merge_branch_idents", "every parent of merge %s is implied by another version row", rev.ID)
			}
			for _, f := range from[:len(from)-1] {
				if err := m.delete(f); err != nil {
					return err
				}
			}
			return m.update(from[len(from)-1], rev.ID)
		case len(down) == 1:
			return m.update(down[0], rev.ID)
		}
		return m.update(held[0], rev.ID)
	})
}

// downgradeStep applies Alembic's rules for downgrading revision i: delete
// its row, unmerge it into several, or move it down.
func (m *maintainer) downgradeStep(i int) (models.Step, error) {
	g := m.g
	rev := g.Revisions[i]
	down := g.IDs(g.Down[i])
	s := models.Step{Direction: models.Downgrade, Revision: rev, From: []string{rev.ID}, To: g.IDs(g.Parents[i])}
	m.track()
	defer m.moved(i, false)
	return m.step(s, func() error {
		if m.has(rev.ID) {
			to := g.IDs(m.parentsLeft(i))
			switch {
			case len(down) == 0 || len(to) == 0:
				return m.delete(rev.ID)
			case len(down) > 1:
				for _, t := range to[:len(to)-1] {
					if err := m.insert(t); err != nil {
						return err
					}
				}
				return m.update(rev.ID, to[len(to)-1])
			}
		}
		if len(down) == 1 {
			return m.update(rev.ID, down[0])
		}
		var held []string
		for _, d := range down {
			if m.has(d) {
				held = append(held, d)
			}
		}
		if len(held) != 1 {
			return crash("update_version_num", "cannot downgrade %s: its row is not in the version table", rev.ID)
		}
		return m.update(rev.ID, held[0])
	})
}

// stampStep applies one Alembic StampStep: from are the rows it replaces
// (in row order), to the row it writes; upgrade and branchMove are the
// StampStep flags.
func (m *maintainer) stampStep(from []string, to string, upgrade, branchMove bool) (models.Step, error) {
	s := models.Step{Direction: models.Stamp, From: from}
	if to != "" {
		s.To = []string{to}
	}
	return m.step(s, func() error {
		if !upgrade && branchMove {
			if len(from) != 1 {
				return crash("delete_version_num", "a stamp to base deletes one row at a time")
			}
			return m.delete(from[0])
		}
		if upgrade && to != "" && !m.has(to) && (branchMove || m.anyMissing(from)) {
			return m.insert(to)
		}
		if len(from) > 1 {
			for _, f := range from[:len(from)-1] {
				if err := m.delete(f); err != nil {
					return err
				}
			}
			return m.update(from[len(from)-1], to)
		}
		if len(from) != 1 || to == "" {
			return crash("update_version_num", "stamp step from %v to %q is not a single update", from, to)
		}
		return m.update(from[0], to)
	})
}

func (m *maintainer) anyMissing(ids []string) bool {
	for _, id := range ids {
		if !m.has(id) {
			return true
		}
	}
	return false
}
