// Package cli is retort's command line: the cobra verbs (Alembic's heads,
// history, upgrade, downgrade, stamp... and retort's own log and config),
// the resolution of settings from flags, environment and configuration
// files, and the terminal UI's entry point. Run executes one command line.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"retort/revisions"
)

// version is set at build time with -ldflags "-X retort/cli.version=...".
var version = "0.1.0-dev"

// Main runs the command line args (without the program name) on the
// process's standard streams, and returns the exit status.
func Main(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	// The first signal cancels ctx: runs stop after their statement and
	// roll the step back. Then the signals get their default action back,
	// so that a second one ends the process at once.
	go func() {
		<-ctx.Done()
		stop()
	}()
	return Run(ctx, args, os.Stdin, os.Stdout, os.Stderr)
}

// Run executes one command line and returns the process exit status. All
// output goes through the writers given, so tests run it in-process.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr}
	defer a.closePython()
	root := a.rootCommand()
	root.SetArgs(protectNegativeArgs(args, valueFlags(root)))
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) && ee.err == nil {
		return ee.code // a status that is an answer (diff: differences)
	}
	printError(stderr, err)
	if ee == nil && cmd != nil && cmd.Annotations[annotationTrouble] != "" {
		return 2
	}
	return exitStatus(err)
}

// annotationTrouble marks a verb whose errors exit with status 2, its 1
// meaning an answer (diff: the schemas differ).
const annotationTrouble = "retort.trouble-status"

// exitError carries an exit status other than 1; without err it is an
// answer, printed by the verb already, not an error.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}
func (e *exitError) Unwrap() error { return e.err }

func exitStatus(err error) int {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return 1
}

// printError writes an error the way Alembic's CLI does: `FAILED: ` and
// Alembic's message, one line, so that scripts reading it keep working (the
// reason Alembic hides behind a generic message stays in Detail, for the
// UI). retort adds at most one line, where it says more than Alembic can:
// the candidates of an ambiguous prefix, or what is wrong when it refuses a
// request Alembic would crash on or finds version rows no file defines.
func printError(w io.Writer, err error) {
	var ce *revisions.CommandError
	// Errors quote revision files and the database: indentLines shows
	// their control characters visibly.
	if !errors.As(err, &ce) {
		fmt.Fprintf(w, "FAILED: %s\n", indentLines(err.Error(), ""))
		return
	}
	fmt.Fprintf(w, "FAILED: %s\n", indentLines(ce.Message, ""))
	if secondLine(ce) {
		fmt.Fprintf(w, "  %s\n", indentLines(ce.Detail, ""))
	}
}

func secondLine(ce *revisions.CommandError) bool {
	switch {
	case ce.Detail == "" || strings.Contains(ce.Detail, "\n"):
		return false
	case len(ce.Candidates) > 0:
		return true
	}
	return errors.Is(ce, revisions.ErrRefused) || errors.Is(ce, revisions.ErrInconsistentRows)
}
