package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"retort/models"
	"retort/revisions"
)

// The read-only verbs: they read the versions directory, never a database
// (except `history -i` and `show current`, which read the version rows).

func (a *app) graphCommands() []*cobra.Command {
	return []*cobra.Command{a.headsCommand(), a.branchesCommand(), a.historyCommand(), a.showCommand()}
}

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
	}
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (a *app) headsCommand() *cobra.Command {
	var verbose, resolve, asJSON bool
	c := &cobra.Command{
		Use:   "heads",
		Short: "Show the current available heads in the versions directory",
		Long: `Show the heads: revisions that no other revision revises, in load order.
A head that another revision only depends on is marked "(effective head)";
--resolve-dependencies leaves those out (they are not targets of "heads").`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			g, err := a.loadGraph()
			if err != nil {
				return err
			}
			heads := g.Heads
			if resolve {
				heads = g.RealHeads
			}
			switch {
			case asJSON:
				return a.writeJSON(revisionsJSON(g, heads, nil))
			case verbose:
				for _, h := range heads {
					fmt.Fprintln(a.stdout, revisions.ShowEntry(g, h, false))
				}
			default:
				for _, line := range revisions.HeadsLines(g, resolve) {
					fmt.Fprintln(a.stdout, line)
				}
			}
			return nil
		},
	}
	c.Flags().BoolVarP(&verbose, "verbose", "v", false, "use more verbose output")
	c.Flags().BoolVar(&resolve, "resolve-dependencies", false, "treat dependency versions as down revisions")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

func revisionsJSON(g *models.Graph, revs []int, current map[int]bool) []revisionJSON {
	out := make([]revisionJSON, len(revs))
	for k, i := range revs {
		out[k] = toJSON(g, i, current[i])
	}
	return out
}

func (a *app) branchesCommand() *cobra.Command {
	var verbose, asJSON bool
	c := &cobra.Command{
		Use:   "branches",
		Short: "Show current branch points",
		Long:  "Show every branch point (a revision with several children) in history order, with its children.",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			g, err := a.loadGraph()
			if err != nil {
				return err
			}
			if asJSON {
				var bps []int
				for _, i := range g.History {
					if g.IsBranchPoint(i) {
						bps = append(bps, i)
					}
				}
				return a.writeJSON(revisionsJSON(g, bps, nil))
			}
			if verbose {
				return a.verboseBranches(g)
			}
			for _, line := range revisions.BranchesLines(g) {
				fmt.Fprintln(a.stdout, line)
			}
			return nil
		},
	}
	c.Flags().BoolVarP(&verbose, "verbose", "v", false, "use more verbose output")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

// verboseBranches prints each branch point's full entry, then its children
// with their messages, as `alembic branches -v` does.
func (a *app) verboseBranches(g *models.Graph) error {
	for _, i := range g.History {
		if !g.IsBranchPoint(i) {
			continue
		}
		fmt.Fprint(a.stdout, revisions.ShowEntry(g, i, false))
		indent := strings.Repeat(" ", len(g.Revisions[i].ID))
		for _, c := range g.Children[i] {
			fmt.Fprintf(a.stdout, "%s -> %s\n", indent, revisions.HistoryLine(g, c, false))
		}
		fmt.Fprintln(a.stdout)
	}
	return nil
}

func (a *app) historyCommand() *cobra.Command {
	var rng string
	var verbose, current, graph, asJSON bool
	c := &cobra.Command{
		Use:   "history",
		Short: "List changeset scripts in chronological order",
		Long: `List the revisions newest first, in Alembic's order.

  -r A:B    A, B and everything between (A: for A and what descends from it,
            :B for B and its ancestors); "current" stands for the database
  --graph   draw the revision graph in lanes beside each line
  -i        mark the revisions in the version table (reads the database)`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			g, err := a.loadGraph()
			if err != nil {
				return err
			}
			var rows []string
			if current || strings.Contains(rng, "current") {
				if rows, err = a.currentRows(cmd.Context()); err != nil {
					return err
				}
			}
			order, err := revisions.History(g, rng, rows)
			if err != nil {
				return err
			}
			return a.printHistory(g, order, rows, historyStyle{verbose: verbose, current: current, graph: graph, json: asJSON})
		},
	}
	c.Flags().StringVarP(&rng, "rev-range", "r", "", "specify a revision range; format is [start]:[end]")
	c.Flags().BoolVarP(&verbose, "verbose", "v", false, "use more verbose output")
	c.Flags().BoolVarP(&current, "indicate-current", "i", false, "indicate the current revision")
	c.Flags().BoolVar(&graph, "graph", false, "draw the graph in lanes (retort)")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON (retort)")
	return c
}

type historyStyle struct{ verbose, current, graph, json bool }

func (a *app) printHistory(g *models.Graph, order []int, rows []string, st historyStyle) error {
	cur := map[int]bool{}
	if st.current {
		for _, r := range rows {
			if i, ok := g.Index[r]; ok {
				cur[i] = true
			}
		}
	}
	switch {
	case st.json:
		return a.writeJSON(revisionsJSON(g, order, cur))
	case st.graph:
		return a.printGraph(g, order, cur)
	}
	for _, i := range order {
		if st.verbose {
			fmt.Fprintln(a.stdout, revisions.ShowEntry(g, i, cur[i]))
			continue
		}
		fmt.Fprintln(a.stdout, revisions.HistoryLine(g, i, cur[i]))
	}
	return nil
}

func (a *app) showCommand() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "show REV",
		Short: "Show the revision(s) denoted by the given symbol",
		Long: `Show a revision: its parents, dependencies, children, labels, file and message.
REV is any identifier: an id or prefix, head, heads, base, label@head, or
"current" (the revisions in the version table).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			g, err := a.loadGraph()
			if err != nil {
				return err
			}
			revs, err := a.showTargets(cmd, g, args[0])
			if err != nil {
				return err
			}
			if asJSON {
				return a.writeJSON(revisionsJSON(g, revs, nil))
			}
			for _, i := range revs {
				fmt.Fprintln(a.stdout, revisions.ShowEntry(g, i, false))
			}
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

func (a *app) showTargets(cmd *cobra.Command, g *models.Graph, rev string) ([]int, error) {
	if rev != "current" {
		return revisions.Show(g, rev)
	}
	rows, err := a.currentRows(cmd.Context())
	if err != nil {
		return nil, err
	}
	var out []int
	for _, r := range rows {
		revs, err := revisions.Show(g, r)
		if err != nil {
			return nil, err
		}
		out = append(out, revs...)
	}
	return out, nil
}
