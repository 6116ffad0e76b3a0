package ui

import (
	"retort/engine"
	"retort/models"
	"retort/ui/pane"
)

// Every asynchronous operation answers with its own message type; errors
// travel inside them and never stop the program.

// graphLoadedMsg: the versions directories were read (Load may return a
// usable graph and an error together).
type graphLoadedMsg struct {
	hist *pane.History
	err  error
}

// stateLoadedMsg: the database's version rows, drift and audit log.
type stateLoadedMsg struct {
	rows  []string
	drift map[string]engine.DriftInfo
	audit map[string]engine.LogEntry
	// fileMissing: the SQLite file does not exist.
	fileMissing bool
	err         error
}

// stateRetryMsg: read the database state again (it was busy).
type stateRetryMsg struct{}

// lockTickMsg: time to poll the lock holder; lockMsg is the answer.
type lockTickMsg struct{}

type lockMsg struct {
	holder string
	err    error
}

// planReadyMsg: an action's plan and what it would run.
type planReadyMsg struct {
	req     actionReq
	plan    *models.Plan
	preview *engine.Preview
	err     error
}

// runEventsMsg carries the events of a run read at once; closed is set
// when no more will come (the run ended, or the program did).
type runEventsMsg struct {
	events []models.Event
	closed bool
}

// runTickMsg refreshes the elapsed time while a run goes on.
type runTickMsg struct{}

// logWrittenMsg: the session log was written to path.
type logWrittenMsg struct {
	path string
	err  error
}

// revisionWrittenMsg: `n` or `m` wrote a revision file.
type revisionWrittenMsg struct {
	rev *models.Revision
	err error
}

// editorDoneMsg: the editor started by `e` exited.
type editorDoneMsg struct{ err error }

// noticeExpiredMsg clears the footer message with the given id.
type noticeExpiredMsg struct{ id int }
