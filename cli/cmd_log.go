package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"retort/engine"
	"retort/visible"
)

// log: the audit log.

// logLong is the description `retort log --help` prints.
const logLong = `Show the audit log, newest first: the retort_log table beside the version
table, where retort records each step it runs or stamps, in the step's own
transaction (a failed step is recorded after its rollback). One line each:

  <finished at>  <direction> <revision> <outcome> <OS user>@<host>
      [<version rows before>] -> [<version rows after>]  <error>

(on one line), where the direction is upgrade, downgrade or stamp and the
outcome ok, failed or cancelled. A database that only Alembic has used has
no log, and prints nothing. The log is retort's own: Alembic keeps none,
and --no-audit stops retort from writing it.

  -n, --limit N   print at most N entries (default 50; 0 for all)
  --drift         instead, list the applied revisions whose file changed
                  since it was applied (its sha256 differs from the log's)
  --json          print the entries with every recorded field: database
                  user, start and end times, the file's sha256, retort version

Exit status: 0; 1 when the database cannot be opened or read.`

func (a *app) logCommand() *cobra.Command {
	var limit int
	var asJSON, drift bool
	c := &cobra.Command{
		Use:   "log",
		Short: "Show the audit log: who applied which revision, when, how it went",
		Long:  logLong,
		Example: `  retort log
  retort log -n 0 | grep failed
  retort log --drift
  retort --db postgresql://app@db/app log --json | jq '.[0]'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := a.openDB(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			if drift {
				return a.printDrift(cmd.Context(), db)
			}
			entries, err := db.Log(cmd.Context(), limit)
			if err != nil {
				return err
			}
			if asJSON {
				return a.writeJSON(entries)
			}
			for _, e := range entries {
				fmt.Fprintln(a.stdout, logLine(e))
			}
			return nil
		},
	}
	c.Flags().IntVarP(&limit, "limit", "n", 50, "show at most this many entries (0: all)")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	c.Flags().BoolVar(&drift, "drift", false, "list applied revisions whose file changed since")
	return c
}

// logLine is an audit row on one line, its texts (the database's) with
// their controls shown visibly and line breaks as spaces.
func logLine(e engine.LogEntry) string {
	line := fmt.Sprintf("%s  %-9s %-12s %-9s %s@%s  [%s] -> [%s]",
		e.FinishedAt.Local().Format("2006-01-02 15:04:05"), e.Direction, e.Revision, e.Outcome,
		e.OSUser, e.Host, strings.Join(e.RowsBefore, ", "), strings.Join(e.RowsAfter, ", "))
	if e.Error != "" {
		line += "  " + e.Error
	}
	return visible.Line(line)
}

func (a *app) printDrift(ctx context.Context, db *engine.DB) error {
	g, err := a.loadGraph()
	if err != nil {
		return err
	}
	drift, err := a.drifted(ctx, g, db)
	if err != nil {
		return err
	}
	for _, d := range drift {
		printLine(a.stdout, d)
	}
	return nil
}
