package reviewview

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"retort/models"
	"retort/pgparse"
	"retort/review"
)

// Deps are what a review needs from the root model.
type Deps struct {
	// Ctx is the program's: the analysis stops when it ends, or when the
	// view closes.
	Ctx    context.Context
	Graph  *models.Graph
	Target review.Target
	// Parser is PostgreSQL's grammar, started on first use and shared by
	// the reviews of a session.
	Parser *pgparse.Parser
	// Schemas makes what reads .py revisions from their schema
	// difference in a scratch database; nil when none can be made (they
	// are then listed as not analysed, with why).
	Schemas func() *review.ScratchSchemas
	// Path shows a revision file's path, as the History shows it.
	Path func(string) string
}

// job is one analysis running in the background: its messages come back
// through ch, read one at a time by a command (listen), so that Update
// never waits.
type job struct {
	ch     chan tea.Msg
	ctx    context.Context
	cancel context.CancelFunc
}

// progressMsg says how far the analysis is; stage is what it is doing
// before the revisions are read (starting the grammar).
type progressMsg struct {
	job   *job
	stage string
	p     review.Progress
}

// doneMsg is the review, or why there is none.
type doneMsg struct {
	job *job
	r   *review.Review
	err error
}

// tickMsg refreshes the elapsed time while the analysis runs.
type tickMsg struct{ job *job }

// tickEvery is how often the elapsed time is refreshed.
const tickEvery = 200 * time.Millisecond

// start runs the analysis in a goroutine and returns the job and the
// command that reads its first message.
func start(d Deps) (*job, tea.Cmd) {
	ctx, cancel := context.WithCancel(d.Ctx)
	j := &job{ch: make(chan tea.Msg, 16), ctx: ctx, cancel: cancel}
	go j.run(ctx, d)
	return j, tea.Batch(j.listen(), j.tick())
}

// run analyses the review and sends its progress (dropped when the view
// is behind: only the latest matters) and its end (kept until read, or
// until ctx ends).
func (j *job) run(ctx context.Context, d Deps) {
	progress := func(m progressMsg) {
		m.job = j
		select {
		case j.ch <- m:
		default:
		}
	}
	var err error
	var r *review.Review
	if d.Parser != nil {
		progress(progressMsg{stage: "starting PostgreSQL's grammar"})
		_, err = d.Parser.Start()
	}
	if err == nil {
		opts := review.Options{Parser: d.Parser, Progress: func(p review.Progress) { progress(progressMsg{p: p}) }}
		if d.Schemas != nil {
			s := d.Schemas()
			defer s.Close()
			opts.Schemas = s
		}
		r, err = review.Analyze(ctx, d.Graph, d.Target, opts)
	}
	select {
	case j.ch <- doneMsg{job: j, r: r, err: err}:
	case <-ctx.Done():
	}
}

// listen reads the job's next message; none once the job is cancelled
// (the view closed, the program ended).
func (j *job) listen() tea.Cmd {
	return func() tea.Msg {
		select {
		case m := <-j.ch:
			return m
		case <-j.ctx.Done():
			return nil
		}
	}
}

// tick asks for the next refresh of the elapsed time.
func (j *job) tick() tea.Cmd {
	return tea.Tick(tickEvery, func(time.Time) tea.Msg { return tickMsg{job: j} })
}
