// Package tables builds the statements retort runs on its own tables:
// Alembic's version table and retort's audit log beside it. It does no I/O:
// every statement is a squirrel Sqlizer with `?` placeholders (Render turns
// them into a dialect's placeholders, Inline into quoted literals for a
// preview), or DDL text, whose dialect-dependent parts are parameters. The
// engine runs the statements; the dialects of the engine supply those
// parameters.
package tables
