package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"retort/engine"
	"retort/models"
	"retort/revisions"
)

// current: the revisions the database is at, and drift.

// currentLong is the description `retort current --help` prints.
const currentLong = `Display the revisions the database is at, as "alembic current" does: the
rows of the version table and their ancestors, reduced to the topmost, one
line each, marked (head), (effective head), (branchpoint) or (mergepoint)
when they apply. A database without a version table, or with an empty one,
prints nothing. Nothing is written: not even the version table is created.

retort also checks the rows against the files: a row that names no revision
on disk is an error (reported after the known rows are printed), and a
revision whose file changed since it was applied, according to the audit
log, is reported on stderr as drift ("warning: <rev> changed since it was
applied on <date> (<file>)").

  -v, --verbose   print "Current revision(s) for <url>:" (password masked),
                  then each revision's full entry ("retort show")
  --json          print {"database", "rows", "current", "unknown", "drift"}
                  (retort's addition)

The database is --db, else $DATABASE_URL, else the configuration file's,
else the SQLite file retort.db beside the versions directory.

Exit status: 0; 1 when the database cannot be opened or read, a row names
no revision on disk, or the versions directory cannot be loaded.`

func (a *app) currentCommand() *cobra.Command {
	var verbose, asJSON bool
	c := &cobra.Command{
		Use:   "current",
		Short: "Display the current revision for a database",
		Long:  currentLong,
		Example: `  retort current
  retort --db postgresql://app@localhost/app current -v
  DATABASE_URL=sqlite:app.db retort current --json | jq -r '.rows[]'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			g, err := a.loadGraph()
			if err != nil {
				return err
			}
			db, err := a.openDB(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			return a.printCurrent(cmd.Context(), g, db, verbose, asJSON)
		},
	}
	c.Flags().BoolVarP(&verbose, "verbose", "v", false, "use more verbose output")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

// currentJSON is the --json form of `current`.
type currentJSON struct {
	Database string         `json:"database"`
	Rows     []string       `json:"rows"`
	Current  []revisionJSON `json:"current"`
	Unknown  []string       `json:"unknown"`
	Drift    []string       `json:"drift"`
}

func (a *app) printCurrent(ctx context.Context, g *models.Graph, db *engine.DB, verbose, asJSON bool) error {
	rows, err := db.Current(ctx)
	if err != nil {
		return err
	}
	var known, unknown []string
	for _, r := range rows {
		if _, ok := g.Index[r]; ok {
			known = append(known, r)
		} else {
			unknown = append(unknown, r)
		}
	}
	cur, err := revisions.Current(g, known)
	if err != nil {
		return err
	}
	// Drift is extra information here: a log that cannot be read is
	// mentioned, and current still answers.
	drift, err := a.drifted(ctx, g, db)
	if err != nil {
		printf(a.stderr, "retort: cannot check for drift: %v\n", err)
	}
	if asJSON {
		out := currentJSON{Database: db.Redacted(), Rows: nonNilStrings(rows), Current: revisionsJSON(g, cur, nil),
			Unknown: nonNilStrings(unknown), Drift: nonNilStrings(drift)}
		if err := a.writeJSON(out); err != nil {
			return err
		}
	} else {
		a.printCurrentText(g, db, cur, verbose)
		for _, d := range drift {
			printf(a.stderr, "warning: %s\n", d)
		}
	}
	if len(unknown) > 0 {
		return &revisions.CommandError{Class: revisions.ErrInconsistentRows,
			Message: fmt.Sprintf("Can't locate revision identified by '%s'", unknown[0]),
			Detail: fmt.Sprintf("the version table holds %s, which no revision file in %s defines",
				strings.Join(unknown, ", "), strings.Join(a.cfg.Dirs, ", "))}
	}
	return nil
}

func (a *app) printCurrentText(g *models.Graph, db *engine.DB, cur []int, verbose bool) {
	if !verbose {
		for _, line := range CurrentLines(g, cur) {
			printLine(a.stdout, line)
		}
		return
	}
	printf(a.stdout, "Current revision(s) for %s:\n", db.Redacted())
	for _, i := range cur {
		printLine(a.stdout, showEntry(g, i, false))
	}
}

// drifted lists the applied revisions whose file changed since they were
// applied, per the audit log (none when there is no log).
func (a *app) drifted(ctx context.Context, g *models.Graph, db *engine.DB) ([]string, error) {
	info, err := db.Drift(ctx, g)
	if err != nil {
		return nil, fmt.Errorf("reading the audit log: %w", err)
	}
	var out []string
	for _, r := range g.Revisions {
		if d, ok := info[r.ID]; ok && d.Changed {
			out = append(out, fmt.Sprintf("%s changed since it was applied on %s (%s)",
				r.ID, d.AppliedAt.Local().Format("2006-01-02 15:04"), r.Path))
		}
	}
	return out, nil
}
