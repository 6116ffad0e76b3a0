package engine

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"retort/engine/internal/alembictest"
	"retort/engine/pgtest"
	"retort/models"
	"retort/revisions"
)

// helperEnv selects a helper function when the test binary is re-executed
// as a subprocess (the SIGKILL and two-process lock tests).
const helperEnv = "RETORT_ENGINE_HELPER"

func TestMain(m *testing.M) {
	if name := os.Getenv(helperEnv); name != "" {
		os.Exit(runHelper(name))
	}
	code := pgtest.Main(m)
	alembictest.Close()
	os.Exit(code)
}

// revSpec describes a test revision.
type revSpec struct {
	id, parents   string // parents comma-separated
	up, down      string // "" down: no downgrade section
	noTx          bool
	noDowngrade   bool
	format        models.Format
	checksumExtra string
}

// makeRev builds a revision the way package revisions reads a .sql file:
// sections with the file line where their SQL starts, and the sha256 of the
// file's bytes.
func makeRev(s revSpec) *models.Revision {
	var b strings.Builder
	fmt.Fprintf(&b, "-- Revision ID: %s\n-- Revises: %s\n", s.id, s.parents)
	if s.noTx {
		b.WriteString("-- Transaction: none\n")
	}
	b.WriteString("\n-- +upgrade\n")
	upLine := strings.Count(b.String(), "\n") + 1
	b.WriteString(s.up + "\n")
	downLine := 0
	if !s.noDowngrade {
		b.WriteString("\n-- +downgrade\n")
		downLine = strings.Count(b.String(), "\n") + 1
		b.WriteString(s.down + "\n")
	}
	b.WriteString(s.checksumExtra)
	sum := sha256.Sum256([]byte(b.String()))
	r := &models.Revision{
		ID:            s.id,
		Path:          "versions/" + s.id + ".sql",
		Line:          1,
		Format:        s.format,
		Transactional: !s.noTx,
		Upgrade:       models.Section{Present: true, SQL: s.up + "\n", Line: upLine},
		Checksum:      hex.EncodeToString(sum[:]),
	}
	if s.parents != "" {
		r.Parents = strings.Split(s.parents, ",")
	}
	if !s.noDowngrade {
		r.Downgrade = models.Section{Present: true, SQL: s.down + "\n", Line: downLine}
	}
	return r
}

// chain builds a linear history r000 <- r001 <- ... whose revision i
// creates table t<i> (and drops it on downgrade), with extra SQL from
// extra(i) appended to the upgrade.
func chain(n int, extra func(i int) string) []*models.Revision {
	revs := make([]*models.Revision, n)
	for i := range revs {
		s := revSpec{id: fmt.Sprintf("r%03d", i),
			up:   fmt.Sprintf("CREATE TABLE t%d (id integer PRIMARY KEY);", i),
			down: fmt.Sprintf("DROP TABLE t%d;", i)}
		if i > 0 {
			s.parents = fmt.Sprintf("r%03d", i-1)
		}
		if extra != nil {
			s.up += "\n" + extra(i)
		}
		revs[i] = makeRev(s)
	}
	return revs
}

// graphOf builds the graph of revs.
func graphOf(t testing.TB, revs []*models.Revision) *models.Graph {
	t.Helper()
	g, err := revisions.Build(revs)
	if err != nil {
		t.Fatalf("building the graph: %v", err)
	}
	return g
}

// ids of revisions.
func idsOf(revs []*models.Revision) []string {
	out := make([]string, len(revs))
	for i, r := range revs {
		out[i] = r.ID
	}
	return out
}

// rowsOf is the version rows with revision i as the head of a linear chain.
func rowsOf(revs []*models.Revision, i int) []string {
	if i < 0 {
		return nil
	}
	return []string{revs[i].ID}
}

// upgradeChain plans a linear upgrade from head index from (-1: base) to to.
func upgradeChain(revs []*models.Revision, from, to int) *models.Plan {
	p := &models.Plan{Command: "upgrade", Target: revs[to].ID, Start: rowsOf(revs, from), Final: rowsOf(revs, to)}
	for i := from + 1; i <= to; i++ {
		s := models.Step{Direction: models.Upgrade, Revision: revs[i], To: []string{revs[i].ID},
			Before: rowsOf(revs, i-1), After: rowsOf(revs, i)}
		if i == 0 {
			s.Ops = []models.VersionOp{{Kind: models.OpInsert, To: revs[i].ID}}
		} else {
			s.From = []string{revs[i-1].ID}
			s.Ops = []models.VersionOp{{Kind: models.OpUpdate, From: revs[i-1].ID, To: revs[i].ID}}
		}
		p.Steps = append(p.Steps, s)
	}
	return p
}

// downgradeChain plans a linear downgrade from head index from to to (-1:
// base).
func downgradeChain(revs []*models.Revision, from, to int) *models.Plan {
	p := &models.Plan{Command: "downgrade", Target: "base", Start: rowsOf(revs, from), Final: rowsOf(revs, to)}
	for i := from; i > to; i-- {
		s := models.Step{Direction: models.Downgrade, Revision: revs[i], From: []string{revs[i].ID},
			Before: rowsOf(revs, i), After: rowsOf(revs, i-1)}
		if i == 0 {
			s.Ops = []models.VersionOp{{Kind: models.OpDelete, From: revs[i].ID}}
		} else {
			s.To = []string{revs[i-1].ID}
			s.Ops = []models.VersionOp{{Kind: models.OpUpdate, From: revs[i].ID, To: revs[i-1].ID}}
		}
		p.Steps = append(p.Steps, s)
	}
	return p
}

