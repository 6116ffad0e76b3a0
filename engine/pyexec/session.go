package pyexec

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	sq "github.com/Masterminds/squirrel"
	"github.com/jackc/pgx/v5/pgconn"

	"retort/engine/step"
	"retort/pyalembic"
)

// session is the project's Python as the engine's step.Session: each method
// is one request to the driver, executed on env.py's connection, whose
// transactions are Alembic's per-migration transactions (see driver.py).
type session struct {
	d       *pyalembic.Driver
	db      step.Database
	dialect string
	// user is the database user of env.py's connection, for the audit
	// log; backend its server session (PostgreSQL), which changes when
	// env.py runs again after a ROLLBACK.
	user    string
	backend *pyalembic.Backend
	// held are the events the driver sent outside a body (env.py's output
	// as it starts, or as it runs again): the next body reports them.
	held []pyalembic.Event
	// plans are the statements prepared on the server session of
	// env.py's connection (PostgreSQL), by text.
	plans plans
}

func (s *session) Placeholder() sq.PlaceholderFormat { return placeholder(s.dialect) }

// User is the database user env.py connects as.
func (s *session) User() string { return s.user }

func (s *session) hold(e pyalembic.Event) { s.held = append(s.held, e) }

func (s *session) Exec(ctx context.Context, sql string, args ...any) (int64, error) {
	q, a, err := dbapiStatement(s.dialect, sql, args)
	if err != nil {
		return 0, err
	}
	n, err := s.d.Exec(ctx, q, a)
	if err != nil || strings.EqualFold(strings.TrimSpace(sql), "ROLLBACK") {
		s.plans.forget() // env.py runs again, on a new connection
	}
	return n, s.err(err)
}

// ExecBatch sends the statements that end a step: on PostgreSQL, those
// with arguments (the version changes, the guard, the audit row, the same
// at every step) as prepared statements.
func (s *session) ExecBatch(ctx context.Context, stmts []step.Stmt) ([]int64, int, error) {
	batch := make([]pyalembic.Stmt, len(stmts))
	for i, st := range stmts {
		var err error
		if len(st.Args) > 0 && s.dialect == dialectPostgres {
			batch[i], err = s.plans.statement(st.SQL, st.Args)
		} else {
			batch[i].SQL, batch[i].Args, err = dbapiStatement(s.dialect, st.SQL, st.Args)
		}
		if err != nil {
			s.plans.forget()
			return nil, i, err
		}
	}
	affected, failed, err := s.d.Batch(ctx, batch)
	if err != nil {
		s.plans.forget()
	}
	return affected, failed, s.err(err)
}

func (s *session) Query(ctx context.Context, sql string, args []any, each func(scan func(dest ...any) error) error) error {
	q, a, err := dbapiStatement(s.dialect, sql, args)
	if err != nil {
		return err
	}
	rows, err := s.d.Query(ctx, q, a)
	if err != nil {
		return s.err(err)
	}
	for _, row := range rows {
		if err := each(func(dest ...any) error { return scanRow(row, dest) }); err != nil {
			return err
		}
	}
	return nil
}

// Begin begins one of Alembic's per-migration transactions and reads the
// version rows in it.
func (s *session) Begin(ctx context.Context, selectSQL string) ([]string, error) {
	if selectSQL != "" && s.dialect == dialectPostgres {
		st, _ := s.plans.statement(selectSQL, nil)
		if st.Prepare != "" {
			st.SQL = st.Prepare + ";\n" + st.SQL
		}
		selectSQL = st.SQL
	}
	rows, backend, err := s.d.Begin(ctx, selectSQL, s.hold)
	if backend != nil {
		s.backend = backend
	}
	if err != nil {
		s.plans.forget()
	}
	return rows, s.err(err)
}

// RolledBack: a PostgreSQL ERROR on a connection still open ended the
// transaction's chances to commit (psycopg2 reports it so). On SQLite, as
// for the engine's own connection, the file itself is read (Checking).
func (s *session) RolledBack(err error) bool {
	var de *dbError
	if !errors.As(err, &de) || de.py.Closed {
		return false
	}
	sev := de.pg.SeverityUnlocalized
	if sev == "" {
		sev = de.pg.Severity
	}
	return sev == "ERROR"
}

// Checking lends the engine's own connection, once the server session of
// env.py's connection (which sent the COMMIT) has ended.
func (s *session) Checking(ctx context.Context) (step.Session, error) {
	var sent *step.ServerSession
	if b := s.backend; b != nil && s.dialect == dialectPostgres {
		sent = &step.ServerSession{PID: b.PID, Started: b.Started, ServerStarted: b.ServerStarted, Addr: b.Addr}
	}
	return s.db.Checking(ctx, sent)
}

