package pyexec

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"retort/engine"
	"retort/engine/internal/alembictest"
	"retort/engine/pgtest"
	"retort/models"
	"retort/pyalembic"
	"retort/revisions"
)

func TestMain(m *testing.M) {
	code := pgtest.Main(m)
	alembictest.Close()
	os.Exit(code)
}

// python is Debian's interpreter, which has Alembic (python3-alembic).
const python = alembictest.Python

// lender lends one driver, started at the first lending, as the CLI lends
// the invocation's own; it counts the drivers it started.
type lender struct {
	t       *testing.T
	dir     string
	mu      sync.Mutex
	d       *pyalembic.Driver
	started int
	env     []string
}

// hashSeed is the PYTHONHASHSEED of every Python a comparison runs:
// SQLAlchemy orders some constraints by set iteration (the foreign keys
// batch mode reflects on SQLite), so two runs of the same step print the
// same DDL only under the same seed.
const hashSeed = 0

func newLender(t *testing.T, dir string) *lender {
	l := &lender{t: t, dir: dir, env: append(os.Environ(), fmt.Sprintf("PYTHONHASHSEED=%d", hashSeed))}
	t.Cleanup(func() {
		if l.d != nil {
			l.d.Close()
		}
	})
	return l
}

func (l *lender) python(ctx context.Context) (*pyalembic.Driver, func(bool), error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.d == nil {
		d, err := pyalembic.Start(ctx, pyalembic.Options{Python: python, Dir: l.dir, Env: l.env})
		if err != nil {
			return nil, nil, err
		}
		if _, err := d.Hello(ctx); err != nil {
			d.Close()
			return nil, nil, err
		}
		l.d = d
		l.started++
	}
	return l.d, func(broken bool) {
		l.mu.Lock()
		defer l.mu.Unlock()
		if broken && l.d != nil {
			l.d.Close()
			l.d = nil
		}
	}, nil
}

