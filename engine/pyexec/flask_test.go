package pyexec

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"retort/engine"
	"retort/models"
	"retort/pyalembic"
)

// bookshelf copies the Flask-Migrate application of testdata/flask-migrate,
// with extra revisions, and opens tg for it as the CLI does for
// `--app bookshelf`: its migrations directory as script location, the
// application's context for the run.
func bookshelf(t *testing.T, tg target, extra map[string]string) (*engine.DB, string) {
	t.Helper()
	dir := copyTree(t, filepath.Join("..", "..", "testdata", "flask-migrate"))
	for name, src := range extra {
		write(t, filepath.Join(dir, "migrations", "versions", name), src)
	}
	l := newLender(t, dir)
	l.env = append(l.env, "BOOKSHELF_DATABASE_URI="+tg.saURL)
	p := pyalembic.Project{Ini: filepath.Join(dir, "migrations", "alembic.ini"), ScriptLocation: filepath.Join(dir, "migrations"),
		URL: tg.saURL, App: "bookshelf:create_app", VersionTable: engine.DefaultVersionTable}
	return openDBWithProject(t, tg, p, l), dir
}

// The Flask-Migrate application's revisions run in its application
// context: Flask-Migrate's env.py finds its extension, and the data
// migration through the model's .query and db.session works, on SQLite
// too, where a session on a connection of its own could not write while
// the step's transaction holds the database.
func TestFlaskMigrate(t *testing.T) {
	bothDialects(t, 1, func(t *testing.T, dbs []target) {
		tg := dbs[0]
		db, dir := bookshelf(t, tg, nil)
		rec, err := upgrade(t, db, dir, "heads")
		if err != nil {
			t.Fatal(err)
		}
		look := look(t, tg)
		slugs := column(t, look, "SELECT slug FROM books ORDER BY id")
		if !slices.Equal(slugs, []string{"the-dispossessed", "the-left-hand-of-darkness", "invisible-cities"}) {
			t.Errorf("slugs %v", slugs)
		}
		var logged bool
		for _, e := range rec.of(models.EventNotice) {
			logged = logged || e.Message == "alembic: filled in 3 book slugs"
		}
		if !logged {
			t.Error("the data migration's log record did not come")
		}
	})
}

// Flask-SQLAlchemy's session runs on the step's connection while the
// revision runs: its db.session.commit() commits nothing before the step
// does, so a revision that fails after it leaves the data as it was.
func TestFlaskSessionInStepTransaction(t *testing.T) {
	bothDialects(t, 1, func(t *testing.T, dbs []target) {
		tg := dbs[0]
		db, dir := bookshelf(t, tg, map[string]string{"d1e2f3a4b5c6_rename_books.py": `"""rename the books"""
from bookshelf.models import Book, db

revision = "d1e2f3a4b5c6"
down_revision = "3011236ac48d"
branch_labels = None
depends_on = None


def upgrade():
    for book in Book.query.all():
        book.title = "renamed"
    db.session.commit()
    raise RuntimeError("after the session's commit")


def downgrade():
    pass
`})
		_, err := upgrade(t, db, dir, "heads")
		var pe *engine.PartialError
		if !errors.As(err, &pe) || !strings.Contains(err.Error(), "after the session's commit") || len(pe.Committed) != 5 {
			t.Fatalf("err = %v", err)
		}
		titles := column(t, look(t, tg), "SELECT title FROM books ORDER BY id")
		if !slices.Equal(titles, []string{"The Dispossessed", "The Left Hand of Darkness", "Invisible Cities"}) {
			t.Errorf("titles %v: the session's commit outlived the step", titles)
		}
	})
}
