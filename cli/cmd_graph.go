package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"retort/models"
	"retort/revisions"
)

// The read-only verbs: they read the versions directory, never a database
// (except `history -i` and `show current`, which read the version rows).

func (a *app) graphCommands() []*cobra.Command {
	return []*cobra.Command{a.headsCommand(), a.branchesCommand(), a.historyCommand(), a.showCommand()}
}

// loadGraphWarning loads the graph for a read-only verb and prints the
// files' warnings (a redundant depends_on, a depends_on that code changes
// at import time) on stderr, each naming its file, so that stdout stays
// Alembic's output (or pure JSON).
func (a *app) loadGraphWarning() (*models.Graph, error) {
	g, err := a.loadGraph()
	if err != nil {
		return nil, err
	}
	for _, w := range revisions.Warnings(g) {
		fmt.Fprintf(a.stderr, "warning: %s\n", indentLines(fmt.Sprint(w), "  "))
	}
	return g, nil
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

func (a *app) headsCommand() *cobra.Command {
	var verbose, resolve, asJSON bool
	c := &cobra.Command{
		Use:   "heads",
		Short: "Show the current available heads in the versions directory",
		Long: `Show the heads: the revisions that no other revision revises, one line
each, in load order (file names sorted), as "alembic heads" prints them:

  <rev> (<branch labels>) (head)

A head that another revision only depends on (through depends_on) is marked
"(effective head)" instead: it is not among the revisions the target
"heads" stands for, and --resolve-dependencies leaves it out. Only the
versions directories are read; the database is not opened.

  -v, --verbose   print each head's full entry, as "retort show" does
  --json          print a JSON array of revision objects (retort's addition)

Exit status: 0, also when there is no revision at all; 1 when the versions
directory cannot be loaded (every problem is listed, with file and line).`,
		Example: `  retort heads
  retort heads --resolve-dependencies
  retort --dir examples/library heads -v
  retort heads --json | jq -r '.[].revision'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			g, err := a.loadGraphWarning()
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
					fmt.Fprintln(a.stdout, showEntry(g, h, false))
				}
			default:
				for _, line := range headsLines(g, resolve) {
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
		Long: `Show every branch point, a revision that two or more revisions revise, in
history order (newest first), as "alembic branches" prints them: the branch
point's line, one line per child indented by the width of the id, then a
blank line:

  9126f322cb13 (branchpoint)
               -> 540677030265 (circulation)
               -> 7563ba6d7561 (catalog)

Children count through down_revision ("Revises") only: a revision that
merely depends on another (depends_on) does not make it a branch point.
Nothing is printed for a linear history. Only the versions directories are
read; the database is not opened.

  -v, --verbose   print each branch point's full entry ("retort show"), then
                  one "-> <parent> -> <child>, <message>" line per child
  --json          print a JSON array of the branch points' revision objects,
                  children included (retort's addition)

Exit status: 0, also when there is no branch point; 1 when the versions
directory cannot be loaded (every problem is listed, with file and line).`,
		Example: `  retort branches
  retort --dir examples/library branches -v
  retort branches --json | jq -c '.[] | {revision, children}'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			g, err := a.loadGraphWarning()
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
			for _, line := range branchesLines(g, verbose) {
				fmt.Fprintln(a.stdout, line)
			}
			return nil
		},
	}
	c.Flags().BoolVarP(&verbose, "verbose", "v", false, "use more verbose output")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

func (a *app) historyCommand() *cobra.Command {
	var rng string
	var verbose, current, graph, asJSON bool
	c := &cobra.Command{
		Use:   "history",
		Short: "List changeset scripts in chronological order",
		Long: `List the revisions newest first, one line each, in Alembic's order (a
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
malformed or names no revision, or the database cannot be read.`,
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
			fmt.Fprintln(a.stdout, showEntry(g, i, cur[i]))
			continue
		}
		fmt.Fprintln(a.stdout, historyLine(g, i, cur[i]))
	}
	return nil
}

func (a *app) showCommand() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "show REV",
		Short: "Show the revision(s) denoted by the given symbol",
		Long: `Show the revisions REV denotes, each as the log entry "alembic show"
prints:

  Rev: e4c229aa293c (mergepoint)
  Merges: a9012647d928, bb59f895577c
  Branch names: catalog, circulation
  Path: <the file's absolute path>

      merge catalog and circulation

A revision with one parent has "Parent: <id>" ("<base>" for none) instead
of "Merges:", and "Also depends on:" and "Branches into:" lines appear when
they apply; (head), (branchpoint) and (mergepoint) mark the first line.

REV is an identifier: a full id or a unique prefix (four characters or
more), a branch label (the revision that declares it), label@head, label@rev,
head, heads (every head), base (nothing: prints nothing), or current (the
revisions in the version table, which opens the database).

  --json   print a JSON array of revision objects (retort's addition)

Exit status: 0; 1 when REV names no revision ("Can't locate revision
identified by 'REV'"), the versions directory cannot be loaded, or, for
current, the database cannot be read.`,
		Example: `  retort show e4c2
  retort show heads
  retort show circulation@head
  retort --db sqlite:app.db show current
  retort show e4c229aa293c --json | jq -r '.[0].path'`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			g, err := a.loadGraphWarning()
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
				fmt.Fprintln(a.stdout, showEntry(g, i, false))
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
