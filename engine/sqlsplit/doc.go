// Package sqlsplit is retort's SQL lexer. It splits a revision's upgrade or
// downgrade section into the statements the engine executes one by one, lexes
// text into tokens for the UI's highlighting, classifies destructive
// statements for the guarded-downgrade modal and maps a PostgreSQL error
// position back to a line and column of the revision file.
//
// One lexer serves PostgreSQL and SQLite. Where the two dialects disagree it
// follows PostgreSQL, the primary target:
//
//   - '...' strings follow standard_conforming_strings (a backslash is an
//     ordinary character); E'...' strings take backslash escapes; U&'...',
//     B'...', X'...' and N'...' are strings; "..." and U&"..." are quoted
//     identifiers, and so are SQLite's `...` (PostgreSQL lists the backtick
//     as an operator character but no operator uses it).
//   - $$...$$ and $tag$...$tag$ are dollar-quoted strings; $1 and SQLite's
//     $name are parameters. A $ inside a word belongs to the word (a$$b is
//     one identifier), as in PostgreSQL.
//   - -- comments end at a line feed or a carriage return; /* */ comments
//     nest. SQLite's [bracketed] identifiers are not supported: in
//     PostgreSQL [ ] are array subscripts.
//
// Statements end at a ';' that is outside parentheses (psql's rule, which
// keeps CREATE RULE ... DO (a; b) whole) and outside the body of
// CREATE FUNCTION/PROCEDURE ... BEGIN ATOMIC ... END or
// CREATE TRIGGER ... BEGIN ... END. Inside those two statement kinds the
// splitter counts BEGIN and CASE against END at parenthesis depth 0, the
// heuristic psql itself uses, so an ordinary `BEGIN;` still ends at its ';'.
//
// Lines are counted by line feeds: "\r\n" is one line break and a lone "\r"
// is none, as bufio.ScanLines and package revisions count them.
package sqlsplit
