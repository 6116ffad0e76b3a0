package ui

import (
	"strings"

	"retort/models"
	"retort/ui/theme"
	"retort/visible"
)

// lockState is who holds the migration lock, as the last poll said, and
// while a run of this session waits for it, who holds it then (the run's
// events say: the poll cannot read while a run holds the connection).
type lockState struct {
	holder, err string
	known       bool
	waiting     string
}

// onEvent follows a run of this session: waiting for the lock someone else
// holds, then holding it.
func (l lockState) onEvent(ev models.Event) lockState {
	switch ev.Kind {
	case models.EventLockWaiting:
		l.waiting = lockHolderOf(ev.Message)
	case models.EventLockAcquired:
		l.waiting = ""
	}
	return l
}

// runEnded forgets the run's wait.
func (l lockState) runEnded() lockState {
	l.waiting = ""
	return l
}

// lockHolderOf is the holder the engine names in its "waiting for the
// migration lock on T, held by H" event, the whole message when it names
// none.
func lockHolderOf(msg string) string {
	if _, holder, ok := strings.Cut(msg, ", held by "); ok {
		return holder
	}
	return msg
}

// update takes the answer of a poll. A read refused as busy says nothing:
// a run of this session holds the connection (and the lock).
func (l lockState) update(msg lockMsg) lockState {
	if isBusy(msg.err) {
		return l
	}
	l.known = true
	l.holder, l.err = msg.holder, ""
	if msg.err != nil {
		l.err = errText(msg.err)
	}
	return l
}

// text says who holds the lock; running: a run of this session does.
func (l lockState) text(st *theme.Styles, running bool) string {
	switch {
	case running && l.waiting != "":
		return "waiting for the lock, held by " + visible.Line(l.waiting)
	case running:
		return "lock: this session (running)"
	case l.err != "":
		return "lock unknown"
	case !l.known:
		return "lock " + st.Dots()
	case l.holder == "":
		return "lock free"
	}
	return "lock held by " + visible.Line(l.holder)
}
