package pane

import (
	"context"

	"retort/engine"
	"retort/models"
)

// Engine is what the UI asks of the database: *engine.DB is one. The reads
// run in commands, never in Update or View; a run goes on in the background
// (engine.Run) and its events are read in commands.
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
	// Preview is what a plan would run, statement by statement, with the
	// destructive ones flagged: what the action modal shows first.
	Preview(plan *models.Plan) (*engine.Preview, error)
	// Start runs a plan in the background; cancelling ctx stops it after
	// the statement in progress and rolls the step back.
	Start(ctx context.Context, plan *models.Plan) *engine.Run
}

var _ Engine = (*engine.DB)(nil)
