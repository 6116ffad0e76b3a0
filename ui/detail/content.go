package detail

import (
	"fmt"
	"slices"
	"strings"

	"retort/models"
	"retort/ui/doc"
	"retort/ui/pane"
	"retort/ui/seg"
	"retort/ui/theme"
	"retort/visible"
)

// contentFor builds the Detail pane's content for row r: a key that changes
// whenever the content would, the pane title and the lines. The key is the
// revision, then (after a NUL) what its content depends on besides: the
// pane keeps its scroll position while only that part changes (see
// Model.setContent).
func contentFor(st *theme.Styles, h *pane.History, db *pane.State, sources map[string]fileText, r int) (string, string, doc.Doc) {
	var d doc.Doc
	if h.Len() == 0 || r < 0 {
		return "", "", d
	}
	e := h.Entries[r]
	if e.Rev < 0 {
		d.Add(missingDetail(st, h, e.Missing)...)
		return "missing:" + e.Missing, visible.Line(e.Missing) + st.Sym(" · ", " | ") + "missing", d
	}
	rev := h.G.Revisions[e.Rev]
	key := fmt.Sprintf("rev:%s\x00%p", rev.ID, db)
	if rev.Format == models.FormatPython {
		src := sources[rev.Path]
		key += fmt.Sprintf(":%t:%d", src.loaded, src.gen)
	}
	title := visible.Line(rev.ShortID())
	if b := pane.Badges(st, h, db, r); len(b) > 0 {
		title += st.Sym(" · ", " | ") + strings.Join(b, " ")
	}
	d.Add(revisionHeader(st, h, db, e.Rev)...)
	d.Add(seg.Plain(""))
	revisionBody(&d, st, rev, h.DisplayPath(rev.Path), sources[rev.Path])
	return key, title, d
}

// fileText is a revision file read for the pane.
type fileText struct {
	loaded bool
	text   string
	err    error
	// gen numbers the reads, so that a file read again changes the
	// pane's key; stale marks a text read before the last reload, shown
	// until the file is read again.
	gen   int
	stale bool
}

// revisionHeader is the revision's facts, one per line.
func revisionHeader(st *theme.Styles, h *pane.History, db *pane.State, i int) []seg.Line {
	g, rev := h.G, h.G.Revisions[i]
	field := func(name, value string) seg.Line {
		return seg.Line{{Style: &st.Dim, Text: fmt.Sprintf("%-9s ", name)}, {Text: value, Hang: true}}
	}
	lines := []seg.Line{
		seg.Styled(&st.Bold, visible.Line(rev.ID)),
		seg.Plain(visible.Line(rev.Message)),
		seg.Plain(""),
		field("parents", orNone(st, parentList(g, i))),
		field("children", orNone(st, pane.ShortIDs(g.IDs(g.Children[i])))),
		field("labels", orNone(st, labelList(g, i))),
		field("depends", orNone(st, dependsList(st, g, i))),
		field("date", orNone(st, visible.Line(rev.CreateDate))),
		field("file", h.DisplayPath(rev.Path)),
	}
	if !rev.Transactional {
		lines = append(lines, field("tx", "none: statements run outside a transaction"))
	}
	lines = append(lines, appliedLines(st, db, rev, i, field)...)
	for _, w := range rev.Warnings {
		lines = append(lines, seg.Line{{Style: &st.Dim, Text: "warning   "}, {Style: &st.Warn, Text: visible.Line(w), Hang: true}})
	}
	return lines
}

