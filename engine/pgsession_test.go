package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// TestEndSessionSparesStrangers: the check that settles a lost COMMIT
// terminates the session that sent it, and only that one. A live session
// that shares the recorded pid but not the rest of the identity (its start,
// the server's start, the server's address, the user) survives; the check
// goes on when the server restarted and refuses to conclude on another
// server. The session with the whole identity is terminated.
func TestEndSessionSparesStrangers(t *testing.T) {
	ctx := context.Background()
	target := pgtestDatabase(t)
	db := open(t, target)
	main := db.conn.(*pgConn)
	stranger := newRole(t, target)

	shift := func(f func(id *backendID)) func(backendID) backendID {
		return func(id backendID) backendID { f(&id); return id }
	}
	cases := []struct {
		name    string
		url     string
		lost    func(backendID) backendID
		wantErr string
	}{
		{"another session start", target, shift(func(id *backendID) {
			st := id.started.Add(-time.Second)
			id.started = &st
		}), ""},
		{"the server restarted", target, shift(func(id *backendID) { id.server = id.server.Add(-time.Hour) }), ""},
		{"another server", target, shift(func(id *backendID) { id.addr = "192.0.2.1:5432" }),
			"the check reached the server at " + main.id.addr + ", not the one the COMMIT was sent to (192.0.2.1:5432)"},
		{"another user", stranger, func(id backendID) backendID { return id }, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			victim := connectVictim(t, c.url)
			lost := &pgConn{cfg: main.cfg, id: c.lost(victim.id)}
			check, err := lost.Checking(ctx)
			if c.wantErr == "" && err != nil || c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)) {
				t.Fatalf("checking returned %v, want error %q", err, c.wantErr)
			}
			if check != nil {
				check.Close(ctx)
			}
			if _, err := victim.conn.Exec(ctx, "SELECT 1"); err != nil {
				t.Fatalf("the session with pid %d was hit: %v", victim.id.pid, err)
			}
		})
	}
	t.Run("the session itself", func(t *testing.T) {
		victim := connectVictim(t, target)
		lost := &pgConn{cfg: main.cfg, id: victim.id}
		check, err := lost.Checking(ctx)
		if err != nil {
			t.Fatalf("checking: %v", err)
		}
		check.Close(ctx)
		if _, err := victim.conn.Exec(ctx, "SELECT 1"); err == nil {
			t.Fatal("the session that sent the COMMIT is still alive after the check")
		}
	})
}

// connectVictim opens a session that a check may wrongly terminate.
func connectVictim(t *testing.T, target string) *pgConn {
	t.Helper()
	ctx := context.Background()
	cfg, err := parsePostgres(target, "retort-victim")
	if err != nil {
		t.Fatal(err)
	}
	c, err := connectPostgres(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(ctx) })
	if c.id.started == nil {
		t.Fatal("the session's backend_start was not read")
	}
	return c
}

// newRole creates a login role for the test and returns target's URL
// with that user.
func newRole(t *testing.T, target string) string {
	t.Helper()
	p := newProbe(t, target)
	name := fmt.Sprintf("retort_stranger_%d_%d", osPid(), time.Now().UnixNano())
	p.exec("CREATE ROLE " + name + " LOGIN")
	t.Cleanup(func() { p.exec("DROP ROLE " + name) })
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.User(name)
	return u.String()
}

// TestServerErrorSeverity: an ERROR keeps the session and rolls the
// transaction back, whatever language the server speaks; a FATAL or a lost
// connection does not say what became of a COMMIT. The server of the tests
// has no locale but C, so the translated severities are built by hand, as
// a German server (lc_messages = de_DE) sends them.
func TestServerErrorSeverity(t *testing.T) {
	victim := connectVictim(t, pgtestDatabase(t))
	_, real := victim.conn.Exec(context.Background(), "SELECT 1/0")
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"an ERROR from the server", real, true},
		{"a German ERROR", &pgconn.PgError{Severity: "FEHLER", SeverityUnlocalized: "ERROR", Code: "22012"}, true},
		{"a German FATAL", &pgconn.PgError{Severity: "FATAL", SeverityUnlocalized: "FATAL", Code: "57P01"}, false},
		{"a server before 9.6", &pgconn.PgError{Severity: "ERROR", Code: "22012"}, true},
		{"an unknown severity (a German server before 9.6): not trusted, the COMMIT is checked", &pgconn.PgError{Severity: "FEHLER", Code: "22012"}, false},
		{"a wrapped ERROR", fmt.Errorf("x: %w", &pgconn.PgError{Severity: "ERREUR", SeverityUnlocalized: "ERROR"}), true},
		{"a lost connection", io.ErrUnexpectedEOF, false},
	}
	for _, c := range cases {
		if got := isServerError(c.err); got != c.want {
			t.Errorf("%s (%v): isServerError %v, want %v", c.name, c.err, got, c.want)
		}
	}
	var pe *pgconn.PgError
	if !errors.As(real, &pe) || pe.SeverityUnlocalized != "ERROR" {
		t.Errorf("the server's error %#v has no unlocalized severity ERROR", real)
	}
}
