package pyexec

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"retort/engine"
	"retort/models"
	"retort/pyalembic"
	"retort/revisions"
)

// What a revision does reaches the run's listener as it goes: each
// statement SQLAlchemy sends with its line, duration and rows, the
// database's NOTICEs, the revision's logging records (env.py's fileConfig
// replaced the handlers before it ran) and printed lines; retort's own
// statements are not among them.
func TestEvents(t *testing.T) {
	tg := targets(t, 1)[engine.DialectPostgres][0]
	dir := newProject(t, tg.saURL, "", map[string]string{
		"a1.py": pyRevision("a1", "", `    op.execute("CREATE TABLE one (id integer)")
    op.execute("INSERT INTO one SELECT generate_series(1, 3)")
    op.execute("DO $$ BEGIN RAISE NOTICE 'hello from plpgsql'; END $$")
    logging.getLogger("alembic").info("logged %d rows", 3)
    print("printed", "words")`, ""),
	})
	db := openDB(t, tg, dir, newLender(t, dir))
	rec, err := upgrade(t, db, dir, "heads")
	if err != nil {
		t.Fatal(err)
	}
	stmts := rec.of(models.EventStatement)
	if len(stmts) != 3 {
		t.Fatalf("%d statement events: %+v", len(stmts), stmts)
	}
	if s := stmts[1]; s.SQL != "INSERT INTO one SELECT generate_series(1, 3)" || s.Rows != 3 || s.Line != 14 || s.Duration <= 0 {
		t.Errorf("statement event %+v", s)
	}
	var notices []string
	for _, e := range rec.of(models.EventNotice) {
		notices = append(notices, e.Severity+": "+e.Message)
	}
	want := []string{"NOTICE: hello from plpgsql", "INFO: alembic: logged 3 rows", "STDOUT: printed words"}
	if !slices.Equal(notices, want) {
		t.Errorf("notices %q, want %q", notices, want)
	}
}

// A preview shows each .py step's SQL from Alembic's offline mode under
// the step's one `-- Running` comment, statement by statement with the
// revision's line; a revision that cannot render offline (it reads the
// database through op.get_bind()) gets a comment saying why in its place
// and a warning, and the rest still renders.
func TestPreview(t *testing.T) {
	dir := newProject(t, "postgresql://nobody@127.0.0.1:1/none", "", map[string]string{
		"a1.py": pyRevision("a1", "", `    op.execute("CREATE TABLE one (id integer)")`, ""),
		"b2.py": pyRevision("b2", "a1", `    rows = op.get_bind().execute(sa.text("SELECT id FROM one")).fetchall()`, ""),
		"c3.py": pyRevision("c3", "b2", `    op.add_column("one", sa.Column("name", sa.String(20)))`, ""),
	})
	plan, err := revisions.UpgradeOffline(loadVersions(t, dir), "heads")
	if err != nil {
		t.Fatal(err)
	}
	var warnings []string
	cfg := Config{Python: newLender(t, dir).python, Project: pyalembic.Project{Ini: dir + "/alembic.ini"},
		Warn: func(m string) { warnings = append(warnings, m) }}
	p, err := engine.PreviewPlan(plan, engine.DialectPostgres, engine.WithExecutor(models.FormatPython, New(cfg)))
	if err != nil {
		t.Fatal(err)
	}
	text := p.String()
	for _, id := range []string{"a1", "b2", "c3"} {
		if n := strings.Count(text, " -> "+id+"\n"); n != 1 {
			t.Errorf("%d `-- Running` comments for %s:\n%s", n, id, text)
		}
	}
	for _, want := range []string{"-- Running upgrade  -> a1\n\nCREATE TABLE one (id integer);\n",
		"-- Running upgrade a1 -> b2\n\n-- retort: no SQL: Alembic's offline mode cannot render this upgrade of revision b2: AttributeError:",
		"-- Running upgrade b2 -> c3\n\nALTER TABLE one ADD COLUMN name VARCHAR(20);\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("the preview lacks %q:\n%s", want, text)
		}
	}
	var a1 engine.PreviewItem
	for _, it := range p.Items {
		if it.Kind == engine.PreviewStatement && strings.HasPrefix(it.Text, "CREATE TABLE one") {
			a1 = it
		}
	}
	if !strings.HasSuffix(a1.Path, "a1.py") || a1.Line != 13 {
		t.Errorf("a1's statement is at %s:%d, want a1.py:13", a1.Path, a1.Line)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "b2.py: Alembic's offline mode cannot render revision b2") {
		t.Errorf("warnings %q", warnings)
	}
}

// Without a usable Python, or with an env.py that refuses offline mode,
// the plan is still shown: every .py step carries a comment saying why it
// has no SQL, and one warning says so (with no Python, how to point retort
// at the project's).
func TestPreviewWithoutSQL(t *testing.T) {
	files := map[string]string{
		"a1.py": pyRevision("a1", "", `    op.execute("CREATE TABLE one (id integer)")`, ""),
		"b2.py": pyRevision("b2", "a1", `    op.execute("CREATE TABLE two (id integer)")`, ""),
	}
	refusing := strings.Replace(readExampleEnv(t), "if context.is_offline_mode():\n    run_migrations_offline()",
		"if context.is_offline_mode():\n    raise SystemExit(\"this project has no offline mode\")", 1)
	noPython := func(context.Context) (*pyalembic.Driver, func(bool), error) {
		return nil, nil, errors.New("no Python found")
	}
	for _, c := range []struct {
		name, env, comment, warning string
		python                      func(*lender) func(context.Context) (*pyalembic.Driver, func(bool), error)
	}{
		{"no Python", "", "-- retort: no SQL: no usable Python to render them with Alembic's offline mode (no Python found); point retort at the project's Python with --python",
			"the SQL of the .py revisions is left out of the preview: no usable Python",
			func(*lender) func(context.Context) (*pyalembic.Driver, func(bool), error) { return noPython }},
		{"env.py refuses", refusing, "-- retort: no SQL: Alembic's offline mode cannot render this upgrade of revision a1: SystemExit: this project has no offline mode",
			"Alembic's offline mode cannot render the .py revisions (SystemExit: this project has no offline mode)",
			func(l *lender) func(context.Context) (*pyalembic.Driver, func(bool), error) { return l.python }},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := newProject(t, "sqlite:///nowhere.db", c.env, files)
			plan, err := revisions.UpgradeOffline(loadVersions(t, dir), "heads")
			if err != nil {
				t.Fatal(err)
			}
			var warnings []string
			cfg := Config{Python: c.python(newLender(t, dir)), Project: pyalembic.Project{Ini: dir + "/alembic.ini"},
				Warn: func(m string) { warnings = append(warnings, m) }}
			p, err := engine.PreviewPlan(plan, engine.DialectSQLite, engine.WithExecutor(models.FormatPython, New(cfg)))
			if err != nil {
				t.Fatal(err)
			}
			text := p.String()
			if !strings.Contains(text, "-- Running upgrade  -> a1\n\n"+c.comment) || strings.Count(text, "-- retort: no SQL") != 2 ||
				!strings.Contains(text, "INSERT INTO alembic_version (version_num) VALUES ('a1');") {
				t.Errorf("the preview:\n%s", text)
			}
			if len(warnings) != 1 || !strings.Contains(warnings[0], c.warning) {
				t.Errorf("warnings %q, want one with %q", warnings, c.warning)
			}
		})
	}
}
