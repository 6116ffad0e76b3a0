// Package engine runs migration plans against a database.
//
// It opens PostgreSQL (through pgx, on one dedicated connection) or SQLite
// (through the pure-Go modernc driver), reads and writes Alembic's version
// table, keeps retort's audit log beside it, takes the run lock, and executes
// a models.Plan computed by package revisions, one transaction per step,
// reporting what happens as models.Event values. It knows nothing of the UI
// and nothing of the revision graph: the plan says which statements run and
// which version rows change.
//
// Where things are:
//
//   - A database is one file holding its dialect (what the engine asks of
//     it: URLs, opening, placeholders, how a step finishes, DDL types,
//     error details, catalog queries) and its connection: postgres.go,
//     sqlite.go, listed once in knownDialects (dialect.go).
//   - A run lock is one file implementing locker: lock_postgres.go,
//     lock_file.go, lock_memory.go; a dialect's open picks it.
//   - What executes a revision's body is a step.Executor (package step):
//     exec_sql.go for .sql revisions; another format's executor is added
//     with WithExecutor. The step around it, written once for every
//     executor, is apply.go, step.go, finish.go and commitcheck.go.
//   - The statements on retort's own tables are built in internal/tables.
//
// A DB has one connection, used by one caller at a time: a run (Apply,
// Start) holds it until it ends, a read (Current, VersionRows, Log, Drift,
// LockHolder) for its query. A caller that finds a read in progress waits for
// it (its context bounds the wait), so that a run started while the UI polls
// is never refused; a caller that finds a run in progress gets ErrBusy at
// once instead of waiting behind a migration.
package engine
