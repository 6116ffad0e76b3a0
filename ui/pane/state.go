package pane

import (
	"strings"

	"retort/engine"
	"retort/models"
	"retort/revisions"
	"retort/ui/theme"
	"retort/visible"
)

// State is what the database says about the graph: which revisions are
// version rows, which are applied, which drifted. Built in Update from the
// rows (O(revisions)), shared read-only by model copies.
type State struct {
	Rows []string
	// Current and Applied are indexed by revision position. Applied are
	// the rows and everything they need: their ancestors through parents
	// and depends_on.
	Current, Applied []bool
	Pending          int
	// Unknown are rows that name no revision on disk.
	Unknown []string
	Drift   map[string]engine.DriftInfo
	Audit   map[string]engine.LogEntry
}

// NewState builds the state of g from the version rows, the drift and the
// audit log.
func NewState(g *models.Graph, rows []string, drift map[string]engine.DriftInfo, audit map[string]engine.LogEntry) *State {
	s := &State{Rows: rows, Drift: drift, Audit: audit,
		Current: make([]bool, g.Len())}
	var held []int
	for _, id := range rows {
		i, ok := g.Index[id]
		if !ok {
			s.Unknown = append(s.Unknown, id)
			continue
		}
		s.Current[i] = true
		held = append(held, i)
	}
	s.Applied = revisions.Needed(g, held...)
	for _, a := range s.Applied {
		if !a {
			s.Pending++
		}
	}
	return s
}

// Badges say in words what row r's node glyph says in shape (db may be
// nil).
func Badges(st *theme.Styles, h *History, db *State, r int) []string {
	e := h.Entries[r]
	if e.Rev < 0 {
		return []string{"missing"}
	}
	g, i := h.G, e.Rev
	var b []string
	if db != nil && db.Current[i] {
		b = append(b, "current")
	}
	if g.IsHead(i) {
		b = append(b, "head")
	}
	if g.IsMergePoint(i) {
		b = append(b, "merge")
	}
	if g.IsBranchPoint(i) {
		b = append(b, "branchpt")
	}
	if len(g.Revisions[i].Parents) == 0 {
		b = append(b, "base")
	}
	if len(g.Missing[i]) > 0 {
		b = append(b, "broken")
	}
	if db != nil {
		if d, ok := db.Drift[g.Revisions[i].ID]; ok && d.Changed {
			b = append(b, st.Sym("⚠ drift", "! drift"))
		}
	}
	return b
}

// ShortIDs names revisions by their short ids, as shown.
func ShortIDs(ids []string) string {
	out := make([]string, len(ids))
	for k, id := range ids {
		out[k] = visible.Line(models.ShortID(id))
	}
	return strings.Join(out, "  ")
}
