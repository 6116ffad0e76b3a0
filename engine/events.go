package engine

import (
	"time"

	"retort/engine/step"
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
func (e *emitter) notices(index int, st *models.Step, ns []step.Notice) {
	for _, n := range ns {
		e.emit(models.Event{Kind: models.EventNotice, Index: index, Step: st,
			Severity: n.Severity, Message: n.Message, Detail: n.Detail, Hint: n.Hint})
	}
}

// warn reports a problem that does not stop the run (the audit log could
// not be written) as a WARNING notice from retort itself.
func (e *emitter) warn(index int, st *models.Step, msg string) {
	e.notices(index, st, []step.Notice{{Severity: "WARNING", Message: "retort: " + msg}})
}
