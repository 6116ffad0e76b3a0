// Package pgtest gives tests a real PostgreSQL: the server named by
// RETORT_TEST_DATABASE_URL when it is set, otherwise a throwaway server that
// Main starts with initdb and pg_ctl in a temporary directory (as the
// postgres system user when running as root) and removes when the tests end.
// Each test gets a fresh, uniquely named database from NewDatabase.
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
//
// PostgreSQL missing is a failure, not a skip: the message says how to
// install it.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvURL names the environment variable holding the server's URL. Main sets
// it for the test process (and so for the subprocesses tests start) when it
// starts a server itself.
const EnvURL = "RETORT_TEST_DATABASE_URL"

// Main runs the package's tests against the server of RETORT_TEST_DATABASE_URL,
// or against a throwaway server it starts and stops. It returns the exit
// code for os.Exit.
func Main(m *testing.M) int {
	if os.Getenv(EnvURL) != "" {
		return m.Run()
	}
	srv, err := Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, "pgtest:", err)
		return 1
	}
	code := func() int {
		defer srv.Stop()
		os.Setenv(EnvURL, srv.URL)
		defer os.Unsetenv(EnvURL)
		return m.Run()
	}()
	return code
}

// ServerURL is the URL of the test server (its maintenance database).
func ServerURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvURL)
	if u == "" {
		t.Fatalf("pgtest: %s is not set: call os.Exit(pgtest.Main(m)) from TestMain, or point %s at a PostgreSQL server", EnvURL, EnvURL)
	}
	return u
}

// NewDatabase creates a database with a unique name (the process id and a
// random suffix, so parallel test binaries never collide), drops it when the
// test ends, and returns its URL.
func NewDatabase(t testing.TB) string {
	t.Helper()
	base := ServerURL(t)
	name := uniqueName()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := admin(ctx, base, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("pgtest: creating database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := admin(ctx, base, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: dropping database %s: %v", name, err)
		}
	})
	u, err := withDatabase(base, name)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return u
}

// uniqueName is a database name no other test process uses.
func uniqueName() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return fmt.Sprintf("retort_test_%d_%s", os.Getpid(), hex.EncodeToString(b))
}

// admin runs one statement on the server's maintenance database.
func admin(ctx context.Context, serverURL, sql string) error {
	conn, err := pgx.Connect(ctx, serverURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, sql)
	return err
}

// withDatabase replaces the database of a postgres:// URL.
func withDatabase(serverURL, name string) (string, error) {
	u, err := url.Parse(serverURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", fmt.Errorf("%s must be a postgres:// URL", EnvURL)
	}
	u.Path = "/" + name
	u.RawPath = ""
	// A dbname parameter would win over the path.
	q := u.Query()
	if q.Has("dbname") {
		q.Del("dbname")
		u.RawQuery = q.Encode()
	}
	return u.String(), nil
}
