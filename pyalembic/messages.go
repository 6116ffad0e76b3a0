package pyalembic

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
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

// Identity is the database the driver's connection reaches, and as whom.
type Identity struct {
	Dialect string `json:"dialect"`
	// Database and SystemIdentifier: PostgreSQL's current_database() and
	// the cluster's system identifier.
	Database         string `json:"database"`
	SystemIdentifier string `json:"system_identifier"`
	// User is the database user (PostgreSQL's current_user).
	User string `json:"user"`
	// Backend is the server session of the connection (PostgreSQL).
	Backend *Backend `json:"backend"`
	// Path is SQLite's main database file.
	Path string `json:"path"`
}

// Backend identifies a PostgreSQL server session: its pid and start, the
// server's start and its address and port as the session reached it.
type Backend struct {
	PID           int32      `json:"pid"`
	Started       *time.Time `json:"started"`
	ServerStarted time.Time  `json:"server_started"`
	Addr          string     `json:"addr"`
}

// Stmt is a statement with its arguments in the DBAPI's style (psycopg2's
// %s, sqlite3's ?). Prepare, when set, is the PREPARE of the statement
// named Name that SQL executes (PostgreSQL): the driver runs it before SQL,
// unless the statement is prepared on the connection already.
type Stmt struct {
	SQL     string `json:"sql"`
	Args    []any  `json:"args,omitempty"`
	Prepare string `json:"prepare,omitempty"`
	Name    string `json:"name,omitempty"`
}

// BodyRequest is the revision body a transaction runs.
type BodyRequest struct {
	Revision  string `json:"revision"`
	Path      string `json:"path"`
	Direction string `json:"direction"` // "upgrade" or "downgrade"
}

// BodyResult is what a body ran: the statements SQLAlchemy sent, and of
// them those that committed whatever follows (before and in an
// autocommit_block()).
type BodyResult struct {
	Ran, Kept int
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
	// SQL is the whole text, Statements each statement (without its ';')
	// or comment.
	SQL        string             `json:"sql"`
	Statements []OfflineStatement `json:"statements"`
	Error      *PyError           `json:"error"`
}

// OfflineStatement is one statement Alembic's offline mode wrote, with the
// line of the revision file that wrote it (0: unknown).
type OfflineStatement struct {
	SQL     string `json:"sql"`
	Line    int    `json:"line"`
	Comment bool   `json:"comment"`
}

// Event is something the driver reports while it works.
type Event struct {
	// Kind is "statement", "notice", "log", "output" or "autocommit".
	Kind string `json:"event"`
	// SQL, Rows and DurationMS of a statement the revision ran, Line the
	// line of the revision file it came from (0: unknown); Autocommit: it
	// ran in an autocommit_block(), outside the step's transaction.
	SQL        string  `json:"sql"`
	Line       int     `json:"line"`
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
	// SQLState, Severity (SeverityNonlocalized: in English), Detail,
	// Hint, Position and Statement of a database error; Closed: the
	// connection it came on is closed.
	SQLState             string `json:"sqlstate"`
	Severity             string `json:"severity"`
	SeverityNonlocalized string `json:"severity_nonlocalized"`
	Detail               string `json:"detail"`
	Hint                 string `json:"hint"`
	Position             int32  `json:"position"`
	Statement            string `json:"statement"`
	Closed               bool   `json:"closed"`
	// Cancelled: the step stopped because retort asked it to.
	Cancelled bool `json:"cancelled"`
	// Where is "starting" for a failure before the first step could be
	// asked for (env.py failed).
	Where string `json:"where"`
}

func (e *PyError) Error() string {
	msg := e.Message
	if e.Type != "" && msg != "" {
		msg = e.Type + ": " + msg
	} else if e.Type != "" {
		msg = e.Type
	}
	if e.File != "" {
		msg = fmt.Sprintf("%s:%d: %s", e.File, e.Line, msg)
	}
	return msg
}

// reply is any line the driver writes.
type reply struct {
	Event
	Done  bool     `json:"done"`
	Error *PyError `json:"error"`
	Ran   int      `json:"ran"`
	Kept  int      `json:"kept"`
	// RowsAffected, Affected and Failed of an exec and a batch; Values
	// (the first column) of a begin, Result of a query; Backend: the
	// server session of the transaction begun.
	RowsAffected int64           `json:"rows_affected"`
	Affected     []int64         `json:"affected"`
	Failed       int             `json:"failed"`
	Values       []string        `json:"values"`
	Result       json.RawMessage `json:"result"`
	Backend      *Backend        `json:"backend"`
	Files        []Evaluated     `json:"files"`
	Steps        []Offline       `json:"steps"`
	Inspect      *Inspection     `json:"inspect"`
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
