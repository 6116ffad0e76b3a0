package engine

import (
	"fmt"
	"strings"

	"retort/engine/internal/secret"
)

// target is a parsed database URL.
type target struct {
	dialect dialect
	// dsn is what the dialect opens: a postgresql:// URL for pgx; the
	// file path for SQLite ("" for an in-memory database).
	dsn string
}

// splitScheme cuts a URL into its scheme, lower-cased and without
// SQLAlchemy's +driver part, and the rest after the colon.
func splitScheme(raw string) (scheme, rest string, ok bool) {
	colon := strings.IndexByte(raw, ':')
	if colon <= 0 {
		return "", "", false
	}
	scheme = strings.ToLower(raw[:colon])
	if plus := strings.IndexByte(scheme, '+'); plus >= 0 {
		scheme = scheme[:plus] // SQLAlchemy's dialect+driver
	}
	return scheme, raw[colon+1:], true
}

// dialectOfScheme finds the database whose scheme this is.
func dialectOfScheme(scheme string) (dialect, bool) {
	for _, d := range knownDialects() {
		for _, s := range d.schemes() {
			if s == scheme {
				return d, true
			}
		}
	}
	return nil, false
}

// parseURL reads a database URL, in any form a dialect takes (see each
// dialect's parse). Errors show the URL with its password masked.
func parseURL(raw string) (target, error) {
	scheme, rest, ok := splitScheme(raw)
	if !ok {
		return target{}, fmt.Errorf("database URL %q has no scheme: use %s", MaskURL(raw), urlForms(0, " or "))
	}
	if secret.UnencodedAt(raw) {
		// pgx would end the password at its first '@' and take the rest
		// for the host: the URL cannot mean what it says, and the
		// connection error would quote part of the password.
		return target{}, fmt.Errorf("database URL %q: its password holds an '@' that is not percent-encoded: write it as %%40", MaskURL(raw))
	}
	d, ok := dialectOfScheme(scheme)
	if !ok {
		return target{}, fmt.Errorf("database URL %q: unsupported scheme %q (retort speaks %s)", MaskURL(raw), scheme, urlForms(1, " and "))
	}
	dsn, err := d.parse(scheme, rest)
	if err != nil {
		return target{}, fmt.Errorf("database URL %q: %w", MaskURL(raw), err)
	}
	return target{dialect: d, dsn: dsn}, nil
}

// urlForms lists the dialects' URL examples (which 0) or schemes (1), the
// last two joined by last.
func urlForms(which int, last string) string {
	var forms []string
	for _, d := range knownDialects() {
		example, scheme := d.urlForms()
		forms = append(forms, []string{example, scheme}[which])
	}
	return joinLast(forms, last)
}

// joinLast joins items with ", ", the last two with last (" or ").
func joinLast(items []string, last string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + last + items[len(items)-1]
}

// DialectOf tells which database a URL names (DialectPostgres or
// DialectSQLite) without connecting, for dry runs that need no database.
func DialectOf(url string) (string, error) {
	t, err := parseURL(url)
	if err != nil {
		return "", err
	}
	return t.dialect.name(), nil
}

// dialectNamed finds a dialect by its name or one of its schemes.
func dialectNamed(name string) (dialect, error) {
	if d, ok := dialectOfScheme(name); ok {
		return d, nil
	}
	var names []string
	for _, d := range knownDialects() {
		if d.name() == name {
			return d, nil
		}
		names = append(names, fmt.Sprintf("%q", d.name()))
	}
	return nil, fmt.Errorf("unknown dialect %q: want %s", name, joinLast(names, " or "))
}
