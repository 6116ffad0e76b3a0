package cli

import (
	"github.com/spf13/cobra"

	"retort/models"
	"retort/revisions"
)

// heads, branches and show, read-only verbs like history: they read the
// versions directory, never a database (except `history -i` and `show
// current`, which read the version rows).

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
		printf(a.stderr, "warning: %s\n", indentLines(w, "  "))
	}
	return g, nil
}

// headsLong is the description `retort heads --help` prints.
const headsLong = `Show the heads: the revisions that no other revision revises, one line
each, in load order (file names sorted), as "alembic heads" prints them:

  <rev> (<branch labels>) (head)

A head that another revision only depends on (through depends_on) is marked
"(effective head)" instead: it is not among the revisions the target
"heads" stands for, and --resolve-dependencies leaves it out. Only the
versions directories are read; the database is not opened.

  -v, --verbose   print each head's full entry, as "retort show" does
  --json          print a JSON array of revision objects (retort's addition)

Exit status: 0, also when there is no revision at all; 1 when the versions
directory cannot be loaded (every problem is listed, with file and line).`

func (a *app) headsCommand() *cobra.Command {
	var verbose, resolve, asJSON bool
	c := &cobra.Command{
		Use:   "heads",
		Short: "Show the current available heads in the versions directory",
		Long:  headsLong,
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
					printLine(a.stdout, showEntry(g, h, false))
				}
			default:
				for _, line := range headsLines(g, resolve) {
					printLine(a.stdout, line)
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

// branchesLong is the description `retort branches --help` prints.
const branchesLong = `Show every branch point, a revision that two or more revisions revise, in
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
directory cannot be loaded (every problem is listed, with file and line).`

func (a *app) branchesCommand() *cobra.Command {
	var verbose, asJSON bool
	c := &cobra.Command{
		Use:   "branches",
		Short: "Show current branch points",
		Long:  branchesLong,
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
				printLine(a.stdout, line)
			}
			return nil
		},
	}
	c.Flags().BoolVarP(&verbose, "verbose", "v", false, "use more verbose output")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

// showLong is the description `retort show --help` prints.
const showLong = `Show the revisions REV denotes, each as the log entry "alembic show"
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
current, the database cannot be read.`

func (a *app) showCommand() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "show REV",
		Short: "Show the revision(s) denoted by the given symbol",
		Long:  showLong,
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
				printLine(a.stdout, showEntry(g, i, false))
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
