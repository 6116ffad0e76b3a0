package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"retort/engine"
	"retort/models"
	"retort/revisions"
)

// The verbs that write files or describe the project: init, revision,
// merge, config and completion.

func (a *app) authoringCommands() []*cobra.Command {
	return []*cobra.Command{a.initCommand(), a.revisionCommand(), a.mergeCommand(), a.configCommand(), a.completionCommand()}
}

// noSettings replaces the root's PersistentPreRunE for verbs that need no
// configuration, so that a broken retort.toml cannot stop `init` or
// `completion`.
func noSettings(*cobra.Command, []string) error { return nil }

// status prints Alembic's `<what> ...  done` line.
func (a *app) status(what string) { fmt.Fprintf(a.stdout, "%s ...  done\n", what) }

func (a *app) initCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "init [DIR]",
		Short: "Create a versions directory and a commented retort.toml",
		Long: `Create the versions directory DIR (default: migrations, or the --dir flag)
and, beside it, a retort.toml that documents every setting: versions
directories, database URL, version table name and schema, lock timeout,
audit log, editor and ASCII drawing. Only dirs is set; every other line is a
commented-out example showing the default.

init never overwrites anything: it refuses when retort.toml already exists
or when DIR exists and is not empty.

retort looks for retort.toml in the current directory (or where --config
points), so run retort from the directory holding it.`,
		Example: `  retort init                 # ./migrations and ./retort.toml
  retort init db/migrations   # db/migrations and db/retort.toml
  retort init && retort revision -m "create documents"`,
		Args:              cobra.MaximumNArgs(1),
		PersistentPreRunE: noSettings,
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := defaultDir
			switch {
			case len(args) == 1:
				dir = args[0]
			case len(a.flags.dirs) > 0:
				dir = a.flags.dirs[0]
			}
			return a.initProject(dir)
		},
	}
}

// initProject creates dir and retort.toml beside it, after checking that
// neither would overwrite anything.
func (a *app) initProject(dir string) error {
	dir = filepath.Clean(dir)
	parent := filepath.Dir(dir)
	tomlPath := filepath.Join(parent, configFileName)
	if _, err := os.Stat(tomlPath); err == nil {
		return fmt.Errorf("%s already exists; retort init never overwrites a file", tomlPath)
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("versions directory %s already exists and is not empty", dir)
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("versions directory: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating the versions directory: %w", err)
	}
	a.status("Creating directory " + absPath(dir))
	f, err := os.OpenFile(tomlPath, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("writing %s: %w", tomlPath, err)
	}
	if _, err := io.WriteString(f, configTemplate(filepath.Base(dir))); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", tomlPath, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", tomlPath, err)
	}
	a.status("Generating " + absPath(tomlPath))
	if cwd, err := os.Getwd(); err == nil && absPath(parent) != cwd {
		fmt.Fprintf(a.stdout, "retort reads %s from the current directory: run it from %s, or pass --config %s\n", configFileName, parent, tomlPath)
	}
	fmt.Fprintf(a.stdout, "Please edit %s, then create the first revision with: retort revision -m \"create the first table\"\n", tomlPath)
	return nil
}

func absPath(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}

// configTemplate is the retort.toml init writes; dir is relative to it.
func configTemplate(dir string) string {
	return `# retort configuration.
#
# For each setting, the first of these wins: a command-line flag, the
# environment ($DATABASE_URL, $RETORT_DIR), this file, an alembic.ini in the
# current directory ([alembic] script_location / version_locations and
# sqlalchemy.url), the default. "retort config" shows what retort resolved
# and where each value came from. Relative paths are relative to this file.

# Versions directories holding the revision files (<rev>_<slug>.sql, and
# Alembic .py files). A string or a list. Flag: --dir. Environment: RETORT_DIR.
dirs = [` + strconv.Quote(dir) + `]

# Database URL: postgresql://user@host:5432/dbname or sqlite:PATH.
# Flag: --db. Environment: DATABASE_URL. Default: sqlite:retort.db beside
# the versions directory. Keep passwords out of this file: use $DATABASE_URL,
# or ~/.pgpass for PostgreSQL.
# db = "postgresql://app@localhost:5432/app"

# The version table. Keep Alembic's name to share the database with Alembic.
# Flags: --version-table, --version-schema (default: the connection's schema).
# version_table = "alembic_version"
# version_schema = "public"

# How long to wait while another runner holds the migration lock before
# giving up, as a duration ("30s", "5m"); "0s" waits for ever.
# Flag: --lock-timeout.
# lock_timeout = "0s"

# Record every step (who, when, what, outcome) in the retort_log table.
# Flag: --no-audit.
# audit = true

# The editor retort opens revision files in.
# Default: $VISUAL, then $EDITOR, then vi.
# editor = "vim"

# Draw the graph with ASCII characters only. Flag: --ascii.
# ascii = false
`
}

