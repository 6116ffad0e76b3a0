package pyalembic

import (
	"fmt"
	"strings"
)

// Project says how the driver reaches a project's migration environment.
type Project struct {
	// Ini is the project's alembic.ini (or Flask-Migrate's), "" for none.
	Ini string `json:"ini,omitempty"`
	// ScriptLocation is the directory holding env.py; it overrides the
	// ini's script_location.
	ScriptLocation string `json:"script_location,omitempty"`
	// VersionLocations are the versions directories, when they are not
	// the ini's.
	VersionLocations []string `json:"version_locations,omitempty"`
	// URL is handed to Alembic as sqlalchemy.url, in SQLAlchemy's
	// spelling (see SQLAlchemyURL).
	URL string `json:"url,omitempty"`
	// App is a Flask application factory ("package.module:create_app")
	// whose application context the revisions run in.
	App string `json:"app,omitempty"`
	// VersionTable and VersionTableSchema are used where env.py does not
	// set its own.
	VersionTable       string `json:"version_table,omitempty"`
	VersionTableSchema string `json:"version_table_schema,omitempty"`
	// NoEnv runs a migration context of the driver's own instead of the
	// project's env.py (a project without one: Invenio's applications).
	NoEnv bool `json:"-"`
}

// Hello is what the driver's Python has.
type Hello struct {
	Protocol   int    `json:"protocol"`
	Python     string `json:"python"`
	Executable string `json:"executable"`
	Alembic    string `json:"alembic"`
	SQLAlchemy string `json:"sqlalchemy"`
	// Missing is the import error when Alembic or SQLAlchemy is missing.
	Missing string `json:"missing"`
}

// Evaluated is a revision file's identifiers as Alembic reads them, by
// importing the module. A name the module does not define is nil.
type Evaluated struct {
	Path         string   `json:"path"`
	Revision     any      `json:"revision"`
	DownRevision any      `json:"down_revision"`
	BranchLabels any      `json:"branch_labels"`
	DependsOn    any      `json:"depends_on"`
	Doc          string   `json:"doc"`
	Error        *PyError `json:"error"`
}

// Ready is the state of the run once env.py configured its context.
type Ready struct {
	VersionTable       string   `json:"version_table"`
	VersionTableSchema string   `json:"version_table_schema"`
	Dialect            string   `json:"dialect"`
	Identity           Identity `json:"identity"`
	Heads              []string `json:"heads"`
}

// Identity is the database the driver's connection reaches.
type Identity struct {
	Dialect string `json:"dialect"`
	// Database and SystemIdentifier: PostgreSQL's current_database() and
	// the cluster's system identifier.
	Database         string `json:"database"`
	SystemIdentifier string `json:"system_identifier"`
	// Path is SQLite's main database file.
	Path string `json:"path"`
}

// Statement is SQL with SQLAlchemy's named parameters (`:name`).
type Statement struct {
	SQL    string         `json:"sql"`
	Params map[string]any `json:"params,omitempty"`
	// One: the statement must affect exactly one row (a version UPDATE
	// or DELETE); What names it in the error otherwise.
	One  bool   `json:"one,omitempty"`
	What string `json:"what,omitempty"`
}

// Step is one step for the driver to run in one transaction: check that
// Select returns Before, run the revision, run Ops, check that Select
// returns After, run Finish (the audit row), commit.
type Step struct {
	Revision  string      `json:"revision"`
	Path      string      `json:"path"`
	Direction string      `json:"direction"` // "upgrade" or "downgrade"
	Select    string      `json:"select"`
	Before    []string    `json:"before"`
	After     []string    `json:"after"`
	Ops       []Statement `json:"ops"`
	Finish    []Statement `json:"finish,omitempty"`
}

// OfflineStep is a step to render as SQL.
type OfflineStep struct {
	Revision  string `json:"revision"`
	Path      string `json:"path"`
	Direction string `json:"direction"`
}

// Offline is one step's SQL from Alembic's offline mode, or why there is
// none.
type Offline struct {
	SQL   string   `json:"sql"`
	Error *PyError `json:"error"`
}

// Event is something the driver reports while it works.
type Event struct {
	// Kind is "statement", "notice", "log", "output" or "autocommit".
	Kind string `json:"event"`
	// SQL, Rows and DurationMS of a statement the revision ran;
	// Autocommit: it ran in an autocommit_block(), outside the step's
	// transaction.
	SQL        string  `json:"sql"`
	Rows       int64   `json:"rows"`
	DurationMS float64 `json:"duration_ms"`
	Autocommit bool    `json:"autocommit"`
	// Begin: an autocommit_block() began (true) or ended.
	Begin bool `json:"begin"`
	// Severity and Text of a notice; Logger, Level and Text of a logging
	// record; Stream ("stdout", "stderr") and Text of a printed line.
	Severity string `json:"severity"`
	Logger   string `json:"logger"`
	Level    string `json:"level"`
	Stream   string `json:"stream"`
	Text     string `json:"text"`
}

// PyError is an exception raised in the driver's Python.
type PyError struct {
	Type    string `json:"type"`
	Message string `json:"message"`
	// File and Line: where in the revision file the traceback passes.
	File string `json:"file"`
	Line int    `json:"line"`
	// Traceback is Python's, whole.
	Traceback string `json:"traceback"`
	// SQLState, Detail, Hint and Statement of a database error.
	SQLState  string `json:"sqlstate"`
	Detail    string `json:"detail"`
	Hint      string `json:"hint"`
	Statement string `json:"statement"`
	// Stale: the version table did not hold the rows the step expected.
	Stale *struct {
		Have []string `json:"have"`
		Want []string `json:"want"`
	} `json:"stale"`
	// Cancelled: the step stopped because retort asked it to.
	Cancelled bool `json:"cancelled"`
	// Where is "starting" for a failure before the first step could be
	// asked for (env.py failed).
	Where string `json:"where"`
}

func (e *PyError) Error() string {
	msg := e.Type
	if e.Message != "" {
		msg += ": " + e.Message
	}
	if e.File != "" {
		msg = fmt.Sprintf("%s:%d: %s", e.File, e.Line, msg)
	}
	return msg
}

// StepResult is how a step ended.
type StepResult struct {
	// Ran is the number of the revision's statements that ran.
	Ran int
	// Autocommit: some ran in an autocommit_block() and stay applied.
	Autocommit bool
	DurationMS float64
}

// reply is any line the driver writes.
type reply struct {
	Event
	Done    bool        `json:"done"`
	Error   *PyError    `json:"error"`
	Ran     int         `json:"ran"`
	Files   []Evaluated `json:"files"`
	Steps   []Offline   `json:"steps"`
	Inspect *Inspection `json:"inspect"`
	Ready
	Hello
}

// SQLAlchemyURL spells a retort database URL the way SQLAlchemy wants it:
// `postgresql://` (SQLAlchemy 1.4 refuses `postgres://`), `sqlite:///PATH`.
func SQLAlchemyURL(url string) string {
	switch {
	case strings.HasPrefix(url, "postgres://"):
		return "postgresql://" + strings.TrimPrefix(url, "postgres://")
	case strings.HasPrefix(url, "sqlite:///"):
		return url
	case strings.HasPrefix(url, "sqlite://"):
		return "sqlite:///" + strings.TrimPrefix(url, "sqlite://")
	case strings.HasPrefix(url, "sqlite:"):
		return "sqlite:///" + strings.TrimPrefix(url, "sqlite:")
	}
	return url
}
