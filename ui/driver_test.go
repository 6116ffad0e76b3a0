package ui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// driver feeds messages to the real Model one at a time, without a
// tea.Program, so that a test decides in which order the answers of
// asynchronous commands (a reload, a plan) arrive: the orders a running
// program reaches only by chance.
type driver struct {
	t *testing.T
	m Model
}

// newDriver starts a model on cfg at w x h, with the files and (when cfg
// has a database) the database state loaded, as a program would.
func newDriver(t *testing.T, cfg Config, w, h int) *driver {
	t.Helper()
	return newDriverPanes(t, cfg, defaultPanes(), w, h)
}

// newDriverPanes is newDriver with the panes listed in specs.
func newDriverPanes(t *testing.T, cfg Config, specs []paneSpec, w, h int) *driver {
	t.Helper()
	if cfg.Now == nil {
		cfg.Now = fixedNow
	}
	d := &driver{t: t, m: newModel(cfg, specs)}
	d.update(tea.WindowSizeMsg{Width: w, Height: h})
	d.update(loadGraphCmd(cfg.Dirs)())
	if d.m.loaded.hist == nil {
		t.Fatalf("the history of %v did not load: %v", cfg.Dirs, d.m.loaded.loadErr)
	}
	if cfg.DB != nil {
		d.update(readStateCmd(cfg.DB, d.m.loaded.hist.G, cfg.DBFile)())
		if d.m.loaded.db == nil {
			t.Fatalf("the database state did not load: %s", d.m.loaded.stateErr)
		}
	}
	return d
}

// update gives the model one message and returns the command it answered.
func (d *driver) update(msg tea.Msg) tea.Cmd {
	d.t.Helper()
	next, cmd := d.m.Update(msg)
	d.m = next.(Model)
	return cmd
}

// press gives the model keys (see keyMsg) and returns the last command.
func (d *driver) press(keys ...string) tea.Cmd {
	d.t.Helper()
	var cmd tea.Cmd
	for _, k := range keys {
		cmd = d.update(keyMsg(k))
	}
	return cmd
}

// typeText types text one rune at a time.
func (d *driver) typeText(text string) {
	for _, r := range text {
		d.update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

// selectRev moves the cursor to a revision through the search box.
func (d *driver) selectRev(id string) {
	d.t.Helper()
	d.press("/")
	d.typeText(id)
	d.press("enter")
	if rev := d.m.loaded.hist.Rev(d.m.panes.history().Cursor()); rev == nil || rev.ID != id {
		d.t.Fatalf("the cursor is not on %s after searching it", id)
	}
}

// msgOf runs cmd (and the commands of a batch) until one yields a message
// of type T: the plan of an action, the files a reload read.
func msgOf[T tea.Msg](t *testing.T, cmd tea.Cmd) T {
	t.Helper()
	var zero T
	if cmd == nil {
		t.Fatalf("no command, waiting for a %T", zero)
	}
	switch msg := cmd().(type) {
	case T:
		return msg
	case tea.BatchMsg:
		for _, c := range msg {
			if c == nil {
				continue
			}
			if m, ok := c().(T); ok {
				return m
			}
		}
	}
	t.Fatalf("the command did not yield a %T", zero)
	return zero
}

// burst gives the model several runes in one KeyMsg, as bubbletea reads
// keys typed faster than it reads them; alt marks them as following an
// esc read with them.
func (d *driver) burst(text string, alt bool) tea.Cmd {
	d.t.Helper()
	return d.update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(text), Alt: alt})
}

// finishRun follows a run started by the command cmd answered: it hands
// the model the run's events until the run is over.
func (d *driver) finishRun(cmd tea.Cmd) {
	d.t.Helper()
	for d.m.actions.run != nil {
		cmd = d.update(msgOf[runEventsMsg](d.t, cmd))
	}
}
