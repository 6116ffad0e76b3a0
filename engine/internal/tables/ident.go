package tables

import (
	"fmt"
	"strings"
)

// reservedWords are SQL keywords that PostgreSQL or SQLite reserve; an
// identifier spelled like one is quoted, as SQLAlchemy does.
var reservedWords = map[string]bool{
	"all": true, "analyse": true, "analyze": true, "and": true, "any": true,
	"array": true, "as": true, "asc": true, "asymmetric": true,
	"authorization": true, "between": true, "binary": true, "both": true,
	"case": true, "cast": true, "check": true, "collate": true,
	"collation": true, "column": true, "concurrently": true,
	"constraint": true, "create": true, "cross": true, "current_catalog": true,
	"current_date": true, "current_role": true, "current_schema": true,
	"current_time": true, "current_timestamp": true, "current_user": true,
	"default": true, "deferrable": true, "delete": true, "desc": true,
	"distinct": true, "do": true, "drop": true, "else": true, "end": true,
	"escape": true, "except": true, "exists": true, "false": true,
	"fetch": true, "for": true, "foreign": true, "freeze": true, "from": true,
	"full": true, "grant": true, "group": true, "having": true, "ilike": true,
	"in": true, "index": true, "initially": true, "inner": true,
	"insert": true, "intersect": true, "into": true, "is": true,
	"isnull": true, "join": true, "lateral": true, "leading": true,
	"left": true, "like": true, "limit": true, "localtime": true,
	"localtimestamp": true, "natural": true, "not": true, "notnull": true,
	"null": true, "offset": true, "on": true, "only": true, "or": true,
	"order": true, "outer": true, "overlaps": true, "placing": true,
	"primary": true, "references": true, "returning": true, "right": true,
	"select": true, "session_user": true, "set": true, "similar": true,
	"some": true, "symmetric": true, "table": true, "tablesample": true,
	"then": true, "to": true, "trailing": true, "true": true, "union": true,
	"unique": true, "update": true, "user": true, "using": true,
	"values": true, "variadic": true, "verbose": true, "when": true,
	"where": true, "window": true, "with": true,
}

// QuoteIdent renders an identifier the way SQLAlchemy does: as is when it is
// a plain lower-case name, double-quoted (quotes doubled) otherwise.
func QuoteIdent(name string) string {
	if isPlainIdent(name) && !reservedWords[name] {
		return name
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

func isPlainIdent(name string) bool {
	if name == "" {
		return false
	}
	for i, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r == '_':
		case (r >= '0' && r <= '9') || r == '$':
			if i == 0 {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// checkIdent rejects names retort cannot use safely. A '?' would be taken
// for a placeholder by the statement builder; NUL cannot be sent at all.
func checkIdent(kind, name string) error {
	if strings.ContainsAny(name, "?\x00") {
		return fmt.Errorf("%s name %q must not contain '?' or NUL", kind, name)
	}
	return nil
}

// QuoteLiteral renders a string literal, quotes doubled (standard SQL, and
// PostgreSQL's standard_conforming_strings, on by default since 9.1).
func QuoteLiteral(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// Ref is a possibly schema-qualified table.
type Ref struct {
	Schema, Name string
}

// SQL is the quoted, qualified name.
func (t Ref) SQL() string {
	if t.Schema == "" {
		return QuoteIdent(t.Name)
	}
	return QuoteIdent(t.Schema) + "." + QuoteIdent(t.Name)
}

// Col is a column qualified by the table, as SQLAlchemy writes it in WHERE
// clauses (`alembic_version.version_num`).
func (t Ref) Col(name string) string {
	return t.SQL() + "." + QuoteIdent(name)
}

// Check refuses a name retort cannot use.
func (t Ref) Check() error {
	if t.Name == "" {
		return fmt.Errorf("empty table name")
	}
	if err := checkIdent("schema", t.Schema); err != nil {
		return err
	}
	return checkIdent("table", t.Name)
}