// Close does nothing: the executor's Release ends the run.
func (s *session) Close(context.Context) error { return nil }

// err gives a database error of Python's the form the engine reads: a
// PostgreSQL error is a *pgconn.PgError (SQLSTATE, severity, message,
// detail, hint, position), as pgx reports one.
func (s *session) err(err error) error {
	var pe *pyalembic.PyError
	if !errors.As(err, &pe) || pe.SQLState == "" {
		return err
	}
	return &dbError{py: pe, pg: pgError(pe)}
}

// pgError is Python's account of a PostgreSQL error as pgx gives it.
func pgError(pe *pyalembic.PyError) *pgconn.PgError {
	return &pgconn.PgError{Severity: pe.Severity, SeverityUnlocalized: pe.SeverityNonlocalized, Code: pe.SQLState,
		Message: pe.Message, Detail: pe.Detail, Hint: pe.Hint, Position: pe.Position}
}

// dbError is a PostgreSQL error from Python's connection.
type dbError struct {
	py *pyalembic.PyError
	pg *pgconn.PgError
}

func (e *dbError) Error() string { return e.pg.Error() }
func (e *dbError) Unwrap() error { return e.pg }

// scanRow stores a row's values (as the driver's JSON carries them) in
// dest, as database/sql's Scan would.
func scanRow(row []any, dest []any) error {
	if len(dest) != len(row) {
		return fmt.Errorf("scanning %d columns into %d values", len(row), len(dest))
	}
	for i, v := range row {
		if err := scanValue(v, dest[i]); err != nil {
			return fmt.Errorf("column %d: %w", i+1, err)
		}
	}
	return nil
}

func scanValue(v any, dest any) error {
	switch d := dest.(type) {
	case *any:
		*d = v
		return nil
	case *string:
		switch x := v.(type) {
		case string:
			*d = x
		case json.Number:
			*d = x.String()
		case bool:
			*d = strconv.FormatBool(x)
		default:
			return fmt.Errorf("cannot scan %T into a string", v)
		}
		return nil
	case *bool:
		switch x := v.(type) {
		case bool:
			*d = x
		case json.Number:
			*d = x.String() != "0"
		default:
			return fmt.Errorf("cannot scan %T into a bool", v)
		}
		return nil
	case *time.Time:
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("cannot scan %T into a time", v)
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t, err = time.Parse("2006-01-02T15:04:05.999999999", s)
		}
		*d = t
		return err
	}
	n, ok := v.(json.Number)
	rv := reflect.ValueOf(dest)
	if !ok || rv.Kind() != reflect.Pointer {
		return fmt.Errorf("cannot scan %T into %T", v, dest)
	}
	switch e := rv.Elem(); e.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		i, err := n.Int64()
		e.SetInt(i)
		return err
	case reflect.Float32, reflect.Float64:
		f, err := n.Float64()
		e.SetFloat(f)
		return err
	}
	return fmt.Errorf("cannot scan a number into %T", dest)
}

// plans prepares the statements retort sends at every step on the server
// session of env.py's connection: psycopg2 sends statements as text, which
// PostgreSQL would parse and plan again each time (pgx, on retort's own
// connection, prepares them). A statement's first use prepares it in the
// same text (PREPARE, then EXECUTE); later ones only EXECUTE it. After a
// ROLLBACK, env.py runs again on a new connection; after a failed request
// it may, and whether the request's PREPAREs ran is unknown (they outlive a
// rollback): then every statement is prepared again, under new names
// (names are never reused).
type plans struct {
	names map[string]string
	seq   int
}

// statement is the statement, in psycopg2's form, that runs sql with args
// (sql's parameters are $1..$n): its EXECUTE, and the first time the
// PREPARE to run before it.
func (p *plans) statement(sql string, args []any) (pyalembic.Stmt, error) {
	vals := make([]any, len(args))
	for i, a := range args {
		v, err := dbapiValue(dialectPostgres, a)
		if err != nil {
			return pyalembic.Stmt{}, fmt.Errorf("argument %d of %.200q: %w", i+1, sql, err)
		}
		vals[i] = v
	}
	if p.names == nil {
		p.names = map[string]string{}
	}
	st := pyalembic.Stmt{Args: vals}
	name, ok := p.names[sql]
	if !ok {
		p.seq++
		name = "retort_" + strconv.Itoa(p.seq)
		p.names[sql] = name
		st.Prepare, st.Name = "PREPARE "+name+" AS "+sql, name
	}
	st.SQL = "EXECUTE " + name
	if len(args) > 0 {
		st.SQL += "(" + strings.TrimSuffix(strings.Repeat("%s, ", len(args)), ", ") + ")"
	}
	return st, nil
}

// forget forgets every statement prepared.
func (p *plans) forget() { p.names = nil }
