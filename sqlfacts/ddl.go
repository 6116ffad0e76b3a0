package sqlfacts

import (
	"strconv"
	"strings"

	"retort/pgparse"
)

// Indexes, drops, renames, views, triggers and the other DDL.

func createIndex(s *Statement, n pgparse.Node) {
	rel := rangeVar(n.Field("relation"))
	s.IfExists = n.Bool("if_not_exists")
	s.touch(Object{Kind: Index, Name: Name{Schema: rel.Schema, Name: n.Str("idxname")}, Table: rel, Change: Create})
	s.touch(Object{Kind: Table, Name: rel, Change: Use})
	if n.Bool("concurrent") {
		s.Concurrently, s.NoTransaction = true, true
		s.lock(ShareUpdateExclusive, rel, "CREATE INDEX CONCURRENTLY")
		s.scan(rel, "CREATE INDEX CONCURRENTLY reads every row (twice), letting reads and writes go on")
		return
	}
	s.lock(Share, rel, "CREATE INDEX")
	s.scan(rel, "CREATE INDEX reads every row to build the index")
}

// dropKind maps a DROP's object type to a Kind.
func dropKind(t string) Kind {
	switch t {
	case "OBJECT_TABLE", "OBJECT_FOREIGN_TABLE":
		return Table
	case "OBJECT_INDEX":
		return Index
	case "OBJECT_VIEW":
		return View
	case "OBJECT_MATVIEW":
		return MatView
	case "OBJECT_SEQUENCE":
		return Sequence
	case "OBJECT_FUNCTION", "OBJECT_AGGREGATE", "OBJECT_ROUTINE":
		return Function
	case "OBJECT_PROCEDURE":
		return Procedure
	case "OBJECT_TYPE", "OBJECT_DOMAIN":
		return Type
	case "OBJECT_SCHEMA":
		return Schema
	case "OBJECT_EXTENSION":
		return Extension
	case "OBJECT_TRIGGER":
		return Trigger
	case "OBJECT_RULE":
		return Rule
	case "OBJECT_POLICY":
		return Policy
	}
	return Kind(strings.ToLower(strings.TrimPrefix(t, "OBJECT_")))
}

func drop(s *Statement, n pgparse.Node) {
	kind := dropKind(n.Str("removeType"))
	s.IfExists = n.Bool("missing_ok")
	s.Cascade = n.Str("behavior") == "DROP_CASCADE"
	if n.Bool("concurrent") {
		s.Concurrently, s.NoTransaction = true, true
	}
	for _, o := range n.List("objects") {
		obj := Object{Kind: kind, Change: Drop}
		switch {
		case o.Is("List") && (kind == Trigger || kind == Rule || kind == Policy):
			obj.Table, obj.Name.Name = tableOf(o.Strings("items"))
			// Dropping a trigger, rule or policy changes how the table
			// is read or written: ACCESS EXCLUSIVE on it.
			s.lock(AccessExclusive, obj.Table, "DROP "+strings.ToUpper(string(kind)))
		case o.Is("List"):
			obj.Name = qualified(o.Strings("items"))
		case o.Is("ObjectWithArgs"):
			obj.Name = qualified(o.Strings("objname"))
		case o.Is("TypeName"):
			obj.Name = qualified(o.Strings("names"))
		case o.Is("String"):
			obj.Name = Name{Name: o.StringValue()}
		}
		s.touch(obj)
		switch kind {
		case Table, View, MatView, Sequence:
			s.lock(AccessExclusive, obj.Name, "DROP "+strings.ToUpper(string(kind)))
		case Index:
			// The index's table is locked too (ACCESS EXCLUSIVE, or SHARE
			// UPDATE EXCLUSIVE when CONCURRENTLY), but the statement does
			// not name it.
			mode := AccessExclusive
			if s.Concurrently {
				mode = ShareUpdateExclusive
			}
			s.lock(mode, obj.Name, "DROP INDEX")
		}
	}
}

// rename records the RENAME forms of ALTER.
func rename(s *Statement, n pgparse.Node) {
	rel := rangeVar(n.Field("relation"))
	newName := n.Str("newname")
	switch t := n.Str("renameType"); t {
	case "OBJECT_COLUMN", "OBJECT_ATTRIBUTE":
		s.touch(Object{Kind: Column, Name: Name{Name: n.Str("subname")}, Table: rel, NewName: newName, Change: Rename})
		s.touch(Object{Kind: relationKind(n.Str("relationType")), Name: rel, Change: Alter})
		s.lock(AccessExclusive, rel, "RENAME COLUMN")
	case "OBJECT_TABCONSTRAINT":
		s.touch(Object{Kind: Constraint, Name: Name{Name: n.Str("subname")}, Table: rel, NewName: newName, Change: Rename})
		s.lock(AccessExclusive, rel, "RENAME CONSTRAINT")
	case "OBJECT_TRIGGER", "OBJECT_RULE", "OBJECT_POLICY":
		s.touch(Object{Kind: dropKind(t), Name: Name{Name: n.Str("subname")}, Table: rel, NewName: newName, Change: Rename})
		s.lock(AccessExclusive, rel, "RENAME "+strings.TrimPrefix(t, "OBJECT_"))
	case "OBJECT_INDEX":
		s.touch(Object{Kind: Index, Name: rel, NewName: newName, Change: Rename})
		// Since PostgreSQL 12 an index is renamed under SHARE UPDATE
		// EXCLUSIVE, and its table is not locked.
		s.lock(ShareUpdateExclusive, rel, "ALTER INDEX RENAME")
	case "OBJECT_TABLE", "OBJECT_VIEW", "OBJECT_MATVIEW", "OBJECT_SEQUENCE", "OBJECT_FOREIGN_TABLE":
		s.touch(Object{Kind: relationKind(t), Name: rel, NewName: newName, Change: Rename})
		s.lock(AccessExclusive, rel, "RENAME")
	default:
		obj := Object{Kind: dropKind(t), NewName: newName, Change: Rename}
		switch o := n.Field("object"); {
		case o.Is("List"):
			obj.Name = qualified(o.Strings("items"))
		case o.Is("ObjectWithArgs"):
			obj.Name = qualified(o.Strings("objname"))
		case o.Is("String"):
			obj.Name = Name{Name: o.StringValue()}
		default:
			obj.Name = Name{Name: n.Str("subname")}
		}
		s.touch(obj)
	}
	s.IfExists = n.Bool("missing_ok")
}

