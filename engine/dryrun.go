package engine

import (
	"fmt"
	"io"
	"strings"

	"retort/engine/internal/tables"
	"retort/engine/sqlsplit"
	"retort/models"
)

// DryRun writes the SQL a run of the plan would execute to change the
// database, touching no database, in the layout of Alembic's offline mode
// (`alembic upgrade ... --sql`): statements separated by blank lines, each
// step introduced by Alembic's comment `-- Running upgrade a, b -> c`, its
// version-table changes in the form Alembic prints them, values inlined as
// quoted literals.
//
// The transactions are retort's, which is where it differs from Alembic:
//
//   - each step is in BEGIN/COMMIT of its own, as retort runs it (Alembic
//     prints this with transaction_per_migration; by default it puts one
//     BEGIN/COMMIT around everything, and none at all on SQLite);
//   - a `Transaction: none` step's statements are outside any transaction,
//     then its version changes get a BEGIN/COMMIT of their own, after every
//     statement succeeded;
//   - a plan that starts without version rows creates the version table in
//     its first transaction (one of its own when the first step is
//     `Transaction: none`, or when there is no step) with CREATE TABLE IF
//     NOT EXISTS: retort creates the table only when it is missing, and an
//     empty table is left by a downgrade to base. Alembic prints a plain
//     CREATE TABLE there;
//   - no DROP TABLE at the end when no row is left: retort keeps the empty
//     version table, as Alembic does online (its offline mode drops it).
//
// Not printed, because they check or record the run rather than change the
// schema: the lock, the version-row read before each step, the guard and
// row-count checks of the version changes, and the audit log (its table and
// rows). On PostgreSQL the INSERT of a version row carries SQLAlchemy's
// RETURNING clause, as in Alembic's output.
//
// dialect is "postgresql" or "sqlite"; of the options only WithVersionTable
// matters.
func DryRun(w io.Writer, plan *models.Plan, dialect string, opts ...Option) error {
	cfg := newConfig(opts)
	d := &dryRun{vt: tables.Version{Ref: tables.Ref{Schema: cfg.schema, Name: cfg.table}}}
	if err := d.vt.Check(); err != nil {
		return fmt.Errorf("version table: %w", err)
	}
	switch dialect {
	case DialectPostgres, "postgres":
		d.returning = true
	case DialectSQLite:
	default:
		return fmt.Errorf("unknown dialect %q: want %q or %q", dialect, DialectPostgres, DialectSQLite)
	}
	stmts, err := checkPlan(plan)
	if err != nil {
		return err
	}
	if plan.Purge {
		return fmt.Errorf("%w: Can't use --purge with --sql mode", ErrRefused)
	}
	create := len(plan.Start) == 0
	if create && (len(plan.Steps) == 0 || !transactional(&plan.Steps[0])) {
		d.out("BEGIN;")
		d.out(d.vt.CreateIfMissingSQL() + ";")
		d.out("COMMIT;")
		create = false
	}
	for i := range plan.Steps {
		if err := d.step(&plan.Steps[i], stmts[i], create && i == 0); err != nil {
			return err
		}
	}
	_, err = io.WriteString(w, d.b.String())
	return err
}

// dryRun accumulates the text of a dry run.
type dryRun struct {
	b         strings.Builder
	vt        tables.Version
	returning bool
}

// out writes one statement or comment, followed by a blank line as Alembic
// does.
func (d *dryRun) out(s string) { d.b.WriteString(s + "\n\n") }

// transaction writes body between BEGIN and COMMIT.
func (d *dryRun) transaction(body func() error) error {
	d.out("BEGIN;")
	if err := body(); err != nil {
		return err
	}
	d.out("COMMIT;")
	return nil
}

// step writes one step, whose statements are stmts; create: it is the
// run's first transaction, which creates the version table.
func (d *dryRun) step(s *models.Step, stmts []sqlsplit.Statement, create bool) error {
	if !transactional(s) {
		d.out("-- Running " + s.ShortLog())
		d.statements(stmts)
		return d.transaction(func() error { return d.versionChanges(s) })
	}
	return d.transaction(func() error {
		if create {
			d.out(d.vt.CreateIfMissingSQL() + ";")
		}
		d.out("-- Running " + s.ShortLog())
		d.statements(stmts)
		return d.versionChanges(s)
	})
}

// statements writes the step's statements as the lexer split them, as
// they are executed one by one.
func (d *dryRun) statements(stmts []sqlsplit.Statement) {
	for _, st := range stmts {
		d.out(st.SQL + ";")
	}
}

// versionChanges writes the step's version-table changes with their values
// inlined.
func (d *dryRun) versionChanges(s *models.Step) error {
	for _, op := range s.Ops {
		q, err := d.vt.Op(op, d.returning)
		if err != nil {
			return err
		}
		sql, err := tables.Inline(q)
		if err != nil {
			return err
		}
		d.out(sql + ";")
	}
	return nil
}
