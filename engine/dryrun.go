package engine

import (
	"fmt"
	"io"
	"strings"

	"retort/engine/sqlsplit"
	"retort/models"
)

// DryRun writes the SQL the plan would run, touching no database, in the
// format of Alembic's offline mode (`alembic upgrade ... --sql` with
// transaction_per_migration, since retort runs one transaction per step):
// each step in BEGIN/COMMIT (none for a `Transaction: none` step) with the
// comment `-- Running upgrade a -> b`, its statements, and its version
// changes with their values inlined as quoted literals; CREATE TABLE for the
// version table before a step that starts without rows, DROP TABLE at the end
// when no row is left. The audit-log statements are not shown, nor the
// guard query that checks the version rows before COMMIT. On SQLite, where
// Alembic prints no transactions at all, the steps still get BEGIN/COMMIT
// (retort runs them with BEGIN IMMEDIATE) and the INSERT has no RETURNING.
// dialect is "postgresql" or "sqlite"; of the options only WithVersionTable
// matters.
func DryRun(w io.Writer, plan *models.Plan, dialect string, opts ...Option) error {
	cfg := newConfig(opts)
	vt := versionTable{tableRef{schema: cfg.schema, name: cfg.table}}
	if err := vt.check(); err != nil {
		return fmt.Errorf("version table: %w", err)
	}
	var returning bool
	switch dialect {
	case DialectPostgres, "postgres":
		returning = true
	case DialectSQLite:
	default:
		return fmt.Errorf("unknown dialect %q: want %q or %q", dialect, DialectPostgres, DialectSQLite)
	}
	if err := checkPlan(plan); err != nil {
		return err
	}
	if plan.Purge {
		return fmt.Errorf("%w: Can't use --purge with --sql mode", ErrRefused)
	}
	var b strings.Builder
	out := func(s string) { b.WriteString(s + "\n\n") }
	rows := plan.Start
	for i := range plan.Steps {
		s := &plan.Steps[i]
		if err := dryRunStep(out, s, vt, returning); err != nil {
			return err
		}
		rows = s.After
	}
	if len(rows) == 0 {
		out(vt.dropSQL() + ";")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// dryRunStep writes one step.
func dryRunStep(out func(string), s *models.Step, vt versionTable, returning bool) error {
	tx := transactional(s)
	if tx {
		out("BEGIN;")
	}
	if len(s.Before) == 0 {
		out(vt.createSQL() + ";")
	}
	out("-- Running " + s.ShortLog())
	if sec, ok := section(s); ok {
		for _, st := range sqlsplit.Split(sec.SQL) {
			out(st.SQL + ";")
		}
	}
	for _, op := range s.Ops {
		q, err := vt.opSQL(op, returning)
		if err != nil {
			return err
		}
		sql, err := inline(q)
		if err != nil {
			return err
		}
		out(sql + ";")
	}
	if tx {
		out("COMMIT;")
	}
	return nil
}
