package cli

import (
	"bufio"
	"fmt"

	"retort/lanes"
	"retort/models"
	"retort/visible"
)

// printGraph draws history in lanes, one revision per line, newest first:
// the same layout as the TUI's graph pane (parent edges solid, depends_on
// edges dashed, merges and the database's current revisions with their own
// node glyphs) followed by Alembic's history line. A parent that no file
// defines gets a placeholder line so that a broken history still draws.
func (a *app) printGraph(g *models.Graph, order []int, current map[int]bool) error {
	glyphs := lanes.Unicode()
	if a.flags.ASCII {
		glyphs = lanes.ASCII()
	}
	entries, nodes := lanes.History(g, order)
	layout := lanes.Compute(nodes)
	w := bufio.NewWriter(a.stdout)
	var cells []lanes.Cell
	for r, e := range entries {
		cells = layout.Cells(r, nil, cells)
		node, text := graphNode(g, e, current, glyphs)
		fmt.Fprintf(w, "%s %s\n", glyphs.Line(cells, node, layout.Width), text)
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("writing the graph: %w", err)
	}
	return nil
}

// graphNode picks a row's node glyph and its text.
func graphNode(g *models.Graph, e lanes.Entry, current map[int]bool, glyphs lanes.Glyphs) (string, string) {
	if e.Rev < 0 {
		return glyphs.Node(lanes.Missing), visible.Line(e.Missing) + " (missing: no revision file defines it)"
	}
	kind := lanes.Pending
	switch {
	case current[e.Rev]:
		kind = lanes.Current
	case g.IsMergePoint(e.Rev):
		kind = lanes.MergePending
	}
	// A docstring whose first paragraph spans lines is printed whole by
	// Alembic; beside the lanes it is joined into one line.
	return glyphs.Node(kind), visible.Line(historyLine(g, e.Rev, current[e.Rev]))
}
