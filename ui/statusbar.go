package ui

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"retort/ui/history"
	"retort/ui/theme"
	"retort/visible"
)

// statusBar is the top line: the database (password masked), the current
// revisions, the heads and pending counts, the notices, the lock, and a
// spinner while something is under way.
type statusBar struct {
	spinner spinner.Model
	// spinning: a spinner tick is in flight.
	spinning bool
}

func newStatusBar(ascii bool) statusBar {
	sp := spinner.Dot
	if ascii {
		sp = spinner.Line
	}
	return statusBar{spinner: spinner.New(spinner.WithSpinner(sp))}
}

// spin starts the spinner if it is not turning.
func (s statusBar) spin() (statusBar, tea.Cmd) {
	if s.spinning {
		return s, nil
	}
	s.spinning = true
	return s, s.spinner.Tick
}

// tick advances the spinner while something is under way and lets it stop
// otherwise, so an idle UI does nothing.
func (s statusBar) tick(msg spinner.TickMsg, busy bool) (statusBar, tea.Cmd) {
	if !busy {
		s.spinning = false
		return s, nil
	}
	s.spinning = true
	var cmd tea.Cmd
	s.spinner, cmd = s.spinner.Update(msg)
	return s, cmd
}

// view draws the status line. When it does not fit it degrades in steps
// (see statusText), so that the counts and the lock stay visible at 80
// columns whatever the database URL.
func (s statusBar) view(st *theme.Styles, f statusFacts, width int, busy bool) string {
	right := ""
	if busy {
		right = s.spinner.View() + " "
	}
	w := width - ansi.StringWidth(right)
	return st.Paint(&st.StatusBar, st.Fit(statusText(st, f.parts(st), w), w)+right)
}

// statusFacts are what the status line says things about.
type statusFacts struct {
	// engine is the database, nil without one (and until it is open);
	// dbName names it meanwhile, dbFile is its SQLite file.
	engine         Engine
	dbName, dbFile string
	conn           connection
	loaded         loaded
	lock           lockState
	running        bool
}

// statusNotice is a condition the status line reports after the counts,
// never dropped for want of room: its text, "" when it does not hold.
type statusNotice func(st *theme.Styles, f statusFacts) string

// statusNotices are the conditions the status line reports, in order. A new
// one is a function and a line here.
func statusNotices() []statusNotice {
	return []statusNotice{fileProblems, dbUnreachable}
}

// fileProblems: the versions directory has files that could not be read.
func fileProblems(st *theme.Styles, f statusFacts) string {
	if f.loaded.hist == nil || f.loaded.loadErr == nil {
		return ""
	}
	return st.Sym("⚠ ", "! ") + "file problems (see log)"
}

// statusParts are the pieces of the status line, before they are fitted.
type statusParts struct {
	// db is the database as the engine shows it (password masked), ""
	// without one.
	db string
	// current are the version rows; note replaces them when there are none
	// to name ("reading database…", "current base (no version rows)").
	current []currentRow
	note    string
	// noteShort is note when nothing else makes room.
	noteShort string
	// counts are the heads, pending and the notices; lock the lock state.
	// They are never dropped.
	counts []string
	lock   string
}

// currentRow is a version row: its id, and the labels of its revision
// (unknown: no file defines it).
type currentRow struct {
	id      string
	labels  string
	unknown bool
}

