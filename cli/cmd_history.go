package cli

import (
	"github.com/spf13/cobra"

	"retort/models"
	"retort/revisions"
)

// history: the revisions in Alembic's order, as lines, entries, lanes or
// JSON.

// historyLong is the description `retort history --help` prints.
const historyLong = `List the revisions newest first, one line each, in Alembic's order (a
branch is followed down to its base before the next one starts), as
"alembic history" prints them:

  <parents> -> <rev> (<labels>) (head) (branchpoint) (mergepoint), <message>

"<base>" stands for no parent; a merge lists its parents separated by
commas, and a revision's depends_on follow its parents in parentheses, as
in "x000 (c000) -> y000".

  -r, --rev-range START:END
        only START, END and the revisions between them. START: is START and
        everything that descends from it, :END is END and its ancestors.
        START and END are identifiers: a full id or a unique prefix, head,
        heads, base, a branch label, label@head, label@base, "current" (the
        database's revisions), or a relative form such as -2:current, as in
        Alembic. A START that is not an ancestor of END is an error.
  -v, --verbose            print each revision's full entry ("retort show")
  -i, --indicate-current   mark the database's revisions "(current)"
  --graph                  draw the graph in lanes before each line (retort)
  --json                   print a JSON array of revision objects (retort)

Only -i and a range naming "current" open the database.

Exit status: 0; 1 when the versions directory cannot be loaded, the range is
malformed or names no revision, or the database cannot be read.`

func (a *app) historyCommand() *cobra.Command {
	var rng string
	var verbose, current, graph, asJSON bool
	c := &cobra.Command{
		Use:   "history",
		Short: "List changeset scripts in chronological order",
		Long:  historyLong,
		Example: `  retort history
  retort history -r e4c2:               # e4c229aa293c and what came after it
  retort history -r 9126:e4c2 -v        # from the branch point to the merge
  retort history -r current: -i         # the database's revision and later
  retort --dir examples/library history --graph | head`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			g, err := a.loadGraphWarning()
			if err != nil {
				return err
			}
			var rows []string
			if current || revisions.HistoryUsesCurrent(rng) {
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
			printLine(a.stdout, showEntry(g, i, cur[i]))
			continue
		}
		printLine(a.stdout, historyLine(g, i, cur[i]))
	}
	return nil
}
