package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"retort/engine"
	"retort/visible"
)

// log: the audit log.

// logLong is the description `retort log --help` prints.
const logLong = `Show the audit log, newest first: the retort_log table beside the version
table, where retort records each step it runs or stamps, in the step's own
transaction (a failed step is recorded after its rollback). One line each:

  <finished at>  <direction> <revision> <outcome>
      <OS user>@<host> as <database user>
      [<version rows before>] -> [<version rows after>]  <error>

(on one line), where the direction is upgrade, downgrade or stamp and the
outcome ok, failed or cancelled ("as <database user>" is left out on
SQLite, which has none). A database that only Alembic has used has no
log, and prints nothing. The log is retort's own: Alembic keeps none,
and --no-audit stops retort from writing it.

  -n, --limit N   print at most N entries (default 50; 0 for all)
  --drift         instead, list the applied revisions whose file changed
                  since it was applied (its sha256 differs from the log's)
  --json          print the entries with every recorded field (snake_case
                  keys, as every --json): start and end times, the file's
                  sha256, retort version, version table

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
				return a.writeJSON(logJSON(entries))
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
	who := e.OSUser + "@" + e.Host
	if e.DBUser != "" { // SQLite has no database user
		who += " as " + e.DBUser
	}
	line := fmt.Sprintf("%s  %-9s %-12s %-9s %s  [%s] -> [%s]",
		e.FinishedAt.Local().Format("2006-01-02 15:04:05"), e.Direction, e.Revision, e.Outcome,
		who, strings.Join(e.RowsBefore, ", "), strings.Join(e.RowsAfter, ", "))
	if e.Error != "" {
		line += "  " + e.Error
	}
	return visible.Line(line)
}

// logEntryJSON is an audit row in `log --json`.
type logEntryJSON struct {
	ID            int64     `json:"id"`
	Revision      string    `json:"revision"`
	Direction     string    `json:"direction"`
	RowsBefore    []string  `json:"rows_before"`
	RowsAfter     []string  `json:"rows_after"`
	SHA256        string    `json:"sha256"`
	StartedAt     time.Time `json:"started_at"`
	FinishedAt    time.Time `json:"finished_at"`
	DBUser        string    `json:"db_user"`
	OSUser        string    `json:"os_user"`
	Host          string    `json:"host"`
	RetortVersion string    `json:"retort_version"`
	Outcome       string    `json:"outcome"`
	Error         string    `json:"error"`
	VersionTable  string    `json:"version_table"`
}

// logJSON is the --json form of `log`: every field, its key in snake_case
// as in every --json, its lists never null.
func logJSON(entries []engine.LogEntry) []logEntryJSON {
	out := make([]logEntryJSON, len(entries))
	for k, e := range entries {
		out[k] = logEntryJSON{ID: e.ID, Revision: e.Revision, Direction: e.Direction,
			RowsBefore: nonNilStrings(e.RowsBefore), RowsAfter: nonNilStrings(e.RowsAfter), SHA256: e.SHA256,
			StartedAt: e.StartedAt, FinishedAt: e.FinishedAt, DBUser: e.DBUser, OSUser: e.OSUser, Host: e.Host,
			RetortVersion: e.RetortVersion, Outcome: e.Outcome, Error: e.Error, VersionTable: e.VersionTable}
	}
	return out
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
