package pyexec

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"retort/engine/step"
	"retort/pyalembic"
)

// Preview lists the step's SQL as Alembic's offline mode renders it, each
// statement with the line of the revision that wrote it; or, when it
// cannot be rendered (the revision reads the database through
// op.get_bind(), its imports fail, env.py refuses offline mode, no usable
// Python), a comment saying why in its place, and a warning (Config.Warn).
// The first Preview renders every step of the plan, in one run of env.py.
func (b *body) Preview() []step.Line {
	b.x.render()
	path := b.step.Revision.Path
	if b.noSQL != "" {
		return commentLines(b.noSQL)
	}
	var out []step.Line
	for _, st := range b.offline.Statements {
		out = append(out, step.Line{Comment: st.Comment, Text: st.SQL, Path: path, Line: st.Line})
	}
	return out
}

// commentLines is a comment of one or more lines.
func commentLines(text string) []step.Line {
	var out []step.Line
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		out = append(out, step.Line{Comment: true, Text: "-- " + l})
	}
	return out
}

// render renders every step prepared, once.
func (x *executor) render() {
	if x.rendered {
		return
	}
	x.rendered = true
	timeout := x.cfg.RenderTimeout
	if timeout <= 0 {
		timeout = DefaultRenderTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	res, err := x.offline(ctx)
	if err != nil {
		for _, b := range x.bodies {
			b.noSQL = "retort: no SQL: " + err.Error()
		}
		x.warn(fmt.Sprintf("the SQL of the .py revisions is left out of the preview: %v", err))
		return
	}
	warned := map[string]bool{}
	for i, b := range x.bodies {
		b.offline = &res[i]
		e := res[i].Error
		if e == nil {
			continue
		}
		why := offlineError(e)
		b.noSQL = fmt.Sprintf("retort: no SQL: Alembic's offline mode cannot render this %s of revision %s: %s",
			b.step.Direction, b.step.Revision.ID, why)
		switch {
		case e.File != "":
			x.warn(fmt.Sprintf("%s: Alembic's offline mode cannot render revision %s (%s); the preview has a comment in place of its SQL",
				b.step.Revision.Path, b.step.Revision.ID, why))
		case !warned[why]:
			// Not the revision's own failure (env.py refusing offline
			// mode, say): said once for every step it stops.
			warned[why] = true
			x.warn(fmt.Sprintf("Alembic's offline mode cannot render the .py revisions (%s); the preview has a comment in place of their SQL", why))
		}
	}
}

// offline renders the steps through the project's Python.
func (x *executor) offline(ctx context.Context) ([]pyalembic.Offline, error) {
	if x.cfg.Python == nil {
		return nil, errors.New("no Python is configured to render Alembic's .py revisions")
	}
	d, done, err := x.cfg.Python(ctx)
	if err != nil {
		return nil, fmt.Errorf("no usable Python to render them with Alembic's offline mode (%w); "+
			"point retort at the project's Python with --python or python in retort.toml", err)
	}
	steps := make([]pyalembic.OfflineStep, len(x.bodies))
	for i, b := range x.bodies {
		r := b.step.Revision
		steps[i] = pyalembic.OfflineStep{Revision: r.ID, Path: r.Path, Direction: b.step.Direction.String()}
	}
	res, err := d.Offline(ctx, x.cfg.Project, steps, nil)
	done(err != nil && broken(ctx, err))
	if err != nil {
		return nil, fmt.Errorf("rendering with Alembic's offline mode: %w", err)
	}
	return res, nil
}

// offlineError says why a step has no SQL: the exception, where in the
// revision.
func offlineError(e *pyalembic.PyError) string {
	msg := e.Type + ": " + firstLine(e.Message)
	if e.File != "" && e.Line > 0 {
		msg += fmt.Sprintf(" at %s:%d", e.File, e.Line)
	}
	return msg
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " ..."
	}
	return s
}

func (x *executor) warn(msg string) {
	if x.cfg.Warn != nil {
		x.cfg.Warn(msg)
	}
}
