package audit

import (
	"fmt"
	"strings"

	"retort/engine"
	"retort/models"
	"retort/ui/confirm"
	"retort/ui/doc"
	"retort/ui/seg"
	"retort/ui/theme"
	"retort/visible"
)

// showEntry shows entry i in full, from its top.
func (m Model) showEntry(i int) Model {
	if i < 0 || i >= len(m.entries) {
		m.entry = -1
		return m
	}
	if m.entry != i {
		m.offset = 0
	}
	m.entry = i
	m.text = m.entryDoc(m.entries[i]).Wrap(m.Width)
	m.offset = max(0, min(m.offset, m.text.Len()-m.Height))
	return m
}

// entryDoc is an entry in full: every field the log recorded, then the SQL
// its revision's file holds for the step, and whether that file is still
// the one that ran.
func (m Model) entryDoc(e engine.LogEntry) doc.Doc {
	st := m.Styles
	var d doc.Doc
	field := func(name, value string) seg.Line {
		return seg.Line{{Style: &st.Dim, Text: fmt.Sprintf("%-15s", name)}, {Text: value, Hang: true}}
	}
	rev := m.revision(e)
	d.Add(seg.Styled(&st.Bold, visible.Line(e.Direction+" "+e.Revision)+st.Sym(" · ", " | ")+visible.Line(e.Outcome)))
	if rev != nil {
		d.Add(seg.Plain(visible.Line(rev.Message)))
	}
	d.Add(seg.Plain(""))
	d.Add(
		field("finished", e.FinishedAt.Local().Format("2006-01-02 15:04:05")),
		field("started", e.StartedAt.Local().Format("2006-01-02 15:04:05")+", took "+confirm.FormatDuration(st, e.FinishedAt.Sub(e.StartedAt))),
		field("OS user", visible.Line(e.OSUser)),
		field("machine", visible.Line(e.Host)),
		field("database user", orNone(st, visible.Line(e.DBUser))),
		field("version rows", rowList(e.RowsBefore)+st.Sym(" → ", " -> ")+rowList(e.RowsAfter)),
	)
	if e.VersionTable != "" {
		d.Add(field("version table", visible.Line(e.VersionTable)))
	}
	d.Add(field("retort", visible.Line(e.RetortVersion)))
	if e.Error != "" {
		d.Add(seg.Line{{Style: &st.Dim, Text: fmt.Sprintf("%-15s", "error")}, {Style: &st.ErrText, Text: visible.Line(e.Error), Hang: true}})
	}
	d.Add(seg.Plain(""))
	m.addSQL(&d, st, e, rev)
	return d
}

// addSQL adds the SQL the entry's step ran, from its revision's file, saying
// whether the file is the one that ran (its checksum is the one the log
// recorded) or changed since (drift), or why there is none to show.
func (m Model) addSQL(d *doc.Doc, st *theme.Styles, e engine.LogEntry, rev *models.Revision) {
	switch {
	case e.Direction == "stamp":
		d.Add(doc.Rule(st, "stamp"), seg.Plain("A stamp runs no SQL: it changed the version table only."))
		return
	case rev == nil:
		d.Add(doc.Rule(st, "SQL"), seg.Styled(&st.Warn,
			"No file defines "+visible.Line(e.Revision)+" now: the SQL that ran cannot be shown."))
		return
	}
	d.Add(seg.Line{{Style: &st.Dim, Text: fmt.Sprintf("%-15s", "file")}, {Text: visible.Line(rev.Path), Hang: true}})
	if e.SHA256 != "" {
		d.Add(seg.Line{{Style: &st.Dim, Text: fmt.Sprintf("%-15s", "sha256")}, {Text: visible.Line(e.SHA256), Hang: true}})
	}
	section, name := rev.Upgrade, "upgrade"
	if e.Direction == "downgrade" {
		section, name = rev.Downgrade, "downgrade"
	}
	d.Add(seg.Plain(""))
	switch {
	case e.SHA256 == "":
		d.Add(doc.Rule(st, "the "+name+" section of the file now"),
			seg.Styled(&st.Warn, "The log recorded no checksum: this is the file as it is now, which may not be what ran."))
	case rev.Checksum != e.SHA256:
		d.Add(doc.Rule(st, "the "+name+" section of the file now"),
			seg.Styled(&st.Drift, st.Sym("⚠ ", "! ")+"The file changed after this ran (drift): this is the file as it is now, not exactly the SQL that ran."))
	case e.Outcome != engine.OutcomeOK:
		d.Add(doc.Rule(st, "SQL that ran: the "+name+" section, as the log recorded it"),
			seg.Styled(&st.Dim, "The step "+visible.Line(e.Outcome)+" and rolled back (statements of a step without a transaction stay applied)."))
	default:
		d.Add(doc.Rule(st, "SQL that ran: the "+name+" section, as the log recorded it"))
	}
	if rev.Format == models.FormatPython {
		d.Add(seg.Plain("An Alembic revision: its " + name + "() ran through Alembic. The Detail pane shows its source."))
		return
	}
	d.AddSection(st, section, "(no "+name+" section)")
}

// orNone is s, or a dash for nothing recorded (SQLite has no database
// user).
func orNone(st *theme.Styles, s string) string {
	if s == "" {
		return st.Sym("—", "-")
	}
	return s
}

// rowList names version rows, "base" for none.
func rowList(ids []string) string {
	if len(ids) == 0 {
		return "base"
	}
	out := make([]string, len(ids))
	for k, id := range ids {
		out[k] = visible.Line(id)
	}
	return strings.Join(out, ", ")
}
