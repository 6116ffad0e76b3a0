package pane

import (
	"context"
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// Job is work a pane or a modal runs in a goroutine of its own (a review,
// a rehearsal): its messages come back through a channel that a command
// reads one at a time (Listen), so that Update never waits, and a tick
// refreshes the elapsed time while it runs. The messages carry the Job,
// so that those of a job the pane no longer follows are dropped.
type Job struct {
	ch     chan tea.Msg
	ctx    context.Context
	cancel context.CancelFunc
}

// JobTickMsg refreshes a running job's elapsed time.
type JobTickMsg struct{ Job *Job }

// JobTick is how often a running job's elapsed time is refreshed.
const JobTick = 200 * time.Millisecond

// StartJob runs work in a goroutine, under a context derived from parent
// (the program's) that Cancel ends, and returns the job and the command
// that reads its first message and starts the tick.
func StartJob(parent context.Context, work func(ctx context.Context, j *Job)) (*Job, tea.Cmd) {
	ctx, cancel := context.WithCancel(parent)
	j := &Job{ch: make(chan tea.Msg, 16), ctx: ctx, cancel: cancel}
	go work(ctx, j)
	return j, tea.Batch(j.Listen(), j.Tick())
}

// Offer sends a message that only matters until the next one (progress):
// it is dropped when the pane has not read the ones before.
func (j *Job) Offer(m tea.Msg) {
	select {
	case j.ch <- m:
	default:
	}
}

// Send sends a message that must arrive (the result), unless the job is
// cancelled first.
func (j *Job) Send(m tea.Msg) {
	select {
	case j.ch <- m:
	case <-j.ctx.Done():
	}
}

// Listen reads the job's next message; nothing once it is cancelled (the
// pane closed, the program ended).
func (j *Job) Listen() tea.Cmd {
	return func() tea.Msg {
		select {
		case m := <-j.ch:
			return m
		case <-j.ctx.Done():
			return nil
		}
	}
}

// Tick asks for the next refresh of the elapsed time.
func (j *Job) Tick() tea.Cmd {
	return tea.Tick(JobTick, func(time.Time) tea.Msg { return JobTickMsg{Job: j} })
}

// Cancel stops the job (its context ends) and its listening.
func (j *Job) Cancel() { j.cancel() }

// Cancelled reports whether the job was cancelled.
func (j *Job) Cancelled() bool { return j.ctx.Err() != nil }

// Elapsed is how long a job has run, in tenths of a second (ASCII, unlike
// "µs").
func Elapsed(d time.Duration) string { return fmt.Sprintf("%.1f s", d.Seconds()) }
