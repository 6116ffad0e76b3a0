package revisions

import (
	"path/filepath"
	"sort"
	"strings"

	"retort/models"
)

// The lines below are Alembic's (`Script._head_only` and `Script.log_entry`),
// so that scripts written against Alembic's output keep working. Where
// Alembic prints a Python set (labels, children), retort sorts it.

// lineOpts selects the parts of a line, as _head_only's arguments do.
type lineOpts struct {
	branches, doc, parents, tree bool
	current                      bool // print " (current)"
}

// headOnly renders one revision the way `Script._head_only` does.
func headOnly(g *models.Graph, i int, o lineOpts) string {
	rev := g.Revisions[i]
	var b strings.Builder
	if o.parents {
		b.WriteString(downRevisions(rev))
		if len(rev.DependsOn) > 0 {
			b.WriteString(" (" + strings.Join(rev.DependsOn, ", ") + ")")
		}
		b.WriteString(" -> ")
	}
	b.WriteString(rev.ID)
	if o.branches && len(g.EffectiveLabels[i]) > 0 {
		b.WriteString(" (" + strings.Join(g.EffectiveLabels[i], ", ") + ")")
	}
	if g.IsRealHead(i) {
		b.WriteString(" (head)")
	} else if g.IsHead(i) {
		b.WriteString(" (effective head)")
	}
	if o.current {
		b.WriteString(" (current)")
	}
	if o.tree {
		if g.IsBranchPoint(i) {
			b.WriteString(" (branchpoint)")
		}
		if g.IsMergePoint(i) {
			b.WriteString(" (mergepoint)")
		}
	}
	if o.doc {
		b.WriteString(", " + rev.Message)
	}
	return b.String()
}

// downRevisions is `_format_down_revision`: the parents, or <base>.
func downRevisions(rev *models.Revision) string {
	if len(rev.Parents) == 0 {
		return "<base>"
	}
	return strings.Join(rev.Parents, ", ")
}

// HistoryLine is one line of `alembic history` (with `-i`, current marks
// the revisions in the version table).
func HistoryLine(g *models.Graph, i int, current bool) string {
	return headOnly(g, i, lineOpts{branches: true, doc: true, parents: true, tree: true, current: current})
}

// HeadsLines are the lines of `alembic heads`; with resolveDeps, of
// `alembic heads --resolve-dependencies` (real heads only).
func HeadsLines(g *models.Graph, resolveDeps bool) []string {
	heads := g.Heads
	if resolveDeps {
		heads = g.RealHeads
	}
	out := make([]string, len(heads))
	for k, h := range heads {
		out[k] = headOnly(g, h, lineOpts{branches: true})
	}
	return out
}

// BranchesLines are the lines of `alembic branches`: each branch point in
// history order, its children indented below it, and a blank line.
func BranchesLines(g *models.Graph) []string {
	var out []string
	for _, i := range g.History {
		if !g.IsBranchPoint(i) {
			continue
		}
		out = append(out, headOnly(g, i, lineOpts{branches: true, tree: true}))
		indent := strings.Repeat(" ", len(g.Revisions[i].ID))
		var kids []string
		for _, c := range g.Children[i] {
			kids = append(kids, indent+" -> "+headOnly(g, c, lineOpts{branches: true, tree: true}))
		}
		sort.Strings(kids)
		out = append(out, kids...)
		out = append(out, "")
	}
	return out
}

// Current returns the revisions `alembic current` reports for the version
// rows: the rows and their ancestors, reduced to the topmost, in load order.
// A row that names no revision is an error naming it.
func Current(g *models.Graph, rows []string) ([]int, error) {
	r := resolver{g}
	held, err := r.getRevisionsOf(rows)
	if err != nil {
		return nil, catch(err, catchOpts{})
	}
	return r.allCurrent(held), nil
}

// CurrentLines are the lines of `alembic current`, sorted.
func CurrentLines(g *models.Graph, current []int) []string {
	out := make([]string, len(current))
	for k, i := range current {
		out[k] = headOnly(g, i, lineOpts{tree: true})
	}
	sort.Strings(out)
	return out
}

// ShowEntry is `alembic show REV`'s entry for revision i (Script.log_entry),
// ending with a blank line.
func ShowEntry(g *models.Graph, i int, current bool) string {
	rev := g.Revisions[i]
	var b strings.Builder
	b.WriteString("Rev: " + rev.ID)
	if g.IsHead(i) {
		b.WriteString(" (head)")
	}
	if g.IsBranchPoint(i) {
		b.WriteString(" (branchpoint)")
	}
	if g.IsMergePoint(i) {
		b.WriteString(" (mergepoint)")
	}
	if current {
		b.WriteString(" (current)")
	}
	b.WriteString("\n")
	if g.IsMergePoint(i) {
		b.WriteString("Merges: " + downRevisions(rev) + "\n")
	} else {
		b.WriteString("Parent: " + downRevisions(rev) + "\n")
	}
	if len(rev.DependsOn) > 0 {
		b.WriteString("Also depends on: " + strings.Join(rev.DependsOn, ", ") + "\n")
	}
	if g.IsBranchPoint(i) {
		kids := g.IDs(g.Children[i])
		sort.Strings(kids)
		b.WriteString("Branches into: " + strings.Join(kids, ", ") + "\n")
	}
	if len(g.EffectiveLabels[i]) > 0 {
		b.WriteString("Branch names: " + strings.Join(g.EffectiveLabels[i], ", ") + "\n")
	}
	b.WriteString("Path: " + absPath(rev.Path) + "\n\n")
	if rev.Message != "" {
		for _, line := range strings.Split(rev.Message, "\n") {
			b.WriteString("    " + line + "\n")
		}
	} else {
		b.WriteString("\n")
	}
	return b.String()
}

// absPath is the absolute form of a revision's path, as Alembic prints it;
// the path as given when it cannot be made absolute.
func absPath(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}

// Show resolves `alembic show REV`'s argument: one revision, or several for
// `heads`.
func Show(g *models.Graph, rev string) ([]int, error) {
	r := resolver{g}
	revs, err := r.getRevisions(rev)
	if err != nil {
		return nil, catch(err, catchOpts{})
	}
	var out []int
	for _, x := range revs {
		if x >= 0 {
			out = append(out, x)
		}
	}
	return out, nil
}

// Resolve resolves one identifier to a revision id, as `alembic show` or
// `--head` do; base resolves to "".
func Resolve(g *models.Graph, ident string) (string, error) {
	r := resolver{g}
	i, err := r.getRevision(ident)
	if err != nil {
		return "", catch(err, catchOpts{})
	}
	if i < 0 {
		return "", nil
	}
	return g.Revisions[i].ID, nil
}
