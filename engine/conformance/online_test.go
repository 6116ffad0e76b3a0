// Package conformance_test replays every online run of the Alembic
// conformance cases against real databases (PostgreSQL and SQLite): retort
// plans each command with package revisions, the engine applies it, and the
// alembic_version rows after each run must be the ones Alembic left.
package conformance_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"retort/cli"
	"retort/engine"
	"retort/engine/internal/alembictest"
	"retort/engine/pgtest"
	"retort/models"
	"retort/revisions"
)

func TestMain(m *testing.M) {
	code := pgtest.Main(m)
	alembictest.Close()
	os.Exit(code)
}

const casesDir = "../../testdata/conformance"

type recordedRun struct {
	Cmd      string    `json:"cmd"`
	Argv     []string  `json:"argv"`
	OK       bool      `json:"ok"`
	Error    *string   `json:"error"`
	Warnings []string  `json:"warnings"`
	Rows     *[]string `json:"rows"`
	Stdout   []string  `json:"stdout"`
}

type recordedCase struct {
	ID   string        `json:"id"`
	Mode string        `json:"mode"`
	Runs []recordedRun `json:"runs"`
}

func onlineCases(t *testing.T, dir string) []recordedCase {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Cases []recordedCase `json:"cases"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	var out []recordedCase
	for _, c := range f.Cases {
		if c.Mode == "online" {
			out = append(out, c)
		}
	}
	return out
}

// dialects are the databases every online run is replayed on.
var dialects = []string{"postgresql", "sqlite"}

// TestOnlineConformance replays every online case of every graph on both
// databases. Every run is accounted for: per graph and database, the runs
// compared plus those refused as row-order dependent must be all the online
// runs of the data; and, unless -run picked some graphs only, the totals per
// database must be those of the whole data.
func TestOnlineConformance(t *testing.T) {
	dirs := caseDirs(t)
	var mu sync.Mutex
	got, started := map[string]tally{}, map[string]int{}
	var want tally
	t.Run("cases", func(t *testing.T) {
		for _, dir := range dirs {
			g, err := revisions.Load(filepath.Join(dir, "sql"))
			if err != nil {
				t.Fatal(err)
			}
			cases := onlineCases(t, dir)
			exp := expectedTally(cases)
			want = want.add(exp)
			for _, kind := range dialects {
				t.Run(filepath.Base(dir)+"/"+kind, func(t *testing.T) {
					mu.Lock()
					started[kind]++
					mu.Unlock()
					t.Parallel()
					n := replayGraph(t, kind, g, cases)
					if n != exp {
						t.Errorf("%d runs compared and %d refused, the data has %d and %d", n.compared, n.refused, exp.compared, exp.refused)
					}
					mu.Lock()
					got[kind] = got[kind].add(n)
					mu.Unlock()
				})
			}
		}
	})
	for _, kind := range dialects {
		switch {
		case started[kind] < len(dirs):
			t.Logf("%s: %d of %d graphs selected by -run: %d runs compared, %d refused", kind, started[kind], len(dirs), got[kind].compared, got[kind].refused)
		case got[kind] != want:
			t.Errorf("%s: %d online runs compared and %d refused; the data has %d and %d",
				kind, got[kind].compared, got[kind].refused, want.compared, want.refused)
		default:
			t.Logf("%s: all %d online Alembic runs replayed (%d more refused as row-order dependent)", kind, want.compared, want.refused)
		}
	}
}

// tally counts runs: compared with Alembic's result, or refused because
// Alembic's result depends on the physical row order.
type tally struct{ compared, refused int }

func (a tally) add(b tally) tally { return tally{a.compared + b.compared, a.refused + b.refused} }

// expectedTally is what replaying cases must count, from the data alone.
func expectedTally(cases []recordedCase) tally {
	var n tally
	for _, c := range cases {
		for _, run := range c.Runs {
			if rowOrderDependent(run) {
				n.refused++
			} else {
				n.compared++
			}
		}
	}
	return n
}

func caseDirs(t *testing.T) []string {
	t.Helper()
	dirs, _ := filepath.Glob(filepath.Join(casesDir, "*"))
	if len(dirs) < 33 {
		t.Fatalf("conformance cases missing under %s: %d directories, want 33", casesDir, len(dirs))
	}
	return dirs
}

// replayGraph replays the cases of one graph on a database of the given
// kind, each case starting from a database without a version table.
func replayGraph(t *testing.T, kind string, g *models.Graph, cases []recordedCase) tally {
	fresh := freshSQLite
	if kind == "postgresql" {
		fresh = postgresFresh(t)
	}
	var n tally
	for _, c := range cases {
		db, done := fresh(t)
		n = n.add(replay(t, g, db, c))
		done()
	}
	return n
}

// freshSQLite opens a new in-memory SQLite database for one case: the same
// engine code as a file (the lock aside, which the engine's own tests cover)
// without a journal file created, synced and deleted at every commit, which
// made SQLite the slowest half of this test.
func freshSQLite(t *testing.T) (*engine.DB, func()) {
	t.Helper()
	db := openDB(t, "sqlite://")
	return db, func() { db.Close() }
}

// postgresFresh gives the cases of one graph a database with one engine
// connection, reused from case to case: before each case the version table
// is dropped, through a second connection, so that the case starts where a
// fresh database would (no table). Opening a connection and a schema per
// case cost more than the case itself, and held a connection per case.
func postgresFresh(t *testing.T) func(*testing.T) (*engine.DB, func()) {
	t.Helper()
	url := pgtest.NewDatabase(t)
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	// The schema named, so that taking the lock needs no catalog lookup.
	db := openDB(t, url, engine.WithVersionTable("public", "alembic_version"))
	t.Cleanup(func() {
		db.Close()
		admin.Close(ctx)
	})
	return func(t *testing.T) (*engine.DB, func()) {
		t.Helper()
		if _, err := admin.Exec(ctx, "DROP TABLE IF EXISTS public.alembic_version"); err != nil {
			t.Fatal(err)
		}
		return db, func() {}
	}
}

func openDB(t *testing.T, url string, opts ...engine.Option) *engine.DB {
	t.Helper()
	opts = append(opts, engine.WithAudit(false), engine.WithLockPollInterval(10*time.Millisecond))
	db, err := engine.Open(context.Background(), url, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// replay runs the recorded commands of one case in order against db and
// compares the version table after each. The state after a run is the
// state before the next: nothing else touches db.
func replay(t *testing.T, g *models.Graph, db *engine.DB, c recordedCase) (n tally) {
	t.Helper()
	ctx := context.Background()
	before, existed := state(t, db)
	for k, run := range c.Runs {
		label := fmt.Sprintf("case %q run %d `%s`", c.ID, k, run.Cmd)
		err := execute(ctx, g, db, run.Argv, before, run.Stdout)
		if rowOrderDependent(run) {
			if !errors.Is(err, revisions.ErrRefused) {
				t.Errorf("%s: Alembic's result depends on row order; retort must refuse, got %v", label, err)
			}
			resync(t, g, db, run)
			n.refused++
			before, existed = state(t, db)
			continue
		}
		n.compared++
		compareError(t, label, run, err)
		after, exists := state(t, db)
		if !run.OK && (exists != existed || !slices.Equal(after, before)) {
			t.Errorf("%s: a failed command changed the database", label)
		}
		if run.Rows == nil {
			if exists {
				t.Errorf("%s: version table exists with %v; Alembic left none", label, after)
			}
		} else if !exists || !reflect.DeepEqual(nonNil(after), nonNil(*run.Rows)) {
			t.Errorf("%s: rows %v (table exists: %v), Alembic %v", label, after, exists, *run.Rows)
		}
		before, existed = after, exists
	}
	return n
}

// compareError compares retort's outcome of a run with Alembic's.
func compareError(t *testing.T, label string, run recordedRun, err error) {
	t.Helper()
	switch {
	case run.OK && err != nil:
		t.Errorf("%s: Alembic succeeded, retort failed: %v", label, err)
	case !run.OK && err == nil:
		t.Errorf("%s: Alembic failed with %q, retort succeeded", label, *run.Error)
	case !run.OK && strings.HasPrefix(*run.Error, "UNCAUGHT"):
		if !errors.Is(err, revisions.ErrRefused) {
			t.Errorf("%s: Alembic crashed; retort must refuse, got %v", label, err)
		}
	case !run.OK && err.Error() != *run.Error:
		t.Errorf("%s: error\n got  %q\n want %q", label, err.Error(), *run.Error)
	}
}

func state(t *testing.T, db *engine.DB) ([]string, bool) {
	t.Helper()
	rows, exists, err := db.VersionRows(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return rows, exists
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func rowOrderDependent(run recordedRun) bool {
	for _, w := range run.Warnings {
		if strings.Contains(w, "downgrade -1 from multiple heads is ambiguous") {
			return true
		}
	}
	return false
}

// resync stamps the database to where Alembic went on a run retort refuses,
// so the rest of the case can still be compared.
func resync(t *testing.T, g *models.Graph, db *engine.DB, run recordedRun) {
	t.Helper()
	if run.Rows == nil {
		return
	}
	rows, _ := state(t, db)
	plan, err := revisions.Stamp(g, rows, *run.Rows, true)
	if err == nil {
		err = db.Apply(context.Background(), plan, nil)
	}
	if err != nil {
		t.Fatalf("resync to %v: %v", *run.Rows, err)
	}
}

// execute runs one Alembic command line (argv after `alembic`) with retort.
// `current` compares its output with the recorded stdout.
func execute(ctx context.Context, g *models.Graph, db *engine.DB, argv, rows, stdout []string) error {
	var pos []string
	purge := false
	for _, a := range argv[1:] {
		if a == "--purge" {
			purge = true
			continue
		}
		pos = append(pos, a)
	}
	var plan *models.Plan
	var err error
	switch argv[0] {
	case "current":
		cur, err := revisions.Current(g, rows)
		if err != nil {
			return err
		}
		if got := cli.CurrentLines(g, cur); !slices.Equal(nonNil(got), nonNil(stdout)) {
			return fmt.Errorf("current printed %q, Alembic %q", got, stdout)
		}
		return nil
	case "upgrade":
		plan, err = revisions.Upgrade(g, rows, pos[0])
	case "downgrade":
		plan, err = revisions.Downgrade(g, rows, pos[0])
	case "stamp":
		plan, err = revisions.Stamp(g, rows, pos, purge)
	default:
		return fmt.Errorf("unexpected command %v", argv)
	}
	if err != nil {
		return err
	}
	if err := db.Apply(ctx, plan, nil); err != nil {
		return fmt.Errorf("applying the plan: %w", err)
	}
	return nil
}
