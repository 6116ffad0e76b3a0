// Package sqlread reads retort's `.sql` revision files: the header, and the
// upgrade and downgrade sections. It reports every problem at its line and
// leaves naming the file to its caller.
package sqlread

import (
	"slices"
	"strings"
	"unicode/utf8"

	"retort/models"
	"retort/revisions/internal/ident"
	"retort/revisions/internal/lineerr"
)

// The header keys of a `.sql` revision file, lower-cased.
const (
	keyRevisionID   = "revision id"
	keyRevises      = "revises"
	keyCreateDate   = "create date"
	keyBranchLabels = "branch labels"
	keyDependsOn    = "depends on"
	keyMessage      = "message"
	keyTransaction  = "transaction"
)

// knownKeys lists the header keys in the order the README documents them.
var knownKeys = [...]string{keyRevisionID, keyRevises, keyCreateDate, keyBranchLabels, keyDependsOn, keyMessage, keyTransaction}

// sqlParser holds the state of one `.sql` file while it is read.
type sqlParser struct {
	rev *models.Revision
	// seen is the line of each known header key (0 until seen), in
	// knownKeys order; other, of the unknown ones.
	seen  [len(knownKeys)]int
	other map[string]int
	// docLines are the header lines other than Message, for Revision.Doc
	// (substrings of the file: at most one per known key, or the file has
	// errors and no Doc).
	docLines [len(knownKeys)]string
	nDoc     int
	errs     []*Error
}

// Read reads a retort `.sql` revision file. It returns the revision as far
// as it could read it (nil when the file is not text) and every problem it
// found, in the order of the file. A revision id is set even when the rules
// on ids refuse it (that error is among the others); the caller decides
// what to keep.
func Read(src []byte) (*models.Revision, []*Error) {
	p := &sqlParser{
		rev: &models.Revision{Format: models.FormatSQL, Transactional: true},
	}
	if !utf8.Valid(src) {
		return nil, []*Error{errorf(0, "not valid UTF-8 text")}
	}
	text := string(src)
	c := newLineCursor(text)
	p.header(c)
	p.sections(text, c)
	if p.seen[slices.Index(knownKeys[:], keyRevisionID)] == 0 {
		p.errorf(0, `missing "-- Revision ID:" header line`)
	}
	if len(p.errs) == 0 {
		p.rev.Doc = sqlDoc(p.rev.Message, p.docLines[:p.nDoc])
	}
	return p.rev, p.errs
}

// sqlDoc lays a `.sql` header out as Alembic's template writes a
// docstring: the message, a blank line, the other header lines.
func sqlDoc(message string, header []string) string {
	if len(header) == 0 {
		return message
	}
	var b strings.Builder
	n := len(message) + 2
	for _, l := range header {
		n += len(l) + 1
	}
	b.Grow(n)
	if message != "" {
		b.WriteString(message)
		b.WriteString("\n\n")
	}
	for k, l := range header {
		if k > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l)
	}
	return b.String()
}

func (p *sqlParser) errorf(line int, format string, args ...any) {
	p.errs = append(p.errs, errorf(line, format, args...))
}

// lineCursor walks the lines of a text without splitting it (a slice of
// lines for every file adds up over thousands of files). A line keeps the
// \r of a CRLF ending: the parsers trim it.
type lineCursor struct {
	text string
	off  int // byte offset of the line; past the end when done
	no   int // its 1-based number
	line string
	next int // byte offset of the next line
}

func newLineCursor(text string) *lineCursor {
	c := &lineCursor{text: text}
	c.load(0, 1)
	return c
}

func (c *lineCursor) ok() bool { return c.off <= len(c.text) }

func (c *lineCursor) advance() { c.load(c.next, c.no+1) }

func (c *lineCursor) load(off, no int) {
	c.off, c.no = off, no
	if off > len(c.text) {
		c.line, c.next = "", off
		return
	}
	if k := strings.IndexByte(c.text[off:], '\n'); k >= 0 {
		c.line, c.next = c.text[off:off+k], off+k+1
		return
	}
	c.line, c.next = c.text[off:], len(c.text)+1
}

