package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

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
		Long: `Display the revisions the database is at: the rows of the version table and
their ancestors, reduced to the topmost. A row that names no revision on disk
is reported as an error, and a revision whose file changed since it was
applied (according to the audit log) is flagged as drift.`,
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
		for _, line := range revisions.CurrentLines(g, cur) {
			fmt.Fprintln(a.stdout, line)
		}
		return
	}
	fmt.Fprintf(a.stdout, "Current revision(s) for %s:\n", db.Redacted())
	for _, i := range cur {
		fmt.Fprintln(a.stdout, revisions.ShowEntry(g, i, false))
	}
}

// drifted lists the applied revisions whose file changed since they were
// applied, per the audit log (none when there is no log).
func (a *app) drifted(ctx context.Context, g *models.Graph, db *engine.DB) ([]string, error) {
	info, err := db.Drift(ctx, g.Revisions)
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
		`Upgrade the database to TARGET, one transaction per revision, under the lock.

TARGET is any Alembic target: head, heads, an id or unique prefix, label@head,
label@heads, a branch label, +N, label@+N, REV+N, REV-N. With --sql, nothing
is touched and the SQL is printed; a FROM:TO range then sets the start.

Examples:
  retort upgrade heads
  retort upgrade +1
  retort upgrade core@head
  retort upgrade ae10:heads --sql`,
		cobra.ExactArgs(1),
		planner{
			online: func(g *models.Graph, rows, args []string) (*models.Plan, error) {
				return revisions.Upgrade(g, rows, args[0])
			},
			offline: func(g *models.Graph, args []string) (*models.Plan, error) {
				return revisions.UpgradeOffline(g, args[0])
			},
		})
	return c
}

func (a *app) downgradeCommand() *cobra.Command {
	c := a.migrateCommand("downgrade TARGET", "Revert to a previous version",
		`Downgrade the database to TARGET, one transaction per revision, under the lock.

TARGET is base, an id or prefix, label@base, -N or label@-N. A plan that
reaches a revision without a "-- +downgrade" section is refused before
anything runs, and so is "-N" from several current heads (which head it
walks down from would depend on the row order): name the branch instead.
With --sql, a FROM:TO range is required.

Examples:
  retort downgrade -1
  retort downgrade core@-1
  retort downgrade base
  retort downgrade heads:base --sql`,
		cobra.ExactArgs(1),
		planner{
			online: func(g *models.Graph, rows, args []string) (*models.Plan, error) {
				return revisions.Downgrade(g, rows, args[0])
			},
			offline: func(g *models.Graph, args []string) (*models.Plan, error) {
				return revisions.DowngradeOffline(g, args[0])
			},
		})
	return c
}

func (a *app) stampCommand() *cobra.Command {
	var purge bool
	c := a.migrateCommand("stamp TARGET...", "'stamp' the revision table with the given revision; don't run any migrations",
		`Set the version table as if the database had been migrated to the targets,
without running any SQL. Several targets stamp several branches; --purge
empties the table first. Alembic's rules are kept, including the surprising
one: from rows on several branches, "stamp heads" may drop a branch's row.

Examples:
  retort stamp head
  retort stamp --purge ae1027a6acf
  retort stamp base`,
		cobra.MinimumNArgs(1),
		planner{
			online: func(g *models.Graph, rows, args []string) (*models.Plan, error) {
				return revisions.Stamp(g, rows, args, purge)
			},
			offline: func(g *models.Graph, args []string) (*models.Plan, error) {
				return revisions.StampOffline(g, args, purge)
			},
		})
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
		fmt.Fprintf(p.w, "waiting for the lock: %s\n", ev.Message)
	case models.EventStepStarted:
		line := "Running " + ev.Step.ShortLog()
		if ev.Step.Revision != nil && ev.Step.Revision.Message != "" {
			line += ", " + ev.Step.Revision.Message
		}
		fmt.Fprintf(p.w, "[%d/%d] %s\n", ev.Index+1, ev.Total, line)
	case models.EventNotice:
		fmt.Fprintf(p.w, "  %s: %s\n", ev.Severity, ev.Message)
	case models.EventStepDone:
		fmt.Fprintf(p.w, "  done in %s\n", ev.Duration.Round(time.Millisecond))
	case models.EventStepFailed:
		how := "failed, rolled back"
		if errors.Is(ev.Err, engine.ErrCommitUnknown) {
			how = "failed, outcome unknown: check the version table"
		}
		fmt.Fprintf(p.w, "  %s: %v\n", how, ev.Err)
	}
}

func (a *app) logCommand() *cobra.Command {
	var limit int
	var asJSON, drift bool
	c := &cobra.Command{
		Use:   "log",
		Short: "Show the audit log: who applied which revision, when, and how it went",
		Long: `Show the audit log (the retort_log table beside the version table), newest
first: each step retort ran or stamped, the version rows before and after,
the database user, OS user and host, and the outcome. With --drift, list the
applied revisions whose file changed since they were applied.`,
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
