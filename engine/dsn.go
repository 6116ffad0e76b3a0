package engine

import (
	"fmt"
	"strings"
)

// Dialect names, as Dialect returns them and DryRun accepts them.
const (
	DialectPostgres = "postgresql"
	DialectSQLite   = "sqlite"
)

// target is a parsed database URL.
type target struct {
	dialect string
	// dsn is what the driver receives: a postgresql:// URL for pgx; the
	// file path for SQLite ("" for an in-memory database).
	dsn string
}

// parseURL understands `postgres://` and `postgresql://` URLs (also
// SQLAlchemy's `postgresql+psycopg2://` forms: the driver part is dropped)
// and SQLite as `sqlite:PATH`, `sqlite:///relative.db`,
// `sqlite:////absolute.db`, `sqlite://` (in memory, as in SQLAlchemy).
func parseURL(raw string) (target, error) {
	colon := strings.IndexByte(raw, ':')
	if colon <= 0 {
		return target{}, fmt.Errorf("database URL %q has no scheme: use postgres://user@host/db or sqlite:PATH", MaskURL(raw))
	}
	scheme := strings.ToLower(raw[:colon])
	if plus := strings.IndexByte(scheme, '+'); plus >= 0 {
		scheme = scheme[:plus] // SQLAlchemy's dialect+driver
	}
	rest := raw[colon+1:]
	switch scheme {
	case "postgres", "postgresql":
		if !strings.HasPrefix(rest, "//") {
			return target{}, fmt.Errorf("database URL %q: expected %s://user@host/db", MaskURL(raw), scheme)
		}
		return target{dialect: DialectPostgres, dsn: "postgresql:" + rest}, nil
	case "sqlite":
		path, err := sqlitePath(rest)
		if err != nil {
			return target{}, fmt.Errorf("database URL %q: %w", MaskURL(raw), err)
		}
		return target{dialect: DialectSQLite, dsn: path}, nil
	}
	return target{}, fmt.Errorf("database URL %q: unsupported scheme %q (retort speaks postgres:// and sqlite:)", MaskURL(raw), scheme)
}

// sqlitePath extracts the file path of a SQLite URL after `sqlite:`.
func sqlitePath(rest string) (string, error) {
	if strings.ContainsAny(rest, "?#") {
		return "", fmt.Errorf("query parameters are not supported in a SQLite URL")
	}
	switch {
	case strings.HasPrefix(rest, "///"):
		rest = rest[3:] // sqlite:///rel.db, sqlite:////abs.db
	case rest == "//":
		rest = ""
	case strings.HasPrefix(rest, "//"):
		return "", fmt.Errorf("a SQLite URL has no host: write sqlite:///relative.db or sqlite:////absolute.db")
	}
	if rest == ":memory:" {
		rest = ""
	}
	return rest, nil
}

// SQLiteFile returns the file a SQLite database URL names, as Open reads
// it; ok is false for any other URL, for an in-memory database and for a
// URL Open refuses (and reports).
func SQLiteFile(url string) (path string, ok bool) {
	t, err := parseURL(url)
	if err != nil || t.dialect != DialectSQLite || t.dsn == "" {
		return "", false
	}
	return t.dsn, true
}
