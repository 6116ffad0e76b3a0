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
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"retort/engine"
	"retort/engine/pgtest"
	"retort/models"
	"retort/revisions"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

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

// opener opens a fresh, empty database for case number k.
type opener func(t *testing.T, k int) *engine.DB

func TestOnlineConformance(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join(casesDir, "*"))
	if len(dirs) < 30 {
		t.Fatalf("conformance cases missing under %s", casesDir)
	}
	var runs, refused int
	counts := make(chan [2]int, 2*len(dirs))
	t.Run("cases", func(t *testing.T) {
		for _, dir := range dirs {
			g, err := revisions.Load(filepath.Join(dir, "sql"))
			if err != nil {
				t.Fatal(err)
			}
			cases := onlineCases(t, dir)
			for _, kind := range []string{"postgresql", "sqlite"} {
				t.Run(filepath.Base(dir)+"/"+kind, func(t *testing.T) {
					t.Parallel()
					open := sqliteOpener(t)
					if kind == "postgresql" {
						open = postgresOpener(t)
					}
					var n, r int
					for k, c := range cases {
						cn, cr := replay(t, g, open(t, k), c)
						n, r = n+cn, r+cr
					}
					counts <- [2]int{n, r}
				})
			}
		}
	})
	close(counts)
	for c := range counts {
		runs, refused = runs+c[0], refused+c[1]
	}
	if runs < 3000 {
		t.Errorf("only %d online runs compared", runs)
	}
	t.Logf("%d online Alembic runs replayed on PostgreSQL and SQLite, %d refused as row-order dependent", runs, refused)
}

func sqliteOpener(t *testing.T) opener {
	dir := t.TempDir()
	return func(t *testing.T, k int) *engine.DB {
		return openDB(t, "sqlite:"+filepath.Join(dir, fmt.Sprintf("case%d.db", k)))
	}
}

// postgresOpener gives each case its own schema in one database per graph.
func postgresOpener(t *testing.T) opener {
	url := pgtest.NewDatabase(t)
	return func(t *testing.T, k int) *engine.DB {
		schema := fmt.Sprintf("c%d", k)
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
			t.Fatal(err)
		}
		return openDB(t, url, engine.WithVersionTable(schema, "alembic_version"))
	}
}

func openDB(t *testing.T, url string, opts ...engine.Option) *engine.DB {
	t.Helper()
	opts = append(opts, engine.WithAudit(false), engine.WithLockPollInterval(10*time.Millisecond))
	db, err := engine.Open(context.Background(), url, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// replay runs the recorded commands of one case in order against db and
// compares the version table after each.
func replay(t *testing.T, g *models.Graph, db *engine.DB, c recordedCase) (compared, refused int) {
	t.Helper()
	ctx := context.Background()
	for k, run := range c.Runs {
		label := fmt.Sprintf("case %q run %d `%s`", c.ID, k, run.Cmd)
		before, existed := state(t, db)
		err := execute(ctx, g, db, run.Argv, before, run.Stdout)
		if rowOrderDependent(run) {
			if !errors.Is(err, revisions.ErrRefused) {
				t.Errorf("%s: Alembic's result depends on row order; retort must refuse, got %v", label, err)
			}
			resync(t, g, db, run)
			refused++
			continue
		}
		compared++
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
	}
	return compared, refused
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
		if got := revisions.CurrentLines(g, cur); !slices.Equal(nonNil(got), nonNil(stdout)) {
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
