package engine

import (
	"context"
	"fmt"
	"hash/fnv"
	"time"

	sq "github.com/Masterminds/squirrel"

	"retort/engine/internal/tables"
)

// pgLocker is a session advisory lock on the dedicated connection. It is
// taken with pg_try_advisory_lock in autocommit and polled by the caller,
// never with a blocking pg_advisory_lock: a waiter blocked inside the
// database holds a snapshot that `CREATE INDEX CONCURRENTLY` in the holder
// would wait for, and the two would deadlock.
type pgLocker struct {
	c *pgConn
	// table is the version table as configured (schema "": found on the
	// search path).
	table tables.Ref
	// held is the key of the lock while this session holds it.
	held    int64
	holding bool
}

// key is the lock key of the version table. The key names the schema the
// table really lives in, so that a runner given the schema explicitly and
// one relying on search_path take the same lock: without a configured
// schema, that is the schema of the table the search path finds (what every
// statement on the table will use), or, while there is no such table, the
// schema it will be created in (current_schema()). It is looked up at each
// use, since the table may appear between two runs.
func (l *pgLocker) key(ctx context.Context) (int64, error) {
	if l.table.Schema != "" {
		return advisoryKey(l.table.Schema, l.table.Name), nil
	}
	found := sq.Select("n.nspname::text").
		From("pg_catalog.pg_class c").
		Join("pg_catalog.pg_namespace n ON n.oid = c.relnamespace").
		Where(sq.Eq{"c.relname": l.table.Name, "c.relkind": tableKinds}).
		Where("pg_catalog.pg_table_is_visible(c.oid)").
		Limit(1)
	q := sq.Select().Column(sq.Expr("coalesce((?), current_schema()::text, '')", found))
	sql, args, err := tables.Render(q, sq.Dollar)
	if err != nil {
		return 0, err
	}
	var schema string
	if err := l.c.conn.QueryRow(ctx, sql, args...).Scan(&schema); err != nil {
		return 0, fmt.Errorf("finding the schema of %s: %w", l.table.SQL(), err)
	}
	return advisoryKey(schema, l.table.Name), nil
}

// advisoryKey derives the lock key from the schema and the name of the
// version table, so that runners on the same table exclude each other and
// runners on different tables of one database do not.
func advisoryKey(schema, table string) int64 {
	h := fnv.New64a()
	h.Write([]byte("retort\x00" + schema + "\x00" + table))
	return int64(h.Sum64())
}

func (l *pgLocker) tryLock(ctx context.Context) (bool, error) {
	key, err := l.key(ctx)
	if err != nil {
		return false, err
	}
	sql, args, err := tables.Render(sq.Expr("SELECT pg_catalog.pg_try_advisory_lock(?)", key), sq.Dollar)
	if err != nil {
		return false, err
	}
	var ok bool
	if err := l.c.conn.QueryRow(ctx, sql, args...).Scan(&ok); err != nil || !ok {
		return false, err
	}
	l.held, l.holding = key, true
	return true, nil
}

// unlock releases the key that was taken, even if the table has moved
// since.
func (l *pgLocker) unlock(ctx context.Context) error {
	if !l.holding {
		return nil
	}
	l.holding = false
	sql, args, err := tables.Render(sq.Expr("SELECT pg_catalog.pg_advisory_unlock(?)", l.held), sq.Dollar)
	if err != nil {
		return err
	}
	var ok bool
	if err := l.c.conn.QueryRow(ctx, sql, args...).Scan(&ok); err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("the advisory lock %d was not held by this session", l.held)
	}
	return nil
}

// holder finds the session holding the advisory lock: a bigint key is
// stored in pg_locks as classid (high 32 bits), objid (low 32 bits) and
// objsubid 1, in the current database. pg_locks shows every session's locks
// to everyone; pg_stat_activity hides most of a session of another role
// (backend_start, client_addr, client_port, backend_type are NULL) unless
// this role has pg_read_all_stats, so the description says when that is
// why the client is unknown.
func (l *pgLocker) holder(ctx context.Context) (string, error) {
	key := l.held
	if !l.holding {
		var err error
		if key, err = l.key(ctx); err != nil {
			return "", err
		}
	}
	q := sq.Select("l.pid", "a.application_name", "a.usename::text", "host(a.client_addr)", "a.client_port",
		"a.backend_type", "a.backend_start").
		From("pg_catalog.pg_locks l").
		LeftJoin("pg_catalog.pg_stat_activity a ON a.pid = l.pid").
		Where(sq.Eq{"l.locktype": "advisory", "l.objsubid": 1, "l.classid": uint32(uint64(key) >> 32), "l.objid": uint32(uint64(key))}).
		Where("l.granted").
		Where("l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())")
	sql, args, err := tables.Render(q, sq.Dollar)
	if err != nil {
		return "", err
	}
	var s lockSession
	found := false
	err = l.c.Query(ctx, sql, args, func(scan func(...any) error) error {
		found = true
		return scan(&s.pid, &s.app, &s.user, &s.addr, &s.port, &s.backendType, &s.since)
	})
	if err != nil || !found {
		return "", err
	}
	return s.describe(), nil
}

// lockSession is what pg_locks and pg_stat_activity tell of the session
// holding the lock; the pointers are NULL columns.
type lockSession struct {
	pid                          *int32
	app, user, addr, backendType *string
	port                         *int32
	since                        *time.Time
}

// describe is `pid 123 (application_name "retort", user "app", from
// 10.0.0.5, connected since ...)`.
func (s lockSession) describe() string {
	if s.pid == nil {
		return "a prepared transaction"
	}
	desc := fmt.Sprintf("pid %d (application_name %q, user %q, %s", *s.pid, deref(s.app), deref(s.user), s.client())
	if s.since != nil {
		desc += ", connected since " + s.since.UTC().Format("2006-01-02 15:04:05 UTC")
	}
	return desc + ")"
}

// client says where the session connected from. pg_stat_activity shows a
// NULL client_addr both for a Unix socket (client_port is then -1) and for
// a session it hides from this role (client_port and backend_type are then
// NULL too), which must not be taken for a local connection.
func (s lockSession) client() string {
	switch {
	case s.addr != nil:
		return "from " + *s.addr
	case s.port != nil && *s.port == -1:
		return "from a local socket"
	case s.backendType == nil:
		return "client not visible to this role (that needs pg_read_all_stats)"
	}
	return "no client: " + *s.backendType
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
