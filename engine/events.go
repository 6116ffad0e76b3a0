package engine

import (
	"time"

	"retort/models"
)

// emitter delivers a run's events to the listener, stamping each with the
// time and the size of the plan.
type emitter struct {
	sink  func(models.Event)
	total int
}

func newEmitter(sink func(models.Event), total int) *emitter {
	return &emitter{sink: sink, total: total}
}

func (e *emitter) emit(ev models.Event) {
	if e.sink == nil {
		return
	}
	ev.Time = time.Now()
	ev.Total = e.total
	e.sink(ev)
}

// notices delivers the notices a statement raised, after the statement.
func (e *emitter) notices(index int, step *models.Step, ns []notice) {
	for _, n := range ns {
		e.emit(models.Event{Kind: models.EventNotice, Index: index, Step: step,
			Severity: n.severity, Message: n.message, Detail: n.detail, Hint: n.hint})
	}
}

// warn reports a problem that does not stop the run (the audit log could
// not be written) as a WARNING notice from retort itself.
func (e *emitter) warn(index int, step *models.Step, msg string) {
	e.notices(index, step, []notice{{severity: "WARNING", message: "retort: " + msg}})
}
