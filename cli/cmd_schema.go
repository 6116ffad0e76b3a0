package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"retort/catalog"
	"retort/revschema"
	"retort/scratch"
	"retort/visible"
)

// schema and diff: the schema at a revision, built in a scratch database,
// and what differs between two revisions or in the live database (the
// logic is in packages revschema, scratch, catalog and schema).

// scratchHelp is what schema, diff and rehearse say of the scratch database.
const scratchHelp = `The scratch database is a temporary SQLite file or, on PostgreSQL, a database
retort creates on the configured server and drops after (the role needs
CREATEDB). --scratch URL names an empty database to use instead: never the
live one (compared by identity, not by URL), emptied after. On the live
server, revisions that change the whole server (CREATE ROLE, ALTER SYSTEM)
are refused. Nothing is ever written to the live database.`

const schemaLong = `Print the schema a database has at REV (default: heads), any target
"upgrade" takes: retort applies the plan from base to REV in a scratch
database and reads its catalog into one normalised, stable text: schemas,
extensions, types, sequences, tables with their columns, keys, constraints,
indexes and triggers, views, functions, comments, privileges. retort's own
tables (the version table, retort_log) are left out.

` + scratchHelp + `

Snapshots are cached in $XDG_CACHE_HOME/retort/schema, keyed by the content
of the revisions on the path, the dialect, the server's version and
retort's: the second look is instant. --no-cache builds again.

Exit status: 0; 1 on any error.`

func (a *app) schemaCommand() *cobra.Command {
	var o schemaOptions
	c := &cobra.Command{
		Use:   "schema [REV]",
		Short: "Print the schema a database has at a revision",
		Long:  schemaLong,
		Example: `  retort schema
  retort schema e4c2 --json | jq '.objects[] | select(.kind == "table")'
  retort --db postgresql://app@db/app schema --scratch postgresql:///scratch`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := a.schemaBuilder(cmd.Context(), o)
			if err != nil {
				return err
			}
			defer b.Close()
			res, err := b.At(cmd.Context(), append(args, "heads")[0])
			if err != nil {
				return err
			}
			if o.json {
				return a.writeJSON(res.JSON())
			}
			fmt.Fprint(a.stdout, visible.Text(res.Snapshot.Text(), "\t"))
			return nil
		},
	}
	o.flags(c)
	return c
}

// schemaOptions are the flags of schema and diff.
type schemaOptions struct {
	json, noCache, live bool
	scratch             string
}

func (o *schemaOptions) flags(c *cobra.Command) {
	c.Flags().BoolVar(&o.json, "json", false, "print JSON")
	c.Flags().BoolVar(&o.noCache, "no-cache", false, "build the schema again instead of reading the cache")
	c.Flags().StringVar(&o.scratch, "scratch", "", "an empty database to build in, instead of a temporary one")
}

// scratchConfig is where scratch databases are made for the configured
// database.
func (a *app) scratchConfig(ctx context.Context, url string) (scratch.Config, error) {
	if err := a.settleDB(ctx); err != nil {
		return scratch.Config{}, err
	}
	return scratch.Config{Live: a.cfg.DB, URL: url, VersionTable: a.cfg.VersionTable,
		// The .py revisions run on the scratch database too: Python is
		// handed its URL, and refused if it reaches another database.
		Engine: a.engineOptionsFor}, nil
}

// schemaBuilder builds schemas in a scratch database, with the cache.
func (a *app) schemaBuilder(ctx context.Context, o schemaOptions) (*revschema.Builder, error) {
	g, err := a.loadGraph()
	if err != nil {
		return nil, err
	}
	cfg, err := a.scratchConfig(ctx, o.scratch)
	if err != nil {
		return nil, err
	}
	b := &revschema.Builder{Graph: g, Scratch: cfg, Retort: version}
	if !o.noCache {
		b.CacheDir, _ = revschema.DefaultCacheDir() // none found: no cache
	}
	return b, nil
}

const diffLong = `Print what the schema gains, loses and changes from revision A to revision
B, grouped by table: each table (view, type...) that differs, then its
objects marked + (only in B), - (only in A) or ~ (changed: the old and new
definitions). Columns are compared by name, not position. Both schemas are
built as "retort schema" builds them, and cached.

--live compares instead the schema the live database's version rows say it
has (-) with the one it has (+): what someone changed by hand, the question
before a downgrade. The live database is only read, its catalog in a
read-only transaction; its version table, retort_log and sqlite_sequence are
not part of it.

` + scratchHelp + `

Exit status: 0 when the schemas are the same; 1 when they differ; 2 on
trouble (a revision that does not resolve or fails, a database not read).`

func (a *app) diffCommand() *cobra.Command {
	var o schemaOptions
	c := &cobra.Command{
		Use:   "diff A B | --live",
		Short: "Compare the schema at two revisions, or the live database's",
		Long:  diffLong,
		Example: `  retort diff a9012647d928 heads
  retort diff catalog@head circulation@head --json
  retort --db postgresql://app@db/app diff --live`,
		Annotations: map[string]string{annotationTrouble: "2"},
		Args: func(cmd *cobra.Command, args []string) error {
			if o.live {
				return cobra.NoArgs(cmd, args)
			}
			return cobra.ExactArgs(2)(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := a.schemaBuilder(cmd.Context(), o)
			if err != nil {
				return err
			}
			defer b.Close()
			var d *revschema.Diff
			if o.live {
				d, err = a.liveDiff(cmd.Context(), b)
			} else {
				d, err = b.Between(cmd.Context(), args[0], args[1])
			}
			if err != nil {
				return err
			}
			if o.json {
				err = a.writeJSON(d)
			} else {
				printf(a.stdout, "%s", d.Text())
			}
			if err == nil && len(d.Changes) > 0 {
				err = &exitError{code: 1}
			}
			return err
		},
	}
	o.flags(c)
	c.Flags().BoolVar(&o.live, "live", false, "compare the live database with what its version rows say")
	return c
}

// liveDiff compares the live database with what its version rows say.
func (a *app) liveDiff(ctx context.Context, b *revschema.Builder) (*revschema.Diff, error) {
	rows, err := a.currentRows(ctx)
	if err != nil {
		return nil, err
	}
	return b.Live(ctx, a.cfg.DB, rows, catalog.Skip{Schema: a.cfg.VersionSchema, VersionTable: a.cfg.VersionTable})
}
