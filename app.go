package main

import (
	"encoding/json"
	"io"
	"time"

	"github.com/spf13/cobra"

	"retort/models"
	"retort/revisions"
)

// app is one invocation of retort: its output streams and the settings its
// flags, environment and configuration files resolve to.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer

	flags globalFlags
	cfg   *settings
}

// globalFlags are the persistent flags every verb accepts.
type globalFlags struct {
	dirs          []string
	db            string
	configFile    string
	versionTable  string
	versionSchema string
	lockTimeout   time.Duration
	noAudit       bool
	ascii         bool
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "retort",
		Short: "Browse and apply Alembic-style revision graphs of SQL migrations",
		Long: `retort browses and applies database migrations that form a revision graph,
exactly as Alembic does: revisions with several parents, branch points,
merges, branch labels, depends_on and several heads.

Run without a verb, it opens the terminal UI on the versions directory and
database. With a verb, it behaves like the Alembic command of the same name,
with the same arguments, output and error messages, so scripts written
against Alembic keep working; --json and --graph are retort's additions.`,
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := resolveSettings(a.flags, cmd.Flags(), lookupEnv)
			if err != nil {
				return err
			}
			a.cfg = cfg
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error { return a.runTUI(cmd) },
	}
	root.SetVersionTemplate("retort {{.Version}}\n")
	f := root.PersistentFlags()
	f.StringArrayVarP(&a.flags.dirs, "dir", "d", nil, "versions directory (repeat for several; default: from retort.toml or alembic.ini, else migrations/)")
	f.StringVar(&a.flags.db, "db", "", "database URL: postgresql://user:pass@host/db or sqlite:PATH (default: $DATABASE_URL, the config file, else an SQLite file beside the versions directory)")
	f.StringVarP(&a.flags.configFile, "config", "c", "", "configuration file (default: ./retort.toml, else ./alembic.ini)")
	f.StringVar(&a.flags.versionTable, "version-table", "", "version table name (default alembic_version)")
	f.StringVar(&a.flags.versionSchema, "version-schema", "", "schema of the version table (default: the connection's)")
	f.DurationVar(&a.flags.lockTimeout, "lock-timeout", 0, "give up when another runner holds the lock this long (0 waits forever)")
	f.BoolVar(&a.flags.noAudit, "no-audit", false, "do not write the retort_log audit table")
	f.BoolVar(&a.flags.ascii, "ascii", false, "draw with ASCII characters only")
	for _, c := range a.commands() {
		root.AddCommand(c)
	}
	return root
}

// commands lists the verbs; each file cmd_*.go contributes its own.
func (a *app) commands() []*cobra.Command {
	var cmds []*cobra.Command
	cmds = append(cmds, a.graphCommands()...)
	cmds = append(cmds, a.databaseCommands()...)
	cmds = append(cmds, a.authoringCommands()...)
	return cmds
}

// loadGraph reads the configured versions directories. A broken directory is
// an error listing every problem.
func (a *app) loadGraph() (*models.Graph, error) {
	return revisions.Load(a.cfg.Dirs...)
}

// writeJSON prints v as indented JSON.
func (a *app) writeJSON(v any) error {
	enc := json.NewEncoder(a.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
