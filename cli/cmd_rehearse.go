package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"retort/rehearse"
	"retort/visible"
)

// rehearse: revisions upgraded, downgraded and upgraded again in a scratch
// database (package rehearse).

const rehearseLong = `Rehearse each REV in a scratch database: upgrade to what it needs, read the
schema and every table's rows, upgrade REV, downgrade it, check that the
downgrade restored both (not sequence positions, which a rehearsal
advances), upgrade it again and check that the schema is the first
upgrade's. Each revision gets a line: ok; DIFFERS, with the exact difference
(the schema by table, the rows lost and gained); FAILED, with the step and
the database's error; NOT REHEARSED when what it needs failed, or when
retort cannot run it (a .py revision without a Python executor).

  --all             every revision, oldest first: for CI
  --seed FILE       run FILE's SQL (sample rows) before REV's upgrade, so
                    that data migrations are rehearsed on data; with --all
                    or several REVs, --seed REV=FILE (repeat it)
  --json, -v        print JSON; show each step on stderr

` + scratchHelp + `

Exit status: 0 when every revision round-trips; 1 when one does not (it
differs, fails, or has no downgrade); 2 on trouble (the scratch database, a
revision that does not resolve, a seed that fails).`

func (a *app) rehearseCommand() *cobra.Command {
	var all, asJSON, verbose bool
	var seeds []string
	var scratchURL string
	c := &cobra.Command{
		Use:   "rehearse REV... | --all",
		Short: "Check that revisions downgrade cleanly, in a scratch database",
		Long:  rehearseLong,
		Example: `  retort rehearse --all
  retort rehearse c8c5115d28d0 --seed samples/patrons.sql
  retort rehearse --all --seed 3f0d=samples/records.sql --json`,
		Annotations: map[string]string{annotationTrouble: "2"},
		RunE: func(cmd *cobra.Command, args []string) error {
			g, err := a.loadGraph()
			if err != nil {
				return err
			}
			revs, err := rehearse.Positions(g, args, all)
			if err != nil {
				return err
			}
			opts := rehearse.Options{}
			if opts.Seeds, err = rehearse.ReadSeeds(g, seeds, revs, all); err != nil {
				return err
			}
			if !asJSON {
				opts.OnOutcome = func(o rehearse.Outcome) { fmt.Fprint(a.stdout, visible.Text(rehearse.Text(o), "\t")) }
			}
			if verbose {
				opts.Events = (&progressPrinter{w: a.stderr}).event
			}
			cfg, err := a.scratchConfig(cmd.Context(), scratchURL)
			if err != nil {
				return err
			}
			res, err := rehearse.Run(cmd.Context(), g, cfg, revs, opts)
			if err != nil {
				return err
			}
			if asJSON {
				err = a.writeJSON(res)
			} else {
				fmt.Fprint(a.stdout, res.Summary())
			}
			if code := res.ExitStatus(); err == nil && code != 0 {
				err = &exitError{code: code}
			}
			return err
		},
	}
	f := c.Flags()
	f.BoolVar(&all, "all", false, "rehearse every revision, oldest first")
	f.StringArrayVar(&seeds, "seed", nil, "sample rows to run before the upgrade: FILE.sql, or REV=FILE.sql")
	f.BoolVar(&asJSON, "json", false, "print JSON")
	f.BoolVarP(&verbose, "verbose", "v", false, "show each step on stderr")
	f.StringVar(&scratchURL, "scratch", "", "an empty database to rehearse in, instead of a temporary one")
	return c
}
