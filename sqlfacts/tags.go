package sqlfacts

import (
	"strings"

	"retort/pgparse"
)

// tagOf is the command a parse tree is, in SQL's words.
func tagOf(n pgparse.Node) string {
	switch n.Type() {
	case "CreateStmt":
		return "CREATE TABLE"
	case "AlterTableStmt":
		return "ALTER " + strings.ToUpper(string(relationKind(n.Str("objtype"))))
	case "IndexStmt":
		return "CREATE INDEX"
	case "DropStmt":
		return "DROP " + strings.ToUpper(string(dropKind(n.Str("removeType"))))
	case "RenameStmt":
		return "ALTER " + strings.ToUpper(string(renameTarget(n))) + " RENAME"
	case "ViewStmt":
		return "CREATE VIEW"
	case "CreateTableAsStmt":
		if n.Str("objtype") == "OBJECT_MATVIEW" {
			return "CREATE MATERIALIZED VIEW"
		}
		return "CREATE TABLE AS"
	case "InsertStmt":
		return "INSERT"
	case "UpdateStmt":
		return "UPDATE"
	case "DeleteStmt":
		return "DELETE"
	case "MergeStmt":
		return "MERGE"
	case "SelectStmt":
		return "SELECT"
	case "VacuumStmt":
		if n.Bool("is_vacuumcmd") {
			return "VACUUM"
		}
		return "ANALYZE"
	case "VariableSetStmt":
		return "SET"
	case "CreateTrigStmt":
		return "CREATE TRIGGER"
	case "CreateFunctionStmt":
		if n.Bool("is_procedure") {
			return "CREATE PROCEDURE"
		}
		return "CREATE FUNCTION"
	case "DoStmt":
		return "DO"
	case "CallStmt":
		return "CALL"
	case "LockStmt":
		return "LOCK TABLE"
	}
	// CreateSeqStmt → CREATE SEQ, CommentStmt → COMMENT...: the node's
	// name without Stmt, in capitals, is close enough for the rest.
	return strings.ToUpper(strings.TrimSuffix(n.Type(), "Stmt"))
}

func renameTarget(n pgparse.Node) Kind {
	switch t := n.Str("renameType"); t {
	case "OBJECT_COLUMN", "OBJECT_TABCONSTRAINT", "OBJECT_ATTRIBUTE":
		return relationKind(n.Str("relationType"))
	case "OBJECT_TABLE", "OBJECT_VIEW", "OBJECT_MATVIEW", "OBJECT_INDEX", "OBJECT_SEQUENCE", "OBJECT_FOREIGN_TABLE":
		return relationKind(t)
	default:
		return dropKind(t)
	}
}
