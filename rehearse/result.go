package rehearse

import (
	"encoding/json"
	"time"

	"retort/models"
	"retort/schema"
)

// Status is how a revision's rehearsal went.
type Status string

const (
	// RoundTrip: the downgrade restored the schema and the rows, and the
	// second upgrade gave the first's schema.
	RoundTrip Status = "round-trip"
	// Differs: it ran, but something was not restored (Schema, Rows) or
	// the second upgrade differs from the first (Again).
	Differs Status = "differs"
	// Failed: the upgrade, the downgrade or the second upgrade failed (or
	// was refused, as a downgrade without a downgrade section is).
	Failed Status = "failed"
	// NotRehearsed: the revision could not be reached, because what it
	// needs failed or could not be applied, or the engine refused to run
	// it (a format it has no executor for).
	NotRehearsed Status = "not rehearsed"
)

// Phase names the moment of a rehearsal.
type Phase string

const (
	PhaseNeeds   Phase = "upgrade to what it needs"
	PhaseSeed    Phase = "seed"
	PhaseUpgrade Phase = "upgrade"
	PhaseDown    Phase = "downgrade"
	PhaseAgain   Phase = "upgrade again"
)

// Outcome is one revision's rehearsal, as plain data (the CLI prints it
// with Text, the UI shows it, --json encodes it).
type Outcome struct {
	Revision string `json:"revision"`
	Message  string `json:"message"`
	Path     string `json:"path"`
	Status   Status `json:"status"`
	// Phase is where a rehearsal Failed or stopped (NotRehearsed).
	Phase Phase `json:"phase,omitempty"`
	// Error says what failed; Failure is the database's account of a
	// failed statement.
	Error   string          `json:"error,omitempty"`
	Failure *models.Failure `json:"-"`
	// Schema is what the downgrade did not restore: from the schema before
	// the upgrade to the schema after the downgrade.
	Schema []schema.Group `json:"schema,omitempty"`
	// Rows are the tables whose rows the downgrade did not restore.
	Rows []RowsChange `json:"rows,omitempty"`
	// Again is how the schema after the second upgrade differs from the
	// schema after the first.
	Again    []schema.Group `json:"again,omitempty"`
	Duration time.Duration  `json:"duration_ns"`
}

// MarshalJSON writes the outcome with its failure's fields named as the
// rest of retort's JSON names them.
func (o Outcome) MarshalJSON() ([]byte, error) {
	type plain Outcome
	type failure struct {
		SQLState  string `json:"sqlstate,omitempty"`
		Message   string `json:"message"`
		Detail    string `json:"detail,omitempty"`
		Hint      string `json:"hint,omitempty"`
		Statement string `json:"statement,omitempty"`
		Path      string `json:"path,omitempty"`
		Line      int    `json:"line,omitempty"`
		Ran       int    `json:"ran,omitempty"`
	}
	out := struct {
		plain
		Failure *failure `json:"failure,omitempty"`
	}{plain: plain(o)}
	if f := o.Failure; f != nil {
		out.Failure = &failure{f.SQLState, f.Message, f.Detail, f.Hint, f.Statement, f.Path, f.Line, f.Ran}
	}
	return json.Marshal(out)
}

// RowsChange is a table whose rows differ between before the upgrade and
// after the downgrade.
type RowsChange struct {
	Table string `json:"table"`
	// Before and After are the row counts (0 where the table is missing).
	Before int `json:"before"`
	After  int `json:"after"`
	// Lost and Gained are the rows (as JSON objects) there before and not
	// after, and the reverse; both empty when the table had too many rows
	// to keep, and only the counts and digests were compared.
	Lost   []string `json:"lost,omitempty"`
	Gained []string `json:"gained,omitempty"`
}

// Result is a rehearsal of one or more revisions.
type Result struct {
	// Dialect is the scratch database's.
	Dialect  string    `json:"dialect"`
	Outcomes []Outcome `json:"revisions"`
}

// Count is how many outcomes have status s.
func (r *Result) Count(s Status) int {
	n := 0
	for _, o := range r.Outcomes {
		if o.Status == s {
			n++
		}
	}
	return n
}

// ExitStatus is what `retort rehearse` exits with: 0 when every revision
// round-trips, 1 when one does not (differs or fails), 2 when none fails
// but one could not be rehearsed.
func (r *Result) ExitStatus() int {
	switch {
	case r.Count(Differs)+r.Count(Failed) > 0:
		return 1
	case r.Count(NotRehearsed) > 0:
		return 2
	}
	return 0
}
