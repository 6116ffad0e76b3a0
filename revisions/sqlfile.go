package revisions

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"retort/models"
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

// maxIDLength is the width of alembic_version.version_num: a longer id could
// never be recorded as applied.
const maxIDLength = 32

// sqlParser holds the state of one `.sql` file while it is read.
type sqlParser struct {
	path string
	rev  *models.Revision
	seen map[string]int // header key -> line
	errs []error
}

// ParseSQL reads a retort `.sql` revision file. It returns every problem it
// finds, each a *FileError naming the file and line, joined.
func ParseSQL(path string, src []byte) (*models.Revision, error) {
	sum := sha256.Sum256(src)
	p := &sqlParser{
		path: path,
		rev: &models.Revision{
			Path:          path,
			Format:        models.FormatSQL,
			Transactional: true,
			Checksum:      hex.EncodeToString(sum[:]),
		},
		seen: map[string]int{},
	}
	if !utf8.Valid(src) {
		return nil, fileErrorf(path, 0, "not valid UTF-8 text")
	}
	text := string(src)
	lines := strings.Split(text, "\n") // each line keeps a \r of CRLF: TrimSpace drops it
	body := p.header(lines)
	p.sections(text, lines, body)
	if _, ok := p.seen[keyRevisionID]; !ok {
		p.errorf(0, `missing "-- Revision ID:" header line`)
	}
	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	return p.rev, nil
}

func (p *sqlParser) errorf(line int, format string, args ...any) {
	p.errs = append(p.errs, fileErrorf(p.path, line, format, args...))
}

// header reads the `-- Key: value` lines at the top of the file and returns
// the index of the first line after the header.
func (p *sqlParser) header(lines []string) int {
	i := 0
	for i < len(lines) && strings.TrimSpace(lines[i]) == "" {
		i++
	}
	for ; i < len(lines); i++ {
		line := strings.TrimSpace(lines[i])
		if line == "" || sectionMarker(line) != "" {
			break
		}
		if !strings.HasPrefix(line, "--") {
			p.errorf(i+1, "header line %q is not of the form \"-- Key: value\" (a blank line must separate the header from the SQL)", line)
			return skipToSection(lines, i)
		}
		p.headerLine(i+1, strings.TrimSpace(strings.TrimPrefix(line, "--")))
	}
	return i
}

// skipToSection returns the index of the next section marker at or after
// i, so that one malformed line is reported once.
func skipToSection(lines []string, i int) int {
	for i < len(lines) && sectionMarker(lines[i]) == "" {
		i++
	}
	return i
}

func (p *sqlParser) headerLine(lineNo int, text string) {
	key, value, ok := strings.Cut(text, ":")
	if !ok {
		p.errorf(lineNo, "header line %q has no \"Key: value\" form", "-- "+text)
		return
	}
	key = strings.ToLower(strings.Join(strings.Fields(key), " "))
	value = strings.TrimSpace(value)
	if prev, dup := p.seen[key]; dup {
		p.errorf(lineNo, "header %q repeated (first on line %d)", key, prev)
		return
	}
	p.seen[key] = lineNo
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
	if err := CheckRevisionID(value); err != nil {
		p.errs = append(p.errs, &FileError{Path: p.path, Line: lineNo, Err: err})
		return
	}
	p.rev.ID = value
}

// CheckRevisionID applies Alembic's rule on revision identifiers (no `@`,
// `-` or `+`) and retort's own: no whitespace or commas, and at most 32
// characters so that alembic_version can hold it.
func CheckRevisionID(id string) error {
	var illegal []string
	for _, c := range []string{"+", "-", "@"} {
		if strings.Contains(id, c) {
			illegal = append(illegal, c)
		}
	}
	if len(illegal) > 0 {
		return fmt.Errorf("Character(s) '%s' not allowed in revision identifier '%s'", strings.Join(illegal, ", "), id)
	}
	if strings.ContainsAny(id, " \t,") {
		return fmt.Errorf("revision identifier %q contains whitespace or a comma", id)
	}
	if len(id) > maxIDLength {
		return fmt.Errorf("revision identifier %q is %d characters long; alembic_version.version_num holds at most %d", id, len(id), maxIDLength)
	}
	return nil
}

// idList parses a comma-separated list of revision identifiers (or labels).
func (p *sqlParser) idList(lineNo int, header, value string) []string {
	if value == "" {
		return nil
	}
	var out []string
	for _, part := range strings.Split(value, ",") {
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
	for _, l := range labels {
		if strings.Contains(l, "@") {
			p.errorf(lineNo, "Branch Labels: %q contains '@', which separates a label from a revision in identifiers", l)
		}
	}
	return labels
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

// sections splits the body (from line index start) into the upgrade and
// downgrade sections. A section's SQL is the text of the file between its
// marker and the next one, trailing blank lines dropped.
func (p *sqlParser) sections(text string, lines []string, start int) {
	var cur *models.Section
	from := 0 // byte offset where cur's SQL starts
	offset := 0
	for i := 0; i < start; i++ {
		offset += len(lines[i]) + 1
	}
	// from and end may pass the end of the text by the one newline the
	// last line does not have.
	flush := func(end int) {
		if cur != nil {
			cur.SQL = strings.TrimRight(text[min(from, len(text)):min(end, len(text))], "\r\n")
		}
	}
	for i := start; i < len(lines); i++ {
		lineStart := offset
		offset += len(lines[i]) + 1
		switch sectionMarker(lines[i]) {
		case "upgrade":
			flush(lineStart)
			cur, from = p.openSection(&p.rev.Upgrade, "upgrade", i+1), offset
			continue
		case "downgrade":
			flush(lineStart)
			cur, from = p.openSection(&p.rev.Downgrade, "downgrade", i+1), offset
			continue
		}
		if cur == nil {
			if t := strings.TrimSpace(lines[i]); t != "" && !strings.HasPrefix(t, "--") {
				p.errorf(i+1, "SQL before the first \"-- +upgrade\" line")
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
