package engine

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"retort/engine/internal/secret"
	"retort/models"
)

func TestMaskURL(t *testing.T) {
	cases := []struct{ in, want string }{
		{"postgres://alice:s3cret@db.example:5432/app", "postgres://alice:xxxxx@db.example:5432/app"},
		{"postgresql+psycopg2://alice:p%40ss%2Fw@db/app?sslmode=require", "postgresql+psycopg2://alice:xxxxx@db/app?sslmode=require"},
		{"postgres://alice:p@ss/w@db/app", "postgres://alice:xxxxx@db/app"},
		{"postgres://alice@db/app?password=s3cret&sslmode=disable", "postgres://alice@db/app?password=xxxxx&sslmode=disable"},
		{"postgres://db/app?sslpassword=k3y&pass%77ord=s3cret", "postgres://db/app?sslpassword=xxxxx&pass%77ord=xxxxx"},
		{"host=db user=alice password=s3cret dbname=app", "host=db user=alice password=xxxxx dbname=app"},
		{"host=db password='s3 cret' dbname=app", "host=db password=xxxxx dbname=app"},
		{"postgres://alice@db:5432/app?application_name=me@example.com", "postgres://alice@db:5432/app?application_name=me@example.com"},
		{"postgres://db:5432/app", "postgres://db:5432/app"},
		{"sqlite:///rel.db", "sqlite:///rel.db"},
		{"failed to connect to postgres://bob:hunter22@10.0.0.1/x: refused", "failed to connect to postgres://bob:xxxxx@10.0.0.1/x: refused"},
	}
	for _, c := range cases {
		if got := MaskURL(c.in); got != c.want {
			t.Errorf("MaskURL(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestPasswordNeverShown opens databases that fail in several ways with a
// password in the URL and checks that no error and no Redacted URL shows it.
func TestPasswordNeverShown(t *testing.T) {
	const secret = "Sup3r-Secr3t"
	server := pgtestDatabase(t)
	// A database that does not exist on the real server: pgx's error names
	// the user and database of the connection.
	noDB := strings.Replace(server, "postgres://postgres@", "postgres://postgres:"+secret+"@", 1)
	noDB = noDB[:strings.LastIndex(noDB, "/")] + "/no_such_db?sslmode=disable"
	urls := []string{
		"postgres://alice:" + secret + "@127.0.0.1:1/app?sslmode=disable&connect_timeout=2", // refused
		"postgresql+asyncpg://alice:" + secret + "@127.0.0.1:1/app?sslmode=disable",
		"postgres://alice:" + secret + "@127.0.0.1:1/app?sslmode=nonsense",         // bad parameter
		"postgres://alice:" + secret + "@[::1/app",                                 // unparsable
		"postgres://alice@127.0.0.1:1/app?password=" + secret + "&sslmode=disable", // password parameter
		"mysql://alice:" + secret + "@127.0.0.1/app",                               // unsupported
		noDB,
	}
	for _, u := range urls {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		db, err := Open(ctx, u)
		cancel()
		if err == nil {
			db.Close()
			t.Errorf("Open(%s) succeeded", MaskURL(u))
			continue
		}
		if strings.Contains(err.Error(), secret) || strings.Contains(strings.ToLower(err.Error()), strings.ToLower(secret)) {
			t.Errorf("the error of Open shows the password: %v", err)
		}
		if strings.Contains(MaskURL(u), secret) {
			t.Errorf("MaskURL shows the password: %s", MaskURL(u))
		}
	}
	// A working connection with a password (trust authentication accepts
	// any): Redacted and every event hide it.
	withPw := strings.Replace(server, "postgres://postgres@", "postgres://postgres:"+secret+"@", 1)
	db := open(t, withPw)
	if strings.Contains(db.Redacted(), secret) || !strings.Contains(db.Redacted(), "postgres:xxxxx@") {
		t.Errorf("Redacted() = %q", db.Redacted())
	}
	if db.Dialect() != DialectPostgres {
		t.Errorf("Dialect() = %q", db.Dialect())
	}
}

func TestParseURL(t *testing.T) {
	cases := []struct{ in, dialect, dsn, err string }{
		{"postgres://u@h/db", DialectPostgres, "postgresql://u@h/db", ""},
		{"postgresql://u@h/db?sslmode=disable", DialectPostgres, "postgresql://u@h/db?sslmode=disable", ""},
		{"postgresql+psycopg2://u:pw@h/db", DialectPostgres, "postgresql://u:pw@h/db", ""},
		{"POSTGRESQL+asyncpg://u@h/db", DialectPostgres, "postgresql://u@h/db", ""},
		{"sqlite:///rel.db", DialectSQLite, "rel.db", ""},
		{"sqlite:////abs/x.db", DialectSQLite, "/abs/x.db", ""},
		{"sqlite:rel/x.db", DialectSQLite, "rel/x.db", ""},
		{"sqlite:/abs/x.db", DialectSQLite, "/abs/x.db", ""},
		{"sqlite+pysqlite:///x.db", DialectSQLite, "x.db", ""},
		{"sqlite://", DialectSQLite, "", ""},
		{"sqlite:///:memory:", DialectSQLite, "", ""},
		{"sqlite://host/x.db", "", "", "a SQLite URL has no host"},
		{"sqlite:///x.db?mode=ro", "", "", "query parameters are not supported"},
		{"postgres:db", "", "", "expected postgres://user@host/db"},
		{"mysql://u@h/db", "", "", `unsupported scheme "mysql"`},
		{"just-a-path.db", "", "", "has no scheme"},
	}
	for _, c := range cases {
		got, err := parseURL(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("parseURL(%q) error %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || got.dialect.name() != c.dialect || got.dsn != c.dsn {
			t.Errorf("parseURL(%q) = %+v, %v; want %s %q", c.in, got, err, c.dialect, c.dsn)
		}
	}
}

// TestSQLiteURLForms opens a file through the SQLAlchemy URL forms and an
// in-memory database.
func TestSQLiteURLForms(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for _, u := range []string{"sqlite:///rel.db", "sqlite:////" + strings.TrimPrefix(dir, "/") + "/rel.db", "sqlite:rel.db"} {
		db := open(t, u)
		if err := db.Apply(context.Background(), &models.Plan{}, nil); err != nil {
			t.Fatalf("%s: %v", u, err)
		}
		if db.Dialect() != DialectSQLite || db.Redacted() != u {
			t.Errorf("%s: dialect %q redacted %q", u, db.Dialect(), db.Redacted())
		}
	}
	p := newProbe(t, "sqlite:"+dir+"/rel.db")
	if !p.tableExists("alembic_version") {
		t.Error("the three URLs did not reach rel.db")
	}
	mem := open(t, "sqlite://")
	if err := mem.Apply(context.Background(), stampPlan(nil, "m1"), nil); err != nil {
		t.Fatal(err)
	}
	if rows, err := mem.Current(context.Background()); err != nil || len(rows) != 1 || rows[0] != "m1" {
		t.Errorf("in-memory Current = %v, %v", rows, err)
	}
}

// TestMaskError: whatever a driver puts in its message, the password of the
// URL does not come out, in any of its encodings.
func TestMaskError(t *testing.T) {
	url := "postgres://alice:p%40ss-w0rd@db/app"
	for _, msg := range []string{
		"server said: password p@ss-w0rd rejected",
		"dsn host=db password=p@ss-w0rd",
		"url postgres://alice:p%40ss-w0rd@db/app refused",
		"escaped p%40ss-w0rd",
	} {
		err := secret.Error(errors.New(msg), secret.Of(url))
		if strings.Contains(err.Error(), "ss-w0rd") {
			t.Errorf("secret.Error(%q) = %q", msg, err)
		}
		if errors.Unwrap(err).Error() != msg {
			t.Errorf("maskError lost the driver's error")
		}
	}
}
