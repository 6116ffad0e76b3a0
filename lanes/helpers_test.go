package lanes

import (
	"strings"
	"testing"

	"retort/models"
	"retort/revisions"
)

// spec builds a graph from lines "id: parent,parent | dep,dep" given in load
// order, the way revision files would declare them.
func spec(t *testing.T, lines ...string) *models.Graph {
	t.Helper()
	var revs []*models.Revision
	for _, l := range lines {
		id, rest, _ := strings.Cut(l, ":")
		parents, deps, _ := strings.Cut(rest, "|")
		revs = append(revs, &models.Revision{
			ID: strings.TrimSpace(id), Parents: list(parents), DependsOn: list(deps),
			Path: strings.TrimSpace(id) + ".sql", Message: strings.TrimSpace(id), Transactional: true,
		})
	}
	g, _ := revisions.Build(revs)
	if g == nil {
		t.Fatalf("Build returned no graph for %q", lines)
	}
	return g
}

func list(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// drawGraph renders the whole history of g as lazygit's graph tests do: the lanes
// of each row (nodes as ○, merges as ◆, placeholders as ✕, right spaces
// trimmed) followed by the row's id.
func drawGraph(g *models.Graph, glyphs Glyphs) string {
	entries, nodes := History(g, g.History)
	l := Compute(nodes)
	var b strings.Builder
	var buf []Cell
	for r, e := range entries {
		buf = l.Cells(r, nil, buf)
		node, name := glyphs.Node(Pending), e.Missing
		switch {
		case e.Rev < 0:
			node = glyphs.Node(Missing)
		case g.IsMergePoint(e.Rev):
			node, name = glyphs.Node(MergePending), g.Revisions[e.Rev].ID
		default:
			name = g.Revisions[e.Rev].ID
		}
		b.WriteString(glyphs.Line(buf, node, l.Width) + " " + name + "\n")
	}
	return b.String()
}
