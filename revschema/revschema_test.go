package revschema

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"retort/catalog"
	"retort/engine"
	"retort/engine/pgtest"
	"retort/models"
	"retort/revisions"
	"retort/scratch"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// libraryCopy copies the example history into a directory of the test's
// and loads it.
func libraryCopy(t *testing.T) (string, *models.Graph) {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join("..", "examples", "library")
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if filepath.Ext(e.Name()) != ".sql" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir, load(t, dir)
}

func load(t *testing.T, dir string) *models.Graph {
	t.Helper()
	g, err := revisions.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// builder builds in temporary SQLite files, with a cache in cache ("" for
// none).
func builder(g *models.Graph, cache string) *Builder {
	return &Builder{Graph: g, Scratch: scratch.Config{Live: "sqlite:" + filepath.Join(os.TempDir(), "retort-no-such-live.db")},
		CacheDir: cache, Retort: "test"}
}

// TestCache: the second look at a schema reads the cache and makes no
// scratch database; a change to a revision on the path is a miss, a change
// to another revision is not.
func TestCache(t *testing.T) {
	ctx := context.Background()
	dir, g := libraryCopy(t)
	cache := t.TempDir()
	first := builder(g, cache)
	defer first.Close()
	a, err := first.At(ctx, "e4c229aa293c")
	if err != nil {
		t.Fatal(err)
	}
	if a.Cached || !strings.Contains(a.Snapshot.Text(), "table loans") || strings.Join(a.Rows, ",") != "e4c229aa293c" {
		t.Fatalf("first look: cached %v, rows %v:\n%s", a.Cached, a.Rows, a.Snapshot.Text())
	}

	second := builder(g, cache)
	b, err := second.At(ctx, "e4c229aa293c")
	if err != nil {
		t.Fatal(err)
	}
	if !b.Cached || second.db != nil || b.Snapshot.Text() != a.Snapshot.Text() {
		t.Errorf("second look: cached %v, scratch made %v, same schema %v", b.Cached, second.db != nil, b.Snapshot.Text() == a.Snapshot.Text())
	}

	// A revision after e4c229aa293c changes: the schema at it is still
	// cached. One before it changes: it is not.
	edit := func(id, add string) {
		matches, _ := filepath.Glob(filepath.Join(dir, id+"_*.sql"))
		f, err := os.OpenFile(matches[0], os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := f.WriteString(add); err != nil {
			t.Fatal(err)
		}
	}
	edit("dd2e9516bcc5", "-- a comment\n")
	if c, err := builder(load(t, dir), cache).At(ctx, "e4c229aa293c"); err != nil || !c.Cached {
		t.Errorf("after a change beyond the path: cached %v, %v", c != nil && c.Cached, err)
	}
	edit("6104eb2df7b3", "-- a comment\n")
	third := builder(load(t, dir), cache)
	defer third.Close()
	if c, err := third.At(ctx, "e4c229aa293c"); err != nil || c.Cached {
		t.Errorf("after a change on the path: cached %v, %v", c != nil && c.Cached, err)
	}
}

// TestBetween: what a revision gains and loses, by table.
func TestBetween(t *testing.T) {
	_, g := libraryCopy(t)
	b := builder(g, "")
	defer b.Close()
	d, err := b.Between(context.Background(), "fcf327591762", "c8c5115d28d0")
	if err != nil {
		t.Fatal(err)
	}
	want := `--- fcf327591762
+++ c8c5115d28d0
table patrons
  - column contact VARCHAR(255)
  + column email VARCHAR(255)
  + column phone VARCHAR(32)
`
	if got := d.Text(); got != want {
		t.Errorf("diff:\n%s\nwant:\n%s", got, want)
	}
	same, err := b.Between(context.Background(), "base", "base")
	if err != nil || same.Text() != "" || len(same.Changes) != 0 {
		t.Errorf("base against base: %+v, %v", same, err)
	}
}

// TestLive: the live database against what its version rows say: nothing
// after an upgrade; a column added and an index dropped by hand, exactly,
// on both databases. The live database is only read.
func TestLive(t *testing.T) {
	ctx := context.Background()
	_, g := libraryCopy(t)
	for _, live := range []string{"sqlite:" + filepath.Join(t.TempDir(), "live.db"), pgtest.NewDatabase(t)} {
		plan, err := revisions.Upgrade(g, nil, "heads")
		if err != nil {
			t.Fatal(err)
		}
		db, err := engine.Open(ctx, live)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Apply(ctx, plan, func(models.Event) {}); err != nil {
			t.Fatal(err)
		}
		rows, _ := db.Current(ctx)
		db.Close()
		b := &Builder{Graph: g, Scratch: scratch.Config{Live: live}}
		defer b.Close()
		skip := catalog.Skip{VersionTable: engine.DefaultVersionTable}
		d, err := b.Live(ctx, live, rows, skip)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Changes) != 0 {
			t.Errorf("%s: right after the upgrade the live database differs:\n%s", live, d.Text())
		}
		byHand(t, live, "ALTER TABLE patrons ADD COLUMN nickname varchar(40)", "DROP INDEX ix_documents_title")
		before := liveText(t, live)
		d, err = b.Live(ctx, live, rows, skip)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, grp := range d.Changes {
			for _, c := range grp.Changes {
				got = append(got, string(c.Op)+" "+c.Object.Key())
			}
		}
		want := "removed index " + table(live, "documents") + " ix_documents_title|added column " + table(live, "patrons") + " nickname"
		if strings.Join(got, "|") != want {
			t.Errorf("%s: changes %v, want %s:\n%s", live, got, want, d.Text())
		}
		if liveText(t, live) != before {
			t.Errorf("%s: the live database changed while it was compared", live)
		}
	}
}

// table is a library table's name as the dialect of url names it.
func table(url, name string) string {
	if strings.HasPrefix(url, "sqlite:") {
		return name
	}
	return "public." + name
}

// byHand runs statements on the live database, as a DBA would.
func byHand(t *testing.T, url string, stmts ...string) {
	t.Helper()
	ctx := context.Background()
	if strings.HasPrefix(url, "postgres") {
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		for _, s := range stmts {
			if _, err := conn.Exec(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	c, err := catalog.Open(ctx, url, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Exec(ctx, "by-hand.sql", strings.Join(stmts, ";\n")); err != nil {
		t.Fatal(err)
	}
}

// liveText is the live database's schema and version table, as text.
func liveText(t *testing.T, url string) string {
	t.Helper()
	ctx := context.Background()
	c, err := catalog.Open(ctx, url, catalog.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, err := c.Schema(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := c.Rows(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString(s.Text())
	for _, r := range rows {
		b.WriteString(r.Table + " " + r.Digest + "\n")
	}
	return b.String()
}

// TestEmpty: the schema at no revision is an empty database's.
func TestEmpty(t *testing.T) {
	_, g := libraryCopy(t)
	b := builder(g, "")
	defer b.Close()
	for _, targets := range [][]string{nil, {"base"}} {
		r, err := b.At(context.Background(), targets...)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Snapshot.Objects) != 0 || len(r.Rows) != 0 {
			t.Errorf("at %v: %v\n%s", targets, r.Rows, r.Snapshot.Text())
		}
	}
}
