package cli

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
		Long: `Create the versions directory and, beside it, a retort.toml that documents
every setting: versions directories, database URL, version table name and
schema, lock timeout, audit log, editor and ASCII drawing. Only dirs is set,
to the new directory (relative to retort.toml); every other line is a
commented-out example showing the default.

The versions directory is DIR when given. Without DIR, it is the one the
configuration names, in this order: --dir (repeat it for several), then
$RETORT_DIR, then the configuration file (--config, ./retort.toml, or the
script_location of ./alembic.ini), and migrations when none does. When a
configuration file names it, the project is configured already: init only
creates the versions directories that do not exist yet, and writes no
retort.toml.

init never overwrites anything: it refuses when the retort.toml it would
write already exists, when a versions directory exists and is not empty,
and, for a configured project, when every versions directory exists.

retort reads retort.toml from the current directory (or the file --config
names), so run retort from the directory that holds it.

Output: a "Creating directory <path> ...  done" line per directory and a
"Generating <path> ...  done" line for retort.toml, as "alembic init"
prints them, then what to do next. Unlike "alembic init", no env.py or
script template is written: a retort project is its versions directory
and retort.toml.

Exit status: 0 when the project was created; 1 when init refuses or a
directory or file cannot be written (nothing is written then).`,
		Example: `  retort init                   # ./migrations and ./retort.toml
  retort init db/migrations     # db/migrations and db/retort.toml
  RETORT_DIR=sql retort init    # ./sql and ./retort.toml with dirs = ["sql"]
  retort init && retort revision -m "create documents"`,
		Args:              cobra.MaximumNArgs(1),
		PersistentPreRunE: noSettings,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				return a.initProject([]string{args[0]})
			}
			dirs, source, fromFile, err := configuredDirs(a.flags, lookupEnv)
			if err != nil {
				return err
			}
			if fromFile {
				return a.initConfigured(dirs, source)
			}
			return a.initProject(dirs)
		},
	}
}

// checkInitDirs refuses versions directories that exist and are not empty;
// it returns the ones that do not exist yet.
func checkInitDirs(dirs []string) ([]string, error) {
	var missing []string
	for _, dir := range dirs {
		entries, err := os.ReadDir(dir)
		switch {
		case errors.Is(err, os.ErrNotExist):
			missing = append(missing, dir)
		case err != nil:
			return nil, fmt.Errorf("versions directory: %w", err)
		case len(entries) > 0:
			return nil, fmt.Errorf("versions directory %s already exists and is not empty", dir)
		}
	}
	return missing, nil
}

// makeDirs creates the versions directories.
func (a *app) makeDirs(dirs []string) error {
	for _, dir := range dirs {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("creating the versions directory: %w", err)
		}
		a.status("Creating directory " + absPath(dir))
	}
	return nil
}

// initProject creates dirs and a retort.toml beside the first of them, after
// checking that neither would overwrite anything.
func (a *app) initProject(dirs []string) error {
	for i := range dirs {
		dirs[i] = filepath.Clean(dirs[i])
	}
	parent := filepath.Dir(dirs[0])
	tomlPath := filepath.Join(parent, configFileName)
	if _, err := os.Stat(tomlPath); err == nil {
		return fmt.Errorf("%s already exists; retort init never overwrites a file", tomlPath)
	}
	if _, err := checkInitDirs(dirs); err != nil {
		return err
	}
	rel := make([]string, len(dirs))
	for i, d := range dirs {
		rel[i] = relativeDir(parent, d)
	}
	if err := a.makeDirs(dirs); err != nil {
		return err
	}
	f, err := os.OpenFile(tomlPath, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("writing %s: %w", tomlPath, err)
	}
	if _, err := io.WriteString(f, configTemplate(rel)); err != nil {
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

// initConfigured creates the versions directories a configuration file
// names, when some do not exist yet; the file itself is left alone.
func (a *app) initConfigured(dirs []string, source string) error {
	var missing []string
	for _, dir := range dirs {
		if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
			missing = append(missing, dir)
		} else if err != nil {
			return fmt.Errorf("versions directory: %w", err)
		}
	}
	list := strings.Join(dirs, ", ")
	if fromAlembicIni(source) {
		if len(missing) > 0 {
			// A bare versions directory without Alembic's env.py and
			// templates would be half an Alembic project.
			return fmt.Errorf("%s names the versions directory %s, which does not exist: create the Alembic project with \"alembic init\" (or correct alembic.ini), or give retort init a directory of its own", source, strings.Join(missing, ", "))
		}
		return fmt.Errorf("%s already sets up the versions directory %s: retort reads alembic.ini, so an Alembic project needs no retort init", source, list)
	}
	if len(missing) == 0 {
		return fmt.Errorf("%s already exists and sets up the versions directory %s: retort init has nothing to do (it never overwrites a file)", source, list)
	}
	if err := a.makeDirs(missing); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "The versions directory comes from %s: no retort.toml written. Create the first revision with: retort revision -m \"create the first table\"\n", source)
	return nil
}

