package ui

import "retort/visible"

// lockState is who holds the migration lock, as the last poll said.
type lockState struct {
	holder, err string
	known       bool
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
func (l lockState) text(running bool) string {
	switch {
	case running:
		return "lock: this session (running)"
	case l.err != "":
		return "lock unknown"
	case !l.known:
		return "lock …"
	case l.holder == "":
		return "lock free"
	}
	return "lock held by " + visible.Line(l.holder)
}