// appliedLines say whether the revision is applied, and what the audit log
// knows about it.
func appliedLines(st *theme.Styles, db *pane.State, rev *models.Revision, i int, field func(string, string) seg.Line) []seg.Line {
	if db == nil {
		return []seg.Line{field("applied", "unknown (no database state)")}
	}
	state := "no, pending"
	switch {
	case db.Current[i]:
		state = "yes, a row of the version table"
	case db.Applied[i]:
		state = "yes"
	}
	out := []seg.Line{field("applied", state)}
	if e, ok := db.Audit[rev.ID]; ok {
		who := e.OSUser
		if e.Host != "" {
			who += "@" + e.Host
		}
		if e.DBUser != "" {
			who += " (database user " + e.DBUser + ")"
		}
		out = append(out, field("last run", fmt.Sprintf("%s %s %s by %s",
			visible.Line(e.Direction), visible.Line(e.Outcome), e.FinishedAt.Local().Format("2006-01-02 15:04"), visible.Line(who))))
	}
	if d, ok := db.Drift[rev.ID]; ok && d.Changed {
		out = append(out, seg.Line{{Style: &st.Dim, Text: "drift     "},
			{Style: &st.Drift, Text: st.Sym("⚠ ", "! ") + "the file changed after it was applied", Hang: true}})
	}
	return out
}

// revisionBody adds the SQL of both sections, or the source of a .py file
// (shown: its path as shown).
func revisionBody(d *doc.Doc, st *theme.Styles, rev *models.Revision, shown string, src fileText) {
	if rev.Format == models.FormatPython {
		d.Add(doc.Rule(st, "source (Alembic: runs through the configured command)"))
		switch {
		case !src.loaded:
			d.Add(seg.Styled(&st.Dim, "reading "+shown+st.Dots()))
			return
		case src.err != nil:
			d.Add(seg.Styled(&st.ErrText, visible.Line(src.err.Error())))
			return
		}
		var lines []seg.Line
		for _, l := range strings.Split(visible.Text(src.text, "    "), "\n") {
			lines = append(lines, seg.Plain(l))
		}
		d.Add(seg.TrimBlank(lines)...)
		return
	}
	d.Add(doc.Rule(st, "upgrade"))
	d.AddSection(st, rev.Upgrade, "(no upgrade section)")
	d.Add(seg.Plain(""), doc.Rule(st, "downgrade"))
	d.AddSection(st, rev.Downgrade, "(no downgrade section: this revision cannot be downgraded)")
}

// missingDetail explains a placeholder row.
func missingDetail(st *theme.Styles, h *pane.History, id string) []seg.Line {
	lines := []seg.Line{
		seg.Styled(&st.Missing, visible.Line(id)),
		seg.Plain("No revision file defines this revision; it is shown so"),
		seg.Plain("that the history can still be browsed. Named as a parent by:"),
	}
	for i, miss := range h.G.Missing {
		for _, m := range miss {
			if m == id {
				rev := h.G.Revisions[i]
				lines = append(lines, seg.Plain("  "+visible.Line(rev.ShortID())+"  "+pane.Location(h.DisplayPath(rev.Path), rev.ParentsLine)))
			}
		}
	}
	return lines
}

// labelList names the branch labels revision i carries, saying which ones
// it declares (the others it inherits from an ancestor).
func labelList(g *models.Graph, i int) string {
	var out []string
	for _, l := range g.EffectiveLabels[i] {
		if slices.Contains(g.Revisions[i].BranchLabels, l) {
			out = append(out, visible.Line(l)+" (declared here)")
		} else {
			out = append(out, visible.Line(l))
		}
	}
	return strings.Join(out, ", ")
}

// parentList names the parents, flagging those no file defines.
func parentList(g *models.Graph, i int) string {
	var out []string
	for _, p := range g.Revisions[i].Parents {
		if _, ok := g.Index[p]; ok {
			out = append(out, visible.Line(models.ShortID(p)))
		} else {
			out = append(out, visible.Line(models.ShortID(p))+" (missing)")
		}
	}
	return strings.Join(out, "  ")
}

// dependsList names depends_on as written, with the revision a label
// resolves to.
func dependsList(st *theme.Styles, g *models.Graph, i int) string {
	var out []string
	for _, d := range g.Revisions[i].DependsOn {
		if owner, ok := g.LabelOwner[d]; ok {
			out = append(out, visible.Line(d)+st.Sym(" → ", " -> ")+visible.Line(g.Revisions[owner].ShortID()))
			continue
		}
		out = append(out, visible.Line(models.ShortID(d)))
	}
	return strings.Join(out, "  ")
}

func orNone(st *theme.Styles, s string) string {
	if s == "" {
		return st.Sym("—", "-")
	}
	return s
}
