package ui

import (
	"errors"

	"retort/engine"
	"retort/ui/pane"
)

// Engine is what the UI asks of the database (see pane.Engine, where the
// panes' shared context holds it); *engine.DB is one.
type Engine = pane.Engine

// isBusy reports an engine read refused because a run holds the connection.
func isBusy(err error) bool { return errors.Is(err, engine.ErrBusy) }
