package cli

import (
	"bytes"
	"context"
	"io"

	"github.com/spf13/cobra"

	"retort/engine"
	"retort/models"
	"retort/revisions"
	"retort/visible"
)

// upgrade, downgrade and stamp: the verbs that change a database, or print
// the SQL that would (--sql).

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
				return a.dryRun(cmd.Context(), g, args, p)
			}
			return a.migrate(cmd.Context(), g, args, p)
		},
	}
	c.Flags().BoolVar(&sql, "sql", false, "don't touch the database: print the SQL that would run (FROM:TO ranges allowed)")
	return c
}

// upgradeLong is the description `retort upgrade --help` prints.
const upgradeLong = `Upgrade the database to TARGET: apply every revision TARGET needs that is
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

The plans, version rows and error messages are Alembic's. Alembic's .py
revisions run through Alembic itself, in the project's Python (--python)
and through the project's env.py, each in one transaction with its
version-row change; their log records and printed lines show among the
progress. Alembic runs a whole upgrade in one transaction by default;
retort commits revision by revision. With --sql, a .py revision's SQL is
Alembic's offline mode's; one that cannot be rendered offline gets a
comment in its place and a warning.

Exit status: 0 when the upgrade completed or there was nothing to do; 1 on
any error, when a step failed (it was rolled back), and when interrupted by
SIGINT or SIGTERM (the step in progress is rolled back).`

func (a *app) upgradeCommand() *cobra.Command {
	c := a.migrateCommand("upgrade TARGET", "Upgrade to a later version", upgradeLong,
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

// downgradeLong is the description `retort downgrade --help` prints.
const downgradeLong = `Downgrade the database to TARGET: revert every applied revision above it,
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

Refused before anything runs: a plan that reaches a .sql revision without
a "-- +downgrade" section, and a relative -N from several current heads,
where Alembic picks a head by the order of the version rows; name the
branch instead (LABEL@-N, or REV-N). A .py revision's downgrade() runs
through Alembic, as for upgrade.

Each step is shown on stderr as it runs, as for upgrade. --sql touches
nothing and prints the SQL; it needs a range FROM:TO, such as heads:base
("downgrade with --sql requires <fromrev>:<torev>", as in Alembic).

Exit status: 0 when the downgrade completed or there was nothing to do; 1
on any error, when a step failed (it was rolled back), and when interrupted
by SIGINT or SIGTERM (the step in progress is rolled back).`

func (a *app) downgradeCommand() *cobra.Command {
	c := a.migrateCommand("downgrade TARGET", "Revert to a previous version", downgradeLong,
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

// stampLong is the description `retort stamp --help` prints.
const stampLong = `Set the version table as if the database had been migrated to the TARGETs,
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

Exit status: 0 on success; 1 on any error.`

func (a *app) stampCommand() *cobra.Command {
	var purge bool
	c := a.migrateCommand("stamp TARGET...", "Set the version table to the given revisions; run no migrations", stampLong,
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
func (a *app) dryRun(ctx context.Context, g *models.Graph, args []string, p planner) error {
	plan, err := p.offline(g, args)
	if err != nil {
		return err
	}
	if err := a.settleDB(ctx); err != nil {
		return err
	}
	dialect, err := engine.DialectOf(a.cfg.DB)
	if err != nil {
		return err
	}
	return a.printSQL(func(w io.Writer) error { return engine.DryRun(w, plan, dialect, a.engineOptions()...) })
}

// printSQL writes SQL that a run would execute. Piped or redirected, it is
// written as it is, to be run; on a terminal, which would act on a control
// character in it (an escape sequence hiding part of a statement), those
// are shown visibly, as in every other output.
func (a *app) printSQL(write func(io.Writer) error) error {
	if !isTerminal(a.stdout) {
		return write(a.stdout)
	}
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	_, err := io.WriteString(a.stdout, visible.Text(buf.String(), "\t"))
	return err
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