// parts are the pieces of the status line.
func (f statusFacts) parts(st *theme.Styles) statusParts {
	var p statusParts
	l := f.loaded
	switch {
	case f.engine != nil:
		p.db = visible.Line(f.engine.Redacted())
		p.lock = f.lock.text(st, f.running)
	case f.dbName != "":
		p.db = visible.Line(f.dbName)
	}
	p.note, p.noteShort = f.note(st)
	if l.db != nil && l.hist != nil {
		for _, id := range l.db.Rows {
			row := currentRow{id: visible.Line(id)}
			if i, ok := l.hist.G.Index[id]; !ok {
				row.unknown = true
			} else {
				row.labels = visible.Line(strings.Join(l.hist.G.EffectiveLabels[i], ","))
			}
			p.current = append(p.current, row)
		}
	}
	if l.hist != nil {
		p.counts = append(p.counts, plural(len(l.hist.G.Heads), "head"))
		if l.db != nil {
			p.counts = append(p.counts, fmt.Sprintf("%d pending", l.db.Pending))
		}
	}
	for _, n := range statusNotices() {
		if text := n(st, f); text != "" {
			p.counts = append(p.counts, text)
		}
	}
	return p
}

// note stands for the version rows when there are none to name, long and
// short.
func (f statusFacts) note(st *theme.Styles) (string, string) {
	l := f.loaded
	switch {
	case f.engine == nil && f.dbName != "" && f.conn.err == "":
		return "opening the database" + st.Dots(), "opening" + st.Dots()
	case f.engine == nil:
		return "current unknown", "current unknown"
	case l.db == nil && l.stateErr != "":
		return "current unknown (database error, see log)", "current unknown"
	case l.db == nil:
		return "reading database" + st.Dots(), "reading database" + st.Dots()
	case len(l.db.Rows) == 0 && l.fileMissing && f.dbFile != "":
		// A SQLite file that does not exist (a mistyped path?) has no
		// rows: the note says so, and what a run would do.
		return "current base (" + visible.Line(filepath.Base(f.dbFile)) + " does not exist: a run will create it)",
			"current base (no file yet)"
	case len(l.db.Rows) == 0:
		return "current base (no version rows)", "current base"
	}
	return "", ""
}

// statusText fits the status line into w columns. It tries, in order: the
// whole line; the database shortened to scheme://host/name; the current
// revisions without their labels, then with eight-character ids; the line
// without the word "retort". Last, the counts and the lock are kept whole,
// the current revisions shrink to the first one ("current 4d000000 +1"),
// the lock holder is cut if even that does not fit, and the database gets
// what room is left, cut in the middle. Below the width of the counts and
// the lock, the line is cut at its end. The result is never wider than w.
func statusText(st *theme.Styles, p statusParts, w int) string {
	sep := st.Sym(" · ", " | ")
	line := func(retort bool, db, cur, lock string) string {
		var parts []string
		if retort {
			parts = append(parts, "retort")
		}
		parts = append(parts, nonEmpty(db)...)
		parts = append(parts, nonEmpty(cur)...)
		parts = append(parts, p.counts...)
		parts = append(parts, nonEmpty(lock)...)
		return " " + strings.Join(parts, sep)
	}
	db := p.db
	if db == "" {
		db = "no database"
	}
	short := shortDB(db)
	steps := []struct {
		retort bool
		db     string
		labels bool
		idw    int
	}{
		{true, db, true, 12},
		{true, short, true, 12},
		{true, short, false, 12},
		{true, short, false, history.ShortIDWidth},
		{false, short, false, history.ShortIDWidth},
	}
	for _, s := range steps {
		if l := line(s.retort, s.db, p.currentText(s.labels, s.idw), p.lock); ansi.StringWidth(l) <= w {
			return l
		}
	}
	width := ansi.StringWidth
	// The database wants room for its name at least.
	cur, lock := p.currentText(false, history.ShortIDWidth), p.lock
	if width(line(false, "", cur, lock))+width(sep)+min(width(short), 22) > w {
		cur = p.currentFirst()
	}
	if over := width(line(false, "", cur, lock)) - w; over > 0 && lock != "" {
		if width(lock)-over < 12 {
			cur = ""
			over = width(line(false, "", cur, lock)) - w
		}
		if over > 0 {
			lock = st.Cut(lock, max(1, width(lock)-over))
		}
		if cur == "" {
			return st.Cut(line(false, "", cur, lock), w)
		}
	}
	room := w - width(line(false, "", cur, lock)) - width(sep)
	if room < 8 {
		return st.Cut(line(false, "", cur, lock), w)
	}
	return line(false, elideDB(st, short, room), cur, lock)
}