// header reads the `-- Key: value` lines at the top of the file, leaving
// the cursor on the first line after the header.
func (p *sqlParser) header(c *lineCursor) {
	for c.ok() && strings.TrimSpace(c.line) == "" {
		c.advance()
	}
	for ; c.ok(); c.advance() {
		line := strings.TrimSpace(c.line)
		if line == "" || sectionMarker(line) != "" {
			return
		}
		if !strings.HasPrefix(line, "--") {
			p.errorf(c.no, "header line %q is not of the form \"-- Key: value\" (a blank line must separate the header from the SQL)", line)
			skipToSection(c)
			return
		}
		p.headerLine(c.no, strings.TrimSpace(strings.TrimPrefix(line, "--")))
	}
}

// skipToSection moves the cursor to the next section marker, so that one
// malformed line is reported once.
func skipToSection(c *lineCursor) {
	for c.ok() && sectionMarker(c.line) == "" {
		c.advance()
	}
}

func (p *sqlParser) headerLine(lineNo int, text string) {
	key, value, ok := strings.Cut(text, ":")
	if !ok {
		p.errorf(lineNo, "header line %q has no \"Key: value\" form", "-- "+text)
		return
	}
	key, k := headerKey(key)
	value = strings.TrimSpace(value)
	if prev := p.firstSeen(key, k, lineNo); prev != 0 {
		p.errorf(lineNo, "header %q repeated (first on line %d)", key, prev)
		return
	}
	if key != keyMessage && p.nDoc < len(p.docLines) {
		p.docLines[p.nDoc] = text
		p.nDoc++
	}
	switch key {
	case keyRevisionID:
		p.revisionID(lineNo, value)
	case keyRevises:
		p.rev.ParentsLine = lineNo
		p.rev.Parents = p.idList(lineNo, "Revises", value)
	case keyDependsOn:
		p.rev.DependsOnLine = lineNo
		p.rev.DependsOn = p.idList(lineNo, "Depends On", value)
	case keyBranchLabels:
		p.rev.LabelsLine = lineNo
		p.rev.BranchLabels = p.labelList(lineNo, value)
	case keyCreateDate:
		p.rev.CreateDate = value
	case keyMessage:
		p.rev.Message = value
	case keyTransaction:
		p.transaction(lineNo, value)
	default:
		p.errorf(lineNo, "unknown header %q (known headers: %s)", key, knownHeaders())
	}
}

// firstSeen records that key (knownKeys[k], or unknown when k < 0) is on
// lineNo, and returns the line it was first on when it is repeated.
func (p *sqlParser) firstSeen(key string, k, lineNo int) int {
	if k >= 0 {
		if prev := p.seen[k]; prev != 0 {
			return prev
		}
		p.seen[k] = lineNo
		return 0
	}
	if prev, dup := p.other[key]; dup {
		return prev
	}
	if p.other == nil {
		p.other = map[string]int{}
	}
	p.other[key] = lineNo
	return 0
}

// headerKey lower-cases a header key and collapses its whitespace, and
// says which of knownKeys it is (-1 for none). The known keys are matched
// in place: normalising by strings.Fields and ToLower allocates, which adds
// up over thousands of files.
func headerKey(key string) (string, int) {
	key = strings.TrimSpace(key)
	for k, known := range knownKeys {
		if key != "" && key[0]|0x20 == known[0] && sameASCIIKey(key, known) {
			return known, k
		}
	}
	norm := strings.ToLower(strings.Join(strings.Fields(key), " "))
	for k, known := range knownKeys {
		if norm == known {
			return known, k
		}
	}
	return norm, -1
}

// sameASCIIKey reports whether key (trimmed) is known (lower-case, single
// spaces) up to ASCII case and runs of ASCII blanks. Anything else goes the
// slow way.
func sameASCIIKey(key, known string) bool {
	j := 0
	for i := 0; i < len(key); {
		c := key[i]
		if c == ' ' || c == '\t' {
			for i < len(key) && (key[i] == ' ' || key[i] == '\t') {
				i++
			}
			c = ' '
		} else {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			i++
		}
		if j >= len(known) || known[j] != c {
			return false
		}
		j++
	}
	return j == len(known)
}

func knownHeaders() string {
	names := make([]string, len(knownKeys))
	for i, k := range knownKeys {
		names[i] = titleKey(k)
	}
	return strings.Join(names, ", ")
}

// titleKey turns "revision id" into "Revision ID" for messages.
func titleKey(k string) string {
	if k == keyRevisionID {
		return "Revision ID"
	}
	words := strings.Fields(k)
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}

