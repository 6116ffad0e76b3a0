package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
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
// database. The database is opened before the screen is taken, so that a
// wrong URL or an unreachable server is a plain error on stderr rather than
// a screen to quit; the files are read by the UI itself, in the background.
func (a *app) runTUI(cmd *cobra.Command) error {
	in, out := a.stdin, a.stdout
	if !isTerminal(in) || !isTerminal(out) {
		return errNoTerminal
	}
	db, err := a.openDB(cmd.Context())
	if err != nil {
		return err
	}
	defer db.Close()
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
	// run it started never waits on a screen that is gone (db.Close, above,
	// waits for the run).
	uiCtx, cancel := context.WithCancel(cmd.Context())
	defer cancel()
	m := ui.New(ui.Config{
		Context: uiCtx,
		Dirs:    a.cfg.Dirs,
		DB:      db,
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
			err = errors.Join(err, a.reportInterruptedRun(cmd.Context(), db, fm.StopRun()))
		}
		return fmt.Errorf("terminal UI: %w", err)
	}
	if fm, ok := final.(ui.Model); ok && fm.RunInProgress() {
		// The program ended (SIGTERM, SIGINT, SIGHUP) in the middle of
		// a run: say how it ended, since no screen will. The statement
		// running may take long; a second signal ends the process (Main
		// lets it through), and the server then rolls the step back.
		fmt.Fprintln(a.stderr, "retort: stopping the run after the statement in progress; the step will roll back (interrupt again to abandon it)")
		return a.reportInterruptedRun(cmd.Context(), db, fm.StopRun())
	}
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, tea.ErrInterrupted) {
		return fmt.Errorf("terminal UI: %w", err)
	}
	return nil
}

// reportInterruptedRun tells on stderr how a run the end of the program
// interrupted ended, with the version rows it left, and returns an error so
// that the exit status says the run did not complete as asked. runErr is
// the run's result, read after the engine returned.
func (a *app) reportInterruptedRun(ctx context.Context, db *engine.DB, runErr error) error {
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
