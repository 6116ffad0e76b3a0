package reviewview

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"

	"retort/models"
	"retort/pgparse"
	"retort/review"
	"retort/ui/pane"
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

// progressMsg says how far the analysis is; stage is what it is doing
// before the revisions are read (starting the grammar).
type progressMsg struct {
	job   *pane.Job
	stage string
	p     review.Progress
}

// doneMsg is the review, or why there is none.
type doneMsg struct {
	job *pane.Job
	r   *review.Review
	err error
}

// start runs the analysis in the background.
func start(d Deps) (*pane.Job, tea.Cmd) {
	return pane.StartJob(d.Ctx, func(ctx context.Context, j *pane.Job) { run(ctx, j, d) })
}

// run analyses the review and sends its progress (only the latest
// matters) and its end.
func run(ctx context.Context, j *pane.Job, d Deps) {
	var err error
	var r *review.Review
	if d.Parser != nil {
		j.Offer(progressMsg{job: j, stage: "starting PostgreSQL's grammar"})
		_, err = d.Parser.Start()
	}
	if err == nil {
		opts := review.Options{Parser: d.Parser, Progress: func(p review.Progress) { j.Offer(progressMsg{job: j, p: p}) }}
		if d.Schemas != nil {
			s := d.Schemas()
			defer s.Close()
			opts.Schemas = s
		}
		r, err = review.Analyze(ctx, d.Graph, d.Target, opts)
	}
	j.Send(doneMsg{job: j, r: r, err: err})
}
