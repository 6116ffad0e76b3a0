package pyalembic

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

// startIn starts a driver in dir with extra environment variables.
func startIn(t *testing.T, dir string, env ...string) (*Driver, *[]string) {
	t.Helper()
	var output []string
	d, err := Start(context.Background(), Options{Python: python, Dir: dir, Env: append(os.Environ(), env...),
		Output: func(stream, line string) { output = append(output, stream+": "+line) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d, &output
}

func abs(t *testing.T, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// copyDir copies a fixture into a fresh directory, so that what Python
// writes (an instance folder, a SQLite file) stays out of the repository.
func copyDir(t *testing.T, from string) string {
	t.Helper()
	to := t.TempDir()
	err := filepath.WalkDir(from, func(p string, e os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if e.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		b, err := os.ReadFile(p)
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

// In the Invenio-shaped instance, the driver finds invenio_db, the version
// location of each invenio_db.alembic entry point declared by a dist-info
// on PYTHONPATH, and, from Invenio's default factory, the database URL of
// INVENIO_SQLALCHEMY_DATABASE_URI, password included.
func TestInspectInvenio(t *testing.T) {
	site := abs(t, filepath.Join("..", "testdata", "invenio", "site"))
	url := "postgresql://invenio:s3cr%40t@db.example:5432/invenio"
	d, _ := startIn(t, t.TempDir(), "PYTHONPATH="+site, "INVENIO_SQLALCHEMY_DATABASE_URI="+url)
	got, err := d.Inspect(context.Background(), InspectRequest{Invenio: true, InvenioApp: DefaultInvenioApp})
	if err != nil {
		t.Fatal(err)
	}
	if got.Invenio == nil {
		t.Fatal("invenio_db not found")
	}
	if want := filepath.Join(site, "invenio_db", "alembic"); got.Invenio.ScriptLocation != want {
		t.Errorf("script location %q, want %q", got.Invenio.ScriptLocation, want)
	}
	var locs []string
	for _, l := range got.Invenio.Locations {
		if l.Error != nil || l.Warning != "" || !l.Exists {
			t.Errorf("entry point %+v", l)
		}
		locs = append(locs, l.Name+" = "+l.Value+" -> "+l.Path)
	}
	sort.Strings(locs)
	want := []string{
		"invenio_loans = invenio_loans:alembic -> " + filepath.Join(site, "invenio_loans", "alembic"),
		"invenio_shelf = invenio_shelf:alembic -> " + filepath.Join(site, "invenio_shelf", "alembic"),
		"invenio_tags = invenio_tags:alembic -> " + filepath.Join(site, "invenio_tags", "alembic"),
	}
	if !slices.Equal(locs, want) {
		t.Errorf("entry points\n%q\nwant\n%q", locs, want)
	}
	if vl := got.Invenio.VersionLocations(); len(vl) != 4 || vl[0] != got.Invenio.ScriptLocation {
		t.Errorf("version locations %q: want the script location, then the three packages'", vl)
	}
	if got.AppError != nil || got.App == nil {
		t.Fatalf("app %+v, error %v", got.App, got.AppError)
	}
	if got.App.Import != DefaultInvenioApp || got.App.URL != url || got.App.Migrate != nil {
		t.Errorf("app %+v, want %s with URL %s", got.App, DefaultInvenioApp, url)
	}
}

// Entry point values are resolved as invenio-db resolves them: package:dir
// is that directory of the package. A value without ":dir", on which
// invenio-db fails, is the package's own directory, with a warning; a
// package that cannot be imported is an error of that entry point alone;
// a directory that does not exist is left out of the version locations,
// as Alembic leaves it out.
func TestInspectInvenioEntryPointForms(t *testing.T) {
	site := t.TempDir()
	writeTree(t, site, map[string]string{
		"invenio_db/__init__.py":       "",
		"invenio_db/alembic/.keep":     "",
		"pkg_a/__init__.py":            "",
		"pkg_a/alembic/.keep":          "",
		"pkg_b/__init__.py":            "",
		"pkg_b/migrations/__init__.py": "",
		"pkg_d/__init__.py":            "",
		"forms-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: forms\nVersion: 1.0\n",
		"forms-1.0.dist-info/entry_points.txt": "[invenio_db.alembic]\n" +
			"a = pkg_a:alembic\nb = pkg_b.migrations\nc = missing_pkg:alembic\nd = pkg_d:nowhere\n",
	})
	d, _ := startIn(t, t.TempDir(), "PYTHONPATH="+site)
	got, err := d.Inspect(context.Background(), InspectRequest{Invenio: true})
	if err != nil {
		t.Fatal(err)
	}
	if got.Invenio == nil || len(got.Invenio.Locations) != 4 {
		t.Fatalf("invenio %+v", got.Invenio)
	}
	by := map[string]Location{}
	for _, l := range got.Invenio.Locations {
		by[l.Name] = l
	}
	if l := by["a"]; l.Path != filepath.Join(site, "pkg_a", "alembic") || !l.Exists || l.Warning != "" || l.Error != nil {
		t.Errorf("a: %+v", l)
	}
	if l := by["b"]; l.Path != filepath.Join(site, "pkg_b", "migrations") || !l.Exists || !strings.Contains(l.Warning, "invenio-db cannot resolve") {
		t.Errorf("b: %+v", l)
	}
	if l := by["c"]; l.Error == nil || l.Error.Type != "ModuleNotFoundError" {
		t.Errorf("c: %+v", l)
	}
	if l := by["d"]; l.Path != filepath.Join(site, "pkg_d", "nowhere") || l.Exists {
		t.Errorf("d: %+v", l)
	}
	want := []string{filepath.Join(site, "invenio_db", "alembic"), filepath.Join(site, "pkg_a", "alembic"), filepath.Join(site, "pkg_b", "migrations")}
	if vl := got.Invenio.VersionLocations(); !slices.Equal(vl, want) {
		t.Errorf("version locations %q, want %q", vl, want)
	}
	if got.App != nil || got.AppError != nil {
		t.Errorf("an application was created without one asked for: %+v %v", got.App, got.AppError)
	}
}

// Without invenio_db there is no Invenio layout, and Invenio's default
// factory is not created.
func TestInspectWithoutInvenio(t *testing.T) {
	d, _ := startIn(t, t.TempDir())
	got, err := d.Inspect(context.Background(), InspectRequest{Invenio: true, InvenioApp: DefaultInvenioApp})
	if err != nil {
		t.Fatal(err)
	}
	if got.Invenio != nil || got.App != nil || got.AppError != nil {
		t.Fatalf("got %+v", got)
	}
}

// A Flask-Migrate application, named as FLASK_APP names it (a module with
// a create_app), reports its migrations directory (absolute, from the
// current directory, as Flask-Migrate reads it) and the URL of its
// engine: Flask-SQLAlchemy 3 puts a relative SQLite file in the instance
// folder. The application is created once per process: a later offline
// run in the same driver reuses it.
func TestInspectFlaskMigrate(t *testing.T) {
	dir := copyDir(t, filepath.Join("..", "testdata", "flask-migrate"))
	// The factory says when it runs.
	initPy := filepath.Join(dir, "bookshelf", "__init__.py")
	src, err := os.ReadFile(initPy)
	if err != nil {
		t.Fatal(err)
	}
	src = []byte(strings.Replace(string(src), "    app = Flask(__name__)\n", "    app = Flask(__name__)\n    print(\"creating the application\")\n", 1))
	if err := os.WriteFile(initPy, src, 0o644); err != nil {
		t.Fatal(err)
	}
	d, output := startIn(t, dir)
	got, err := d.Inspect(context.Background(), InspectRequest{App: "bookshelf", Invenio: true, InvenioApp: DefaultInvenioApp})
	if err != nil {
		t.Fatal(err)
	}
	if got.AppError != nil {
		t.Fatal(got.AppError.Traceback)
	}
	if got.Invenio != nil {
		t.Errorf("Invenio found: %+v", got.Invenio)
	}
	if got.App.Migrate == nil || got.App.Migrate.Directory != filepath.Join(dir, "migrations") {
		t.Errorf("migrate %+v, want the directory %s", got.App.Migrate, filepath.Join(dir, "migrations"))
	}
	if want := "sqlite:///" + filepath.Join(dir, "instance", "bookshelf.db"); got.App.URL != want {
		t.Errorf("url %q, want %q", got.App.URL, want)
	}
	steps := []OfflineStep{{Revision: "6aeaeded92fe", Direction: "upgrade",
		Path: filepath.Join(dir, "migrations", "versions", "6aeaeded92fe_create_authors_and_books.py")}}
	p := Project{Ini: filepath.Join(dir, "migrations", "alembic.ini"), ScriptLocation: filepath.Join(dir, "migrations"), App: "bookshelf"}
	// What the application prints during a run comes as events, before
	// it on the process's stdout.
	var created int
	off, err := d.Offline(context.Background(), p, steps, func(e Event) {
		if e.Kind == "output" && e.Text == "creating the application" {
			created++
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if off[0].Error != nil || !strings.Contains(off[0].SQL, "CREATE TABLE authors") {
		t.Fatalf("offline through Flask-Migrate's env.py: %q %+v", off[0].SQL, off[0].Error)
	}
	for _, l := range *output {
		if l == "stdout: creating the application" {
			created++
		}
	}
	if created != 1 {
		t.Errorf("the application was created %d times, want once: %q", created, *output)
	}
}

// An application that cannot be created is reported with the factory's
// name and Python's error; the driver goes on serving.
func TestInspectAppError(t *testing.T) {
	d, _ := startIn(t, t.TempDir())
	got, err := d.Inspect(context.Background(), InspectRequest{App: "no_such_module:create_app"})
	if err != nil {
		t.Fatal(err)
	}
	if got.App != nil || got.AppError == nil || !strings.Contains(got.AppError.Message, "cannot create the application no_such_module:create_app") {
		t.Fatalf("got %+v, %+v", got.App, got.AppError)
	}
	if _, err := d.Hello(context.Background()); err != nil {
		t.Fatalf("the driver does not serve after the failed application: %v", err)
	}
}

func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// An invenio_db that is installed but cannot be imported is reported, not
// taken for the absence of Invenio.
func TestInspectBrokenInvenio(t *testing.T) {
	site := t.TempDir()
	writeTree(t, site, map[string]string{"invenio_db/__init__.py": "import no_such_dependency\n"})
	d, _ := startIn(t, t.TempDir(), "PYTHONPATH="+site)
	got, err := d.Inspect(context.Background(), InspectRequest{Invenio: true, InvenioApp: DefaultInvenioApp})
	if err != nil {
		t.Fatal(err)
	}
	if got.Invenio != nil || got.InvenioError == nil || got.InvenioError.Type != "ModuleNotFoundError" || got.App != nil {
		t.Fatalf("got %+v, invenio error %+v", got, got.InvenioError)
	}
}
