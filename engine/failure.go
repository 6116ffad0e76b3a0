package engine

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"

	"retort/engine/sqlsplit"
	"retort/models"
)

// statementFailure describes a failed statement as plain data: what the
// database said and where, in the revision file, the statement (or, when
// PostgreSQL gives a position, the offending token) is.
func statementFailure(s *models.Step, sec models.Section, st sqlsplit.Statement, err error) *models.Failure {
	f := &models.Failure{
		Message:   err.Error(),
		Statement: st.SQL,
		Path:      s.Revision.Path,
		Line:      sec.Line + st.Line - 1,
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		f.SQLState, f.Message, f.Detail, f.Hint = pe.Code, pe.Message, pe.Detail, pe.Hint
		if pe.Position > 0 {
			line, _ := sqlsplit.Position(sec.SQL, st, int(pe.Position))
			f.Line = sec.Line + line - 1
		}
	}
	return f
}