// relativeDir writes dir relative to the directory of the retort.toml that
// names it; an absolute dir that is not below it stays absolute.
func relativeDir(base, dir string) string {
	r, err := filepath.Rel(absPath(base), absPath(dir))
	if err != nil || (filepath.IsAbs(dir) && strings.HasPrefix(r, "..")) {
		return dir
	}
	return r
}

func absPath(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}

// configTemplate is the retort.toml init writes; dirs are relative to it.
func configTemplate(dirs []string) string {
	return `# retort configuration.
#
# For each setting, the first of these wins: a command-line flag, the
# environment ($DATABASE_URL, $RETORT_DIR), this file, an alembic.ini in the
# current directory ([alembic] script_location / version_locations and
# sqlalchemy.url), the default. "retort config" shows what retort resolved
# and where each value came from. Relative paths are relative to this file.

# Versions directories holding the revision files (<rev>_<slug>.sql, and
# Alembic .py files). A string or a list. Flag: --dir. Environment: RETORT_DIR.
dirs = ` + tomlValue(dirs) + `

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
		Use:   "revision -m MESSAGE [--head REV] [--splice] [flags]",
		Short: "Create a new revision file",
		Long: `Create a new revision file <rev>_<slug>.sql, with its header filled in and
empty "-- +upgrade" and "-- +downgrade" sections to write the SQL into, as
"alembic revision" does, with the same rules and error messages. It prints
"Generating <absolute path> ...  done".

The new revision revises the head. When there are several heads, name one
with --head, or join them with "retort merge": without --head, revision
refuses with Alembic's "Multiple heads are present; please specify the head
revision on which the new revision should be based, or perform a merge."
The file goes into the versions directory of the revision it revises (the
first versions directory for a new base).

Options in detail:
  -m, --message MSG   the one-line description; the file name's slug is
                      made of its words (at most 40 characters)
  --head REV          the revision to build on: head (the default), a full
                      id or a unique prefix of four characters or more,
                      LABEL@head, heads (every head: the new revision is a
                      merge), or base (a new, separate base)
  --splice            allow --head to name a revision that already has
                      children: the new revision starts a branch there
                      (without it: "Revision X is not a head revision;
                      please specify --splice to create a new branch from
                      this revision")
  --branch-label L    give the new revision a branch label, so that L@head
                      names the tip of its branch (repeatable)
  --depends-on REV    the new revision also needs REV applied first, without
                      revising it (repeatable; ids are written in full,
                      branch labels as given)
  --rev-id ID         use ID instead of 12 random hex characters

Unlike Alembic, retort refuses a --rev-id that exists, a branch label already
in use and a redundant --depends-on, all of which Alembic accepts and then
mishandles.

Alembic loads only .py revision files: a .sql revision written into an
Alembic project's versions directory (its location comes from alembic.ini,
or it holds .py revisions) is invisible to Alembic, and revision warns so
on stderr. Create the revisions Alembic must see with "alembic revision".

Exit status: 0 when the file was written; 1 when revision refuses (nothing
is written then) or the versions directory cannot be loaded.`,
		Example: `  retort revision -m "create documents"
  retort revision -m "add loans" --head circulation@head
  retort revision -m "start acquisitions" --head base --branch-label acq
  retort revision -m "backport the index" --head 3c1d0b6a1f2e --splice
  retort revision -m "link items to loans" --depends-on catalog@head
  retort revision -m "join the branches" --head heads`,
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
			a.warnInvisibleToAlembic(g, rev)
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
joining their branches again, as "alembic merge" does, with the same rules
and error messages. Its sections are empty: write there any SQL that
reconciles the branches. It prints "Generating <absolute path> ...  done".

REV is a full id or a unique prefix of four characters or more, LABEL@head,
or heads (every head, in load order). Each must be a head, a revision no
other revision revises ("Revision X is not a head revision; please specify
--splice to create a new branch from this revision"), and none may be named
twice ("Duplicate head revisions specified"). The file goes into the
versions directory of the first parent.

Options in detail:
  -m, --message MSG   the one-line description; the file name's slug is
                      made of its words
  --branch-label L    give the merge revision a branch label (repeatable)
  --rev-id ID         use ID instead of 12 random hex characters

As with revision, a .sql merge written into an Alembic project's versions
directory is invisible to Alembic, and merge warns so on stderr: merge .py
heads with "alembic merge".

Exit status: 0 when the file was written; 1 when merge refuses (nothing is
written then) or the versions directory cannot be loaded.`,
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
			a.warnInvisibleToAlembic(g, rev)
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

// alembicProject says why the versions directory dir belongs to an Alembic
// project, or "" when nothing says so: the settings came from an
// alembic.ini, or the directory holds Alembic .py revisions.
func (a *app) alembicProject(g *models.Graph, dir string) string {
	if src := a.cfg.Source[keyDirs]; fromAlembicIni(src) {
		return "its location comes from " + src
	}
	dir = absPath(dir)
	for _, r := range g.Revisions {
		if r.Format == models.FormatPython && absPath(filepath.Dir(r.Path)) == dir {
			return "it holds Alembic .py revisions such as " + filepath.Base(r.Path)
		}
	}
	return ""
}

// warnInvisibleToAlembic warns, on stderr, that a new .sql revision written
// into an Alembic project is invisible to Alembic, which loads only .py
// files.
func (a *app) warnInvisibleToAlembic(g *models.Graph, rev *models.Revision) {
	dir := filepath.Dir(rev.Path)
	why := a.alembicProject(g, dir)
	if why == "" {
		return
	}
	fmt.Fprintf(a.stderr, `warning: Alembic will not see %s: Alembic loads only .py revision files,
  and %s is an Alembic versions directory (%s).
  If Alembic also migrates this database, then once retort applies this
  revision Alembic fails with "Can't locate revision identified by '%s'",
  and a .py revision that revises it breaks Alembic's history: delete the
  file and use "alembic revision" instead. A .sql revision is fine when
  only retort migrates this database.
`, filepath.Base(rev.Path), dir, why, rev.ID)
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
		Long: `Print every setting retort runs with, one per line in retort.toml syntax,
each followed by where it came from:

  dirs = ["migrations"]                 # /srv/app/retort.toml
  db = "postgresql://app:xxxxx@db/app"  # environment DATABASE_URL
  version_table = "alembic_version"     # default

The first of these that sets a value wins: a flag (--dir, --db, ...), the
environment (DATABASE_URL, RETORT_DIR; VISUAL and EDITOR for the editor),
retort.toml (the --config file, else ./retort.toml; shown by absolute
path), ./alembic.ini ([alembic] script_location, version_locations and
sqlalchemy.url, as Alembic reads them, %(here)s included), the default.
The database password is masked. Paths are shown as retort uses them,
relative to the current directory (a relative path written in retort.toml
is relative to that file, one in alembic.ini to the current directory, as
in Alembic).

  --json   print {"<key>": {"value": ..., "source": "..."}} instead

config is retort's own; Alembic has no such command.

Exit status: 0; 1 when a configuration file cannot be read (the error names
the file, the line and, for an unknown key, the keys retort knows).`,
		Example: `  retort config
  retort --dir examples/library config
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
revision identifiers (heads, labels and ids, read from the versions
directory the command line, environment and configuration name).

Bash (needs the bash-completion package):
  retort completion bash > ~/.local/share/bash-completion/completions/retort
Zsh (compinit must be enabled):
  retort completion zsh > "${fpath[1]}/_retort"
Fish:
  retort completion fish > ~/.config/fish/completions/retort.fish
PowerShell:
  retort completion powershell | Out-String | Invoke-Expression

Exit status: 0; 1 for a shell retort has no script for.`,
		Example: `  source <(retort completion bash)     # this shell only
  retort completion zsh > "${fpath[1]}/_retort"`,
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
