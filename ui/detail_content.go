package ui

import (
	"fmt"
	"slices"
	"strings"

	"retort/models"
	"retort/visible"
)

// detailFor builds the Detail pane's content for row r: a key that changes
// whenever the content would, the pane title and the lines. The key is the
// revision, then (after a NUL) what its content depends on besides: the
// pane keeps its scroll position while only that part changes (see
// detailModel.setContent).
func detailFor(st *styles, h *history, db *dbState, sources map[string]fileText, r int) (string, string, []segLine) {
	if h.len() == 0 || r < 0 {
		return "", "", nil
	}
	e := h.entries[r]
	if e.Rev < 0 {
		return "missing:" + e.Missing, visible.Line(e.Missing) + " · missing", missingDetail(st, h, e.Missing)
	}
	rev := h.g.Revisions[e.Rev]
	key := fmt.Sprintf("rev:%s\x00%p", rev.ID, db)
	if rev.Format == models.FormatPython {
		src := sources[rev.Path]
		key += fmt.Sprintf(":%t:%d", src.loaded, src.gen)
	}
	title := visible.Line(rev.ShortID())
	if b := (graphModel{st: st, h: h, db: db}).rowBadges(r); len(b) > 0 {
		title += " · " + strings.Join(b, " ")
	}
	lines := revisionHeader(st, h, db, e.Rev)
	lines = append(lines, plainLine(""))
	lines = append(lines, revisionBody(st, rev, h.displayPath(rev.Path), sources[rev.Path])...)
	return key, title, lines
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
func revisionHeader(st *styles, h *history, db *dbState, i int) []segLine {
	g, rev := h.g, h.g.Revisions[i]
	field := func(name, value string) segLine {
		return segLine{{st: &st.dim, text: fmt.Sprintf("%-9s ", name)}, {text: value, hang: true}}
	}
	lines := []segLine{
		styledLine(&st.bold, visible.Line(rev.ID)),
		plainLine(visible.Line(rev.Message)),
		plainLine(""),
		field("parents", orNone(parentList(g, i))),
		field("children", orNone(shortIDs(g.IDs(g.Children[i])))),
		field("labels", orNone(labelList(g, i))),
		field("depends", orNone(dependsList(g, i))),
		field("date", orNone(visible.Line(rev.CreateDate))),
		field("file", h.displayPath(rev.Path)),
	}
	if !rev.Transactional {
		lines = append(lines, field("tx", "none: statements run outside a transaction"))
	}
	lines = append(lines, appliedLines(st, db, rev, i, field)...)
	for _, w := range rev.Warnings {
		lines = append(lines, segLine{{st: &st.dim, text: "warning   "}, {st: &st.warn, text: visible.Line(w), hang: true}})
	}
	return lines
}

// appliedLines say whether the revision is applied, and what the audit log
// knows about it.
func appliedLines(st *styles, db *dbState, rev *models.Revision, i int, field func(string, string) segLine) []segLine {
	if db == nil {
		return []segLine{field("applied", "unknown (no database state)")}
	}
	state := "no, pending"
	switch {
	case db.current[i]:
		state = "yes, a row of the version table"
	case db.applied[i]:
		state = "yes"
	}
	out := []segLine{field("applied", state)}
	if e, ok := db.audit[rev.ID]; ok {
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
	if d, ok := db.drift[rev.ID]; ok && d.Changed {
		out = append(out, segLine{{st: &st.dim, text: "drift     "},
			{st: &st.drift, text: st.sym("⚠ ", "! ") + "the file changed after it was applied", hang: true}})
	}
	return out
}

// revisionBody is the SQL of both sections, or the source of a .py file
// (shown: its path as shown).
func revisionBody(st *styles, rev *models.Revision, shown string, src fileText) []segLine {
	rule := func(name string) segLine {
		return styledLine(&st.dim, st.sym("── ", "-- ")+name+st.sym(" ──", " --"))
	}
	if rev.Format == models.FormatPython {
		lines := []segLine{rule("source (Alembic: runs through the configured command)")}
		switch {
		case !src.loaded:
			return append(lines, styledLine(&st.dim, "reading "+shown+"…"))
		case src.err != nil:
			return append(lines, styledLine(&st.errText, visible.Line(src.err.Error())))
		}
		for _, l := range strings.Split(visible.Text(src.text, "    "), "\n") {
			lines = append(lines, plainLine(l))
		}
		return trimBlankEnds(lines)
	}
	lines := []segLine{rule("upgrade")}
	lines = append(lines, sectionLines(st, rev.Upgrade, "(no upgrade section)")...)
	lines = append(lines, plainLine(""), rule("downgrade"))
	return append(lines, sectionLines(st, rev.Downgrade, "(no downgrade section: this revision cannot be downgraded)")...)
}

func sectionLines(st *styles, s models.Section, absent string) []segLine {
	if !s.Present {
		return []segLine{styledLine(&st.warn, absent)}
	}
	lines := highlightSQL(st, s.SQL)
	if len(lines) == 0 {
		return []segLine{styledLine(&st.dim, "(no statements)")}
	}
	return lines
}

// missingDetail explains a placeholder row.
func missingDetail(st *styles, h *history, id string) []segLine {
	lines := []segLine{
		styledLine(&st.missing, visible.Line(id)),
		plainLine("No revision file defines this revision; it is shown so"),
		plainLine("that the history can still be browsed. Named as a parent by:"),
	}
	for i, miss := range h.g.Missing {
		for _, m := range miss {
			if m == id {
				rev := h.g.Revisions[i]
				lines = append(lines, plainLine(fmt.Sprintf("  %s  %s:%d", visible.Line(rev.ShortID()), h.displayPath(rev.Path), rev.ParentsLine)))
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
func dependsList(g *models.Graph, i int) string {
	var out []string
	for _, d := range g.Revisions[i].DependsOn {
		if owner, ok := g.LabelOwner[d]; ok {
			out = append(out, visible.Line(d)+" → "+visible.Line(g.Revisions[owner].ShortID()))
			continue
		}
		out = append(out, visible.Line(models.ShortID(d)))
	}
	return strings.Join(out, "  ")
}

func shortIDs(ids []string) string {
	out := make([]string, len(ids))
	for k, id := range ids {
		out[k] = visible.Line(models.ShortID(id))
	}
	return strings.Join(out, "  ")
}

func orNone(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
