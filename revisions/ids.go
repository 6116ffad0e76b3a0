package revisions

import "retort/revisions/internal/ident"

// CheckRevisionID applies Alembic's rule on revision identifiers (no `@`,
// `-` or `+`) and retort's own: no whitespace or commas, no control or
// invisible character (two ids would print alike), no `:` (no target could
// name it), and at most 32 bytes so that alembic_version can hold it.
func CheckRevisionID(id string) error { return ident.CheckID(id) }