// copyTree copies the directory from into a new temporary directory.
func copyTree(t *testing.T, from string) string {
	t.Helper()
	to := t.TempDir()
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		if d.IsDir() {
			if d.Name() == "__pycache__" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return to
}

// exampleProject copies examples/alembic, with its alembic.ini pointing at
// url (SQLAlchemy's spelling), and returns its directory.
func exampleProject(t *testing.T, url string) string {
	t.Helper()
	dir := copyTree(t, filepath.Join("..", "..", "examples", "alembic"))
	ini := filepath.Join(dir, "alembic.ini")
	b, err := os.ReadFile(ini)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(b), "script_location = migrations", "script_location = "+filepath.Join(dir, "migrations"), 1)
	s = regexp.MustCompile(`(?m)^sqlalchemy\.url = .*$`).ReplaceAllLiteralString(s, "sqlalchemy.url = "+strings.ReplaceAll(url, "%", "%%"))
	if err := os.WriteFile(ini, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// target is a database a test runs on: retort's URL, SQLAlchemy's, and a
// way to look at it.
type target struct {
	dialect, url, saURL string
	path                string // the SQLite file
}

// targets are a fresh SQLite file and a fresh PostgreSQL database.
func targets(t *testing.T, n int) map[string][]target {
	out := map[string][]target{}
	for i := 0; i < n; i++ {
		path := filepath.Join(t.TempDir(), "test.db")
		out[engine.DialectSQLite] = append(out[engine.DialectSQLite], target{dialect: engine.DialectSQLite, url: "sqlite:" + path, saURL: "sqlite:///" + path, path: path})
		u := pgtest.NewDatabase(t)
		out[engine.DialectPostgres] = append(out[engine.DialectPostgres], target{dialect: engine.DialectPostgres, url: u, saURL: pyalembic.SQLAlchemyURL(u)})
	}
	return out
}

// bothDialects runs f on SQLite and on PostgreSQL, with n fresh databases
// of each.
func bothDialects(t *testing.T, n int, f func(t *testing.T, dbs []target)) {
	for _, d := range []string{engine.DialectSQLite, engine.DialectPostgres} {
		t.Run(d, func(t *testing.T) { f(t, targets(t, n)[d]) })
	}
}

// openDB opens tg for retort, with the .py executor on the project in dir
// (its alembic.ini), lending Python through l.
func openDB(t *testing.T, tg target, dir string, l *lender, opts ...engine.Option) *engine.DB {
	t.Helper()
	p := pyalembic.Project{Ini: filepath.Join(dir, "alembic.ini"), URL: tg.saURL, VersionTable: engine.DefaultVersionTable}
	opts = append(opts, engine.WithExecutor(models.FormatPython, New(Config{Python: l.python, Project: p})))
	db, err := engine.Open(context.Background(), tg.url, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// loadVersions reads a project's versions directory.
func loadVersions(t *testing.T, dir string) *models.Graph {
	t.Helper()
	g, err := revisions.Load(filepath.Join(dir, "migrations", "versions"))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// one is the plan of step s alone.
func one(s models.Step) *models.Plan {
	return &models.Plan{Command: s.Direction.String(), Start: s.Before, Final: s.After, Steps: []models.Step{s}}
}

// recorder keeps a run's events.
type recorder struct {
	mu     sync.Mutex
	events []models.Event
}

func (r *recorder) sink(e models.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}

func (r *recorder) of(kind models.EventKind) []models.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []models.Event
	for _, e := range r.events {
		if e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

// state is what a database holds, as the comparisons see it: its schema
// (pg_dump --schema-only, sqlite3 .schema), its data (every row of every
// table, sorted) and its version rows; retort's audit log left out.
type state struct {
	schema  string
	data    map[string][]string
	version []string
}

func snapshot(t *testing.T, tg target) state {
	t.Helper()
	s := state{data: map[string][]string{}}
	var db *sql.DB
	var err error
	var tablesSQL string
	if tg.dialect == engine.DialectPostgres {
		// pg_dump 15.14 and later fence its output with \restrict and
		// \unrestrict lines carrying a random key.
		s.schema = regexp.MustCompile(`(?m)^\\(un)?restrict .*$`).ReplaceAllLiteralString(
			run(t, "pg_dump", "--schema-only", "--no-owner", "-T", "retort_log", "-T", "retort_log_id_seq", tg.url), "")
		db, err = sql.Open("pgx", tg.url)
		tablesSQL = "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
	} else {
		s.schema = sqliteSchema(run(t, "sqlite3", tg.path, ".schema"))
		db, err = sql.Open("sqlite", tg.path)
		tablesSQL = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
	}
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, table := range column(t, db, tablesSQL) {
		if table == engine.DefaultAuditTable {
			continue
		}
		s.data[table] = rowsOf(t, db, table)
	}
	s.version = s.data[engine.DefaultVersionTable]
	return s
}

// sqliteSchema is sqlite3's .schema without what retort's audit log adds
// (its table, and sqlite_sequence, which its AUTOINCREMENT creates), with
// the statements and the constraints of each table in order: batch mode
// recreates a table with the constraints and indexes it reflected in an
// order SQLAlchemy does not fix (two runs of Alembic itself differ).
func sqliteSchema(out string) string {
	var keep []string
	for _, st := range strings.SplitAfter(out, ";\n") {
		if !strings.Contains(st, engine.DefaultAuditTable) && !strings.Contains(st, "sqlite_sequence") {
			keep = append(keep, sortConstraints(st))
		}
	}
	sort.Strings(keep)
	return strings.Join(keep, "")
}

// sortConstraints sorts the CONSTRAINT lines of a CREATE TABLE, each
// without the comma that separates it from the next.
func sortConstraints(st string) string {
	lines := strings.Split(st, "\n")
	var cons []string
	var out []string
	for _, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "CONSTRAINT ") {
			cons = append(cons, strings.TrimRight(strings.TrimSpace(l), ", "))
			continue
		}
		if len(cons) > 0 {
			sort.Strings(cons)
			out = append(out, cons...)
			cons = nil
		}
		out = append(out, l)
	}
	return strings.Join(append(out, cons...), "\n")
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

func column(t *testing.T, db *sql.DB, query string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// rowsOf is every row of table, each as JSON, sorted.
func rowsOf(t *testing.T, db *sql.DB, table string) []string {
	t.Helper()
	rows, err := db.Query(`SELECT * FROM "` + table + `"`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				vals[i] = string(b)
			}
		}
		b, err := json.Marshal(vals)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
	}
	sort.Strings(out)
	return out
}

// compare fails the test where two states differ.
func compare(t *testing.T, what string, retort, alembic state) {
	t.Helper()
	if retort.schema != alembic.schema {
		t.Errorf("%s: the schemas differ\nretort:\n%s\nalembic:\n%s", what, retort.schema, alembic.schema)
	}
	for table := range alembic.data {
		if _, ok := retort.data[table]; !ok {
			t.Errorf("%s: table %s is missing after retort's run", what, table)
		}
	}
	for table, rows := range retort.data {
		if !slices.Equal(rows, alembic.data[table]) {
			t.Errorf("%s: the rows of %s differ\nretort:  %v\nalembic: %v", what, table, rows, alembic.data[table])
		}
	}
}

// errExited is the error of a driver whose process died.
var errExited = pyalembic.ErrExited

// openDBWithProject is openDB with the driver's project given whole.
func openDBWithProject(t *testing.T, tg target, p pyalembic.Project, l *lender) *engine.DB {
	t.Helper()
	db, err := engine.Open(context.Background(), tg.url, engine.WithExecutor(models.FormatPython, New(Config{Python: l.python, Project: p})))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// readExampleEnv is the example's env.py, as `alembic init` writes it.
func readExampleEnv(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "examples", "alembic", "migrations", "env.py"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