// loadForAuthoring loads the versions directories; a new revision is only
// written into a history that loads cleanly.
func (a *app) loadForAuthoring() (*models.Graph, error) {
	for _, d := range a.cfg.Dirs {
		if _, err := os.Stat(d); errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("versions directory %s does not exist: create it with `retort init %s`", d, d)
		}
	}
	g, err := a.loadGraph()
	if err != nil {
		return nil, fmt.Errorf("fix the versions directory before adding a revision: %w", err)
	}
	return g, nil
}

func (a *app) revisionCommand() *cobra.Command {
	var o revisions.NewRevisionOptions
	c := &cobra.Command{
		Use:   "revision -m MESSAGE [--head REV] [--splice] [--branch-label L]... [--depends-on REV]... [--rev-id ID]",
		Short: "Create a new revision file",
		Long: `Create a new revision file <rev>_<slug>.sql with its header filled in and
empty "-- +upgrade" and "-- +downgrade" sections to write the SQL into, as
"alembic revision" does, with the same rules and error messages.

The new revision revises the current head. When there are several heads,
say which one with --head, or join them with "retort merge". The file goes
into the versions directory of the revision it revises (the first versions
directory for a new base). It prints the path of the new file.

Options in detail:
  -m, --message MSG      the one-line description; the file name's slug is
                         made of its words (at most 40 characters)
  --head REV             the revision to build on: head (the default), an id
                         or a unique prefix of four characters or more,
                         LABEL@head, heads (all heads: the new revision is a
                         merge), or base (a new, separate base)
  --splice               allow --head to name a revision that already has
                         children: the new revision starts a new branch there
  --branch-label L       give the new revision a branch label, so that
                         L@head names the tip of its branch (repeatable)
  --depends-on REV       the new revision also needs REV applied first, without
                         revising it (repeatable; ids are written in full,
                         branch labels as given)
  --rev-id ID            use ID instead of 12 random hex characters`,
		Example: `  retort revision -m "create documents"
  retort revision -m "add loans" --head circulation@head
  retort revision -m "start the circulation branch" --head base --branch-label circulation
  retort revision -m "backport the index" --head 3c1d0b6a1f2e --splice
  retort revision -m "link items to loans" --depends-on catalog@head`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			g, err := a.loadForAuthoring()
			if err != nil {
				return err
			}
			rev, err := revisions.NewRevision(g, a.cfg.Dirs, o)
			if err != nil {
				return err
			}
			a.status("Generating " + absPath(rev.Path))
			return nil
		},
	}
	f := c.Flags()
	f.StringVarP(&o.Message, "message", "m", "", "message string to use with the revision")
	f.StringVar(&o.Head, "head", "", "specify head revision or <branchname>@head to base new revision on")
	f.BoolVar(&o.Splice, "splice", false, "allow a non-head revision as the 'head' to splice onto")
	f.StringArrayVar(&o.BranchLabels, "branch-label", nil, "specify a branch label to apply to the new revision (repeatable)")
	f.StringArrayVar(&o.DependsOn, "depends-on", nil, "specify a revision the new revision depends on (repeatable)")
	f.StringVar(&o.RevID, "rev-id", "", "specify a hardcoded revision id instead of generating one")
	_ = c.RegisterFlagCompletionFunc("head", a.completeRevisions(true))
	_ = c.RegisterFlagCompletionFunc("depends-on", a.completeRevisions(false))
	_ = c.RegisterFlagCompletionFunc("branch-label", cobra.NoFileCompletions)
	_ = c.RegisterFlagCompletionFunc("rev-id", cobra.NoFileCompletions)
	return c
}

func (a *app) mergeCommand() *cobra.Command {
	var o revisions.MergeOptions
	c := &cobra.Command{
		Use:   "merge -m MESSAGE REV REV... | heads",
		Short: "Merge two revisions together; creates a new revision file",
		Long: `Create a revision whose parents are the given revisions, in the order given,
joining their branches again, as "alembic merge" does. "heads" stands for
every head, in load order. Each revision must be a head (a revision without
children) and none may be named twice. The merge revision's sections are
empty: write there any SQL that reconciles the branches.

REV is an id or a unique prefix of four characters or more, LABEL@head, or
heads. It prints the path of the new file.

Options in detail:
  -m, --message MSG      the one-line description; the file name's slug is
                         made of its words
  --branch-label L       give the merge revision a branch label (repeatable)
  --rev-id ID            use ID instead of 12 random hex characters`,
		Example: `  retort merge -m "merge circulation into catalog" heads
  retort merge -m "join" catalog@head circulation@head
  retort merge -m "join" 3c1d 9e31 --branch-label main`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			g, err := a.loadForAuthoring()
			if err != nil {
				return err
			}
			rev, err := revisions.Merge(g, a.cfg.Dirs, args, o)
			if err != nil {
				return err
			}
			a.status("Generating " + absPath(rev.Path))
			return nil
		},
		ValidArgsFunction: a.completeRevisions(true),
	}
	f := c.Flags()
	f.StringVarP(&o.Message, "message", "m", "", "message string to use with the revision")
	f.StringArrayVar(&o.BranchLabels, "branch-label", nil, "specify a branch label to apply to the new revision (repeatable)")
	f.StringVar(&o.RevID, "rev-id", "", "specify a hardcoded revision id instead of generating one")
	_ = c.RegisterFlagCompletionFunc("branch-label", cobra.NoFileCompletions)
	_ = c.RegisterFlagCompletionFunc("rev-id", cobra.NoFileCompletions)
	return c
}

