package engine

import (
	"context"
	"slices"
	"time"

	"retort/engine/internal/secret"
	"retort/engine/internal/tables"
	"retort/engine/step"
	"retort/models"
)

// ensureAudit creates the audit table inside the current transaction when it
// is missing, and adds the version_table column to a log created before it
// existed. It runs in a savepoint: when the table cannot be created or
// changed (no privilege, say), the run goes on without the log and says so.
func (r *run) ensureAudit(bg context.Context, c step.Session, i int, s *models.Step) error {
	db := r.db
	cols, err := columns(bg, db.dialect, c, db.audit.Ref)
	if err != nil {
		return db.wrap(err, "looking for the audit table %s", db.audit.SQL())
	}
	ddl, what := db.audit.CreateSQL(db.dialect.auditTypes()), "created"
	switch {
	case slices.Contains(cols, tables.VersionTableColumn):
		return nil
	case len(cols) > 0:
		ddl, what = db.audit.AddVersionTableSQL(db.dialect.addColumnIfNotExists()), "given its "+tables.VersionTableColumn+" column"
	}
	_, _, err = c.ExecBatch(bg, []step.Stmt{
		{SQL: "SAVEPOINT " + auditSavepoint},
		{SQL: ddl},
		{SQL: "RELEASE SAVEPOINT " + auditSavepoint},
	})
	if err == nil {
		return nil
	}
	if _, rerr := c.Exec(bg, "ROLLBACK TO SAVEPOINT "+auditSavepoint); rerr != nil {
		return db.wrap(rerr, "recovering from a failed change of the audit table %s", db.audit.SQL())
	}
	r.audit = false
	r.em.warn(i, s, "the audit log "+db.audit.SQL()+" could not be "+what+", this run is not logged: "+secret.Text(err.Error(), db.secrets))
	return nil
}

// auditAlone writes the audit row of a failed step in a transaction of its
// own on c, after the step's rollback: the DB's connection, or after a lost
// COMMIT the connection that checked its outcome. Its own failure is only
// reported.
func (r *run) auditAlone(bg context.Context, c step.Session, i int, rec tables.Row) {
	s := &r.plan.Steps[i]
	if !r.audit {
		return
	}
	db := r.db
	rollback := func() { _, _ = c.Exec(bg, "ROLLBACK") }
	err := func() error {
		if _, err := c.Begin(bg, ""); err != nil {
			return err
		}
		if err := r.ensureAudit(bg, c, i, s); err != nil {
			return err
		}
		if !r.audit {
			rollback()
			return nil
		}
		sql, args, err := tables.Render(db.audit.Insert(rec.Values()), c.Placeholder())
		if err != nil {
			return err
		}
		if _, err := c.Exec(bg, sql, args...); err != nil {
			return err
		}
		_, err = c.Exec(bg, "COMMIT")
		return err
	}()
	if err != nil {
		rollback()
		r.em.warn(i, s, "the failure could not be written to the audit log "+db.audit.SQL()+": "+secret.Text(err.Error(), db.secrets))
	}
}

// auditRecord is the audit row of step s, which ran on the current
// session: its database user is the session's own when it has one (the
// project's Python, connected as env.py says).
func (r *run) auditRecord(s *models.Step, before, after []string, started time.Time, outcome string) tables.Row {
	rec := r.db.auditRow(s, before, after, started, outcome)
	if u, ok := r.cur.Session.(step.UserSession); ok {
		rec.DBUser = u.User()
	}
	return rec
}
