package cli

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"retort/cli/settings"

	"github.com/spf13/cobra"

	"retort/engine"
	"retort/lint"
	"retort/models"
	"retort/pgparse"
	"retort/revisions"
	"retort/sqlfacts"
)

// lint: what each statement locks, and the rules DBAs check before a
// migration runs.

// lintLong is the description `retort lint --help` prints.
const lintLong = `Check revisions against the rules DBAs apply before a migration runs on
PostgreSQL, and show what each statement locks and on what, and whether it
rewrites or reads a whole table.

Without REV, the pending revisions: those "upgrade heads" would run from
the database's version rows. The database is used only when one is
configured (--db, DATABASE_URL, retort.toml or alembic.ini); without one,
every revision is linted, as a plan from an empty database. With REVs,
exactly those revisions (ids, prefixes, labels, heads...), in the order an
upgrade runs them. Upgrade sections are linted; a table created by an
earlier revision of those linted is new, so indexing it needs no
CONCURRENTLY. With a PostgreSQL database, lint also reads its catalog: row
estimates (SET NOT NULL fails only on a table of 100,000 rows or more), the
views and foreign keys that use what a DROP removes, whether a default's
function is volatile. Nothing is written.

Warnings fail the lint (the README says what each rule checks):
` + "{{warnings}}" + `
Advice is shown and fails only with --strict:
` + "{{advice}}" + `
Statements are read with PostgreSQL's own grammar (libpg_query run as
WebAssembly); its first use compiles it, about 2.5 s of CPU, kept in
$XDG_CACHE_HOME/retort/wasm for the next runs (about 0.5 s). A configured
SQLite database is not linted: the rules are PostgreSQL's. Alembic .py
revisions are listed as not linted.

  -v, --verbose   also show every statement with its locks, rewrites, scans
  --strict        advice fails the lint too
  --json          print {"database", "revisions": [{"revision", "path",
                  "linted", "reason", "statements": [{"line", "sql", "tag",
                  "objects", "locks", "rewrites", "scans", "error"}]}],
                  "findings": [{"revision", "path", "line", "rule", "level",
                  "message"}], "fails"}

Exit status: 0 when no warning fires (no advice either, with --strict);
1 when one does; 2 on trouble (a revision that does not exist, a directory
that does not load, a database that cannot be read).`

func (a *app) lintCommand() *cobra.Command {
	var asJSON, strict, verbose bool
	c := &cobra.Command{
		Use:   "lint [REV...]",
		Short: "Check revisions for locks and unsafe statements before they run",
		Long:  ruleLists(lintLong),
		Example: `  retort lint                          # the pending revisions
  retort lint heads                    # the head revisions only
  retort lint af5b707d6326 -v          # one revision, every statement's locks
  retort lint --strict --json | jq '.findings[] | .rule'`,
		RunE: func(cmd *cobra.Command, args []string) error {
			err := a.lint(cmd.Context(), args, lintFlags{json: asJSON, strict: strict, verbose: verbose})
			var failed *lintFailed
			if err != nil && !errors.As(err, &failed) {
				return &exitError{code: 2, err: err}
			}
			return err
		},
	}
	c.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &exitError{code: 2, err: err} })
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	c.Flags().BoolVar(&strict, "strict", false, "advice fails the lint too")
	c.Flags().BoolVarP(&verbose, "verbose", "v", false, "show every statement's locks, rewrites and scans")
	return c
}

// ruleLists puts the rules' names into the help text, wrapped.
func ruleLists(long string) string {
	lists := map[lint.Level]string{}
	width := map[lint.Level]int{}
	for _, r := range lint.Rules() {
		l := r.Level
		switch {
		case width[l] == 0:
			lists[l], width[l] = "  "+r.Name, 2+len(r.Name)
		case width[l]+2+len(r.Name) > helpWidth-2:
			lists[l] += ",\n  " + r.Name
			width[l] = 2 + len(r.Name)
		default:
			lists[l] += ", " + r.Name
			width[l] += 2 + len(r.Name)
		}
	}
	long = strings.Replace(long, "{{warnings}}\n", lists[lint.LevelWarning]+"\n", 1)
	return strings.Replace(long, "{{advice}}\n", lists[lint.LevelAdvice]+"\n", 1)
}

