package lint

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"retort/models"
	"retort/pgparse"
	"retort/sqlfacts"
)

// plan is what lint knows as it goes through the steps in order.
type plan struct {
	ctx context.Context
	o   Options
	// created are the tables created by the steps so far: new, so that
	// nothing else uses them yet.
	created []sqlfacts.Name
	// lockTimeout: a session-level SET lock_timeout in an earlier step
	// is still in force (the steps of a run share one session).
	lockTimeout bool
	// notNull are columns a valid CHECK (col IS NOT NULL) proves: SET
	// NOT NULL on them reads nothing.
	notNull []columnRef
	// pendingChecks are CHECK (col IS NOT NULL) constraints added NOT
	// VALID, by table and name, that a VALIDATE would make valid.
	pendingChecks map[columnRef]string
	// uses are the objects that use tables and columns, from the history
	// and the steps so far; built at the first DROP that needs them.
	uses *usage
	// done are the steps linted so far.
	done []*StepResult
}

type columnRef struct {
	table sqlfacts.Name
	name  string // a column, or a constraint in pendingChecks' keys
}

func newPlan(ctx context.Context, o Options) *plan {
	return &plan{ctx: ctx, o: o, pendingChecks: map[columnRef]string{}}
}

// isNew reports whether a table was created earlier in the plan.
func (p *plan) isNew(t sqlfacts.Name) bool {
	for _, c := range p.created {
		if c.Same(t) {
			return true
		}
	}
	return false
}

// step is one step being linted.
type step struct {
	*plan
	res *StepResult
	// lockTimeout: a SET lock_timeout earlier in the step (or session).
	lockTimeout     bool
	lockTimeoutDone bool // require-lock-timeout reported once per step
	// exclusive are the tables this step has locked with a lock that
	// blocks writes so far (held until the step commits).
	exclusive []sqlfacts.Name
	// notValid are the constraints added NOT VALID in this step.
	notValid []columnRef
}

func (p *plan) lintStep(st Step) (StepResult, error) {
	res := StepResult{Step: st}
	sec := res.section()
	switch {
	case st.Revision.Format == models.FormatPython:
		res.Reason = "not linted: .py revision (offline rendering comes with the Python executor)"
		return res, nil
	case st.Revision.Unreadable():
		res.Reason = "not linted: the revision file could not be read"
		return res, nil
	case !sec.Present:
		res.Reason = "not linted: no " + st.Direction.String() + " section"
		return res, nil
	}
	stmts, err := sqlfacts.Analyze(p.o.Parser, sec.SQL)
	if err != nil {
		return res, err
	}
	res.Linted, res.Statements = true, stmts
	s := &step{plan: p, res: &res, lockTimeout: p.lockTimeout || p.o.LockTimeout > 0}
	for i := range stmts {
		if err := s.check(i); err != nil {
			return res, err
		}
		s.record(i)
	}
	p.done = append(p.done, &res)
	return res, nil
}

// report adds a finding on statement i.
func (s *step) report(rule string, i int, format string, args ...any) {
	s.res.Findings = append(s.res.Findings, Finding{Rule: rule, Level: levelOf(rule), Statement: i,
		Line: s.res.FileLine(i), Message: fmt.Sprintf(format, args...)})
}

// transactional reports whether the step runs in a transaction.
func (s *step) transactional() bool { return s.res.Revision.Transactional }

// existing reports whether a table exists before the step's statement:
// not created earlier in the plan (or this step).
func (s *step) existing(t sqlfacts.Name) bool { return !s.isNew(t) }

