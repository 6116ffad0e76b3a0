// Package ident holds the rules on revision identifiers and branch labels
// that both file formats follow, so that every id and label in a graph can
// be printed unambiguously and named in a target.
package ident

import (
	"fmt"
	"strings"

	"retort/visible"
)

// MaxIDLength is the width of alembic_version.version_num: a longer id
// could never be recorded as applied.
const MaxIDLength = 32

// CheckID applies Alembic's rule on revision identifiers (no `@`, `-` or
// `+`) and retort's own: no whitespace or commas, no control or invisible
// character, no `:`, and at most 32 bytes so that alembic_version can hold
// it.
func CheckID(id string) error {
	var illegal []string
	for _, c := range []string{"+", "-", "@"} {
		if strings.Contains(id, c) {
			illegal = append(illegal, c)
		}
	}
	if len(illegal) > 0 {
		return fmt.Errorf("Character(s) '%s' not allowed in revision identifier '%s'", strings.Join(illegal, ", "), id)
	}
	if strings.ContainsAny(id, " \t,") {
		return fmt.Errorf("revision identifier %q contains whitespace or a comma", id)
	}
	if err := checkName("revision identifier", id); err != nil {
		return err
	}
	if len(id) > MaxIDLength {
		return fmt.Errorf("revision identifier %q is %d characters long; alembic_version.version_num holds at most %d", id, len(id), MaxIDLength)
	}
	return nil
}

// CheckLabel applies retort's rule on branch labels: no control or
// invisible character and no `:`. (Where a label may contain `@`, spaces or
// commas is the file format's business.)
func CheckLabel(label string) error { return checkName("branch label", label) }

// checkName refuses what would make a name print like another, or that no
// target can name.
func checkName(what, name string) error {
	if i := strings.IndexFunc(name, visible.Control); i >= 0 {
		r := []rune(name[i:])[0]
		return fmt.Errorf("%s %q contains an invisible or control character (U+%04X), which would make it print like another", what, name, r)
	}
	if strings.Contains(name, ":") {
		return fmt.Errorf("%s %q contains ':', which separates the ends of a range: no target could name it", what, name)
	}
	return nil
}
