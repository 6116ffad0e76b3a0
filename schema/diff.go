package schema

import (
	"slices"
	"strings"
)

// Op says how an object differs between two snapshots.
type Op string

const (
	// Added: the object is only in the second snapshot.
	Added Op = "added"
	// Removed: the object is only in the first.
	Removed Op = "removed"
	// Changed: both have it (same Key), with different definitions.
	Changed Op = "changed"
)

// marker is how the text form marks an Op.
func (op Op) marker() string {
	switch op {
	case Added:
		return "+"
	case Removed:
		return "-"
	}
	return "~"
}

// Change is one object that differs.
type Change struct {
	Op Op `json:"change"`
	// Object is the object as the second snapshot has it (as the first
	// had it, when Removed).
	Object Object `json:"object"`
	// Was is the object as the first snapshot had it, when Changed.
	Was *Object `json:"was,omitempty"`
}

// Group is the changes to one top-level object and what belongs to it (a
// table, its columns, constraints, indexes...).
type Group struct {
	// Owner is the top-level object's name; Kind its kind.
	Owner string `json:"owner"`
	Kind  Kind   `json:"kind"`
	// Changes are in the snapshot's order: the object itself first.
	Changes []Change `json:"changes"`
}

// Compare lists what differs from a to b, grouped by top-level object (by
// table), in the snapshots' stable order. Columns are compared by name and
// definition, not by position. Nil when nothing differs.
func Compare(a, b *Snapshot) []Group {
	before := map[string]Object{}
	for _, o := range a.Objects {
		before[o.Key()] = o
	}
	after := map[string]bool{}
	var changes []Change
	for _, o := range b.Objects {
		k := o.Key()
		after[k] = true
		old, ok := before[k]
		switch {
		case !ok:
			changes = append(changes, Change{Op: Added, Object: o})
		case old.Def != o.Def:
			was := old
			changes = append(changes, Change{Op: Changed, Object: o, Was: &was})
		}
	}
	for _, o := range a.Objects {
		if !after[o.Key()] {
			changes = append(changes, Change{Op: Removed, Object: o})
		}
	}
	return group(changes, topKinds(a, b))
}

// topKinds maps the names of the top-level objects of both snapshots to
// their kinds.
func topKinds(snaps ...*Snapshot) map[string]Kind {
	top := map[string]Kind{}
	for _, s := range snaps {
		for _, o := range s.Objects {
			if o.Table == "" {
				top[o.Name] = o.Kind
			}
		}
	}
	return top
}

// group sorts the changes and cuts them into groups.
func group(changes []Change, top map[string]Kind) []Group {
	slices.SortStableFunc(changes, func(x, y Change) int { return compareObjects(x.Object, y.Object, top) })
	var out []Group
	for _, c := range changes {
		owner := c.Object.Owner()
		if len(out) == 0 || out[len(out)-1].Owner != owner {
			out = append(out, Group{Owner: owner, Kind: groupKind(c.Object, top)})
		}
		g := &out[len(out)-1]
		g.Changes = append(g.Changes, c)
	}
	return out
}

// DiffText shows the groups as `retort diff` prints them: each group under
// its top-level object's line, each change marked + (added), - (removed) or
// ~ (changed, with the old and new definitions below, line by line for a
// definition of several lines). The top-level object's own line carries
// the mark when it is what changed. Raw text, as Text.
func DiffText(groups []Group) string {
	var b strings.Builder
	for i, g := range groups {
		if i > 0 {
			b.WriteByte('\n')
		}
		if len(g.Changes) == 0 || g.Changes[0].Object.Table != "" {
			b.WriteString(string(g.Kind) + " " + g.Owner + "\n")
		}
		for _, c := range g.Changes {
			indent := "  "
			if c.Object.Table == "" {
				indent = ""
			}
			writeChange(&b, c, indent)
		}
	}
	return b.String()
}

// writeChange writes one change, indented.
func writeChange(b *strings.Builder, c Change, indent string) {
	mark := c.Op.marker() + " "
	if c.Op != Changed {
		b.WriteString(Line(c.Object, indent+mark))
		return
	}
	head := c.Object
	head.Def = ""
	b.WriteString(Line(head, indent+mark))
	for _, l := range lineDiff(c.Was.Def, c.Object.Def) {
		b.WriteString(indent + "    " + l + "\n")
	}
}

// lineDiff compares two definitions line by line: the lines of a longest
// common subsequence kept with "  ", the others marked "- " and "+ ".
// Definitions are short (a view, a function), so the quadratic table is
// fine.
func lineDiff(was, now string) []string {
	a, b := splitDef(was), splitDef(now)
	// lcs[i][j] is the length of the longest common subsequence of a[i:]
	// and b[j:].
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []string
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			out = append(out, "  "+a[i])
			i++
			j++
		case j == len(b) || (i < len(a) && lcs[i+1][j] >= lcs[i][j+1]):
			out = append(out, "- "+a[i])
			i++
		default:
			out = append(out, "+ "+b[j])
			j++
		}
	}
	return out
}

// splitDef cuts a definition into lines; an empty one is one line saying
// so.
func splitDef(def string) []string {
	if def == "" {
		return []string{"(no definition)"}
	}
	return strings.Split(strings.TrimRight(def, "\n"), "\n")
}
