package engine

import (
	"context"
	"slices"

	"retort/engine/internal/tables"
	"retort/models"
)

// ensureAudit creates the audit table inside the current transaction when it
// is missing, and adds the version_table column to a log created before it
// existed. It runs in a savepoint: when the table cannot be created or
// changed (no privilege, say), the run goes on without the log and says so.
func (r *run) ensureAudit(bg context.Context, c session, i int, s *models.Step) error {
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
	_, _, err = c.execBatch(bg, []stmt{
		{sql: "SAVEPOINT " + auditSavepoint},
		{sql: ddl},
		{sql: "RELEASE SAVEPOINT " + auditSavepoint},
	})
	if err == nil {
		return nil
	}
	if _, rerr := c.exec(bg, "ROLLBACK TO SAVEPOINT "+auditSavepoint); rerr != nil {
		return db.wrap(rerr, "recovering from a failed change of the audit table %s", db.audit.SQL())
	}
	r.audit = false
	r.em.warn(i, s, "the audit log "+db.audit.SQL()+" could not be "+what+", this run is not logged: "+maskText(err.Error(), db.secrets))
	return nil
}

// auditAlone writes the audit row of a failed step in a transaction of its
// own on c, after the step's rollback: the DB's connection, or after a lost
// COMMIT the connection that checked its outcome. Its own failure is only
// reported.
func (r *run) auditAlone(bg context.Context, c session, i int, rec tables.Row) {
	s := &r.plan.Steps[i]
	if !r.audit {
		return
	}
	db := r.db
	rollback := func() { _, _ = c.exec(bg, "ROLLBACK") }
	err := func() error {
		if _, err := c.begin(bg, ""); err != nil {
			return err
		}
		if err := r.ensureAudit(bg, c, i, s); err != nil {
			return err
		}
		if !r.audit {
			rollback()
			return nil
		}
		sql, args, err := tables.Render(db.audit.Insert(rec.Values()), c.placeholder())
		if err != nil {
			return err
		}
		if _, err := c.exec(bg, sql, args...); err != nil {
			return err
		}
		_, err = c.exec(bg, "COMMIT")
		return err
	}()
	if err != nil {
		rollback()
		r.em.warn(i, s, "the failure could not be written to the audit log "+db.audit.SQL()+": "+maskText(err.Error(), db.secrets))
	}
}
