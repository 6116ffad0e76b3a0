package ui

import (
	"bytes"
	"errors"

	"retort/engine"
	"retort/models"
	"retort/ui/pane"
)

// Engine is what the UI asks of the database (see pane.Engine, where the
// panes' shared context holds it); *engine.DB is one.
type Engine = pane.Engine

// dryRun is the SQL a plan would run, as the engine renders it for the
// database's dialect: what the action modal shows before anything runs.
func dryRun(e Engine, plan *models.Plan, opts []engine.Option) (string, error) {
	var buf bytes.Buffer
	if err := engine.DryRun(&buf, plan, e.Dialect(), opts...); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// isBusy reports an engine read refused because a run holds the connection.
func isBusy(err error) bool { return errors.Is(err, engine.ErrBusy) }
