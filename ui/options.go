package ui

import (
	"context"
	"os"
	"path/filepath"
	"time"

	"retort/pgparse"
	"retort/scratch"
)

// Config is what the UI runs with. The caller opens the database; the UI
// never closes it.
type Config struct {
	// Context is the program's: runs derive theirs from it, so that
	// cancelling it (SIGTERM, SIGINT) stops a run after the statement that
	// is running and rolls its step back. Nil means context.Background.
	Context context.Context
	// Dirs are the versions directories.
	Dirs []string
	// DB is the database (an *engine.DB); nil browses the files without
	// one (actions are then refused), or opens it with Open.
	DB Engine
	// Open opens the database when DB is nil: the UI calls it in the
	// background from its start, and again while it fails (the server
	// unreachable), so that the history can be browsed meanwhile. The UI
	// never closes what it opens: the caller does, once the program ended.
	Open func(ctx context.Context) (Engine, error)
	// DBName is the database as shown until Open opened it, its password
	// masked.
	DBName string
	// DBFile is the file of a SQLite database ("" for another): while it
	// does not exist, the status bar says that a run will create it.
	DBFile string
	// Retry is how soon a failed Open is tried again (2s when zero); the
	// wait doubles with each failure, up to 30 s.
	Retry time.Duration
	// ASCII draws with ASCII characters only.
	ASCII bool
	// Editor is the command `e` runs on a revision file ("vi", "code -w").
	Editor string
	// Now is the clock (time.Now when nil); tests fix it.
	Now func() time.Time
	// LockPoll is how often the lock holder is polled (2s when zero).
	LockPoll time.Duration
	// LogDir is where `w` writes the session log; empty means the user's
	// state directory (see defaultLogDir).
	LogDir string
	// Scratch says where scratch databases are made: for the rehearsal
	// of `R`, and the schema of .py revisions in the review of `M`. Nil
	// when none can be (`R` is then refused).
	Scratch *scratch.Config
	// Parser is PostgreSQL's grammar, for the review of `M`; nil makes
	// one that keeps its compiled code in the user's cache. It starts on
	// the first review.
	Parser *pgparse.Parser
	// Version is retort's version, part of the key of cached schemas.
	Version string
}

const (
	defaultLockPoll = 2 * time.Second
	// defaultRetry is the first wait before opening the database again.
	defaultRetry = 2 * time.Second
	// busyRetry is how soon a read refused with engine.ErrBusy is retried.
	busyRetry = 250 * time.Millisecond
	// noticeFor is how long a message stays in the footer.
	noticeFor = 6 * time.Second
	// runTick refreshes the elapsed time of a run.
	runTick = 200 * time.Millisecond
	// drainMax bounds how many buffered engine events one message carries.
	drainMax = 256
)

// withDefaults fills in the zero fields.
func (c Config) withDefaults() Config {
	if c.Context == nil {
		c.Context = context.Background()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.LockPoll <= 0 {
		c.LockPoll = defaultLockPoll
	}
	if c.Retry <= 0 {
		c.Retry = defaultRetry
	}
	if c.LogDir == "" {
		c.LogDir = defaultLogDir()
	}
	if c.Editor == "" {
		c.Editor = "vi"
	}
	if c.Parser == nil {
		dir, _ := pgparse.DefaultCacheDir() // none found: compiled in memory
		c.Parser = pgparse.New(dir)
	}
	return c
}

// defaultLogDir is where `w` writes when no directory is given: the XDG
// state directory ($XDG_STATE_HOME/retort, else ~/.local/state/retort), the
// place for logs a user asked to keep, as k9s keeps its screen dumps there.
// Not the working directory: that is usually the project's repository,
// which the files would litter.
func defaultLogDir() string {
	if d := os.Getenv("XDG_STATE_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "retort")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "state", "retort")
	}
	return filepath.Join(os.TempDir(), "retort")
}
