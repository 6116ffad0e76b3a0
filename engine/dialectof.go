package engine

// DialectOf tells which database a URL names (DialectPostgres or
// DialectSQLite) without connecting, for dry runs that need no database.
func DialectOf(url string) (string, error) {
	t, err := parseURL(url)
	if err != nil {
		return "", err
	}
	return t.dialect, nil
}
