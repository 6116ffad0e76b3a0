package ui

import (
	"path/filepath"
	"strings"

	"retort/lanes"
	"retort/models"
	"retort/revisions"
)

// history is everything the graph pane draws that depends on the files only:
// the rows, their lane layout and their cleaned text. It is built once per
// load, in a Cmd, and never changed afterwards, so model copies share it.
type history struct {
	g       *models.Graph
	dirs    []string
	entries []lanes.Entry
	layout  *lanes.Layout
	// rowOf maps a revision's position in g.Revisions to its row.
	rowOf []int
	// Cleaned one-line texts per row, and the lower-cased haystack search
	// looks in.
	ids, labels, msgs, haystack []string
	// idWidth and labelWidth are the widths of the id and label columns.
	idWidth, labelWidth int
	// heads are the rows of the heads, top to bottom.
	heads []int
	// wd is the working directory paths are shown relative to.
	wd string
}

// loadHistory reads the versions directories and lays the graph out. A
// directory with broken files still gives a history of what could be read,
// with the error.
func loadHistory(dirs []string) (*history, error) {
	g, err := revisions.Load(dirs...)
	if g == nil {
		return nil, err
	}
	h := buildHistory(g, dirs)
	h.wd, _ = filepath.Abs(".")
	return h, err
}

// buildHistory lays out g's whole history.
func buildHistory(g *models.Graph, dirs []string) *history {
	entries, nodes := lanes.History(g, g.History)
	h := &history{g: g, dirs: dirs, entries: entries, layout: lanes.Compute(nodes), rowOf: make([]int, g.Len())}
	n := len(entries)
	h.ids, h.labels, h.msgs, h.haystack = make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	for i := range h.rowOf {
		h.rowOf[i] = -1
	}
	for r, e := range entries {
		if e.Rev < 0 {
			h.ids[r] = cleanLine(models.ShortID(e.Missing))
			h.msgs[r] = "missing: no file defines this revision"
		} else {
			rev := g.Revisions[e.Rev]
			h.rowOf[e.Rev] = r
			h.ids[r] = cleanLine(rev.ShortID())
			h.labels[r] = cleanLine(strings.Join(g.EffectiveLabels[e.Rev], ","))
			h.msgs[r] = cleanLine(rev.Message)
			if g.IsHead(e.Rev) {
				h.heads = append(h.heads, r)
			}
		}
		h.haystack[r] = strings.ToLower(fullID(h, r) + " " + h.labels[r] + " " + h.msgs[r])
		h.idWidth = max(h.idWidth, len([]rune(h.ids[r])))
		h.labelWidth = max(h.labelWidth, len([]rune(h.labels[r])))
	}
	return h
}

// fullID is the whole id of row r's revision or placeholder.
func fullID(h *history, r int) string {
	if e := h.entries[r]; e.Rev >= 0 {
		return h.g.Revisions[e.Rev].ID
	}
	return h.entries[r].Missing
}

// rev returns row r's revision, nil for a placeholder.
func (h *history) rev(r int) *models.Revision {
	if r < 0 || r >= len(h.entries) || h.entries[r].Rev < 0 {
		return nil
	}
	return h.g.Revisions[h.entries[r].Rev]
}

// len is the number of rows.
func (h *history) len() int {
	if h == nil {
		return 0
	}
	return len(h.entries)
}

// displayPath shows a revision file's path relative to the working
// directory when it is below it, else relative to the parent of its versions
// directory, so that paths stay short and do not depend on where a
// temporary directory happens to be. It is cleaned for the screen: a file
// name may hold escape sequences.
func (h *history) displayPath(path string) string {
	return cleanLine(h.relPath(path))
}

func (h *history) relPath(path string) string {
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

// find returns the row of the revision (or placeholder) with the given id,
// -1 when there is none.
func (h *history) find(id string) int {
	if h == nil || id == "" {
		return -1
	}
	if i, ok := h.g.Index[id]; ok {
		return h.rowOf[i]
	}
	for r, e := range h.entries {
		if e.Rev < 0 && e.Missing == id {
			return r
		}
	}
	return -1
}

func joinDirs(dirs []string) string { return strings.Join(dirs, ", ") }