// completeRevisions offers shell completions: the heads (and head, heads,
// base, LABEL@head) when headsOnly, else every revision and label. Cobra
// runs completion functions without the root's PersistentPreRunE, so the
// settings are resolved here.
func (a *app) completeRevisions(headsOnly bool) cobra.CompletionFunc {
	return func(cmd *cobra.Command, _ []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
		cfg, err := resolveSettings(a.flags, cmd.Flags(), lookupEnv)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		g, _ := revisions.Load(cfg.Dirs...) // a broken history still completes
		if g == nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return revisionCompletions(g, headsOnly), cobra.ShellCompDirectiveNoFileComp
	}
}

func revisionCompletions(g *models.Graph, headsOnly bool) []cobra.Completion {
	var out []cobra.Completion
	revs := g.Heads
	if headsOnly {
		out = append(out, cobra.CompletionWithDesc("heads", "every head"), cobra.CompletionWithDesc("head", "the only head"), cobra.CompletionWithDesc("base", "a new base"))
	} else {
		revs = make([]int, g.Len())
		for i := range revs {
			revs[i] = i
		}
	}
	for _, i := range revs {
		out = append(out, cobra.CompletionWithDesc(g.Revisions[i].ID, g.Revisions[i].Message))
	}
	for label := range g.LabelOwner {
		if headsOnly {
			out = append(out, cobra.CompletionWithDesc(label+"@head", "the head of branch "+label))
		} else {
			out = append(out, cobra.CompletionWithDesc(label, "branch label"))
		}
	}
	return out
}

// configEntry is one resolved setting in `retort config --json`.
type configEntry struct {
	Value  any    `json:"value"`
	Source string `json:"source"`
}

// configValues lists the resolved settings in settingKeys order, with the
// database password masked.
func configValues(s *settings) []struct {
	key   string
	value any
} {
	return []struct {
		key   string
		value any
	}{
		{keyDirs, s.Dirs},
		{keyDB, engine.MaskURL(s.DB)},
		{keyVersionTable, s.VersionTable},
		{keyVersionSchema, s.VersionSchema},
		{keyLockTimeout, s.LockTimeout.String()},
		{keyAudit, s.Audit},
		{keyASCII, s.ASCII},
		{keyEditor, s.Editor},
	}
}

func (a *app) configCommand() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "config",
		Short: "Show the resolved settings and where each comes from",
		Long: `Print every setting retort runs with, in retort.toml syntax, each followed
by where it came from: a flag, the environment (DATABASE_URL, RETORT_DIR,
VISUAL, EDITOR), retort.toml (the --config file or ./retort.toml),
./alembic.ini, or the default. The first of these that sets a value wins.
The database password is masked.

  --json   print {"<key>": {"value": ..., "source": "..."}} instead`,
		Example: `  retort config
  DATABASE_URL=postgresql://app:secret@db/app retort config --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			values := configValues(a.cfg)
			if asJSON {
				out := make(map[string]configEntry, len(values))
				for _, v := range values {
					out[v.key] = configEntry{Value: v.value, Source: a.cfg.Source[v.key]}
				}
				return a.writeJSON(out)
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			for _, v := range values {
				fmt.Fprintf(tw, "%s = %s\t# %s\n", v.key, tomlValue(v.value), a.cfg.Source[v.key])
			}
			return tw.Flush()
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

// tomlValue writes a setting in TOML syntax.
func tomlValue(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case []string:
		q := make([]string, len(x))
		for i, s := range x {
			q[i] = strconv.Quote(s)
		}
		return "[" + strings.Join(q, ", ") + "]"
	case time.Duration:
		return strconv.Quote(x.String())
	}
	return fmt.Sprint(v)
}

func (a *app) completionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "Print the shell completion script",
		Long: `Print a script that makes the shell complete retort's verbs, flags and
revision identifiers (heads, labels, ids read from the versions directory).

Bash (needs the bash-completion package):
  retort completion bash > ~/.local/share/bash-completion/completions/retort
Zsh (compinit must be enabled):
  retort completion zsh > "${fpath[1]}/_retort"
Fish:
  retort completion fish > ~/.config/fish/completions/retort.fish
PowerShell:
  retort completion powershell | Out-String | Invoke-Expression`,
		Example:               `  source <(retort completion bash)`,
		ValidArgs:             []string{"bash", "zsh", "fish", "powershell"},
		Args:                  cobra.MatchAll(cobra.ExactArgs(1), cobra.OnlyValidArgs),
		DisableFlagsInUseLine: true,
		PersistentPreRunE:     noSettings,
		RunE: func(cmd *cobra.Command, args []string) error {
			root := cmd.Root()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(a.stdout, true)
			case "zsh":
				return root.GenZshCompletion(a.stdout)
			case "fish":
				return root.GenFishCompletion(a.stdout, true)
			default:
				return root.GenPowerShellCompletionWithDesc(a.stdout)
			}
		},
	}
}
