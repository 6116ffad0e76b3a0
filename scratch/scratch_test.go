package scratch

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"retort/catalog"
	"retort/engine/pgtest"
	"retort/models"
	"retort/revisions"
	"retort/schema"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// libraryPlan is the plan of the example history from base to target.
func libraryPlan(t *testing.T, target string) *models.Plan {
	t.Helper()
	g, err := revisions.Load(filepath.Join("..", "examples", "library"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := revisions.Upgrade(g, nil, target)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// read is the schema at url.
func read(t *testing.T, url string) *schema.Snapshot {
	t.Helper()
	s, err := catalog.ReadSchema(context.Background(), url, catalog.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// onlyPublic reports a schema holding nothing but the public schema.
func onlyPublic(s *schema.Snapshot) bool { return len(beyondPublic(s)) == 0 }

// databaseExists tells whether the server of url has a database named db.
func databaseExists(t *testing.T, url, db string) bool {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM pg_database WHERE datname = $1", db).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n == 1
}

// dbName is the database a postgres:// URL names.
func dbName(url string) string {
	rest := url[strings.LastIndex(url, "/")+1:]
	name, _, _ := strings.Cut(rest, "?")
	return name
}

// TestMadeScratch: a scratch database made beside the live one (a temporary
// SQLite file, a database on the PostgreSQL server) takes a plan, is
// emptied by Reset, and is gone after Close; the live database is not
// touched (a SQLite file is not even created).
func TestMadeScratch(t *testing.T) {
	ctx := context.Background()
	liveFile := filepath.Join(t.TempDir(), "live.db")
	for _, live := range []string{"sqlite:" + liveFile, pgtest.NewDatabase(t)} {
		d, err := Open(ctx, Config{Live: live})
		if err != nil {
			t.Fatal(err)
		}
		if err := d.Apply(ctx, libraryPlan(t, "e4c229aa293c"), nil); err != nil {
			t.Fatal(err)
		}
		rows, err := d.Rows(ctx)
		if err != nil || strings.Join(rows, ",") != "e4c229aa293c" {
			t.Errorf("%s: version rows %v, %v", d.Dialect(), rows, err)
		}
		snap, err := d.Schema(ctx)
		if err != nil || !strings.Contains(snap.Text(), "loans") {
			t.Fatalf("%s: the scratch's schema lacks the library's tables (%v):\n%s", d.Dialect(), err, snap.Text())
		}
		if err := d.Reset(ctx); err != nil {
			t.Fatal(err)
		}
		if snap, err := d.Schema(ctx); err != nil || !onlyPublic(snap) {
			t.Errorf("%s: after Reset: %v\n%s", d.Dialect(), err, snap.Text())
		}
		if rows, err := d.Rows(ctx); err != nil || len(rows) != 0 {
			t.Errorf("%s: version rows after Reset: %v, %v", d.Dialect(), rows, err)
		}
		url := d.url
		if err := d.Close(); err != nil {
			t.Fatal(err)
		}
		if d.Dialect() == "sqlite" {
			path := strings.TrimPrefix(url, "sqlite:")
			if _, err := os.Stat(filepath.Dir(path)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the scratch directory %s is left after Close: %v", filepath.Dir(path), err)
			}
			if _, err := os.Stat(liveFile); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the live file was created: %v", err)
			}
		} else {
			if !strings.HasPrefix(dbName(url), "retort_scratch_") || databaseExists(t, live, dbName(url)) {
				t.Errorf("the scratch database %s is left after Close", dbName(url))
			}
			if !onlyPublic(read(t, live)) {
				t.Errorf("the live database was written:\n%s", read(t, live).Text())
			}
		}
	}
}

// roleURL is url as a new role with a password and the given attributes.
func roleURL(t *testing.T, url, role, attrs string) string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, sql := range []string{
		`DO $$ BEGIN CREATE ROLE ` + role + `; EXCEPTION WHEN duplicate_object THEN NULL; END $$`,
		`ALTER ROLE ` + role + ` LOGIN PASSWORD 'pw' ` + attrs,
		`GRANT ALL ON SCHEMA public TO ` + role,
	} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	return strings.Replace(url, "postgres@", role+":pw@", 1)
}

// TestNoCreateDB: a role that may not create databases is told what to do.
func TestNoCreateDB(t *testing.T) {
	live := roleURL(t, pgtest.NewDatabase(t), "retort_scratch_nocreatedb", "NOCREATEDB")
	_, err := Open(context.Background(), Config{Live: live})
	if !errors.Is(err, ErrNoCreateDB) {
		t.Fatalf("error %v, want ErrNoCreateDB", err)
	}
	for _, want := range []string{"CREATEDB", "--scratch URL", "xxxxx"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not say %q: %v", want, err)
		}
	}
	if strings.Contains(err.Error(), ":pw@") {
		t.Errorf("the error shows the password: %v", err)
	}
}

// TestGivenScratchIsNotLive: --scratch is refused when it is the live
// database, however its URL is written.
func TestGivenScratchIsNotLive(t *testing.T) {
	ctx := context.Background()
	live := pgtest.NewDatabase(t)
	same := strings.Replace(strings.Replace(live, "postgres://", "postgresql+psycopg2://", 1), "127.0.0.1", "localhost", 1)
	dir := t.TempDir()
	file := filepath.Join(dir, "live.db")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(file, filepath.Join(dir, "link.db")); err != nil {
		t.Fatal(err)
	}
	for _, c := range []Config{
		{Live: live, URL: same},
		{Live: "sqlite:" + file, URL: "sqlite:" + filepath.Join(dir, "link.db")},
		{Live: "sqlite:" + file, URL: "sqlite:" + dir + "/./live.db"},
	} {
		_, err := Open(ctx, c)
		if !errors.Is(err, ErrLive) {
			t.Errorf("--scratch %s with live %s: %v, want ErrLive", c.URL, c.Live, err)
		}
	}
	if !onlyPublic(read(t, live)) {
		t.Errorf("the live database was written")
	}
}

// TestGivenScratch: --scratch must be empty; it is used, and emptied again
// by Close.
func TestGivenScratch(t *testing.T) {
	ctx := context.Background()
	live, given := pgtest.NewDatabase(t), pgtest.NewDatabase(t)
	conn, err := pgx.Connect(ctx, given)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE TABLE precious (id int)"); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, Config{Live: live, URL: given}); err == nil || !strings.Contains(err.Error(), "not empty (it has table public.precious)") {
		t.Fatalf("a scratch with a table: %v", err)
	}
	if _, err := conn.Exec(ctx, "DROP TABLE precious"); err != nil {
		t.Fatal(err)
	}
	d, err := Open(ctx, Config{Live: live, URL: given})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Apply(ctx, libraryPlan(t, "heads"), nil); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if snap := read(t, given); !onlyPublic(snap) {
		t.Errorf("the given scratch is not empty after Close:\n%s", snap.Text())
	}
}

// TestServerWideRefused: on the live database's server, a revision that
// would change the whole server is refused before it runs.
func TestServerWideRefused(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	rev := "-- Revision ID: a1\n-- Revises:\n\n-- +upgrade\nCREATE TABLE t (id int);\nCREATE ROLE retort_scratch_should_not_exist;\n\n-- +downgrade\nDROP TABLE t;\n"
	if err := os.WriteFile(filepath.Join(dir, "a1_role.sql"), []byte(rev), 0o644); err != nil {
		t.Fatal(err)
	}
	g, err := revisions.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := revisions.Upgrade(g, nil, "heads")
	if err != nil {
		t.Fatal(err)
	}
	live := pgtest.NewDatabase(t)
	for _, c := range []Config{{Live: live}, {Live: live, URL: pgtest.NewDatabase(t)}} {
		d, err := Open(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		err = d.Apply(ctx, plan, nil)
		if err == nil || !strings.Contains(err.Error(), "a1_role.sql:6 (revision a1) runs CREATE ROLE") {
			t.Errorf("%+v: %v, want a refusal naming the file and line", c, err)
		}
		d.Close()
	}
	conn, err := pgx.Connect(ctx, live)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM pg_roles WHERE rolname = 'retort_scratch_should_not_exist'").Scan(&n); err != nil || n != 0 {
		t.Errorf("the role was created (%d, %v)", n, err)
	}
}

func TestServerWide(t *testing.T) {
	for stmt, want := range map[string]string{
		"CREATE ROLE app":                        "CREATE ROLE",
		"create user app password 'x'":           "CREATE USER",
		"ALTER ROLE app SET search_path = x":     "ALTER ROLE",
		"DROP DATABASE other":                    "DROP DATABASE",
		"ALTER SYSTEM SET work_mem = '1GB'":      "ALTER SYSTEM",
		"CREATE TABLESPACE fast LOCATION '/x'":   "CREATE TABLESPACE",
		"GRANT reader TO app":                    "GRANT of a role",
		"COMMENT ON ROLE app IS 'x'":             "COMMENT ON ROLE",
		"CREATE USER MAPPING FOR app SERVER s":   "",
		"GRANT SELECT ON t TO app":               "",
		"CREATE TABLE role (id int)":             "",
		"INSERT INTO t VALUES ('CREATE ROLE x')": "",
		"ALTER TABLE t ADD COLUMN database text": "",
		"/* CREATE ROLE */ SELECT 1":             "",
	} {
		got, ok := serverWide(stmt)
		if got != want || ok != (want != "") {
			t.Errorf("serverWide(%q) = %q, %v; want %q", stmt, got, ok, want)
		}
	}
}
