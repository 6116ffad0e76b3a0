package lint

import (
	"fmt"

	"retort/models"
	"retort/pgparse"
	"retort/sqlfacts"
)

// Without a database, what uses a table or a column is read from the
// revisions: the views and materialized views that read it and the foreign
// keys of other tables that reference it, as the history and the plan
// create and drop them. Function bodies are not read.

type user struct {
	kind  sqlfacts.Kind
	name  sqlfacts.Name
	owner sqlfacts.Name // the table holding a foreign key
	where string
	table sqlfacts.Name
	// columns are the column names the user mentions; all: SELECT *.
	columns map[string]bool
	all     bool
}

func (u user) describe() string {
	if u.kind == sqlfacts.Constraint {
		return fmt.Sprintf("foreign key %s on %s (%s)", u.name.Name, u.owner, u.where)
	}
	return fmt.Sprintf("%s %s (%s)", u.kind, u.name, u.where)
}

type usage struct {
	users []user
}

// usesOf are the users of a table, or of its column when col is not "",
// other than the table's own foreign keys.
func (u *usage) usesOf(t sqlfacts.Name, col string) []user {
	var out []user
	for _, x := range u.users {
		if !x.table.Same(t) || (x.owner.Name != "" && x.owner.Same(t)) {
			continue
		}
		if col == "" || x.all || x.columns[col] {
			out = append(out, x)
		}
	}
	return out
}

// add updates the users with what a statement creates and drops.
func (u *usage) add(rev *models.Revision, line int, st *sqlfacts.Statement) {
	where := fmt.Sprintf("%s:%d", rev.Path, line)
	for _, o := range st.Objects {
		switch o.Change {
		case sqlfacts.Drop:
			u.drop(o)
		case sqlfacts.Rename:
			if o.Kind == sqlfacts.Table {
				u.rename(o.Name, o.NewName)
			}
		}
	}
	for _, n := range st.Nodes {
		switch n.Type() {
		case "ViewStmt", "CreateTableAsStmt":
			u.addView(n, where)
		case "CreateStmt":
			owner := relName(n.Field("relation"))
			for _, elt := range n.List("tableElts") {
				cons := []pgparse.Node{elt}
				if elt.Is("ColumnDef") {
					cons = elt.List("constraints")
				}
				for _, c := range cons {
					u.addForeignKey(owner, c, where)
				}
			}
		case "AlterTableStmt":
			owner := relName(n.Field("relation"))
			for _, cmd := range n.List("cmds") {
				def := cmd.Field("def")
				u.addForeignKey(owner, def, where)
				for _, c := range def.List("constraints") {
					u.addForeignKey(owner, c, where)
				}
			}
		}
	}
}

func relName(n pgparse.Node) sqlfacts.Name {
	return sqlfacts.Name{Schema: n.Str("schemaname"), Name: n.Str("relname")}
}

func (u *usage) addView(n pgparse.Node, where string) {
	kind, name, query := sqlfacts.View, relName(n.Field("view")), n.Field("query")
	if n.Is("CreateTableAsStmt") {
		if n.Str("objtype") != "OBJECT_MATVIEW" {
			return // a table filled once uses nothing afterwards
		}
		kind, name = sqlfacts.MatView, relName(n.Field("into").Field("rel"))
	}
	cols, all := map[string]bool{}, false
	var tables []sqlfacts.Name
	query.Walk(func(x pgparse.Node) bool {
		switch {
		case x.Is("RangeVar"):
			tables = append(tables, relName(x))
		case x.Is("ColumnRef"):
			for _, f := range x.List("fields") {
				if f.Is("A_Star") {
					all = true
				} else if s := f.StringValue(); s != "" {
					cols[s] = true
				}
			}
		}
		return true
	})
	for _, t := range tables {
		u.users = append(u.users, user{kind: kind, name: name, where: where, table: t, columns: cols, all: all})
	}
}

func (u *usage) addForeignKey(owner sqlfacts.Name, con pgparse.Node, where string) {
	if !con.Is("Constraint") || con.Str("contype") != "CONSTR_FOREIGN" {
		return
	}
	cols := map[string]bool{}
	for _, c := range con.Strings("pk_attrs") {
		cols[c] = true
	}
	name := con.Str("conname")
	if name == "" {
		name = "(unnamed)"
	}
	u.users = append(u.users, user{kind: sqlfacts.Constraint, name: sqlfacts.Name{Name: name}, owner: owner,
		where: where, table: relName(con.Field("pktable")), columns: cols, all: len(cols) == 0})
}

func (u *usage) drop(o sqlfacts.Object) {
	keep := u.users[:0]
	for _, x := range u.users {
		gone := false
		switch o.Kind {
		case sqlfacts.View, sqlfacts.MatView:
			gone = x.kind == o.Kind && x.name.Same(o.Name)
		case sqlfacts.Table:
			gone = x.owner.Name != "" && x.owner.Same(o.Name)
		case sqlfacts.Constraint:
			gone = x.kind == sqlfacts.Constraint && x.name.Name == o.Name.Name && x.owner.Same(o.Table)
		}
		if !gone {
			keep = append(keep, x)
		}
	}
	u.users = keep
}

func (u *usage) rename(from sqlfacts.Name, to string) {
	for i := range u.users {
		if u.users[i].table.Same(from) {
			u.users[i].table.Name = to
		}
		if u.users[i].owner.Name != "" && u.users[i].owner.Same(from) {
			u.users[i].owner.Name = to
		}
	}
}

// usageOf builds the users from the history, then the steps linted so
// far, the first time a rule needs them.
func (s *step) usage(upTo int) (*usage, error) {
	if s.uses != nil {
		return s.uses, nil
	}
	u := &usage{}
	for _, rev := range s.o.History {
		if rev.Format != models.FormatSQL || !rev.Upgrade.Present {
			continue
		}
		stmts, err := sqlfacts.Analyze(s.o.Parser, rev.Upgrade.SQL)
		if err != nil {
			return nil, err
		}
		for i := range stmts {
			if stmts[i].Err == nil {
				u.add(rev, rev.Upgrade.Line+stmts[i].Line-1, &stmts[i])
			}
		}
	}
	for _, done := range s.done {
		for i := range done.Statements {
			u.add(done.Revision, done.FileLine(i), &done.Statements[i])
		}
	}
	for i := 0; i < upTo; i++ {
		u.add(s.res.Revision, s.res.FileLine(i), &s.res.Statements[i])
	}
	s.uses = u
	return u, nil
}
