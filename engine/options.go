package engine

import (
	"time"

	"retort/engine/step"
	"retort/models"
)

// Defaults of the options.
const (
	DefaultVersionTable    = "alembic_version"
	DefaultAuditTable      = "retort_log"
	DefaultApplicationName = "retort"
	// DefaultLockPollInterval is how often a waiting runner retries the
	// lock. Polling (instead of blocking in the database) is what keeps a
	// waiter from deadlocking with `CREATE INDEX CONCURRENTLY` in the holder.
	DefaultLockPollInterval = time.Second
)

// Option configures Open, PreviewPlan and DryRun.
type Option func(*config)

// config is the result of applying the options.
type config struct {
	schema, table   string
	lockTimeout     time.Duration
	audit           bool
	retortVersion   string
	applicationName string
	lockPoll        time.Duration
	// executors run the revisions of other formats than .sql.
	executors map[models.Format]func(step.Database) step.Executor
}

func newConfig(opts []Option) config {
	c := config{
		table:           DefaultVersionTable,
		audit:           true,
		retortVersion:   "dev",
		applicationName: DefaultApplicationName,
		lockPoll:        DefaultLockPollInterval,
	}
	for _, o := range opts {
		o(&c)
	}
	return c
}

// WithVersionTable sets the schema (empty: the connection's default) and the
// name of the version table. The audit table lives in the same schema.
func WithVersionTable(schema, table string) Option {
	return func(c *config) {
		c.schema = schema
		if table != "" {
			c.table = table
		}
	}
}

// WithLockTimeout bounds how long a run waits for the lock; 0 waits forever.
func WithLockTimeout(d time.Duration) Option {
	return func(c *config) { c.lockTimeout = d }
}

// WithAudit turns the audit log (retort_log) on or off; it is on by default.
func WithAudit(on bool) Option {
	return func(c *config) { c.audit = on }
}

// WithRetortVersion is the retort version recorded in the audit log.
func WithRetortVersion(v string) Option {
	return func(c *config) { c.retortVersion = v }
}

// WithApplicationName sets PostgreSQL's application_name (shown to a runner
// waiting for the lock) and the name written in a SQLite lock file.
func WithApplicationName(name string) Option {
	return func(c *config) { c.applicationName = name }
}

// WithLockPollInterval sets how often a waiting runner retries the lock.
func WithLockPollInterval(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.lockPoll = d
		}
	}
}

// WithExecutor runs the revisions of format f (models.FormatPython: Alembic's
// .py revisions) with the executor mk makes for each run, given the
// database, or each preview, given nil; see package step. Without one, a
// plan with such a revision is refused before anything runs. The .sql
// executor is the engine's own.
func WithExecutor(f models.Format, mk func(db step.Database) step.Executor) Option {
	return func(c *config) {
		if c.executors == nil {
			c.executors = map[models.Format]func(step.Database) step.Executor{}
		}
		c.executors[f] = mk
	}
}
