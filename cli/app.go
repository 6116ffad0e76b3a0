package cli

import (
	"io"
	"strconv"

	"retort/cli/settings"

	"github.com/spf13/cobra"

	"retort/models"
	"retort/revisions"
)

// app is one invocation of retort: its output streams and the settings its
// flags, environment and configuration files resolve to.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer

	flags settings.Flags
	cfg   *settings.Settings
	// py is the project's Python once something needed it.
	py pythonState
	// tui: the invocation opens the terminal UI, which owns the screen.
	tui bool
}

// rootLong is the description `retort --help` prints.
const rootLong = `retort browses and applies database migrations that form a revision graph,
exactly as Alembic does: revisions with several parents, branch points,
merges, branch labels, depends_on and several heads. It reads its own .sql
revision files and Alembic's .py files, and keeps its state in Alembic's
alembic_version table, so that retort and Alembic can share a database.

Run without a verb, retort opens the terminal UI on the versions directory
and the database (press ? there for the keys). With a verb, it behaves like
the Alembic command of the same name, with the same arguments, output and
error messages, so scripts written against Alembic keep working; --json,
--graph, log and config are retort's additions.

Settings come from the first of: a flag, the environment (DATABASE_URL,
RETORT_DIR), retort.toml (or the file --config names), an alembic.ini in
the current directory (script_location, version_locations, sqlalchemy.url),
the default. "retort config" shows what was resolved, and from where.

Revisions are named as in Alembic: a full id or a unique prefix, head,
heads, base, a branch label, label@head, label@rev, relative +N and -N,
label@+N, rev+N, rev-N, heads-1, and FROM:TO ranges with --sql. Each verb's
help says which forms it takes.

Exit status: 0 on success, 1 on any error (Alembic exits 255). Errors are
printed on stderr as "FAILED: <message>", in Alembic's words, followed by
indented lines with what retort knows beyond them.`

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "retort",
		Short: "Browse and apply Alembic-style revision graphs of SQL migrations",
		Long:  rootLong,
		Example: `  retort --dir examples/library        # the terminal UI on the example history
  retort init && retort revision -m "create documents"
  retort --db postgresql://app@localhost/app upgrade heads
  DATABASE_URL=sqlite:app.db retort history -i
  retort upgrade heads --sql > upgrade.sql
  retort completion bash > ~/.local/share/bash-completion/completions/retort`,
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := settings.Resolve(a.flags, cmd.Flags(), settings.LookupEnv)
			if err != nil {
				return err
			}
			a.cfg = cfg
			for _, w := range cfg.Warnings {
				a.warn(w)
			}
			// Only where nothing else names the versions directories
			// does this start the project's Python (config_python.go).
			// config reports the failure after the settings it shows.
			if err := a.settleDirs(cmd.Context()); err != nil && cmd.Annotations[annotationReport] == "" {
				return err
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			a.tui = true
			return a.runTUI(cmd)
		},
	}
	root.SetVersionTemplate("retort {{.Version}}\n")
	root.SetUsageTemplate(usageTemplate)
	f := root.PersistentFlags()
	f.StringArrayVarP(&a.flags.Dirs, "dir", "d", nil, "versions directory; repeat for several (default: from retort.toml or alembic.ini, else migrations)")
	f.StringVar(&a.flags.DB, "db", "", "database URL: postgresql://user:pass@host/db or sqlite:PATH (default: $DATABASE_URL, the configuration file, else sqlite:retort.db beside the versions directory)")
	f.StringVarP(&a.flags.ConfigFile, "config", "c", "", "configuration file: a retort.toml, or an alembic.ini (default: ./retort.toml, else ./alembic.ini)")
	f.StringVar(&a.flags.VersionTable, "version-table", "", "version table name (default alembic_version)")
	f.StringVar(&a.flags.VersionSchema, "version-schema", "", "schema of the version table (default: the connection's)")
	f.DurationVar(&a.flags.LockTimeout, "lock-timeout", 0, "give up when another runner holds the lock this long, such as 30s (0 waits forever)")
	f.BoolVar(&a.flags.NoAudit, "no-audit", false, "do not write the retort_log audit table")
	f.BoolVar(&a.flags.ASCII, "ascii", false, "draw with ASCII characters only")
	f.StringVar(&a.flags.Python, "python", "", "the project's Python, in which retort uses Alembic for .py revisions (default: python in retort.toml, $VIRTUAL_ENV, a .venv or venv here, python3 on PATH)")
	f.StringVar(&a.flags.App, "app", "", "Flask application factory the revisions run in, such as app:create_app (default: app in retort.toml, $FLASK_APP)")
	for _, c := range a.commands() {
		root.AddCommand(c)
	}
	return root
}

// helpWidth is the width --help wraps the flag descriptions at.
const helpWidth = 80

// usageTemplate is cobra's usage template with the flag descriptions
// wrapped at helpWidth columns.
var usageTemplate = `Usage:{{if .Runnable}}
  {{.UseLine}}{{end}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} [command]{{end}}{{if gt (len .Aliases) 0}}

Aliases:
  {{.NameAndAliases}}{{end}}{{if .HasExample}}

Examples:
{{.Example}}{{end}}{{if .HasAvailableSubCommands}}

Available Commands:{{range .Commands}}{{if (or .IsAvailableCommand (eq .Name "help"))}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableLocalFlags}}

Flags:
{{.LocalFlags.FlagUsagesWrapped ` + strconv.Itoa(helpWidth) + ` | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableInheritedFlags}}

Global Flags:
{{.InheritedFlags.FlagUsagesWrapped ` + strconv.Itoa(helpWidth) + ` | trimTrailingWhitespaces}}{{end}}{{if .HasHelpSubCommands}}

Additional help topics:{{range .Commands}}{{if .IsAdditionalHelpTopicCommand}}
  {{rpad .CommandPath .CommandPathPadding}} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableSubCommands}}

Use "{{.CommandPath}} [command] --help" for more information about a command.{{end}}
`

// commands lists the verbs. Each is built by a method <verb>Command in a
// file cmd_<verb>.go, or in the file of verbs that share its code
// (cmd_graph.go, cmd_migrate.go, cmd_revision.go): a new verb is that
// method and a line here. help_test.go walks this tree, so the new verb's
// help, examples and flags are checked with no test to add.
func (a *app) commands() []*cobra.Command {
	return []*cobra.Command{
		// Read-only: the versions directory.
		a.headsCommand(), a.branchesCommand(), a.historyCommand(), a.showCommand(),
		// The database.
		a.currentCommand(), a.upgradeCommand(), a.downgradeCommand(), a.stampCommand(), a.logCommand(), a.lintCommand(),
		// Files and the project.
		a.initCommand(), a.revisionCommand(), a.mergeCommand(), a.configCommand(), a.completionCommand(),
		// Schemas in scratch databases.
		a.schemaCommand(), a.diffCommand(), a.rehearseCommand(), a.reviewCommand(),
	}
}

// loadGraph reads the configured versions directories. A broken directory is
// an error listing every problem.
func (a *app) loadGraph() (*models.Graph, error) {
	return revisions.Load(a.cfg.Dirs...)
}

// annotationReport marks a verb that reports a failure to settle a setting
// from the project's Python instead of failing before it runs (config).
const annotationReport = "retort.report-settings"

// noSettings replaces the root's PersistentPreRunE for verbs that need no
// configuration, so that a broken retort.toml cannot stop `init` or
// `completion`.
func noSettings(*cobra.Command, []string) error { return nil }
