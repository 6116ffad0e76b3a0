package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"retort/engine"
	"retort/models"
	"retort/revisions"
	"retort/ui/pane"
)

// readTimeout bounds each read of the database state, so that a dead
// server shows as an error instead of a spinner forever.
const readTimeout = 15 * time.Second

// auditLimit is how many audit-log entries the detail pane looks through.
const auditLimit = 5000

// loadGraphCmd reads the versions directories.
func loadGraphCmd(dirs []string) tea.Cmd {
	return func() tea.Msg {
		h, err := pane.Load(dirs)
		return graphLoadedMsg{hist: h, err: err}
	}
}

// readStateCmd reads the version rows, the drift and the audit log, and
// whether the SQLite file (file, "" for none) exists. A read refused
// because a run holds the connection comes back as engine.ErrBusy, and the
// caller tries again a little later.
func readStateCmd(db Engine, g *models.Graph, file string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), readTimeout)
		defer cancel()
		rows, err := db.Current(ctx)
		if err != nil {
			return stateLoadedMsg{err: err}
		}
		msg := stateLoadedMsg{rows: rows, audit: map[string]engine.LogEntry{}}
		if file != "" {
			_, serr := os.Stat(file)
			msg.fileMissing = errors.Is(serr, os.ErrNotExist)
		}
		// Drift and the audit log are extras: correctness never depends
		// on them, and a database Alembic alone touched has none.
		if msg.drift, err = db.Drift(ctx, g); err != nil && isBusy(err) {
			return stateLoadedMsg{err: err}
		}
		entries, err := db.Log(ctx, auditLimit)
		if err != nil && isBusy(err) {
			return stateLoadedMsg{err: err}
		}
		for _, e := range entries { // newest first: keep the first seen
			if _, seen := msg.audit[e.Revision]; !seen {
				msg.audit[e.Revision] = e
			}
		}
		return msg
	}
}

// retryStateCmd asks for the state again after a short wait.
func retryStateCmd() tea.Cmd {
	return tea.Tick(busyRetry, func(time.Time) tea.Msg { return stateRetryMsg{} })
}

// lockTickCmd schedules the next poll of the lock holder.
func lockTickCmd(every time.Duration) tea.Cmd {
	return tea.Tick(every, func(time.Time) tea.Msg { return lockTickMsg{} })
}

// pollLockCmd asks who holds the migration lock, without waiting for it.
func pollLockCmd(db Engine) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), readTimeout)
		defer cancel()
		holder, err := db.LockHolder(ctx)
		return lockMsg{holder: holder, err: err}
	}
}

// runTickCmd refreshes the elapsed time of a run.
func runTickCmd() tea.Cmd {
	return tea.Tick(runTick, func(time.Time) tea.Msg { return runTickMsg{} })
}

// noticeExpireCmd clears footer notice id after a while.
func noticeExpireCmd(id int) tea.Cmd {
	return tea.Tick(noticeFor, func(time.Time) tea.Msg { return noticeExpiredMsg{id: id} })
}

// newRevisionCmd writes a new revision, as `retort revision` does.
func newRevisionCmd(g *models.Graph, dirs []string, o revisions.NewRevisionOptions) tea.Cmd {
	return func() tea.Msg {
		rev, err := revisions.NewRevision(g, dirs, o)
		return revisionWrittenMsg{rev: rev, err: err}
	}
}

// mergeCmd writes a merge of heads.
func mergeCmd(g *models.Graph, dirs []string, heads []string, message string, now time.Time) tea.Cmd {
	return func() tea.Msg {
		rev, err := revisions.Merge(g, dirs, heads, revisions.MergeOptions{Message: message, Now: now})
		return revisionWrittenMsg{rev: rev, err: err}
	}
}

// editCmd opens path in the editor and reports when it exits. The editor
// setting is a shell command line, as git runs $EDITOR: `code --wait`, a
// quoted path with spaces and `$HOME/bin/ed` all work, and the file goes
// in as "$1", never through the shell's parsing, so any path is safe.
func editCmd(editor, path string) tea.Cmd {
	if strings.TrimSpace(editor) == "" {
		editor = "vi"
	}
	c := exec.Command("sh", "-c", editor+` "$@"`, "sh", path)
	return tea.ExecProcess(c, func(err error) tea.Msg {
		return editorDoneMsg{err: editorError(editor, err)}
	})
}

// editorError says why the editor failed; the shell's 127 means it found
// no such command, which the user fixes in the settings.
func editorError(editor string, err error) error {
	var ee *exec.ExitError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ee) && ee.ExitCode() == 127:
		return fmt.Errorf("editor %q: command not found (set $VISUAL, $EDITOR or editor in retort.toml)", editor)
	}
	return fmt.Errorf("editor %q: %w", editor, err)
}

// writeLogCmd writes the session log to dir/retort-session-<time>.log.
func writeLogCmd(dir string, now time.Time, text string) tea.Cmd {
	return func() tea.Msg {
		path := filepath.Join(dir, "retort-session-"+now.Format("20060102-150405")+".log")
		if abs, err := filepath.Abs(path); err == nil {
			path = abs
		}
		// The state directory may not exist yet; it is private (XDG).
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return logWrittenMsg{err: fmt.Errorf("writing the session log: %w", err)}
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			return logWrittenMsg{err: fmt.Errorf("writing the session log: %w", err)}
		}
		return logWrittenMsg{path: path}
	}
}
