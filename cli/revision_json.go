package cli

import (
	"retort/models"
)

// The --json form of revisions.

// revisionJSON is the --json form of a revision.
type revisionJSON struct {
	Revision      string   `json:"revision"`
	Parents       []string `json:"parents"`
	DependsOn     []string `json:"depends_on"`
	Children      []string `json:"children"`
	BranchLabels  []string `json:"branch_labels"`
	Declared      []string `json:"declared_branch_labels"`
	Message       string   `json:"message"`
	CreateDate    string   `json:"create_date,omitempty"`
	Path          string   `json:"path"`
	Head          bool     `json:"head"`
	EffectiveHead bool     `json:"effective_head"`
	Base          bool     `json:"base"`
	BranchPoint   bool     `json:"branch_point"`
	MergePoint    bool     `json:"merge_point"`
	Current       bool     `json:"current,omitempty"`
	Transactional bool     `json:"transactional"`
	Format        string   `json:"format"`
	Warnings      []string `json:"warnings,omitempty"`
}

func toJSON(g *models.Graph, i int, current bool) revisionJSON {
	r := g.Revisions[i]
	return revisionJSON{
		Revision:      r.ID,
		Parents:       nonNilStrings(r.Parents),
		DependsOn:     nonNilStrings(r.DependsOn),
		Children:      nonNilStrings(g.IDs(g.Children[i])),
		BranchLabels:  nonNilStrings(g.EffectiveLabels[i]),
		Declared:      nonNilStrings(r.BranchLabels),
		Message:       r.Message,
		CreateDate:    r.CreateDate,
		Path:          r.Path,
		Head:          g.IsRealHead(i),
		EffectiveHead: g.IsHead(i) && !g.IsRealHead(i),
		Base:          len(g.Parents[i]) == 0,
		BranchPoint:   g.IsBranchPoint(i),
		MergePoint:    g.IsMergePoint(i),
		Current:       current,
		Transactional: r.Transactional,
		Format:        r.Format.String(),
		Warnings:      r.Warnings,
	}
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func revisionsJSON(g *models.Graph, revs []int, current map[int]bool) []revisionJSON {
	out := make([]revisionJSON, len(revs))
	for k, i := range revs {
		out[k] = toJSON(g, i, current[i])
	}
	return out
}
