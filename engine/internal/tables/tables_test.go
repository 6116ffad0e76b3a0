package tables

import (
	"strings"
	"testing"
	"time"

	sq "github.com/Masterminds/squirrel"

	"retort/models"
)

// TestQuoting covers identifiers and literals.
func TestQuoting(t *testing.T) {
	idents := map[string]string{"alembic_version": "alembic_version", "Mixed": `"Mixed"`, "user": `"user"`,
		"with space": `"with space"`, `q"uote`: `"q""uote"`, "9lives": `"9lives"`, "a$b": "a$b"}
	for in, want := range idents {
		if got := QuoteIdent(in); got != want {
			t.Errorf("QuoteIdent(%q) = %s, want %s", in, got, want)
		}
	}
	if got := QuoteLiteral("it's"); got != "'it''s'" {
		t.Errorf("QuoteLiteral = %s", got)
	}
	got, err := Inline(Version{Ref{Name: "v"}}.DeleteAll())
	if err != nil || got != "DELETE FROM v" {
		t.Errorf("Inline(DeleteAll) = %q, %v", got, err)
	}
}

// TestInlineQuotes: a '?' inside a quoted identifier or literal is not a
// placeholder, and values are quoted literals.
func TestInlineQuotes(t *testing.T) {
	v := Version{Ref{Schema: "o'v", Name: "t"}}
	q, err := v.Op(models.VersionOp{Kind: models.OpUpdate, From: "a'b", To: "c"}, false)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Inline(q)
	want := `UPDATE "o'v".t SET version_num='c' WHERE "o'v".t.version_num = 'a''b'`
	if err != nil || got != want {
		t.Errorf("Inline = %q, %v; want %q", got, err, want)
	}
	for _, q := range []sq.Sqlizer{sq.Expr("SELECT '?', \"a'b\", ?", "x"), sq.Expr("SELECT 'it''s ?', ?", "y")} {
		got, err := Inline(q)
		if err != nil || strings.Count(got, "'x'")+strings.Count(got, "'y'") != 1 {
			t.Errorf("Inline: %q, %v", got, err)
		}
	}
	if _, err := Inline(sq.Expr("SELECT 'open ?", "x")); err == nil {
		t.Error("Inline accepted an unterminated literal")
	}
	if err := (Ref{Name: "t?"}).Check(); err == nil {
		t.Error("a '?' in a table name was accepted")
	}
}

// TestGuardedValues: the guard's arguments go right before the version
// table's value, where InsertGuarded puts the guard.
func TestGuardedValues(t *testing.T) {
	a := Audit{Ref: Ref{Name: "retort_log"}, VersionTable: "alembic_version"}
	row := Row{Revision: "r1", Direction: "upgrade", After: []string{"r1"}, Started: time.Unix(0, 0), Finished: time.Unix(1, 0),
		Outcome: "ok", VersionTable: "alembic_version"}
	guard := Version{Ref{Name: "alembic_version"}}.SelectRows()
	q, err := a.InsertGuarded(row.Values(), guard)
	if err != nil {
		t.Fatal(err)
	}
	sql, args, err := q.ToSql()
	if err != nil {
		t.Fatal(err)
	}
	want := GuardedValues(row.Values(), nil)
	if strings.Count(sql, "?") != len(want) || len(args) != len(want) || args[len(args)-1] != "alembic_version" {
		t.Errorf("InsertGuarded = %s %v", sql, args)
	}
	if got := SplitRows(JoinRows([]string{"a", "b"})); len(got) != 2 || SplitRows("") != nil {
		t.Errorf("SplitRows(JoinRows) = %v", got)
	}
}
