package ui

import (
	"errors"
	"fmt"
	"strconv"

	"retort/models"
	"retort/revisions"
	"retort/visible"
)

// errText is an error's message, with Alembic's hidden reason when there is
// one.
func errText(err error) string {
	if err == nil {
		return ""
	}
	var ce *revisions.CommandError
	if errors.As(err, &ce) && ce.Detail != "" {
		return ce.Message + " (" + ce.Detail + ")"
	}
	return err.Error()
}

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
