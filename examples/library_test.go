package examples_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"retort/engine"
	"retort/engine/pgtest"
	"retort/models"
	"retort/revisions"
)

// The bundled library history is applied to real databases, SQLite and
// PostgreSQL: all at once (base to heads and back), then one revision at a
// time up and one at a time down. Every state on the way down must be
// exactly the state seen at the same version rows on the way up (schema and
// every row), and row counts at a few revisions show that the data
// migrations really moved rows.

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

const libraryDir = "library"

func loadLibrary(t *testing.T) *models.Graph {
	t.Helper()
	g, err := revisions.Load(libraryDir)
	if err != nil {
		t.Fatalf("examples/library does not load: %v", err)
	}
	return g
}

// TestLibraryHistoryShape checks that the history has what it is meant to
// show: about thirty revisions, two labelled branches from one branch point
// joined by a merge, a depends_on across the branches, a revision outside a
// transaction, no warnings, and file names `<id>_<slug>.sql`.
func TestLibraryHistoryShape(t *testing.T) {
	g := loadLibrary(t)
	if n := g.Len(); n < 28 || n > 35 {
		t.Errorf("%d revisions, want about 30", n)
	}
	if len(g.Heads) != 1 || len(g.Bases) != 1 {
		t.Errorf("heads %v, bases %v: want one of each", g.IDs(g.Heads), g.IDs(g.Bases))
	}
	var branchPoints, merges, nonTx int
	for i, r := range g.Revisions {
		if len(r.Warnings) > 0 {
			t.Errorf("%s: warnings %v", r.Path, r.Warnings)
		}
		if want := r.ID + "_" + revisions.Slug(r.Message) + ".sql"; filepath.Base(r.Path) != want {
			t.Errorf("%s: file name should be %s", r.Path, want)
		}
		if len(r.ID) != 12 || strings.Trim(r.ID, "0123456789abcdef") != "" {
			t.Errorf("%s: id %q is not 12 hex characters", r.Path, r.ID)
		}
		if !r.Downgrade.Present || strings.TrimSpace(r.Upgrade.SQL) == "" {
			t.Errorf("%s: needs an upgrade and a downgrade", r.Path)
		}
		if g.IsBranchPoint(i) {
			branchPoints++
		}
		if g.IsMergePoint(i) {
			merges++
		}
		if !r.Transactional {
			nonTx++
		}
	}
	if branchPoints != 1 || merges != 1 || nonTx != 1 {
		t.Errorf("%d branch points, %d merges, %d non-transactional revisions: want one of each", branchPoints, merges, nonTx)
	}
	for _, label := range []string{"catalog", "circulation"} {
		owner, ok := g.LabelOwner[label]
		if !ok {
			t.Fatalf("no branch labelled %s", label)
		}
		if p := g.Parents[owner]; len(p) != 1 || !g.IsBranchPoint(p[0]) {
			t.Errorf("branch %s does not start at the branch point", label)
		}
	}
	crossDeps := 0
	for i := range g.Revisions {
		for _, d := range g.Deps[i] {
			if hasLabel(g, i, "circulation") && hasLabel(g, d, "catalog") && !hasLabel(g, d, "circulation") {
				crossDeps++
			}
		}
	}
	if crossDeps != 1 {
		t.Errorf("%d depends_on from circulation to catalog, want 1", crossDeps)
	}
}

func hasLabel(g *models.Graph, i int, label string) bool {
	return slices.Contains(g.EffectiveLabels[i], label)
}

func TestLibraryOnSQLite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "library.db")
	exerciseLibrary(t, "sqlite:"+path, func(t *testing.T) inspector { return openSQLiteInspector(t, path) })
}

func TestLibraryOnPostgres(t *testing.T) {
	url := pgtest.NewDatabase(t)
	exerciseLibrary(t, url, func(t *testing.T) inspector { return openPGInspector(t, url) })
}

// libraryRun is one database the history runs on.
type libraryRun struct {
	t   *testing.T
	ctx context.Context
	g   *models.Graph
	db  *engine.DB
	in  inspector
}

func exerciseLibrary(t *testing.T, url string, open func(*testing.T) inspector) {
	ctx := context.Background()
	db, err := engine.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	in := open(t)
	defer in.close()
	r := &libraryRun{t: t, ctx: ctx, g: loadLibrary(t), db: db, in: in}

	empty := r.snapshot()
	r.apply(r.upgradePlan("heads"))
	atHeads := r.snapshot()
	r.apply(r.downgradePlan("base"))
	if got := r.snapshot(); got != empty {
		t.Fatalf("downgrade base does not return to the empty database:\n%s", got)
	}

	seen := r.stepUp()
	if got := seen[key(r.rows())]; got != atHeads {
		t.Errorf("upgrading one revision at a time ends in another state than upgrade heads:\n%s", diff(atHeads, got))
	}
	r.stepDown(seen)
	if got := r.snapshot(); got != empty {
		t.Errorf("stepping down to base leaves:\n%s", got)
	}
}

func (r *libraryRun) rows() []string {
	r.t.Helper()
	rows, err := r.db.Current(r.ctx)
	if err != nil {
		r.t.Fatal(err)
	}
	return rows
}

func (r *libraryRun) snapshot() string {
	r.t.Helper()
	s, err := r.in.snapshot(r.ctx)
	if err != nil {
		r.t.Fatal(err)
	}
	return s
}

