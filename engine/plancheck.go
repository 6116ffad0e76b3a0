package engine

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"retort/engine/sqlsplit"
	"retort/models"
)

// section is the part of the revision file a step runs: its upgrade or its
// downgrade section; nothing for a stamp.
func section(s *models.Step) (models.Section, bool) {
	if s.Revision == nil || s.Direction == models.Stamp {
		return models.Section{}, false
	}
	if s.Direction == models.Downgrade {
		return s.Revision.Downgrade, true
	}
	return s.Revision.Upgrade, true
}

// transactional reports whether a step runs in one transaction; only a
// revision marked `Transaction: none` does not.
func transactional(s *models.Step) bool {
	return s.Revision == nil || s.Revision.Transactional
}

// checkPlan refuses, before anything runs, a plan this engine cannot carry
// out to the end: an Alembic .py revision (those run through Alembic), a
// downgrade of a revision without a downgrade section, a section whose SQL
// cannot be split with certainty. Every problem is reported, joined. It
// returns each step's statements (none for a stamp), split once for the
// whole run.
func checkPlan(plan *models.Plan) ([][]sqlsplit.Statement, error) {
	if plan == nil {
		return nil, fmt.Errorf("%w: no plan", ErrRefused)
	}
	var errs []error
	stmts := make([][]sqlsplit.Statement, len(plan.Steps))
	for i := range plan.Steps {
		s := &plan.Steps[i]
		if err := checkRows(plan, i); err != nil {
			errs = append(errs, err)
		}
		if s.Revision == nil {
			if s.Direction != models.Stamp {
				errs = append(errs, fmt.Errorf("step %d (%s) has no revision", i+1, s.ShortLog()))
			}
			continue
		}
		var err error
		if stmts[i], err = checkStep(s); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%w before anything ran: %w", ErrRefused, errors.Join(errs...))
	}
	return stmts, nil
}

// checkStep checks one step that runs a revision, and splits its section.
func checkStep(s *models.Step) ([]sqlsplit.Statement, error) {
	r := s.Revision
	if r.Format == models.FormatPython {
		return nil, fmt.Errorf("%s: revision %s is an Alembic Python revision; run it with Alembic (retort runs only .sql revisions)", r.Path, r.ID)
	}
	sec, _ := section(s)
	if !sec.Present {
		return nil, fmt.Errorf("%s: revision %s has no -- +%s section: it cannot be %sd", r.Path, r.ID, s.Direction, s.Direction)
	}
	var lexErr *sqlsplit.LexError
	if err := sqlsplit.Check(sec.SQL); errors.As(err, &lexErr) {
		return nil, fmt.Errorf("%s:%d: %s (in the %s section of revision %s)", r.Path, sec.Line+lexErr.Line-1, lexErr.Msg, s.Direction, r.ID)
	} else if err != nil {
		return nil, fmt.Errorf("%s: revision %s: %w", r.Path, r.ID, err)
	}
	stmts := sqlsplit.Split(sec.SQL)
	if r.Transactional {
		return stmts, checkNoTxControl(r, sec, stmts)
	}
	return stmts, nil
}

// txControl are the first words of statements that end or nest the step's
// transaction (START as in START TRANSACTION, END and ABORT as PostgreSQL's
// COMMIT and ROLLBACK; COMMIT PREPARED and ROLLBACK PREPARED start with
// theirs).
var txControl = map[string]bool{"BEGIN": true, "START": true, "COMMIT": true, "END": true,
	"ROLLBACK": true, "ABORT": true}

// checkNoTxControl refuses transaction control in a section that runs in the
// step's transaction: a COMMIT there would make half a step permanent, and
// PREPARE TRANSACTION would hand the step's changes to a prepared
// transaction that outlives it. The words are the statement's tokens
// without comments, so that `COMMIT/* x */` or a comment before `END` is
// seen as the server sees it.
func checkNoTxControl(r *models.Revision, sec models.Section, stmts []sqlsplit.Statement) error {
	for _, st := range stmts {
		if what, ok := txControlStatement(leadingWords(st.SQL, 3)); ok {
			return fmt.Errorf("%s:%d: %s would end the step's transaction; retort runs each revision in one transaction (write `-- Transaction: none` in the header to manage transactions yourself)",
				r.Path, sec.Line+st.Line-1, what)
		}
	}
	return nil
}

