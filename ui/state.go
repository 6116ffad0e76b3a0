package ui

import (
	"retort/engine"
	"retort/models"
	"retort/revisions"
)

// dbState is what the database says about the graph: which revisions are
// version rows, which are applied, which drifted. Built in Update from the
// rows (O(revisions)), shared read-only by model copies.
type dbState struct {
	rows []string
	// current and applied are indexed by revision position. Applied are
	// the rows and everything they need: their ancestors through parents
	// and depends_on.
	current, applied []bool
	pending          int
	// unknown are rows that name no revision on disk.
	unknown []string
	drift   map[string]engine.DriftInfo
	audit   map[string]engine.LogEntry
}

func newState(g *models.Graph, rows []string, drift map[string]engine.DriftInfo, audit map[string]engine.LogEntry) *dbState {
	s := &dbState{rows: rows, drift: drift, audit: audit,
		current: make([]bool, g.Len())}
	var held []int
	for _, id := range rows {
		i, ok := g.Index[id]
		if !ok {
			s.unknown = append(s.unknown, id)
			continue
		}
		s.current[i] = true
		held = append(held, i)
	}
	s.applied = revisions.Needed(g, held...)
	for _, a := range s.applied {
		if !a {
			s.pending++
		}
	}
	return s
}
