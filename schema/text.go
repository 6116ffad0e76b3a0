package schema

import "strings"

// Text is the snapshot's stable text form: one group per top-level object
// (a table with its columns, constraints, indexes, triggers and owned
// sequences; a view; a type; a function), groups separated by a blank line,
// each object on a line of its own:
//
//	table public.loans
//	  column id integer NOT NULL
//	  column due date NOT NULL DEFAULT CURRENT_DATE
//	  primary key loans_pkey PRIMARY KEY (id)
//	  index loans_patron_idx USING btree (patron_id)
//
// A definition of several lines (a view's query, a function's body) follows
// its object's line, indented four more columns. The text is raw: what
// comes from the database is not escaped (show it through package
// visible).
func (s *Snapshot) Text() string {
	var b strings.Builder
	owner := "\x00"
	for _, o := range s.Objects {
		if o.Owner() != owner {
			if b.Len() > 0 {
				b.WriteByte('\n')
			}
			owner = o.Owner()
			if o.Table != "" {
				// A group whose own object is missing (it is not read).
				b.WriteString("(" + o.Table + ")\n")
			}
		}
		indent := ""
		if o.Table != "" {
			indent = "  "
		}
		b.WriteString(Line(o, indent))
	}
	return b.String()
}

// Line is o as the text form shows it, indented by indent, ending with a
// line break: its kind, name and definition, a definition of several lines
// on lines of its own below.
func Line(o Object, indent string) string {
	head := indent + string(o.Kind)
	if o.Name != "" {
		head += " " + o.Name
	}
	if o.Def == "" {
		return head + "\n"
	}
	if !strings.Contains(o.Def, "\n") {
		return head + " " + o.Def + "\n"
	}
	return head + "\n" + indentLines(o.Def, indent+"    ")
}

// indentLines indents every line of s, each ending with a line break.
func indentLines(s, indent string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		if l == "" {
			b.WriteString("\n")
			continue
		}
		b.WriteString(indent + l + "\n")
	}
	return b.String()
}
