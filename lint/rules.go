package lint

import (
	"retort/sqlfacts"
)

// RuleInfo describes a rule.
type RuleInfo struct {
	Name  string
	Level Level
	// What the rule flags, in a sentence.
	What string
}

// Rules lists every rule, the failing ones first.
func Rules() []RuleInfo {
	return []RuleInfo{
		{"require-concurrent-index-creation", LevelWarning, "CREATE INDEX without CONCURRENTLY on an existing table"},
		{"adding-required-field", LevelWarning, "ADD COLUMN ... NOT NULL without a default on an existing table"},
		{"add-column-rewrites-table", LevelWarning, "ADD COLUMN with a volatile default, serial, identity or stored generated column on an existing table"},
		{"changing-column-type", LevelWarning, "ALTER COLUMN ... TYPE on an existing table"},
		{"constraint-missing-not-valid", LevelWarning, "a foreign key or check constraint added without NOT VALID to an existing table, or validated in the step that added it"},
		{"set-not-null-on-large-table", LevelWarning, "SET NOT NULL on a table that is large (or whose size retort cannot know), unless a valid CHECK (col IS NOT NULL) proves it"},
		{"drop-used-object", LevelWarning, "DROP of a table or column that views or other tables' foreign keys use"},
		{"require-lock-timeout", LevelWarning, "a step that takes a lock blocking writes on an existing table with no lock_timeout set"},
		{"concurrently-in-transaction", LevelWarning, "a statement that cannot run in a transaction (CONCURRENTLY, VACUUM) in a revision that runs in one"},
		{"syntax-error", LevelWarning, "a statement PostgreSQL's grammar refuses"},
		{"disallowed-unique-constraint", LevelAdvice, "ADD CONSTRAINT ... UNIQUE, PRIMARY KEY or EXCLUDE building its index on an existing table"},
		{"require-concurrent-index-deletion", LevelAdvice, "DROP INDEX without CONCURRENTLY"},
		{"renaming-column", LevelAdvice, "RENAME COLUMN on an existing table"},
		{"renaming-table", LevelAdvice, "RENAME of an existing table, view or schema"},
		{"ban-drop-column", LevelAdvice, "DROP COLUMN of an existing table"},
		{"ban-drop-table", LevelAdvice, "DROP TABLE of an existing table"},
		{"prefer-bigint", LevelAdvice, "int, smallint, serial or smallserial columns"},
		{"prefer-identity", LevelAdvice, "serial columns"},
		{"prefer-text-field", LevelAdvice, "varchar(n) columns"},
		{"ban-char-field", LevelAdvice, "char(n) columns"},
		{"prefer-timestamptz", LevelAdvice, "timestamp without time zone columns"},
		{"prefer-jsonb", LevelAdvice, "json columns"},
		{"prefer-robust-stmts", LevelAdvice, "CREATE or DROP without IF [NOT] EXISTS in a revision that runs outside a transaction"},
		{"backfill-in-transaction", LevelAdvice, "an UPDATE or DELETE of a table the same step locks against writes"},
		{"index-more-than-three-columns", LevelAdvice, "a non-unique index over more than three columns"},
		{"ban-truncate-cascade", LevelAdvice, "TRUNCATE ... CASCADE"},
		{"identifier-too-long", LevelAdvice, "a name over 63 bytes, which PostgreSQL cuts"},
	}
}

func levelOf(rule string) Level {
	for _, r := range Rules() {
		if r.Name == rule {
			return r.Level
		}
	}
	return LevelWarning
}

// check runs every rule on statement i.
func (s *step) check(i int) error {
	st := &s.res.Statements[i]
	if st.Err != nil {
		perr, _ := st.Err.(*sqlfacts.ParseError)
		line := s.res.section().Line - 1
		if perr != nil {
			line += perr.Line
		}
		s.report("syntax-error", i, "PostgreSQL's grammar refuses this statement at line %d: %s. It will fail when it runs.",
			line, st.Err.Error())
		return nil
	}
	if st.NoTransaction && s.transactional() {
		s.report("concurrently-in-transaction", i, "%s cannot run inside a transaction block, and this revision runs in one: "+
			"put it in a revision of its own with \"-- Transaction: none\" in the header.", st.Tag)
	}
	s.checkLockTimeout(i, st)
	for _, n := range st.Nodes {
		switch n.Type() {
		case "IndexStmt":
			s.checkIndex(i, n)
		case "AlterTableStmt":
			if err := s.checkAlterTable(i, st, n); err != nil {
				return err
			}
		case "CreateStmt":
			s.checkColumnTypes(i, n.List("tableElts"))
		case "DropStmt":
			if err := s.checkDrop(i, st, n); err != nil {
				return err
			}
		case "RenameStmt":
			s.checkRename(i, n)
		case "UpdateStmt", "DeleteStmt":
			s.checkBackfill(i, st)
		case "TruncateStmt":
			if st.Cascade {
				s.report("ban-truncate-cascade", i, "TRUNCATE ... CASCADE also empties every table whose foreign keys reference these, "+
					"whichever they are when it runs: truncate the tables by name.")
			}
		}
	}
	s.checkRobust(i, st)
	s.checkNames(i, st)
	return nil
}
