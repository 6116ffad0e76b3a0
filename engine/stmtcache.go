package engine

import (
	"fmt"
	"reflect"

	sq "github.com/Masterminds/squirrel"

	"retort/engine/internal/tables"
	"retort/engine/step"
)

// stmtCache keeps the text of the statements a run sends on every step (the
// version changes, the guard, the audit row), built with squirrel the first
// time and reused with each step's arguments: building costs more client
// time than the round trip that sends the statement.
type stmtCache struct {
	ph  sq.PlaceholderFormat
	sql map[string]string
}

func newStmtCache(ph sq.PlaceholderFormat) *stmtCache {
	return &stmtCache{ph: ph, sql: map[string]string{}}
}

// get returns the statement of shape key with args. build makes the
// statement the first time a shape is seen; its arguments must be args, which
// is checked then.
func (c *stmtCache) get(key string, args []any, build func() (sq.Sqlizer, error)) (step.Stmt, error) {
	if sql, ok := c.sql[key]; ok {
		return step.Stmt{SQL: sql, Args: args}, nil
	}
	q, err := build()
	if err != nil {
		return step.Stmt{}, err
	}
	sql, built, err := tables.Render(q, c.ph)
	if err != nil {
		return step.Stmt{}, err
	}
	if !reflect.DeepEqual(built, args) {
		return step.Stmt{}, fmt.Errorf("statement %s: the builder's arguments %v differ from %v", key, built, args)
	}
	c.sql[key] = sql
	return step.Stmt{SQL: sql, Args: args}, nil
}
