package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"retort/engine/step"
)

// backendID identifies a PostgreSQL server session beyond its pid, which
// the server hands to a new session once the old one has exited: after a
// restart, behind a pooler or on another host of a multi-host URL, the pid
// alone may name a stranger's session.
type backendID struct {
	pid int32
	// started is the session's pg_stat_activity.backend_start; nil when
	// the server did not show it.
	started *time.Time
	// server is pg_postmaster_start_time(), which changes when the server
	// restarts, and addr the address and port the session reached it at
	// ("" on a Unix socket).
	server time.Time
	addr   string
}

// identifySQL reads who a session is, in the one query a connection costs.
const identifySQL = `SELECT current_user::text, pg_catalog.pg_backend_pid(),
  (SELECT backend_start FROM pg_catalog.pg_stat_activity WHERE pid = pg_catalog.pg_backend_pid()),
  pg_catalog.pg_postmaster_start_time(),
  coalesce(host(pg_catalog.inet_server_addr()), '') || ':' || coalesce(pg_catalog.inet_server_port()::text, '')`

// identify reads the session's user and identity.
func (c *pgConn) identify(ctx context.Context) error {
	err := c.conn.QueryRow(ctx, identifySQL).Scan(&c.dbUser, &c.id.pid, &c.id.started, &c.id.server, &c.id.addr)
	if err != nil {
		return fmt.Errorf("identifying the session: %w", err)
	}
	return nil
}

// sessionOf matches the session of a backendID in pg_stat_activity: its pid,
// its start and the user of the session looking (a session of another role
// is never touched).
const sessionOf = "pid = $1 AND backend_start = $2 AND usename = current_user"

// checking opens a second connection to read the version table after a
// COMMIT whose outcome the first one lost. The first session may still be
// executing that COMMIT on the server, so it is ended first
// (pg_terminate_backend: it has then either committed or rolled back) and
// waited for; only then does the version table tell the outcome.
func (c *pgConn) Checking(ctx context.Context) (step.Session, error) {
	check, err := connectPostgres(ctx, c.cfg)
	if err != nil {
		return nil, err
	}
	if err := check.endSession(ctx, c.id); err != nil {
		check.Close(ctx)
		return nil, err
	}
	return check, nil
}

// endSession ends the session old, seen from c, and waits until it has
// exited. A session is terminated only when it is certainly old: same
// server, same start, same user.
func (c *pgConn) endSession(ctx context.Context, old backendID) error {
	switch {
	case old.addr != c.id.addr:
		return fmt.Errorf("the check reached the server at %s, not the one the COMMIT was sent to (%s): it cannot tell whether that COMMIT ran", c.id.addr, old.addr)
	case !old.server.Equal(c.id.server):
		// The server restarted since: the session went with it.
		return nil
	case old.started == nil:
		return errors.New("the session that sent the COMMIT could not be identified, so it could not be ended")
	}
	// Terminating a session of one's own role needs no privilege; if it is
	// refused anyway, the wait below still applies.
	_, _ = c.conn.Exec(ctx, "SELECT pg_catalog.pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity WHERE "+sessionOf,
		old.pid, *old.started)
	for {
		var alive bool
		err := c.conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_stat_activity WHERE "+sessionOf+")",
			old.pid, *old.started).Scan(&alive)
		if err != nil {
			return fmt.Errorf("waiting for session %d to end: %w", old.pid, err)
		}
		if !alive {
			return nil
		}
		if err := sleep(ctx, 20*time.Millisecond); err != nil {
			return fmt.Errorf("session %d, which sent the COMMIT, is still running: %w", old.pid, err)
		}
	}
}

// identity reads the database and the cluster the connection reaches.
func (c *pgConn) identity(ctx context.Context) (step.Identity, error) {
	id := step.Identity{Dialect: DialectPostgres}
	err := c.conn.QueryRow(ctx, "SELECT current_database()::text, (SELECT system_identifier::text FROM pg_catalog.pg_control_system())").
		Scan(&id.Database, &id.SystemIdentifier)
	if err != nil {
		return id, fmt.Errorf("reading which database the connection reaches: %w", err)
	}
	return id, nil
}

// lend ends the server session that sent the lost COMMIT, as Checking ends
// the DB's own, and lends the DB's connection (which the run does not use
// while an executor's session runs a step) to read the version table.
func (c *pgConn) lend(ctx context.Context, sent *step.ServerSession) (step.Session, error) {
	if sent != nil {
		old := backendID{pid: sent.PID, started: sent.Started, server: sent.ServerStarted, addr: sent.Addr}
		if err := c.endSession(ctx, old); err != nil {
			return nil, err
		}
	}
	return pgView{c}, nil
}

// pgView is the DB's own PostgreSQL connection lent to an executor;
// closing it leaves the connection open.
type pgView struct{ *pgConn }

func (pgView) Close(context.Context) error { return nil }