func setSchema(s *Statement, n pgparse.Node) {
	kind := relationKind(n.Str("objectType"))
	if rel := n.Field("relation"); rel.Valid() {
		name := rangeVar(rel)
		s.touch(Object{Kind: kind, Name: name, NewName: n.Str("newschema") + "." + name.Name, Change: Rename})
		s.lock(AccessExclusive, name, "SET SCHEMA")
		return
	}
	s.touch(Object{Kind: dropKind(n.Str("objectType")), Name: objectName(n.Field("object")), Change: Alter})
}

// objectName reads the names a statement gives an object in its
// "object" field.
func objectName(o pgparse.Node) Name {
	switch {
	case o.Is("List"):
		return qualified(o.Strings("items"))
	case o.Is("ObjectWithArgs"):
		return qualified(o.Strings("objname"))
	case o.Is("TypeName"):
		return qualified(o.Strings("names"))
	case o.Is("String"):
		return Name{Name: o.StringValue()}
	}
	return Name{}
}

// createView records CREATE VIEW, CREATE MATERIALIZED VIEW and CREATE
// TABLE AS: the new relation, and the tables its query reads.
func createView(s *Statement, n pgparse.Node) {
	var name Name
	kind := View
	query := n.Field("query")
	if n.Is("CreateTableAsStmt") {
		into := n.Field("into")
		name = rangeVar(into.Field("rel"))
		kind = Table
		if n.Str("objtype") == "OBJECT_MATVIEW" {
			kind = MatView
		}
		s.IfExists = n.Bool("if_not_exists")
	} else {
		name = rangeVar(n.Field("view"))
		if n.Bool("replace") {
			s.lock(AccessExclusive, name, "CREATE OR REPLACE VIEW")
		}
	}
	s.touch(Object{Kind: kind, Name: name, Change: Create})
	reads(s, query, AccessShare)
	if kind != View {
		// CREATE TABLE AS and CREATE MATERIALIZED VIEW run the query.
		for _, o := range s.Objects {
			if o.Change == Use && o.Kind == Relation {
				s.scan(o.Name, "the query of "+s.Tag+" reads it")
			}
		}
	}
}

func createTrigger(s *Statement, n pgparse.Node) {
	rel := rangeVar(n.Field("relation"))
	s.touch(Object{Kind: Trigger, Name: Name{Name: n.Str("trigname")}, Table: rel, Change: Create})
	s.touch(Object{Kind: Function, Name: qualified(n.Strings("funcname")), Change: Use})
	s.lock(ShareRowExclusive, rel, "CREATE TRIGGER")
}

// set records SET name = value (and SET LOCAL).
func set(s *Statement, n pgparse.Node) {
	if n.Str("kind") != "VAR_SET_VALUE" && n.Str("kind") != "VAR_SET_DEFAULT" && n.Str("kind") != "VAR_RESET" {
		return
	}
	var vals []string
	for _, a := range n.List("args") {
		vals = append(vals, constText(a))
	}
	value := strings.Join(vals, ", ")
	if n.Str("kind") != "VAR_SET_VALUE" {
		value = "DEFAULT"
	}
	s.Settings = append(s.Settings, Setting{Name: n.Str("name"), Value: value, Local: n.Bool("is_local")})
}

// constText is an A_Const's value as text ("" for another node).
func constText(a pgparse.Node) string {
	if !a.Is("A_Const") {
		return ""
	}
	switch {
	case a.Has("sval"):
		return a.Field("sval").Str("sval")
	case a.Has("ival"):
		return strconv.Itoa(a.Field("ival").Int("ival"))
	case a.Has("fval"):
		return a.Field("fval").Str("fval")
	case a.Has("boolval"):
		if a.Field("boolval").Bool("boolval") {
			return "true"
		}
		return "false"
	}
	return ""
}

// lockStmt records LOCK TABLE, whose mode the parse tree gives by its
// number in PostgreSQL's lockdefs.h, the order of LockMode.
func lockStmt(s *Statement, n pgparse.Node) {
	mode := LockMode(n.Int("mode"))
	if mode < AccessShare || mode > AccessExclusive {
		mode = AccessExclusive
	}
	for _, r := range n.List("relations") {
		name := rangeVar(r)
		s.touch(Object{Kind: Table, Name: name, Change: Use})
		s.lock(mode, name, "LOCK TABLE")
	}
}
