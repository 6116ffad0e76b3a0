package review

import (
	"fmt"
	"slices"
	"strings"
)

// Touched is one object a revision touches and every change it makes to
// it.
type Touched struct {
	Object
	Changes []string
}

// Objects are the objects the revision touches, in the order of its
// statements, each once with its changes.
func (r *Revision) Objects() []Touched {
	var out []Touched
	for _, t := range r.Touches {
		k := slices.IndexFunc(out, func(x Touched) bool { return x.Object == t.Object })
		if k < 0 {
			out = append(out, Touched{Object: t.Object})
			k = len(out) - 1
		}
		if !slices.Contains(out[k].Changes, t.Change) {
			out[k].Changes = append(out[k].Changes, t.Change)
		}
	}
	return out
}

// Name is a branch as the review names it: its head's id and its
// labels.
func (b *Branch) Name() string {
	if len(b.Labels) == 0 {
		return b.Head
	}
	return b.Head + " (" + strings.Join(b.Labels, ", ") + ")"
}

// Text shows the review as `retort review` prints it: what is reviewed and
// the common ancestors; each branch's revisions, oldest first, with the
// objects each touches (a shared one marked "!"); then the shared objects
// with the statements on each side, by file and line. Raw text: what comes
// from files is not escaped (show it through package visible).
func Text(r *Review) string {
	var b strings.Builder
	if r.Merge != nil {
		fmt.Fprintf(&b, "merge %s  %s\n", r.Merge.ID, r.Merge.Message)
	} else {
		fmt.Fprintf(&b, "heads %s\n", strings.Join(r.Heads, ", "))
	}
	if len(r.Ancestors) == 0 {
		b.WriteString("no common ancestor: the branches start at different bases\n")
	}
	for _, a := range r.Ancestors {
		fmt.Fprintf(&b, "common ancestor %s  %s\n", a.ID, a.Message)
	}
	for k := range r.Branches {
		writeBranch(&b, r, &r.Branches[k])
	}
	b.WriteString("\n")
	if n := r.NotAnalysed(); n > 0 {
		fmt.Fprintf(&b, "%s not analysed (see their notes): what they touch is not compared\n", plural(n, "revision"))
	}
	if len(r.Shared) == 0 {
		b.WriteString("no object is touched by more than one branch\n")
		return b.String()
	}
	fmt.Fprintf(&b, "%s touched by more than one branch:\n", plural(len(r.Shared), "object"))
	for _, s := range r.Shared {
		fmt.Fprintf(&b, "  %s\n", s.Object)
		for _, side := range s.Sides {
			fmt.Fprintf(&b, "    %s\n", r.Branches[side.Branch].Name())
			for _, p := range side.Touches {
				fmt.Fprintf(&b, "      %s  %s  %s  %s\n", p.Where(), p.Revision, p.Change, FirstLine(p.Statement))
			}
		}
	}
	return b.String()
}

// writeBranch writes one branch's revisions and what they touch.
func writeBranch(b *strings.Builder, r *Review, br *Branch) {
	fmt.Fprintf(b, "\nbranch %s: %s\n", br.Name(), plural(len(br.Revisions), "revision"))
	for k := range br.Revisions {
		rv := &br.Revisions[k]
		fmt.Fprintf(b, "  %s  %s\n", rv.ID, rv.Message)
		objs := rv.Objects()
		if len(objs) == 0 && rv.Analysed() {
			b.WriteString("      touches no object\n")
		}
		for _, o := range objs {
			mark := "  "
			if r.Flagged(rv, o.Object) {
				mark = "! "
			}
			fmt.Fprintf(b, "    %s%s: %s\n", mark, o.Object, strings.Join(o.Changes, ", "))
		}
		if len(rv.KnownTo) > 0 {
			fmt.Fprintf(b, "      note: the branch of %s has it too (depends_on or a common parent): nothing it does is shared\n", strings.Join(rv.KnownTo, ", "))
		}
		for _, n := range rv.Notes {
			fmt.Fprintf(b, "      note: %s\n", n)
		}
	}
}

// Where is the statement's file and line ("path:12"), the file alone for
// a change read from the schema difference.
func (p Place) Where() string {
	if p.Line == 0 {
		return p.Path
	}
	return fmt.Sprintf("%s:%d", p.Path, p.Line)
}

// FirstLine is a statement's first line, marked when more follows.
func FirstLine(sql string) string {
	line, rest, more := strings.Cut(strings.TrimSpace(sql), "\n")
	if more && strings.TrimSpace(rest) != "" {
		line += " …"
	}
	return line
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
