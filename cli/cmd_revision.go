package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"retort/cli/settings"

	"github.com/spf13/cobra"

	"retort/models"
	"retort/revisions"
	"retort/visible"
)

// revision and merge: new revision files, and the shell's completion of
// the revision identifiers they take.

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

// revisionLong is the description `retort revision --help` prints.
const revisionLong = `Create a new revision file <rev>_<slug>.sql, with its header filled in and
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
is written then) or the versions directory cannot be loaded.`

func (a *app) revisionCommand() *cobra.Command {
	var o revisions.NewRevisionOptions
	c := &cobra.Command{
		Use:   "revision -m MESSAGE [--head REV] [--splice] [flags]",
		Short: "Create a new revision file",
		Long:  revisionLong,
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
			a.status("Generating " + settings.AbsPath(rev.Path))
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

// mergeLong is the description `retort merge --help` prints.
const mergeLong = `Create a revision whose parents are the given revisions, in the order given,
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
written then) or the versions directory cannot be loaded.`

func (a *app) mergeCommand() *cobra.Command {
	var o revisions.MergeOptions
	c := &cobra.Command{
		Use:   "merge -m MESSAGE REV REV... | heads",
		Short: "Merge two revisions together; creates a new revision file",
		Long:  mergeLong,
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
			a.status("Generating " + settings.AbsPath(rev.Path))
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
	if src := a.cfg.Source[settings.KeyDirs]; settings.FromAlembicIni(src) {
		return "its location comes from " + src
	}
	dir = settings.AbsPath(dir)
	for _, r := range g.Revisions {
		if r.Format == models.FormatPython && settings.AbsPath(filepath.Dir(r.Path)) == dir {
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
	printf(a.stderr, `warning: Alembic will not see %s: Alembic loads only .py revision files,
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
		cfg, err := settings.Resolve(a.flags, cmd.Flags(), settings.LookupEnv)
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
		out = append(out, cobra.CompletionWithDesc(g.Revisions[i].ID, visible.Line(g.Revisions[i].Message)))
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
