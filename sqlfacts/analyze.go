package sqlfacts

import (
	"errors"

	"retort/engine/sqlsplit"
	"retort/pgparse"
)

// Analyze splits a section (an upgrade or downgrade script) as the engine
// does and says what each statement does. A statement the grammar refuses
// is returned with its Err set; the error is for a grammar that could not
// run at all.
func Analyze(p *pgparse.Parser, section string) ([]Statement, error) {
	split := sqlsplit.Split(section)
	out := make([]Statement, len(split))
	for i, st := range split {
		s, err := analyzeOne(p, section, st)
		if err != nil {
			return nil, err
		}
		out[i] = s
	}
	return out, nil
}

// AnalyzeStatement says what one statement does, standing alone (its
// Line is 1).
func AnalyzeStatement(p *pgparse.Parser, sql string) (Statement, error) {
	return analyzeOne(p, sql, sqlsplit.Statement{SQL: sql, Line: 1})
}

func analyzeOne(p *pgparse.Parser, section string, st sqlsplit.Statement) (Statement, error) {
	s := Statement{SQL: st.SQL, Offset: st.Offset, Line: st.Line}
	tree, err := p.Parse(st.SQL)
	var perr *pgparse.Error
	switch {
	case errors.As(err, &perr):
		line, col := sqlsplit.Position(section, st, perr.Position)
		s.Err = &ParseError{Message: perr.Message, Line: line, Column: col}
		return s, nil
	case err != nil:
		return s, err
	}
	for _, raw := range tree.Stmts {
		s.Nodes = append(s.Nodes, raw.Node)
		if s.Tag == "" {
			s.Tag = tagOf(raw.Node)
		}
		describe(&s, raw.Node)
	}
	if len(tree.Stmts) == 0 {
		s.Err = &ParseError{Message: "no statement", Line: st.Line, Column: 1}
	}
	return s, nil
}

// describe adds what one parse tree does to s.
func describe(s *Statement, n pgparse.Node) {
	switch n.Type() {
	case "CreateStmt":
		createTable(s, n)
	case "AlterTableStmt":
		alterTable(s, n)
	case "IndexStmt":
		createIndex(s, n)
	case "DropStmt":
		drop(s, n)
	case "RenameStmt":
		rename(s, n)
	case "AlterObjectSchemaStmt":
		setSchema(s, n)
	case "ViewStmt", "CreateTableAsStmt":
		createView(s, n)
	case "InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt":
		write(s, n)
	case "SelectStmt":
		selectStmt(s, n)
	case "TruncateStmt":
		truncate(s, n)
	case "CopyStmt":
		copyStmt(s, n)
	case "CreateTrigStmt":
		createTrigger(s, n)
	case "VariableSetStmt":
		set(s, n)
	case "LockStmt":
		lockStmt(s, n)
	default:
		describeOther(s, n)
	}
}

// rangeVar is the Name of a RangeVar.
func rangeVar(n pgparse.Node) Name {
	return Name{Schema: n.Str("schemaname"), Name: n.Str("relname")}
}

// qualified is the Name of a list of String nodes: [name], [schema, name]
// or [catalog, schema, name].
func qualified(parts []string) Name {
	switch len(parts) {
	case 0:
		return Name{}
	case 1:
		return Name{Name: parts[0]}
	}
	return Name{Schema: parts[len(parts)-2], Name: parts[len(parts)-1]}
}

// tableOf splits a qualified column or constraint reference [table,
// name] or [schema, table, name] into its table and its own name.
func tableOf(parts []string) (table Name, name string) {
	if len(parts) == 0 {
		return Name{}, ""
	}
	return qualified(parts[:len(parts)-1]), parts[len(parts)-1]
}
