package pane

import (
	"context"

	"retort/engine"
	"retort/models"
)

// Engine is what the UI asks of the database: *engine.DB is one. The reads
// run in commands, never in Update or View; Apply runs in a goroutine of
// its own (ui/live.go).
type Engine interface {
	// Current reads the version rows.
	Current(ctx context.Context) ([]string, error)
	// Drift says which applied files changed since they ran.
	Drift(ctx context.Context, g *models.Graph) (map[string]engine.DriftInfo, error)
	// Log reads the newest entries of the audit log.
	Log(ctx context.Context, limit int) ([]engine.LogEntry, error)
	// LockHolder says who holds the migration lock ("" when nobody does),
	// without waiting for it.
	LockHolder(ctx context.Context) (string, error)
	// Redacted is the database's URL with its password masked.
	Redacted() string
	// Dialect names the database's SQL dialect: the dry run that shows a
	// plan's SQL before it runs (engine.DryRun) renders it.
	Dialect() string
	// Apply runs a plan, handing each event to sink as it happens.
	Apply(ctx context.Context, plan *models.Plan, sink func(models.Event)) error
}

var _ Engine = (*engine.DB)(nil)
