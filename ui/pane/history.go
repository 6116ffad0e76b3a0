package pane

import (
	"path/filepath"
	"strconv"
	"strings"

	"retort/lanes"
	"retort/models"
	"retort/revisions"
	"retort/visible"
)

// History is everything the History pane draws that depends on the files only:
// the rows, their lane layout and their text as shown
// (through package visible). It is built once per
// load, in a Cmd, and never changed afterwards, so model copies share it.
type History struct {
	G       *models.Graph
	Dirs    []string
	Entries []lanes.Entry
	Layout  *lanes.Layout
	// RowOf maps a revision's position in g.Revisions to its row.
	RowOf []int
	// One-line texts per row as shown, and the lower-cased haystack search
	// looks in.
	IDs, Labels, Msgs, Haystack []string
	// IDWidth and LabelWidth are the widths of the id and label columns.
	IDWidth, LabelWidth int
	// Heads are the rows of the heads, top to bottom.
	Heads []int
	// wd is the working directory paths are shown relative to.
	wd string
}

// Load reads the versions directories and lays the graph out. A
// directory with broken files still gives a history of what could be read,
// with the error.
func Load(dirs []string) (*History, error) {
	g, err := revisions.Load(dirs...)
	if g == nil {
		return nil, err
	}
	h := Build(g, dirs)
	h.wd, _ = filepath.Abs(".")
	return h, err
}

// Build lays out g's whole history.
func Build(g *models.Graph, dirs []string) *History {
	entries, nodes := lanes.History(g, g.History)
	h := &History{G: g, Dirs: dirs, Entries: entries, Layout: lanes.Compute(nodes), RowOf: make([]int, g.Len())}
	n := len(entries)
	h.IDs, h.Labels, h.Msgs, h.Haystack = make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	for i := range h.RowOf {
		h.RowOf[i] = -1
	}
	for r, e := range entries {
		if e.Rev < 0 {
			h.IDs[r] = visible.Line(models.ShortID(e.Missing))
			h.Msgs[r] = "missing: no file defines this revision"
		} else {
			rev := g.Revisions[e.Rev]
			h.RowOf[e.Rev] = r
			h.IDs[r] = visible.Line(rev.ShortID())
			h.Labels[r] = visible.Line(strings.Join(g.EffectiveLabels[e.Rev], ","))
			h.Msgs[r] = visible.Line(rev.Message)
			if g.IsHead(e.Rev) {
				h.Heads = append(h.Heads, r)
			}
		}
		h.Haystack[r] = strings.ToLower(h.FullID(r) + " " + h.Labels[r] + " " + h.Msgs[r])
		h.IDWidth = max(h.IDWidth, len([]rune(h.IDs[r])))
		h.LabelWidth = max(h.LabelWidth, len([]rune(h.Labels[r])))
	}
	return h
}

// FullID is the whole id of row r's revision or placeholder.
func (h *History) FullID(r int) string {
	if e := h.Entries[r]; e.Rev >= 0 {
		return h.G.Revisions[e.Rev].ID
	}
	return h.Entries[r].Missing
}

// Rev returns row r's revision, nil for a placeholder (and for a nil
// history).
func (h *History) Rev(r int) *models.Revision {
	if h == nil || r < 0 || r >= len(h.Entries) || h.Entries[r].Rev < 0 {
		return nil
	}
	return h.G.Revisions[h.Entries[r].Rev]
}

// Len is the number of rows (0 for a nil history).
func (h *History) Len() int {
	if h == nil {
		return 0
	}
	return len(h.Entries)
}

// DisplayPath shows a revision file's path relative to the working
// directory when it is below it, else relative to the parent of its versions
// directory, so that paths stay short and do not depend on where a
// temporary directory happens to be. It is shown through package visible:
// a file name may hold escape sequences.
func (h *History) DisplayPath(path string) string {
	return visible.Line(h.relPath(path))
}

func (h *History) relPath(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		if h.wd != "" {
			if rel, err := filepath.Rel(h.wd, abs); err == nil && !strings.HasPrefix(rel, "..") {
				return rel
			}
		}
		parent := filepath.Dir(filepath.Dir(abs))
		if rel, err := filepath.Rel(parent, abs); err == nil {
			return rel
		}
	}
	return path
}

// Find returns the row of the revision (or placeholder) with the given id,
// -1 when there is none.
func (h *History) Find(id string) int {
	if h == nil || id == "" {
		return -1
	}
	if i, ok := h.G.Index[id]; ok {
		return h.RowOf[i]
	}
	for r, e := range h.Entries {
		if e.Rev < 0 && e.Missing == id {
			return r
		}
	}
	return -1
}

// Location is "path:line", or the path alone for line 0: a problem with
// the file or the step as a whole (the version table moved behind a plan,
// a COMMIT failed), at no line of it.
func Location(path string, line int) string {
	if line <= 0 {
		return path
	}
	return path + ":" + strconv.Itoa(line)
}

// JoinDirs names versions directories.
func JoinDirs(dirs []string) string { return strings.Join(dirs, ", ") }
