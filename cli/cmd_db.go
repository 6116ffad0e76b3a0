package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"

	"retort/engine"
	"retort/models"
	"retort/revisions"
)

// The verbs that read or change a database: current, upgrade, downgrade,
// stamp and log.

func (a *app) databaseCommands() []*cobra.Command {
	return []*cobra.Command{a.currentCommand(), a.upgradeCommand(), a.downgradeCommand(), a.stampCommand(), a.logCommand()}
}

// engineOptions are the engine settings from the resolved configuration.
func (a *app) engineOptions() []engine.Option {
	return []engine.Option{
		engine.WithVersionTable(a.cfg.VersionSchema, a.cfg.VersionTable),
		engine.WithLockTimeout(a.cfg.LockTimeout),
		engine.WithAudit(a.cfg.Audit),
		engine.WithRetortVersion(version),
	}
}

func (a *app) openDB(ctx context.Context) (*engine.DB, error) {
	return engine.Open(ctx, a.cfg.DB, a.engineOptions()...)
}

// currentRows reads the version rows of the configured database.
func (a *app) currentRows(ctx context.Context) ([]string, error) {
	db, err := a.openDB(ctx)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return db.Current(ctx)
}

func (a *app) currentCommand() *cobra.Command {
	var verbose, asJSON bool
	c := &cobra.Command{
		Use:   "current",
		Short: "Display the current revision for a database",
		Long: `Display the revisions the database is at, as "alembic current" does: the
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
no revision on disk, or the versions directory cannot be loaded.`,
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
		fmt.Fprintf(a.stderr, "retort: cannot check for drift: %v\n", err)
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
			fmt.Fprintf(a.stderr, "warning: %s\n", d)
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
			fmt.Fprintln(a.stdout, line)
		}
		return
	}
	fmt.Fprintf(a.stdout, "Current revision(s) for %s:\n", db.Redacted())
	for _, i := range cur {
		fmt.Fprintln(a.stdout, showEntry(g, i, false))
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

// planner computes a plan from the version rows (online) or without a
// database (offline, --sql).
type planner struct {
	online  func(g *models.Graph, rows []string, args []string) (*models.Plan, error)
	offline func(g *models.Graph, args []string) (*models.Plan, error)
}

// migrateCommand builds upgrade, downgrade and stamp, which differ only by
// their planner and help.
func (a *app) migrateCommand(use, short, long string, args cobra.PositionalArgs, p planner) *cobra.Command {
	var sql bool
	c := &cobra.Command{
		Use:   use,
		Short: short,
		Long:  long,
		Args:  args,
		RunE: func(cmd *cobra.Command, args []string) error {
			g, err := a.loadGraph()
			if err != nil {
				return err
			}
			if sql {
				return a.dryRun(g, args, p)
			}
			return a.migrate(cmd.Context(), g, args, p)
		},
	}
	c.Flags().BoolVar(&sql, "sql", false, "don't touch the database: print the SQL that would run (FROM:TO ranges allowed)")
	return c
}

func (a *app) upgradeCommand() *cobra.Command {
	c := a.migrateCommand("upgrade TARGET", "Upgrade to a later version",
		`Upgrade the database to TARGET: apply every revision TARGET needs that is
not applied yet, in Alembic's order, as "alembic upgrade" does. Each
revision runs in its own transaction together with its version-table
change, under a lock that keeps a second runner out (--lock-timeout), and
the version rows are read again before each step. The version table is
created when missing. Upgrading to a revision already applied does nothing.

TARGET is an Alembic target:
  head            the single head (an error when there are several)
  heads           every head
  ID, PREFIX      a full revision id, or a unique prefix of one
  LABEL           the revision that declares the branch label LABEL
  LABEL@head      the head of branch LABEL (LABEL@heads: all its heads)
  LABEL@REV       REV, which must be on branch LABEL
  +N, LABEL@+N    N steps up from the current revision (on branch LABEL)
  REV+N, REV-N    N steps above or below REV, as in e4c2+1 or head-1

Each step is shown on stderr as it runs ("[2/5] Running upgrade a -> b,
<message>", then its duration and any NOTICE). A failure prints the
database's error with its SQLSTATE, the statement and its line in the file,
and which steps had committed before it: those stay applied.

--sql touches nothing: it prints on stdout the SQL a run would execute,
version-table statements and Alembic's "-- Running upgrade" comments
included, in the dialect of the database URL. It starts from an empty
database, or from FROM when TARGET is a range FROM:TO (ranges are refused
without --sql: "Range revision not allowed").

The plans, version rows and error messages are Alembic's. Alembic runs a
whole upgrade in one transaction; retort commits revision by revision, and
refuses a plan that would reach an Alembic .py revision, which only Alembic
can run.

Exit status: 0 when the upgrade completed or there was nothing to do; 1 on
any error, when a step failed (it was rolled back), and when interrupted by
SIGINT or SIGTERM (the step in progress is rolled back).`,
		cobra.ExactArgs(1),
		planner{
			online: func(g *models.Graph, rows, args []string) (*models.Plan, error) {
				return revisions.Upgrade(g, rows, args[0])
			},
			offline: func(g *models.Graph, args []string) (*models.Plan, error) {
				return revisions.UpgradeOffline(g, args[0])
			},
		})
	c.Example = `  retort upgrade head                # everything, when there is one head
  retort upgrade heads               # every branch
  retort upgrade +1                  # one step
  retort upgrade catalog@head        # the catalog branch (and what it needs)
  retort upgrade e4c2                # up to e4c229aa293c
  retort upgrade heads --sql > upgrade.sql
  retort upgrade e4c2:heads --sql    # the SQL from e4c229aa293c on`
	return c
}

func (a *app) downgradeCommand() *cobra.Command {
	c := a.migrateCommand("downgrade TARGET", "Revert to a previous version",
		`Downgrade the database to TARGET: revert every applied revision above it,
newest first, in Alembic's order, as "alembic downgrade" does. Each
revision's "-- +downgrade" section runs in its own transaction together with
its version-table change, under the lock, and the version rows are read
again before each step.

TARGET is:
  base            revert everything
  ID, PREFIX      a full revision id, or a unique prefix of one: revert what
                  lies above it, and keep it applied
  LABEL@base      revert the whole branch LABEL
  LABEL@REV       REV, which must be on branch LABEL
  -N, LABEL@-N    N steps down from the current revision (on branch LABEL)
  REV-N           N steps below REV, as in head-2

Refused before anything runs: a plan that reaches a revision without a
"-- +downgrade" section (or an Alembic .py revision), and a relative -N from
several current heads, where Alembic picks a head by the order of the
version rows; name the branch instead (LABEL@-N, or REV-N).

Each step is shown on stderr as it runs, as for upgrade. --sql touches
nothing and prints the SQL; it needs a range FROM:TO, such as heads:base
("downgrade with --sql requires <fromrev>:<torev>", as in Alembic).

Exit status: 0 when the downgrade completed or there was nothing to do; 1
on any error, when a step failed (it was rolled back), and when interrupted
by SIGINT or SIGTERM (the step in progress is rolled back).`,
		cobra.ExactArgs(1),
		planner{
			online: func(g *models.Graph, rows, args []string) (*models.Plan, error) {
				return revisions.Downgrade(g, rows, args[0])
			},
			offline: func(g *models.Graph, args []string) (*models.Plan, error) {
				return revisions.DowngradeOffline(g, args[0])
			},
		})
	c.Example = `  retort downgrade -1                # one step (one current head)
  retort downgrade circulation@-1    # one step down the circulation branch
  retort downgrade e4c2              # back to e4c229aa293c
  retort downgrade base              # revert everything
  retort downgrade heads:e4c2 --sql  # the SQL only`
	return c
}

func (a *app) stampCommand() *cobra.Command {
	var purge bool
	c := a.migrateCommand("stamp TARGET...", "Set the version table to the given revisions; run no migrations",
		`Set the version table as if the database had been migrated to the TARGETs,
without running any migration, as "alembic stamp" does: for a database
built by other means (a dump, an ORM's create_all), or to repair the table.
Several TARGETs stamp several branches. --purge empties the table first, so
it also works when the rows name revisions that no longer exist.

TARGET is head, heads, base, a full id or a unique prefix, a branch label,
LABEL@head or LABEL@REV. Alembic's rules are kept, including the surprising
one: from rows on several branches, "stamp heads" may drop a branch's row
(check with "retort current" afterwards).

Each change is shown on stderr and recorded in the audit log. --sql touches
nothing and prints the version-table statements; a range FROM:TO sets the
starting row.

Exit status: 0 on success; 1 on any error.`,
		cobra.MinimumNArgs(1),
		planner{
			online: func(g *models.Graph, rows, args []string) (*models.Plan, error) {
				return revisions.Stamp(g, rows, args, purge)
			},
			offline: func(g *models.Graph, args []string) (*models.Plan, error) {
				return revisions.StampOffline(g, args, purge)
			},
		})
	c.Example = `  retort stamp head                  # a database restored from a dump
  retort stamp a9012647d928 bb59f895577c   # one row on each branch
  retort stamp --purge e4c229aa293c  # whatever rows the table held
  retort stamp base                  # empty the version table
  retort stamp heads --sql`
	c.Flags().BoolVar(&purge, "purge", false, "unconditionally erase the version table before stamping")
	return c
}

// dryRun prints the SQL of an offline plan.
func (a *app) dryRun(g *models.Graph, args []string, p planner) error {
	plan, err := p.offline(g, args)
	if err != nil {
		return err
	}
	dialect, err := engine.DialectOf(a.cfg.DB)
	if err != nil {
		return err
	}
	return engine.DryRun(a.stdout, plan, dialect, a.engineOptions()...)
}

// migrate plans against the database's rows and applies the plan, showing
// each step as it runs.
func (a *app) migrate(ctx context.Context, g *models.Graph, args []string, p planner) error {
	db, err := a.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.Current(ctx)
	if err != nil {
		return err
	}
	plan, err := p.online(g, rows, args)
	if err != nil {
		return err
	}
	progress := &progressPrinter{w: a.stderr}
	return db.Apply(ctx, plan, progress.event)
}

// progressPrinter shows a run as it goes, in the spirit of Alembic's
// "Running upgrade a -> b, message" log lines.
type progressPrinter struct {
	w io.Writer
}

func (p *progressPrinter) event(ev models.Event) {
	switch ev.Kind {
	case models.EventLockWaiting:
		fmt.Fprintf(p.w, "waiting for the lock: %s\n", indentLines(ev.Message, "  "))
	case models.EventStepStarted:
		line := "Running " + ev.Step.ShortLog()
		if ev.Step.Revision != nil && ev.Step.Revision.Message != "" {
			line += ", " + indentLines(ev.Step.Revision.Message, "")
		}
		fmt.Fprintf(p.w, "[%d/%d] %s\n", ev.Index+1, ev.Total, line)
	case models.EventNotice:
		fmt.Fprintf(p.w, "  %s: %s\n", ev.Severity, indentLines(ev.Message, "    "))
		p.detailHint(ev.Detail, ev.Hint)
	case models.EventStepDone:
		fmt.Fprintf(p.w, "  done in %s\n", ev.Duration.Round(time.Millisecond))
	case models.EventStepFailed:
		how := "failed, rolled back"
		if errors.Is(ev.Err, engine.ErrCommitUnknown) {
			how = "failed, outcome unknown: check the version table"
		}
		fmt.Fprintf(p.w, "  %s: %s\n", how, indentLines(ev.Err.Error(), "    "))
		if f := ev.Failure; f != nil {
			p.detailHint(f.Detail, f.Hint)
			if f.Statement != "" {
				fmt.Fprintf(p.w, "    statement (%s:%d): %s\n", f.Path, f.Line, indentLines(f.Statement, "      "))
			}
		}
	}
}

// detailHint prints the DETAIL and HINT the database gave with a notice or
// an error, as psql does.
func (p *progressPrinter) detailHint(detail, hint string) {
	if detail != "" {
		fmt.Fprintf(p.w, "    DETAIL: %s\n", indentLines(detail, "      "))
	}
	if hint != "" {
		fmt.Fprintf(p.w, "    HINT: %s\n", indentLines(hint, "      "))
	}
}

// indentLines indents the lines of s after the first, with terminal
// escape sequences and control characters (from a revision file or the
// database) removed: they must not drive the user's terminal.
func indentLines(s, indent string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r >= 0x80 && r < 0xa0 {
			return -1
		}
		return r
	}, ansi.Strip(s))
	return strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+indent)
}

func (a *app) logCommand() *cobra.Command {
	var limit int
	var asJSON, drift bool
	c := &cobra.Command{
		Use:   "log",
		Short: "Show the audit log: who applied which revision, when, how it went",
		Long: `Show the audit log, newest first: the retort_log table beside the version
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

Exit status: 0; 1 when the database cannot be opened or read.`,
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

func logLine(e engine.LogEntry) string {
	line := fmt.Sprintf("%s  %-9s %-12s %-9s %s@%s  [%s] -> [%s]",
		e.FinishedAt.Local().Format("2006-01-02 15:04:05"), e.Direction, e.Revision, e.Outcome,
		e.OSUser, e.Host, strings.Join(e.RowsBefore, ", "), strings.Join(e.RowsAfter, ", "))
	if e.Error != "" {
		line += "  " + e.Error
	}
	return line
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
		fmt.Fprintln(a.stdout, d)
	}
	return nil
}