func (p *sqlParser) revisionID(lineNo int, value string) {
	p.rev.Line = lineNo
	if value == "" {
		p.errorf(lineNo, "empty Revision ID")
		return
	}
	if err := ident.CheckID(value); err != nil {
		p.errs = append(p.errs, &Error{Line: lineNo, Err: err})
	}
	p.rev.ID = value
}

// idList parses a comma-separated list of revision identifiers (or labels).
func (p *sqlParser) idList(lineNo int, header, value string) []string {
	if value == "" {
		return nil
	}
	var out []string
	for rest, more := value, true; more; {
		var part string
		part, rest, more = strings.Cut(rest, ",")
		id := strings.TrimSpace(part)
		if id == "" {
			p.errorf(lineNo, "%s: empty entry in %q", header, value)
			continue
		}
		if strings.ContainsAny(id, " \t") {
			p.errorf(lineNo, "%s: %q is not one identifier (separate entries with commas)", header, id)
			continue
		}
		out = append(out, id)
	}
	return out
}

func (p *sqlParser) labelList(lineNo int, value string) []string {
	labels := p.idList(lineNo, "Branch Labels", value)
	kept := labels[:0]
	for _, l := range labels {
		if strings.Contains(l, "@") {
			p.errorf(lineNo, "Branch Labels: %q contains '@', which separates a label from a revision in identifiers", l)
			continue
		}
		if err := ident.CheckLabel(l); err != nil {
			p.errs = append(p.errs, &Error{Line: lineNo, Err: err})
			continue
		}
		kept = append(kept, l)
	}
	return kept
}

func (p *sqlParser) transaction(lineNo int, value string) {
	switch strings.ToLower(value) {
	case "none":
		p.rev.Transactional = false
	case "", "per-step", "default":
		p.rev.Transactional = true
	default:
		p.errorf(lineNo, "Transaction: %q is not understood (use \"none\" to run this revision outside a transaction)", value)
	}
}

// sectionMarker returns "upgrade" or "downgrade" when line opens a section.
func sectionMarker(line string) string {
	t := strings.TrimSpace(line)
	if !strings.HasPrefix(t, "--") {
		return ""
	}
	t = strings.TrimSpace(t[2:])
	switch {
	case strings.EqualFold(t, "+upgrade"):
		return "upgrade"
	case strings.EqualFold(t, "+downgrade"):
		return "downgrade"
	}
	return ""
}

// sections splits the body (from the cursor on) into the upgrade and
// downgrade sections. A section's SQL is the text of the file between its
// marker and the next one, trailing blank lines dropped.
func (p *sqlParser) sections(text string, c *lineCursor) {
	var cur *models.Section
	from := 0 // byte offset where cur's SQL starts
	// from and end may pass the end of the text by the one newline the
	// last line does not have.
	flush := func(end int) {
		if cur != nil {
			cur.SQL = strings.TrimRight(text[min(from, len(text)):min(end, len(text))], "\r\n")
		}
	}
	for ; c.ok(); c.advance() {
		switch sectionMarker(c.line) {
		case "upgrade":
			flush(c.off)
			cur, from = p.openSection(&p.rev.Upgrade, "upgrade", c.no), c.next
			continue
		case "downgrade":
			flush(c.off)
			cur, from = p.openSection(&p.rev.Downgrade, "downgrade", c.no), c.next
			continue
		}
		if cur == nil {
			if t := strings.TrimSpace(c.line); t != "" && !strings.HasPrefix(t, "--") {
				p.errorf(c.no, "SQL before the first \"-- +upgrade\" line")
				cur = &models.Section{} // report once, keep reading
			}
		}
	}
	flush(len(text))
	if !p.rev.Upgrade.Present {
		p.errorf(0, `missing "-- +upgrade" section`)
	}
}

func (p *sqlParser) openSection(s *models.Section, name string, lineNo int) *models.Section {
	if s.Present {
		p.errorf(lineNo, "second \"-- +%s\" section (the first starts on line %d)", name, s.Line-1)
		return &models.Section{}
	}
	s.Present = true
	s.Line = lineNo + 1
	return s
}

// Error is a problem at a line of the file (Line 0: the file as a whole).
// The caller, which knows the file, names it.
type Error = lineerr.Error

func errorf(line int, format string, args ...any) *Error {
	return lineerr.Errorf(line, format, args...)
}
