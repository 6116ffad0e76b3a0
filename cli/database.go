package cli

import (
	"context"

	"retort/engine"
)

// Opening the configured database.

// engineOptions are the engine settings from the resolved configuration,
// for the configured database.
func (a *app) engineOptions() []engine.Option { return a.engineOptionsFor(a.cfg.DB) }

// engineOptionsFor are the engine settings for the database at url: the
// configured one, or a scratch database, on which Python must run the .py
// steps too.
func (a *app) engineOptionsFor(url string) []engine.Option {
	return []engine.Option{
		engine.WithVersionTable(a.cfg.VersionSchema, a.cfg.VersionTable),
		engine.WithLockTimeout(a.cfg.LockTimeout),
		engine.WithAudit(a.cfg.Audit),
		engine.WithRetortVersion(version),
		a.pythonExecutor(url),
	}
}

// openDB opens the configured database; when an application names it,
// that asks the project's Python (settleDB).
func (a *app) openDB(ctx context.Context) (*engine.DB, error) {
	if err := a.settleDB(ctx); err != nil {
		return nil, err
	}
	return engine.Open(ctx, a.cfg.DB, a.engineOptions()...)
}

// currentRows reads the version rows of the configured database.
func (a *app) currentRows(ctx context.Context) ([]string, error) {
	db, err := a.openDB(ctx)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return db.Current(ctx)
}
