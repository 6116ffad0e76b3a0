package ui

import (
	"retort/engine"
	"retort/models"
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
		current: make([]bool, g.Len()), applied: make([]bool, g.Len())}
	var stack []int
	for _, id := range rows {
		i, ok := g.Index[id]
		if !ok {
			s.unknown = append(s.unknown, id)
			continue
		}
		s.current[i] = true
		stack = append(stack, i)
	}
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if s.applied[i] {
			continue
		}
		s.applied[i] = true
		stack = append(stack, g.Parents[i]...)
		stack = append(stack, g.Deps[i]...)
	}
	for _, a := range s.applied {
		if !a {
			s.pending++
		}
	}
	return s
}

// ancestry marks revision i and everything it needs (parents and
// depends_on, transitively), by revision position.
func ancestry(g *models.Graph, i int) []bool {
	seen := make([]bool, g.Len())
	stack := []int{i}
	for len(stack) > 0 {
		j := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[j] {
			continue
		}
		seen[j] = true
		stack = append(stack, g.Parents[j]...)
		stack = append(stack, g.Deps[j]...)
	}
	return seen
}