type lintFlags struct{ json, strict, verbose bool }

// lintFailed is the error of a lint a rule failed (exit status 1).
type lintFailed struct{ warnings, advice int }

func (e *lintFailed) Error() string {
	return fmt.Sprintf("lint: %s, %d advice", count(e.warnings, "warning"), e.advice)
}

// count is "1 warning", "2 warnings".
func count(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func (a *app) lint(ctx context.Context, args []string, f lintFlags) error {
	g, err := a.loadGraph()
	if err != nil {
		return err
	}
	order, err := revisions.UpgradeOffline(g, "heads")
	if err != nil {
		return err
	}
	src, err := a.lintSource(ctx)
	if err != nil {
		return err
	}
	defer src.close()
	steps, err := lintSelection(g, order, args, src.rows)
	if err != nil {
		return err
	}
	var res *lint.Result
	if src.sqlite {
		res = notLinted(steps, "not linted: the database is SQLite, and the rules are PostgreSQL's")
	} else {
		parser := pgparse.New(lintCacheDir())
		defer parser.Close()
		res, err = lint.Lint(ctx, steps, lint.Options{Parser: parser, Catalog: src.catalog, History: history(g, order, steps)})
		if err != nil {
			return err
		}
	}
	if f.json {
		out := lintJSONOf(res, src.database)
		out.Fails = res.Fails(f.strict)
		if err := a.writeJSON(out); err != nil {
			return err
		}
	} else {
		a.printLint(res, f.verbose)
	}
	return lintOutcome(res, f.strict)
}

func lintCacheDir() string {
	dir, err := pgparse.DefaultCacheDir()
	if err != nil {
		return "" // compiled in memory, every time
	}
	return dir
}

// lintSource is the database lint reads, if any.
type lintSource struct {
	database string // masked URL, "" without a database
	rows     []string
	hasRows  bool
	sqlite   bool
	catalog  lint.Catalog
	close    func()
}

// lintSource opens the configured database: its version rows decide the
// pending revisions, and on PostgreSQL its catalog answers the rules.
// Without a configured database (retort's default SQLite file) there is
// none.
func (a *app) lintSource(ctx context.Context) (*lintSource, error) {
	src := &lintSource{close: func() {}}
	if a.cfg.Source[settings.KeyDB] == settings.SourceDefault {
		return src, nil
	}
	dialect, err := engine.DialectOf(a.cfg.DB)
	if err != nil {
		return nil, err
	}
	db, err := a.openDB(ctx)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	src.database, src.sqlite = db.Redacted(), dialect == engine.DialectSQLite
	if src.rows, err = db.Current(ctx); err != nil {
		return nil, err
	}
	src.hasRows = true
	if dialect == engine.DialectPostgres {
		cat, err := lint.OpenCatalog(ctx, a.cfg.DB)
		if err != nil {
			return nil, err
		}
		src.catalog, src.close = cat, func() { cat.Close() }
	}
	return src, nil
}

// lintSelection is the steps to lint: the revisions named, else the
// pending ones (all without a database), in upgrade order.
func lintSelection(g *models.Graph, order *models.Plan, args []string, rows []string) ([]lint.Step, error) {
	pos := map[string]int{}
	for k, s := range order.Steps {
		pos[s.Revision.ID] = k
	}
	var revs []*models.Revision
	switch {
	case len(args) > 0:
		seen := map[string]bool{}
		for _, arg := range args {
			found, err := revisions.Show(g, arg)
			if err != nil {
				return nil, err
			}
			for _, i := range found {
				if r := g.Revisions[i]; !seen[r.ID] {
					seen[r.ID] = true
					revs = append(revs, r)
				}
			}
		}
		sort.SliceStable(revs, func(i, j int) bool { return pos[revs[i].ID] < pos[revs[j].ID] })
	default:
		plan, err := revisions.Upgrade(g, rows, "heads")
		if err != nil {
			return nil, err
		}
		for _, s := range plan.Steps {
			revs = append(revs, s.Revision)
		}
	}
	steps := make([]lint.Step, len(revs))
	for k, r := range revs {
		steps[k] = lint.Step{Revision: r, Direction: models.Upgrade}
	}
	return steps, nil
}

// history are the revisions before the first step in upgrade order that
// are not steps: what the database holds when the steps run.
func history(g *models.Graph, order *models.Plan, steps []lint.Step) []*models.Revision {
	linted := map[string]bool{}
	for _, s := range steps {
		linted[s.Revision.ID] = true
	}
	var starts []int
	for _, s := range steps {
		starts = append(starts, g.Index[s.Revision.ID])
	}
	needed := revisions.Needed(g, starts...)
	var out []*models.Revision
	for _, s := range order.Steps {
		if i := g.Index[s.Revision.ID]; needed[i] && !linted[s.Revision.ID] {
			out = append(out, s.Revision)
		}
	}
	return out
}

func notLinted(steps []lint.Step, reason string) *lint.Result {
	res := &lint.Result{}
	for _, s := range steps {
		res.Steps = append(res.Steps, lint.StepResult{Step: s, Reason: reason})
	}
	return res
}

func lintOutcome(res *lint.Result, strict bool) error {
	var warnings, advice int
	for _, s := range res.Steps {
		for _, f := range s.Findings {
			if f.Level == lint.LevelAdvice {
				advice++
			} else {
				warnings++
			}
		}
	}
	if res.Fails(strict) {
		return &lintFailed{warnings: warnings, advice: advice}
	}
	return nil
}

// printLint prints each finding under its file and line, then a summary.
func (a *app) printLint(res *lint.Result, verbose bool) {
	var linted, skipped, warnings, advice int
	for k := range res.Steps {
		s := &res.Steps[k]
		if !s.Linted {
			skipped++
			printf(a.stdout, "%s: %s\n", s.Revision.Path, s.Reason)
			continue
		}
		linted++
		for i := range s.Statements {
			st := &s.Statements[i]
			var found []lint.Finding
			for _, f := range s.Findings {
				if f.Statement == i {
					found = append(found, f)
				}
			}
			if len(found) == 0 && !verbose {
				continue
			}
			for _, f := range found {
				if f.Level == lint.LevelAdvice {
					advice++
				} else {
					warnings++
				}
				printf(a.stdout, "%s:%d: %s [%s] %s\n", s.Revision.Path, f.Line, f.Level, f.Rule, f.Message)
			}
			if len(found) == 0 {
				printf(a.stdout, "%s:%d:\n", s.Revision.Path, s.FileLine(i))
			}
			printf(a.stdout, "    %s\n", firstLine(st.SQL))
			if facts := factsLine(st); facts != "" {
				printf(a.stdout, "    %s\n", facts)
			}
		}
	}
	summary := fmt.Sprintf("%s linted, %s, %d advice", count(linted, "revision"), count(warnings, "warning"), advice)
	if skipped > 0 {
		summary += fmt.Sprintf(", %s not linted", count(skipped, "revision"))
	}
	fmt.Fprintln(a.stderr, summary)
}

// firstLine is a statement's first line, marked when it goes on.
func firstLine(sql string) string {
	line, rest, more := strings.Cut(sql, "\n")
	if more && strings.TrimSpace(rest) != "" {
		line += " …"
	}
	return line
}

// factsLine is a statement's locks, rewrites and scans on one line.
func factsLine(st *sqlfacts.Statement) string {
	var parts []string
	for _, l := range st.Locks {
		parts = append(parts, fmt.Sprintf("locks %s %s", l.On, l.Mode))
	}
	for _, r := range st.Rewrites {
		w := "rewrites " + r.Table.String()
		if r.Unless != "" {
			w += " (" + r.Unless + ")"
		}
		parts = append(parts, w)
	}
	for _, sc := range st.Scans {
		parts = append(parts, "reads all of "+sc.Table.String())
	}
	if st.Opaque {
		parts = append(parts, "runs code retort cannot see into")
	}
	return strings.Join(parts, " · ")
}

// The --json form of lint.

type lintJSON struct {
	Database  string            `json:"database"`
	Revisions []lintRevJSON     `json:"revisions"`
	Findings  []lintFindingJSON `json:"findings"`
	Fails     bool              `json:"fails"`
}

type lintRevJSON struct {
	Revision   string         `json:"revision"`
	Path       string         `json:"path"`
	Direction  string         `json:"direction"`
	Linted     bool           `json:"linted"`
	Reason     string         `json:"reason,omitempty"`
	Statements []lintStmtJSON `json:"statements"`
}

type lintStmtJSON struct {
	Line     int              `json:"line"`
	SQL      string           `json:"sql"`
	Tag      string           `json:"tag"`
	Objects  []lintObjectJSON `json:"objects"`
	Locks    []lintLockJSON   `json:"locks"`
	Rewrites []lintEffectJSON `json:"rewrites"`
	Scans    []lintEffectJSON `json:"scans"`
	Opaque   bool             `json:"opaque"`
	Error    string           `json:"error,omitempty"`
}

type lintObjectJSON struct {
	Kind    string `json:"kind"`
	Name    string `json:"name"`
	Table   string `json:"table,omitempty"`
	NewName string `json:"new_name,omitempty"`
	Change  string `json:"change"`
}

type lintLockJSON struct {
	Mode string `json:"mode"`
	On   string `json:"on"`
	For  string `json:"for"`
}

type lintEffectJSON struct {
	Table  string `json:"table"`
	Why    string `json:"why"`
	Unless string `json:"unless,omitempty"`
}

type lintFindingJSON struct {
	Revision string `json:"revision"`
	Path     string `json:"path"`
	Line     int    `json:"line"`
	Rule     string `json:"rule"`
	Level    string `json:"level"`
	Message  string `json:"message"`
}

func lintJSONOf(res *lint.Result, database string) lintJSON {
	out := lintJSON{Database: database, Revisions: []lintRevJSON{}, Findings: []lintFindingJSON{}, Fails: res.Fails(false)}
	for k := range res.Steps {
		s := &res.Steps[k]
		r := lintRevJSON{Revision: s.Revision.ID, Path: s.Revision.Path, Direction: s.Direction.String(),
			Linted: s.Linted, Reason: s.Reason, Statements: []lintStmtJSON{}}
		for i := range s.Statements {
			r.Statements = append(r.Statements, stmtJSON(s.FileLine(i), &s.Statements[i]))
		}
		out.Revisions = append(out.Revisions, r)
		for _, f := range s.Findings {
			out.Findings = append(out.Findings, lintFindingJSON{Revision: s.Revision.ID, Path: s.Revision.Path,
				Line: f.Line, Rule: f.Rule, Level: f.Level.String(), Message: f.Message})
		}
	}
	return out
}

func stmtJSON(line int, st *sqlfacts.Statement) lintStmtJSON {
	j := lintStmtJSON{Line: line, SQL: st.SQL, Tag: st.Tag, Opaque: st.Opaque, Objects: []lintObjectJSON{},
		Locks: []lintLockJSON{}, Rewrites: []lintEffectJSON{}, Scans: []lintEffectJSON{}}
	if st.Err != nil {
		j.Error = st.Err.Error()
	}
	for _, o := range st.Objects {
		oj := lintObjectJSON{Kind: string(o.Kind), Name: o.Name.String(), NewName: o.NewName, Change: string(o.Change)}
		if o.Table.Name != "" {
			oj.Table = o.Table.String()
		}
		j.Objects = append(j.Objects, oj)
	}
	for _, l := range st.Locks {
		j.Locks = append(j.Locks, lintLockJSON{Mode: l.Mode.String(), On: l.On.String(), For: l.For})
	}
	for _, r := range st.Rewrites {
		j.Rewrites = append(j.Rewrites, lintEffectJSON{Table: r.Table.String(), Why: r.Why, Unless: r.Unless})
	}
	for _, sc := range st.Scans {
		j.Scans = append(j.Scans, lintEffectJSON{Table: sc.Table.String(), Why: sc.Why})
	}
	return j
}
