package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"retort/engine"
	"retort/engine/report"
	"retort/pgparse"
	"retort/ui"
)

// errNoTerminal: retort without a verb needs a terminal on both ends.
var errNoTerminal = errors.New("the terminal UI needs a terminal: run retort in one, or use a verb (retort --help lists them)")

// runTUI opens the terminal UI on the configured versions directories and
// database. A database URL or setting the engine refuses is a plain error
// on stderr, before the screen is taken; the database itself is opened by
// the UI, in the background, so that an unreachable server leaves the
// history to browse (the status bar says so, and the UI tries again). The
// files are read by the UI too.
func (a *app) runTUI(cmd *cobra.Command) error {
	in, out := a.stdin, a.stdout
	if !isTerminal(in) || !isTerminal(out) {
		return errNoTerminal
	}
	if err := a.checkDB(cmd.Context()); err != nil {
		return err
	}
	conn := &uiDatabase{}
	defer conn.close()
	// Rehearsals (R) and the review's .py revisions (M) run in scratch
	// databases made beside the live one, never in it. The grammar of
	// reviews is closed after the UI's context ends (below), which stops
	// a review still running.
	scratchCfg, err := a.scratchConfig(cmd.Context(), "")
	if err != nil {
		return err
	}
	parser := pgparse.New(lintCacheDir())
	defer parser.Close()
	// The UI's context ends with the program, however it ends, so that a
	// run it started never waits on a screen that is gone (conn.close,
	// above, waits for the run).
	uiCtx, cancel := context.WithCancel(cmd.Context())
	defer cancel()
	file, _ := engine.SQLiteFile(a.cfg.DB)
	m := ui.New(ui.Config{
		Context: uiCtx,
		Dirs:    a.cfg.Dirs,
		Open:    conn.opener(a),
		DBName:  engine.MaskURL(a.cfg.DB),
		DBFile:  file,
		ASCII:   a.cfg.ASCII,
		Editor:  a.cfg.Editor,
		Scratch: &scratchCfg,
		Parser:  parser,
		Version: version,
	})
	// SIGINT and SIGTERM reach the program through cmd.Context() (Main
	// turns them into its cancellation) and not through bubbletea's own
	// handler too: when the context ended the event loop first, that
	// handler blocked forever delivering its quit message, and the program
	// never returned.
	p := tea.NewProgram(m, tea.WithContext(cmd.Context()), tea.WithoutSignalHandler(),
		tea.WithInput(in), tea.WithOutput(out), tea.WithAltScreen(), tea.WithMouseCellMotion())
	final, err := p.Run()
	// A panic comes back as ErrProgramKilled too, wrapping ErrProgramPanic:
	// that one is a failure, not a way of quitting. A run it interrupted
	// is stopped (the engine rolls its step back) and reported with it.
	if errors.Is(err, tea.ErrProgramPanic) {
		if fm, ok := final.(ui.Model); ok && fm.RunInProgress() {
			err = errors.Join(err, a.reportInterruptedRun(cmd.Context(), conn.opened(), fm.StopRun()))
		}
		return fmt.Errorf("terminal UI: %w", err)
	}
	if fm, ok := final.(ui.Model); ok && fm.RunInProgress() {
		// The program ended (SIGTERM, SIGINT, SIGHUP) in the middle of
		// a run: say how it ended, since no screen will. The statement
		// running may take long; a second signal ends the process (Main
		// lets it through), and the server then rolls the step back.
		fmt.Fprintln(a.stderr, "retort: stopping the run after the statement in progress; the step will roll back (interrupt again to abandon it)")
		return a.reportInterruptedRun(cmd.Context(), conn.opened(), fm.StopRun())
	}
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, tea.ErrInterrupted) {
		return fmt.Errorf("terminal UI: %w", err)
	}
	return nil
}

// checkDB refuses a database setting the engine refuses (a URL it cannot
// read, a bad version table name) before the screen is taken: opening with
// a context that has already ended checks them and connects to nothing, so
// the only error left is the cancellation (a SQLite file that does not
// exist opens without a connection, and is closed at once).
func (a *app) checkDB(ctx context.Context) error {
	done, cancel := context.WithCancel(ctx)
	cancel()
	db, err := engine.Open(done, a.cfg.DB, a.engineOptions()...)
	if err == nil {
		return db.Close()
	}
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// uiDatabase is the database the UI opens (and opens again while it cannot
// be reached), closed once the program has ended, a database opened after
// that at once.
type uiDatabase struct {
	mu   sync.Mutex
	db   *engine.DB
	done bool
}

// opener is the UI's Config.Open.
func (u *uiDatabase) opener(a *app) func(context.Context) (ui.Engine, error) {
	return func(ctx context.Context) (ui.Engine, error) {
		db, err := a.openDB(ctx)
		if err != nil {
			return nil, err
		}
		u.mu.Lock()
		defer u.mu.Unlock()
		if u.done {
			_ = db.Close()
			return nil, errors.New("the program has ended")
		}
		u.db = db
		return db, nil
	}
}

// opened is the database the UI opened, nil when it did not.
func (u *uiDatabase) opened() *engine.DB {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.db
}

// close closes the database the UI opened (waiting for a run of it to
// end).
func (u *uiDatabase) close() {
	u.mu.Lock()
	db := u.db
	u.done = true
	u.mu.Unlock()
	if db != nil {
		_ = db.Close()
	}
}

// reportInterruptedRun tells on stderr how a run the end of the program
// interrupted ended, with the version rows it left, and returns an error so
// that the exit status says the run did not complete as asked. runErr is
// the run's result, read after the engine returned.
func (a *app) reportInterruptedRun(ctx context.Context, db *engine.DB, runErr error) error {
	if db == nil {
		return fmt.Errorf("interrupted during a run: %w", runErr)
	}
	// The program's context may be cancelled by now; the read gets its own.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	rows, rerr := db.Current(rctx)
	fmt.Fprint(a.stderr, report.InterruptedRun(runErr, rows, rerr))
	if runErr == nil {
		return errors.New("interrupted during a run")
	}
	return fmt.Errorf("interrupted during a run: %w", runErr)
}

// isTerminal reports whether v is a file open on a terminal.
func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}
