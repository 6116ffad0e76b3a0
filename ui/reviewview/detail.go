package reviewview

import (
	"fmt"
	"strconv"
	"strings"

	"retort/models"
	"retort/review"
	"retort/ui/seg"
	"retort/ui/theme"
	"retort/visible"
)

// detail is what enter shows in place of the columns: an object's
// statements on each side, or a revision's statements and notes.
type detail struct {
	title   string
	lines   []seg.Line
	wrapped []seg.Line
	offset  int
}

// objectDetail shows what each branch does to o, statement by statement,
// with the file and line of each.
func objectDetail(st *theme.Styles, r *review.Review, o review.Object, path func(string) string) detail {
	d := detail{title: visible.Line(o.String())}
	sides := r.Statements(o)
	if r.IsShared(o) {
		d.lines = append(d.lines, seg.Styled(&st.Destructive, st.Sym("⚠", "!")+" shared: "+branches(len(r.Sides(o)))+
			" touch it through revisions the others do not have, and one changes it"))
	} else {
		d.lines = append(d.lines, seg.Styled(&st.Dim, "not shared: touched on "+branches(len(sides))))
	}
	for _, side := range sides {
		b := &r.Branches[side.Branch]
		d.lines = append(d.lines, seg.Plain(""), seg.Styled(&st.Bold, branchTitle(st, b)))
		for _, p := range side.Touches {
			where := visible.Line(path(p.Path))
			if p.Line > 0 {
				where += ":" + strconv.Itoa(p.Line)
			}
			l := seg.Line{
				{Text: "  "}, {Style: &st.ID, Text: visible.Line(models.ShortID(p.Revision))},
				{Text: "  " + where + "  "}, {Style: &st.Bold, Text: p.Change},
			}
			if rv := b.Find(p.Revision); rv != nil && r.KnownToAll(rv) {
				l = append(l, seg.Seg{Style: &st.Dim, Text: "  (the other branches have it too)"})
			}
			d.lines = append(d.lines, l)
			d.lines = append(d.lines, statementLines(st, p.Statement, p.Line > 0)...)
		}
	}
	return d
}

// revisionDetail shows a revision: its file, where its objects come from,
// its notes, then each statement with the objects it touches.
func revisionDetail(st *theme.Styles, rv *review.Revision, path func(string) string) detail {
	d := detail{title: visible.Line(models.ShortID(rv.ID) + " " + rv.Message)}
	d.lines = append(d.lines,
		seg.Line{{Style: &st.ID, Text: visible.Line(rv.ID)}, {Text: "  " + visible.Line(rv.Message)}},
		seg.Plain(visible.Line(path(rv.Path))+"  ("+source(rv)+")"))
	if len(rv.KnownTo) > 0 {
		d.lines = append(d.lines, seg.Styled(&st.Dim, "the branch of "+visible.Line(strings.Join(rv.KnownTo, ", "))+
			" has it too (depends_on or a common parent): nothing it does is shared"))
	}
	for _, n := range rv.Notes {
		d.lines = append(d.lines, seg.Styled(&st.Warn, "note: "+visible.Line(n)))
	}
	for _, g := range statementsOf(rv) {
		d.lines = append(d.lines, seg.Plain(""))
		head := "objects:"
		if g.line > 0 {
			head = fmt.Sprintf("line %d:", g.line)
		}
		d.lines = append(d.lines, seg.Line{{Style: &st.Bold, Text: head}, {Text: " " + visible.Line(strings.Join(g.what, ", "))}})
		d.lines = append(d.lines, statementLines(st, g.statement, g.line > 0)...)
	}
	if len(rv.Touches) == 0 && rv.Analysed() {
		d.lines = append(d.lines, seg.Plain(""), seg.Styled(&st.Dim, "it touches no object"))
	}
	return d
}

// source says where a revision's objects come from.
func source(rv *review.Revision) string {
	switch rv.Source {
	case review.SourceStatements:
		return "objects from its statements"
	case review.SourceSchema:
		return "objects from its schema difference"
	}
	return "not analysed"
}

// statementGroup is one statement (or schema difference) of a revision
// and what it does to which objects.
type statementGroup struct {
	line      int
	statement string
	what      []string
}

// statementsOf groups a revision's touches by statement, in order.
func statementsOf(rv *review.Revision) []statementGroup {
	var out []statementGroup
	for _, t := range rv.Touches {
		k := len(out) - 1
		if k < 0 || out[k].line != t.Line || out[k].statement != t.Statement {
			out = append(out, statementGroup{line: t.Line, statement: t.Statement})
			k++
		}
		out[k].what = append(out[k].what, t.Change+" "+t.Object.String())
	}
	return out
}

// statementLines shows a statement indented, SQL highlighted; a schema
// difference's lines as they are.
func statementLines(st *theme.Styles, text string, sql bool) []seg.Line {
	var lines []seg.Line
	if sql {
		lines = seg.SQL(st, text)
	} else {
		for _, l := range strings.Split(visible.Text(text, "    "), "\n") {
			lines = append(lines, seg.Plain(l))
		}
	}
	out := make([]seg.Line, len(lines))
	for k, l := range lines {
		out[k] = append(seg.Line{{Text: "      "}}, l...)
	}
	return out
}

// wrap wraps the detail to w columns, keeping the offset in range of a
// view h lines tall.
func (d detail) wrap(w, h int) detail {
	d.wrapped = seg.Wrap(d.lines, w)
	d.offset = max(0, min(d.offset, len(d.wrapped)-h))
	return d
}

func itoa(n int) string { return strconv.Itoa(n) }

// branches is "1 branch", "2 branches".
func branches(n int) string {
	if n == 1 {
		return "1 branch"
	}
	return itoa(n) + " branches"
}