// stampPlan moves the rows from one set to a single revision (or to none)
// without running anything, the way Alembic stamps within a linear chain.
func stampPlan(from []string, to string) *models.Plan {
	p := &models.Plan{Command: "stamp", Target: to, Start: from}
	s := models.Step{Direction: models.Stamp, From: from, Before: from}
	switch {
	case to == "":
		for _, r := range from {
			s.Ops = append(s.Ops, models.VersionOp{Kind: models.OpDelete, From: r})
		}
	case len(from) == 0:
		s.Ops = []models.VersionOp{{Kind: models.OpInsert, To: to}}
	default:
		s.Ops = []models.VersionOp{{Kind: models.OpUpdate, From: from[0], To: to}}
	}
	if to != "" {
		s.To, s.After, p.Final = []string{to}, []string{to}, []string{to}
	}
	p.Steps = []models.Step{s}
	return p
}

// dialects runs f once on a fresh PostgreSQL database and once on a fresh
// SQLite file.
func dialects(t *testing.T, f func(t *testing.T, url string)) {
	t.Run("postgresql", func(t *testing.T) { f(t, pgtest.NewDatabase(t)) })
	t.Run("sqlite", func(t *testing.T) { f(t, "sqlite:"+filepath.Join(t.TempDir(), "db.sqlite")) })
}

// open opens url and closes it at the end of the test.
func open(t testing.TB, url string, opts ...Option) *DB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := Open(ctx, url, opts...)
	if err != nil {
		t.Fatalf("Open(%s): %v", MaskURL(url), err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// recorder collects the events of a run, safe for several runs at once.
type recorder struct {
	mu     sync.Mutex
	events []models.Event
}

func (r *recorder) sink(e models.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}

func (r *recorder) all() []models.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.events)
}

// kinds lists the kinds of the recorded events.
func (r *recorder) kinds() []string {
	var out []string
	for _, e := range r.all() {
		out = append(out, e.Kind.String())
	}
	return out
}

// has reports whether an event of kind was recorded.
func (r *recorder) has(kind models.EventKind) bool {
	for _, e := range r.all() {
		if e.Kind == kind {
			return true
		}
	}
	return false
}

// probe inspects a test database through its own connection, independent
// of the engine.
type probe struct {
	t      testing.TB
	pg     *pgx.Conn
	sqlite *sql.DB
}

func newProbe(t testing.TB, url string) *probe {
	t.Helper()
	p := &probe{t: t}
	if path, ok := strings.CutPrefix(url, "sqlite:"); ok {
		db, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		p.sqlite = db
		t.Cleanup(func() { db.Close() })
		return p
	}
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	p.pg = conn
	t.Cleanup(func() { conn.Close(context.Background()) })
	return p
}

// exec runs a statement.
func (p *probe) exec(sql string, args ...any) {
	p.t.Helper()
	var err error
	if p.pg != nil {
		_, err = p.pg.Exec(context.Background(), sql, args...)
	} else {
		_, err = p.sqlite.Exec(sql, args...)
	}
	if err != nil {
		p.t.Fatalf("probe: %s: %v", sql, err)
	}
}

// strings runs a query returning one text column.
func (p *probe) strings(query string, args ...any) []string {
	p.t.Helper()
	var out []string
	if p.pg != nil {
		rows, err := p.pg.Query(context.Background(), query, args...)
		if err != nil {
			p.t.Fatalf("probe: %s: %v", query, err)
		}
		out, err = pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			p.t.Fatalf("probe: %s: %v", query, err)
		}
		return out
	}
	rows, err := p.sqlite.Query(query, args...)
	if err != nil {
		p.t.Fatalf("probe: %s: %v", query, err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			p.t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// tableExists asks the catalog.
func (p *probe) tableExists(name string) bool {
	p.t.Helper()
	if p.pg != nil {
		return len(p.strings("SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' AND tablename = $1", name)) > 0
	}
	return len(p.strings("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?", name)) > 0
}

// schema lists the tables and indexes other than retort's own, sorted.
func (p *probe) schema() []string {
	p.t.Helper()
	var out []string
	if p.pg != nil {
		out = p.strings(`SELECT c.relkind::text || ' ' || c.relname::text FROM pg_class c
			JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i') AND c.relname NOT LIKE 'retort\_log%'`)
	} else {
		out = p.strings(`SELECT type || ' ' || name FROM sqlite_master
			WHERE type IN ('table', 'index') AND name NOT LIKE 'retort\_log%' ESCAPE '\' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'`)
	}
	slices.Sort(out)
	return out
}

// rows reads alembic_version, sorted (nil when the table is missing).
func (p *probe) rows() []string {
	p.t.Helper()
	if !p.tableExists("alembic_version") {
		return nil
	}
	r := p.strings("SELECT version_num FROM alembic_version")
	slices.Sort(r)
	return r
}

// eqRows compares row lists, nil and empty being equal.
func eqRows(a, b []string) bool {
	return len(a) == 0 && len(b) == 0 || slices.Equal(a, b)
}

// pgtestDatabase is a fresh PostgreSQL database for a PostgreSQL-only test.
func pgtestDatabase(t *testing.T) string { return pgtest.NewDatabase(t) }

// errorsIs is errors.Is, for files that do not import errors otherwise.
func errorsIs(err, target error) bool { return errors.Is(err, target) }

// osPid is this process's id.
func osPid() int { return os.Getpid() }