// txControlStatement names the transaction control a statement starting with
// words is, if it is any.
func txControlStatement(words []string) (string, bool) {
	if len(words) == 0 {
		return "", false
	}
	switch {
	case txControl[words[0]] && len(words) > 1 && words[1] == "PREPARED":
		return words[0] + " PREPARED", true
	case txControl[words[0]]:
		return words[0], !rollbackToSavepoint(words)
	case preparedTransaction(words):
		return "PREPARE TRANSACTION", true
	}
	return "", false
}

// preparedTransaction recognises PREPARE TRANSACTION 'id', and not the
// prepared statement `PREPARE transaction AS ...` (TRANSACTION is not a
// reserved word), which the word after the name tells apart.
func preparedTransaction(words []string) bool {
	if len(words) < 2 || words[0] != "PREPARE" || words[1] != "TRANSACTION" {
		return false
	}
	return len(words) < 3 || words[2] != "AS" && words[2] != "("
}

// leadingWords returns the first n significant tokens of a statement (no
// whitespace, no comments), upper-cased.
func leadingWords(sql string, n int) []string {
	var out []string
	for _, t := range sqlsplit.Tokens(sql) {
		if t.Kind == sqlsplit.Space || t.Kind == sqlsplit.Comment {
			continue
		}
		out = append(out, strings.ToUpper(t.Text))
		if len(out) == n {
			break
		}
	}
	return out
}

// rollbackToSavepoint recognises ROLLBACK [WORK | TRANSACTION] TO ..., which
// stays inside the transaction.
func rollbackToSavepoint(words []string) bool {
	return words[0] == "ROLLBACK" && slices.Contains(words[1:min(3, len(words))], "TO")
}

// checkRows verifies that step i's version changes take its Before rows to
// its After rows and that it starts where the previous step ended, so that
// the audit log and the stale-row check can trust them.
func checkRows(plan *models.Plan, i int) error {
	s := &plan.Steps[i]
	if i > 0 && !sameRows(plan.Steps[i-1].After, s.Before) {
		return fmt.Errorf("step %d (%s) starts from [%s] but the step before it ends at [%s]", i+1, s.ShortLog(),
			strings.Join(s.Before, ", "), strings.Join(plan.Steps[i-1].After, ", "))
	}
	after, err := applyOps(s.Before, s.Ops)
	if err == nil && !sameRows(after, s.After) {
		err = fmt.Errorf("its version changes lead to [%s], not to [%s]", strings.Join(after, ", "), strings.Join(s.After, ", "))
	}
	if err != nil {
		return fmt.Errorf("step %d (%s): %w", i+1, s.ShortLog(), err)
	}
	return nil
}

// applyOps computes the rows the version changes leave, failing on a change
// that cannot apply (inserting a row that is there, updating or deleting one
// that is not).
func applyOps(before []string, ops []models.VersionOp) ([]string, error) {
	rows := map[string]bool{}
	for _, r := range before {
		rows[r] = true
	}
	for _, op := range ops {
		if op.Kind != models.OpInsert {
			if !rows[op.From] {
				return nil, fmt.Errorf("%s: row %s is not there", describeOp(op), op.From)
			}
			delete(rows, op.From)
		}
		if op.Kind != models.OpDelete {
			if rows[op.To] {
				return nil, fmt.Errorf("%s: row %s is already there", describeOp(op), op.To)
			}
			rows[op.To] = true
		}
	}
	out := make([]string, 0, len(rows))
	for r := range rows {
		out = append(out, r)
	}
	slices.Sort(out)
	return out, nil
}