// currentText names the version rows: "current 4d0000000004 (records)", the
// labels left out and the ids cut to idw when asked.
func (p statusParts) currentText(labels bool, idw int) string {
	if len(p.current) == 0 {
		return p.note
	}
	out := make([]string, 0, len(p.current))
	for _, r := range p.current {
		s := r.id
		if ansi.StringWidth(s) > idw {
			s = ansi.Truncate(s, idw, "")
		}
		switch {
		case r.unknown:
			s += " (unknown)"
		case labels && r.labels != "":
			s += " (" + r.labels + ")"
		}
		out = append(out, s)
	}
	return "current " + strings.Join(out, ", ")
}

// currentFirst names the first version row, and how many others there are
// (the short note when there are none).
func (p statusParts) currentFirst() string {
	if len(p.current) == 0 {
		return p.noteShort
	}
	if len(p.current) == 1 {
		return p.currentText(false, history.ShortIDWidth)
	}
	one := p
	one.current = p.current[:1]
	return fmt.Sprintf("%s +%d", one.currentText(false, history.ShortIDWidth), len(p.current)-1)
}

// shortDB is a database URL without what the status line can spare: the
// user, the port and the query (postgres://app:xxxxx@db:5432/lib?sslmode=x
// is postgres://db/lib); a key=value DSN keeps its host and dbname. The
// password is masked before this sees it, and dropped with the user.
func shortDB(s string) string {
	if strings.Contains(s, "://") {
		u, err := url.Parse(s)
		if err != nil || u.Host == "" {
			return s
		}
		return u.Scheme + "://" + u.Hostname() + u.EscapedPath()
	}
	if strings.Contains(s, "=") && !strings.HasPrefix(s, "sqlite:") {
		var host, name string
		for _, f := range strings.Fields(s) {
			k, v, _ := strings.Cut(f, "=")
			switch k {
			case "host":
				host = strings.Trim(v, "'")
			case "dbname":
				name = strings.Trim(v, "'")
			}
		}
		if host != "" || name != "" {
			return host + "/" + name
		}
	}
	return s
}

// elideDB cuts a database name to w columns, keeping what tells
// databases apart: the end (the database name, after the last '/') whole
// when it fits, with as much of the start (scheme and host) as room allows
// before an ellipsis; else the end of the name after the ellipsis. It
// counts display columns throughout: a path of wide characters (CJK, emoji)
// takes two columns a character.
func elideDB(st *theme.Styles, s string, w int) string {
	width := ansi.StringWidth
	if width(s) <= w {
		return s
	}
	ell := st.Ellipsis()
	keep := w - width(ell)
	if keep < 1 {
		return st.Cut(s, w)
	}
	tail := s
	if k := strings.LastIndex(s, "/"); k >= 0 {
		tail = s[k:]
	}
	// The start is worth showing past the scheme only.
	least := 4
	if k := strings.Index(s, "://"); k >= 0 {
		least = width(s[:k]) + 3 + 4
	}
	switch head := keep - width(tail); {
	case head >= least:
		return ansi.Truncate(s, head, "") + ell + tail
	case head >= 0:
		return ell + tail
	}
	return ell + lastColumns(s, keep)
}

// lastColumns is the end of s that fits in w columns (a wide character cut
// in two is left out).
func lastColumns(s string, w int) string {
	// TruncateLeft keeps a wide character the cut falls in: cut a column
	// more until the rest fits.
	for n := max(0, ansi.StringWidth(s)-w); ; n++ {
		if out := ansi.TruncateLeft(s, n, ""); ansi.StringWidth(out) <= w {
			return out
		}
	}
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}
