package cli

import (
	"sort"
	"strings"
	"unicode/utf8"

	"retort/cli/settings"
	"retort/models"
)

// The lines below are Alembic's (`Script._head_only` and `Script.log_entry`),
// so that scripts written against Alembic's output keep working. Where
// Alembic prints a Python set (labels, children), retort sorts it. They hold
// the files' text as it is: the verbs print them with printLine, which
// shows its control characters.

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
		b.WriteString(", " + summary(rev))
	}
	return b.String()
}

// summary is what Alembic prints as a revision's doc (Script.doc): the
// docstring up to its first blank line, which for a `.py` file written the
// usual way is the message; for a `.sql` file, the message.
func summary(rev *models.Revision) string {
	if rev.Format != models.FormatPython || rev.Doc == "" {
		return rev.Message
	}
	first, _, _ := strings.Cut(rev.Doc, "\n\n")
	return first
}

// longDoc is what `alembic show` prints under the entry (Script.longdoc).
func longDoc(rev *models.Revision) string {
	if rev.Doc != "" {
		return rev.Doc
	}
	return rev.Message
}

// downRevisions is `_format_down_revision`: the parents, or <base>.
func downRevisions(rev *models.Revision) string {
	if len(rev.Parents) == 0 {
		return "<base>"
	}
	return strings.Join(rev.Parents, ", ")
}

// historyLine is one line of `alembic history` (with `-i`, current marks
// the revisions in the version table).
func historyLine(g *models.Graph, i int, current bool) string {
	return headOnly(g, i, lineOpts{branches: true, doc: true, parents: true, tree: true, current: current})
}

// headsLines are the lines of `alembic heads`; with resolveDeps, of
// `alembic heads --resolve-dependencies` (real heads only).
func headsLines(g *models.Graph, resolveDeps bool) []string {
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

// branchesLines are the lines of `alembic branches`: each branch point in
// history order, its children indented below it, and a blank line. With
// verbose, those of `alembic branches -v`: each branch point's full entry
// (showEntry), a blank line, its children with their docs, a blank line.
func branchesLines(g *models.Graph, verbose bool) []string {
	var out []string
	for _, i := range g.History {
		if !g.IsBranchPoint(i) {
			continue
		}
		if verbose {
			entry := strings.TrimSuffix(showEntry(g, i, false), "\n")
			out = append(out, strings.Split(entry, "\n")...)
			out = append(out, "")
		} else {
			out = append(out, headOnly(g, i, lineOpts{branches: true, tree: true}))
		}
		out = append(out, childLines(g, i, verbose)...)
		out = append(out, "")
	}
	return out
}

// childLines are a branch point's `-> child` lines, sorted (Alembic prints
// a frozenset, in hash order).
func childLines(g *models.Graph, i int, withDoc bool) []string {
	indent := strings.Repeat(" ", len(g.Revisions[i].ID))
	kids := make([]string, 0, len(g.Children[i]))
	for _, c := range g.Children[i] {
		kids = append(kids, indent+" -> "+headOnly(g, c, lineOpts{branches: true, tree: true, doc: withDoc}))
	}
	sort.Strings(kids)
	return kids
}

// CurrentLines are the lines of `alembic current`, sorted. It is exported
// for the conformance tests of package engine/conformance, which compare it
// with what Alembic printed on the same database.
func CurrentLines(g *models.Graph, current []int) []string {
	out := make([]string, len(current))
	for k, i := range current {
		out[k] = headOnly(g, i, lineOpts{tree: true})
	}
	sort.Strings(out)
	return out
}

// showEntry is `alembic show REV`'s entry for revision i (Script.log_entry):
// the header lines, a blank line, then the whole docstring indented by four
// spaces (for a `.sql` file, its message and header), ending with a newline;
// the CLI prints it followed by one more, as Alembic does.
func showEntry(g *models.Graph, i int, current bool) string {
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
	b.WriteString("Path: " + settings.AbsPath(rev.Path) + "\n\n")
	lines := pyLines(longDoc(rev))
	for k, line := range lines {
		if k > 0 {
			b.WriteString("\n")
		}
		b.WriteString("    " + line)
	}
	b.WriteString("\n")
	return b.String()
}

// pyLines splits s as Python's str.splitlines does: at every line
// boundary it knows, keeping empty lines, with no empty line after a final
// boundary.
func pyLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch r {
		case '\n', '\r', '\v', '\f', 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029:
			out = append(out, s[start:i-size])
			if r == '\r' && i < len(s) && s[i] == '\n' {
				i++
			}
			start = i
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}
