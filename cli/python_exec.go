package cli

import (
	"context"
	"fmt"

	"retort/cli/settings"
	"retort/engine"
	"retort/engine/pyexec"
	"retort/models"
	"retort/pyalembic"
)

// The executor of Alembic's .py revisions (engine/pyexec), on the project's
// Python. It starts Python only when a plan has a .py step: before the
// run's first step, or when a preview renders one.

// pythonExecutor is the engine option that runs .py revisions on the
// database at url (in retort's spelling): the configured one, or a scratch
// database, which Alembic is then handed as sqlalchemy.url (an env.py that
// connects elsewhere is refused before the first step: the engine checks
// that Python reaches the database it locked). Its warnings (what a
// preview leaves out) go to stderr, except in the terminal UI, whose
// preview shows them in place of the SQL.
func (a *app) pythonExecutor(url string) engine.Option {
	p := a.pythonProject()
	p.URL = pyalembic.SQLAlchemyURL(url)
	c := pyexec.Config{Python: a.lendPython, Project: p}
	if !a.tui {
		c.Warn = a.warn
	}
	return engine.WithExecutor(models.FormatPython, pyexec.New(c))
}

// lendPython lends the project's Python for a run or a preview: the
// invocation's own driver (which may have created the application
// already) when it is free, else one of its own, stopped when given back
// (the UI may render a preview while a run holds the first). A driver
// given back broken is stopped.
func (a *app) lendPython(ctx context.Context) (*pyalembic.Driver, func(broken bool), error) {
	a.py.mu.Lock()
	defer a.py.mu.Unlock()
	if a.py.lent {
		return a.otherPython(ctx)
	}
	d, _, err := a.pythonChecked(ctx)
	if err != nil {
		return nil, nil, err
	}
	a.py.lent = true
	return d, func(broken bool) {
		a.py.mu.Lock()
		defer a.py.mu.Unlock()
		a.py.lent = false
		if broken {
			a.closePython()
		}
	}, nil
}

// otherPython starts a driver of its own, for the time of one lending.
func (a *app) otherPython(ctx context.Context) (*pyalembic.Driver, func(bool), error) {
	d, err := pyalembic.Start(ctx, pyalembic.Options{Python: a.cfg.Python, Dir: "."})
	if err != nil {
		return nil, nil, fmt.Errorf("%w (python: %s)", err, a.cfg.Source[settings.KeyPython])
	}
	if _, err := d.Hello(ctx); err != nil {
		d.Close()
		return nil, nil, fmt.Errorf("%w (python: %s)", err, a.cfg.Source[settings.KeyPython])
	}
	return d, func(bool) { d.Close() }, nil
}
