package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"retort/pgparse"
	"retort/review"
	"retort/revschema"
	"retort/visible"
)

// review: the branches a merge joins, what each revision touches and what
// more than one branch touches (the logic is in package review).

const reviewLong = `Review a merge: for a merge revision, its parents; for "heads", every head;
for two or more revisions, the branches they end. retort prints their
common ancestor, each branch's revisions since it (oldest first) with the
objects each touches (tables, columns, indexes, constraints, views,
functions...) and what it does to them (create, alter, drop, rename, write
rows, use), then the objects touched by more than one branch, marked "!",
with each side's statements by file and line.

A .sql revision is read statement by statement with PostgreSQL's grammar
(libpg_query as WebAssembly, as lint reads it). An Alembic .py revision is
read from the difference its upgrade makes to the schema, built in a
scratch database as "retort schema" builds it; when none can be made, or
its step cannot run there, the revision says so and the review goes on.

An object is shared when two branches touch it, each through a revision the
other branch does not have (not through one it depends on), and at least
one of them changes it: two branches that only read or reference a table
share nothing. Names are compared without the public schema.

  --json            print {"merge", "heads", "common_ancestors",
                    "branches": [{"head", "labels", "revisions": [{"revision",
                    "message", "path", "format", "source", "touches":
                    [{"kind", "name", "table", "change", "line",
                    "statement"}], "notes"}]}], "shared": [{"kind", "name",
                    "table", "sides": [{"branch", "head", "touches":
                    [{"revision", "path", "line", "change", "statement"}]}]}]}

` + scratchHelp + `

Exit status: 0 when no object is shared; 1 when one is; 2 on trouble (a
revision that does not resolve, a revision that is not a merge, revisions
on one branch) and when nothing is shared but a revision could not be
analysed: the review is incomplete.`

func (a *app) reviewCommand() *cobra.Command {
	var asJSON bool
	var scratchURL string
	c := &cobra.Command{
		Use:   "review heads | MERGE | REV REV...",
		Short: "Show what the branches of a merge touch, and what they share",
		Long:  reviewLong,
		Example: `  retort review heads
  retort review e4c229aa293c
  retort review a9012647d928 bb59f895577c --json | jq '.shared[] | .name'`,
		Annotations: map[string]string{annotationTrouble: "2"},
		Args:        cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			g, err := a.loadGraph()
			if err != nil {
				return err
			}
			t, err := review.Targets(g, args)
			if err != nil {
				return err
			}
			parser := pgparse.New(lintCacheDir())
			defer parser.Close()
			schemas := &review.ScratchSchemas{New: func(ctx context.Context) (*revschema.Builder, error) {
				return a.schemaBuilder(ctx, schemaOptions{scratch: scratchURL})
			}}
			defer schemas.Close()
			r, err := review.Analyze(cmd.Context(), g, t, review.Options{Parser: parser, Schemas: schemas})
			if err != nil {
				return err
			}
			if asJSON {
				err = a.writeJSON(r)
			} else {
				fmt.Fprint(a.stdout, visible.Text(review.Text(r), "\t"))
			}
			if code := r.ExitStatus(); err == nil && code != 0 {
				err = &exitError{code: code}
			}
			return err
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	c.Flags().StringVar(&scratchURL, "scratch", "", "an empty database to build the schema of .py revisions in, instead of a temporary one")
	return c
}