func (r *libraryRun) upgradePlan(target string) *models.Plan {
	r.t.Helper()
	p, err := revisions.Upgrade(r.g, r.rows(), target)
	if err != nil {
		r.t.Fatalf("upgrade %s: %v", target, err)
	}
	return p
}

func (r *libraryRun) downgradePlan(target string) *models.Plan {
	r.t.Helper()
	p, err := revisions.Downgrade(r.g, r.rows(), target)
	if err != nil {
		r.t.Fatalf("downgrade %s: %v", target, err)
	}
	return p
}

func (r *libraryRun) apply(p *models.Plan) {
	r.t.Helper()
	if err := r.db.Apply(r.ctx, p, nil); err != nil {
		r.t.Fatalf("%s %s: %v", p.Command, p.Target, err)
	}
	if got := r.rows(); strings.Join(got, ",") != strings.Join(p.Final, ",") {
		r.t.Fatalf("%s %s: version rows %v, plan said %v", p.Command, p.Target, got, p.Final)
	}
}

func key(rows []string) string { return strings.Join(rows, ",") }

// stepUp upgrades to each revision in turn, in the order `upgrade heads`
// would apply them, each `upgrade <rev>` running exactly one step. It
// returns the snapshot after each step, by version rows, and checks the
// counts of the checkpoints.
func (r *libraryRun) stepUp() map[string]string {
	order := r.upgradePlan("heads").Steps
	seen := map[string]string{key(r.rows()): r.snapshot()}
	for _, s := range order {
		p := r.upgradePlan(s.Revision.ID)
		if len(p.Steps) != 1 || p.Steps[0].Revision != s.Revision {
			r.t.Fatalf("upgrade %s: %d steps, want just that revision", s.Revision.ID, len(p.Steps))
		}
		r.apply(p)
		seen[key(r.rows())] = r.snapshot()
		r.checkCounts(s.Revision)
	}
	return seen
}

// stepDown runs the steps of `downgrade base` one plan each, and compares
// each state with the one recorded at the same version rows on the way up.
func (r *libraryRun) stepDown(seen map[string]string) {
	for _, s := range r.downgradePlan("base").Steps {
		p := &models.Plan{Command: "downgrade", Target: "base", Start: s.Before, Final: s.After, Steps: []models.Step{s}}
		r.apply(p)
		want, ok := seen[key(s.After)]
		if !ok {
			r.t.Fatalf("downgrading %s reached version rows %v, never seen on the way up", s.Revision.ID, s.After)
		}
		if got := r.snapshot(); got != want {
			r.t.Fatalf("downgrading %s (%s) does not restore the previous state:\n%s", s.Revision.ID, s.Revision.Message, diff(want, got))
		}
	}
}

// checkpoints are row counts right after the revision with this message:
// the proof that the data migrations moved the seed rows.
var checkpoints = map[string]map[string]int{
	"import the legacy records into records_metadata": {"records_metadata": 65},
	"move documents out of records_metadata":          {"documents": 12, "records_metadata": 53},
	"move items out of records_metadata":              {"items": 20, "records_metadata WHERE record_type = 'item'": 0},
	"move ISBNs into document_identifiers":            {"document_identifiers": 9},
	"move collections into their own table":           {"collections": 3, "collection_documents": 6},
	"move patrons out of records_metadata":            {"patrons": 8, "records_metadata WHERE record_type = 'patron'": 0},
	"move loans out of records_metadata":              {"loans": 14, "loans WHERE state = 'pending'": 2},
	"flag the loans overdue at the March cut-over":    {"loans WHERE state = 'overdue'": 5},
	"charge a fee for each overdue loan":              {"fees": 5},
	"split patron contact into email and phone":       {"patrons WHERE email IS NOT NULL": 5, "patrons WHERE phone IS NOT NULL": 2},
	"add the document type":                           {"documents WHERE document_type = 'serial'": 3},
	"merge catalog and circulation":                   {"records_metadata": 0, "patron_transactions": 5},
	"create items for received orders":                {"items": 22},
	"block patrons with unpaid fees of 4.00 or more":  {"patrons WHERE blocked = 1": 1},
	"move pending loans into requests":                {"requests": 2, "loans": 12},
	"add the patron locale":                           {"patrons WHERE locale = 'en'": 4, "loan_overview": 12},
}

func (r *libraryRun) checkCounts(rev *models.Revision) {
	r.t.Helper()
	for from, want := range checkpoints[rev.Message] {
		got, err := r.in.count(r.ctx, "SELECT COUNT(*) FROM "+from)
		if err != nil {
			r.t.Fatalf("after %s: %v", rev.Message, err)
		}
		if got != want {
			r.t.Errorf("after %q: %d rows in %s, want %d", rev.Message, got, from, want)
		}
	}
}

// TestCheckpointsNameRevisions keeps the checkpoint table honest: each
// message names a revision of the history.
func TestCheckpointsNameRevisions(t *testing.T) {
	g := loadLibrary(t)
	for msg := range checkpoints {
		found := false
		for _, r := range g.Revisions {
			found = found || r.Message == msg
		}
		if !found {
			t.Errorf("checkpoint %q names no revision", msg)
		}
	}
}

// diff shows the lines that differ between two snapshots.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for _, l := range w {
		if !slices.Contains(g, l) {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range g {
		if !slices.Contains(w, l) {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}