// record updates what the plan knows after statement i.
func (s *step) record(i int) {
	st := &s.res.Statements[i]
	for _, o := range st.Objects {
		switch {
		case o.Kind == sqlfacts.Table && o.Change == sqlfacts.Create:
			s.created = append(s.created, o.Name)
		case o.Kind == sqlfacts.Table && o.Change == sqlfacts.Rename && s.isNew(o.Name):
			s.created = append(s.created, sqlfacts.Name{Schema: o.Name.Schema, Name: o.NewName})
		}
	}
	for _, l := range st.Locks {
		if l.Mode.BlocksWrites() {
			s.exclusive = append(s.exclusive, l.On)
		}
	}
	for _, set := range st.Settings {
		if set.Name == "lock_timeout" {
			on := set.Value != "DEFAULT" && !isZero(set.Value)
			s.lockTimeout = on
			if !set.Local {
				s.plan.lockTimeout = on
			}
		}
	}
	if on, ok := setConfigLockTimeout(st); ok {
		s.lockTimeout = on
	}
	for _, n := range st.Nodes {
		s.recordChecks(n)
	}
	if s.uses != nil {
		s.uses.add(s.res.Revision, s.res.FileLine(i), st)
	}
}

// recordChecks keeps the CHECK (col IS NOT NULL) constraints of an ALTER
// TABLE: valid ones prove the column not null; NOT VALID ones will once
// validated.
func (s *step) recordChecks(n pgparse.Node) {
	if !n.Is("AlterTableStmt") {
		return
	}
	table := sqlfacts.Name{Schema: n.Field("relation").Str("schemaname"), Name: n.Field("relation").Str("relname")}
	for _, cmd := range n.List("cmds") {
		switch cmd.Str("subtype") {
		case "AT_AddConstraint":
			con := cmd.Field("def")
			if con.Bool("skip_validation") {
				s.notValid = append(s.notValid, columnRef{table, con.Str("conname")})
			}
			col := isNotNullCheck(con)
			switch {
			case col == "":
			case con.Bool("skip_validation"):
				s.pendingChecks[columnRef{table, con.Str("conname")}] = col
			default:
				s.notNull = append(s.notNull, columnRef{table, col})
			}
		case "AT_ValidateConstraint":
			if col, ok := s.pendingChecks[columnRef{table, cmd.Str("name")}]; ok {
				s.notNull = append(s.notNull, columnRef{table, col})
			}
		}
	}
}

// isNotNullCheck returns the column of a CHECK (col IS NOT NULL)
// constraint, "" for any other constraint.
func isNotNullCheck(con pgparse.Node) string {
	if con.Str("contype") != "CONSTR_CHECK" {
		return ""
	}
	e := con.Field("raw_expr")
	if !e.Is("NullTest") || e.Str("nulltesttype") != "IS_NOT_NULL" {
		return ""
	}
	ref := e.Field("arg")
	if !ref.Is("ColumnRef") {
		return ""
	}
	f := ref.List("fields")
	if len(f) == 0 {
		return ""
	}
	return f[len(f)-1].StringValue()
}

// provenNotNull reports whether a valid check constraint proves a column
// not null.
func (s *step) provenNotNull(t sqlfacts.Name, col string) bool {
	for _, c := range s.notNull {
		if c.table.Same(t) && c.name == col {
			return true
		}
	}
	return false
}

// isZero reports whether a lock_timeout value turns it off ("0", "0s").
func isZero(v string) bool {
	v = strings.TrimSpace(strings.ToLower(v))
	v = strings.TrimRight(v, "smhdu ")
	f, err := strconv.ParseFloat(v, 64)
	return err == nil && f == 0
}

// setConfigLockTimeout reads SELECT set_config('lock_timeout', '1s', ...).
func setConfigLockTimeout(st *sqlfacts.Statement) (on, ok bool) {
	for _, n := range st.Nodes {
		n.Walk(func(x pgparse.Node) bool {
			if !x.Is("FuncCall") || strings.Join(x.Strings("funcname"), ".") != "set_config" {
				return true
			}
			args := x.List("args")
			if len(args) >= 2 && constString(args[0]) == "lock_timeout" {
				on, ok = !isZero(constString(args[1])), true
			}
			return true
		})
	}
	return on, ok
}

func constString(n pgparse.Node) string {
	if !n.Is("A_Const") {
		return ""
	}
	if n.Has("sval") {
		return n.Field("sval").Str("sval")
	}
	if n.Has("ival") {
		return strconv.Itoa(n.Field("ival").Int("ival"))
	}
	return ""
}
