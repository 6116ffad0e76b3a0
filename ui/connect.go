package ui

import (
	"context"
	"errors"
	"net"
	"syscall"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"retort/ui/pane"
	"retort/ui/theme"
)

// connection is the opening of the database when the UI opens it itself
// (Config.Open): the screen works on the files from the first frame while
// the database is opened in the background, and opened again while it
// cannot be reached.
type connection struct {
	// err is why the last attempt failed ("" once open, or before the
	// first answer).
	err string
	// unreachable: the last failure was the network's (refused, timed
	// out, no such host), not the database's answer.
	unreachable bool
	// wait is how long until the next attempt.
	wait time.Duration
}

// maxRetry bounds the wait between two attempts to open the database.
const maxRetry = 30 * time.Second

// openTimeout bounds one attempt to open the database.
const openTimeout = 15 * time.Second

// dbOpenedMsg: an attempt to open the database ended.
type dbOpenedMsg struct {
	db  Engine
	err error
}

// dbRetryMsg: time to try opening the database again.
type dbRetryMsg struct{}

// openDBCmd opens the database with open, within openTimeout.
func openDBCmd(ctx context.Context, open func(context.Context) (Engine, error)) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, openTimeout)
		defer cancel()
		db, err := open(ctx)
		if err == nil && db == nil {
			err = errors.New("the database could not be opened")
		}
		return dbOpenedMsg{db: db, err: err}
	}
}

// noDB says why there is no database to act on, "" when there is one.
func (m Model) noDB() string {
	switch {
	case m.cfg.DB != nil:
		return ""
	case m.cfg.Open == nil:
		return "no database: start retort with --db to act on one"
	case m.conn.err == "":
		return "the database is being opened: try again in a moment"
	case m.conn.unreachable:
		return "the database is unreachable: retrying in the background (the log says why)"
	}
	return "the database cannot be opened: retrying in the background (the log says why)"
}

// onDBOpened installs the database once it opened, and reads its state;
// else it says why in the log (once for each reason) and tries again
// later, waiting twice as long each time up to maxRetry.
func (m Model) onDBOpened(msg dbOpenedMsg) (tea.Model, tea.Cmd) {
	if msg.err != nil {
		why := errText(msg.err)
		if why != m.conn.err {
			m = m.logf(pane.LogErr, "opening the database: "+why)
		}
		m.conn.err, m.conn.unreachable = why, isUnreachable(msg.err)
		m.conn.wait = min(maxRetry, max(m.cfg.Retry, 2*m.conn.wait))
		return m, tea.Tick(m.conn.wait, func(time.Time) tea.Msg { return dbRetryMsg{} })
	}
	m.cfg.DB, m.conn = msg.db, connection{}
	m = m.logf(pane.LogOK, "database opened: "+dbName(msg.db))
	m, read := m.readState()
	m, pub := m.publish()
	return m, tea.Batch(read, pub, pollLockCmd(m.cfg.DB))
}

// isUnreachable reports a failure to reach the server at all: the
// network's error, or no answer in time.
func isUnreachable(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, context.DeadlineExceeded)
}

// dbUnreachable: the UI opens the database and cannot yet.
func dbUnreachable(st *theme.Styles, f statusFacts) string {
	switch {
	case f.conn.err == "":
		return ""
	case f.conn.unreachable:
		return st.Sym("⚠ ", "! ") + "database unreachable, retrying"
	}
	return st.Sym("⚠ ", "! ") + "database cannot be opened, retrying (see log)"
}
