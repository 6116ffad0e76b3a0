package pyexec

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	sq "github.com/Masterminds/squirrel"
)

// The engine builds its statements with the placeholders of the dialect's
// own connection (PostgreSQL's $1, SQLite's ?), so that they are the same
// text whichever session runs them. The driver executes them through the
// DBAPI of the project's Python: sqlite3 takes ? as they are; psycopg2
// takes %s, and formats the whole statement with Python's % operator when
// it is given arguments.

// placeholder is the format of the engine's statements on dialect.
func placeholder(dialect string) sq.PlaceholderFormat {
	if dialect == dialectPostgres {
		return sq.Dollar
	}
	return sq.Question
}

// dbapiStatement turns a statement of the engine into the DBAPI's form on
// dialect: on PostgreSQL, with arguments, each $N (outside quotes) becomes
// %s with the arguments in that order, and every % is doubled, as psycopg2
// expects; without arguments psycopg2 formats nothing and the text stays as
// it is. Times are sent as text in the form the engine's own driver writes
// (a PostgreSQL literal, or modernc's text on SQLite).
func dbapiStatement(dialect, sql string, args []any) (string, []any, error) {
	vals := make([]any, len(args))
	for i, a := range args {
		v, err := dbapiValue(dialect, a)
		if err != nil {
			return "", nil, fmt.Errorf("argument %d of %.200q: %w", i+1, sql, err)
		}
		vals[i] = v
	}
	if dialect != dialectPostgres || len(args) == 0 {
		return sql, vals, nil
	}
	return pyformat(sql, vals)
}

// pyformat rewrites $N placeholders to psycopg2's %s.
func pyformat(sql string, args []any) (string, []any, error) {
	var b strings.Builder
	out := make([]any, 0, len(args))
	var quote byte
	for i := 0; i < len(sql); i++ {
		c := sql[i]
		switch {
		case c == '%':
			b.WriteString("%%")
			continue
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '$' && i+1 < len(sql) && sql[i+1] >= '0' && sql[i+1] <= '9':
			j := i + 1
			for j < len(sql) && sql[j] >= '0' && sql[j] <= '9' {
				j++
			}
			n, _ := strconv.Atoi(sql[i+1 : j])
			if n < 1 || n > len(args) {
				return "", nil, fmt.Errorf("statement %.200q: placeholder $%d of %d arguments", sql, n, len(args))
			}
			b.WriteString("%s")
			out = append(out, args[n-1])
			i = j - 1
			continue
		}
		b.WriteByte(c)
	}
	return b.String(), out, nil
}

// dbapiValue is an argument as the driver's JSON carries it.
func dbapiValue(dialect string, a any) (any, error) {
	switch v := a.(type) {
	case nil, string, bool, int, int8, int16, int32, int64, uint8, uint16, uint32, float32, float64:
		return v, nil
	case time.Time:
		if dialect == dialectPostgres {
			return v.Format(time.RFC3339Nano), nil
		}
		return v.String(), nil
	}
	return nil, fmt.Errorf("an argument of type %T cannot be sent to Python", a)
}
