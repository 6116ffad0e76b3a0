package ui

import (
	"fmt"
	"strconv"

	"retort/models"
	"retort/ui/plain"
	"retort/visible"
)

// errText is what the UI says about an error: Alembic's messages and Go's
// context errors in plain words (see package plain).
func errText(err error) string { return plain.Error(err) }

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func itoa(n int) string { return strconv.Itoa(n) }

func matchCount(n int) string {
	if n == 1 {
		return "1 match"
	}
	return itoa(n) + " matches"
}

// shortList names revisions by their short ids, as shown.
func shortList(ids []string) []string {
	out := make([]string, len(ids))
	for k, id := range ids {
		out[k] = visible.Line(models.ShortID(id))
	}
	return out
}
