// Package plain says errors in plain words for the UI. The command line
// prints Alembic's messages verbatim (scripts match them), but a sentence
// such as "Revision Nothing to drop is not an ancestor of revision
// 540677030265" tells a DBA nothing: here each class of the revisions
// package's CommandError becomes a sentence that says what is wrong and
// what to do on the screen, keeping the revision ids the message names.
// Go's "context canceled" and "context deadline exceeded" become words too.
package plain

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"retort/revisions"
)

// Said is an error the UI has already put in words: Error shows Text.
type Said struct {
	Text string
	Err  error
}

func (e *Said) Error() string { return e.Text }
func (e *Said) Unwrap() error { return e.Err }

// Say wraps err with the words the UI shows for it.
func Say(err error, text string) error { return &Said{Text: text, Err: err} }

// Wrap is err said in plain words (see Error), still wrapping err: for a
// writer of text such as engine/report, whose errors.As still finds what
// err holds. Nil stays nil.
func Wrap(err error) error {
	if err == nil {
		return nil
	}
	return Say(err, Error(err))
}

// Error is what the UI says about err: the words given with Say, a
// CommandError in plain words, or the error's own text with Go's context
// errors said in words.
func Error(err error) string {
	if err == nil {
		return ""
	}
	var said *Said
	if errors.As(err, &said) {
		return said.Text
	}
	var ce *revisions.CommandError
	if errors.As(err, &ce) {
		if s := command(ce); s != "" {
			return s
		}
		if ce.Detail != "" {
			return contextWords(err, ce.Message+" ("+ce.Detail+")")
		}
	}
	return contextWords(err, err.Error())
}

// contextWords replaces Go's texts for a cancelled context and a timeout
// with what happened.
func contextWords(err error, s string) string {
	switch {
	case errors.Is(err, context.Canceled):
		cut := strings.ReplaceAll(s, ": "+context.Canceled.Error(), "")
		if cut == s {
			cut = strings.ReplaceAll(s, context.Canceled.Error(), "cancelled")
		} else if !strings.Contains(strings.ToLower(cut), "cancel") {
			cut += " (cancelled)"
		}
		return cut
	case errors.Is(err, context.DeadlineExceeded):
		return strings.ReplaceAll(s, context.DeadlineExceeded.Error(), "the database did not answer in time")
	}
	return s
}

// rule turns the messages of one form into a sentence: match is the
// message (and, after a line break, the hidden reason) and say builds
// the sentence from the submatches.
type rule struct {
	class error
	match *regexp.Regexp
	say   func(m []string, ce *revisions.CommandError) string
}

// command says a CommandError in plain words, "" for a form it does not
// know (its class's own sentence, then, when there is one).
func command(ce *revisions.CommandError) string {
	text := ce.Message
	if ce.Detail != "" {
		text += "\n" + ce.Detail
	}
	for _, r := range rules() {
		if !errors.Is(ce, r.class) {
			continue
		}
		if m := r.match.FindStringSubmatch(text); m != nil {
			return r.say(m, ce)
		}
	}
	return classWords(ce)
}

// ids lists revision ids written "a, b" as "a and b".
func ids(list string) string {
	parts := strings.Split(strings.Trim(list, "()[] "), ",")
	for k := range parts {
		parts[k] = strings.Trim(strings.TrimSpace(parts[k]), "'")
	}
	switch len(parts) {
	case 1:
		return parts[0]
	case 2:
		return parts[0] + " and " + parts[1]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// rules are the forms of the messages the UI can meet: plans of its
// actions, and the revisions n and m write.
func rules() []rule {
	re := regexp.MustCompile
	return []rule{
		{revisions.ErrBadDowngradeTarget, re(`^Destination (\S+) is not a valid downgrade target.*\nRevision Nothing to drop is not an ancestor of revision (.+)$`),
			func(m []string, _ *revisions.CommandError) string {
				return m[1] + " is not applied (the database is at " + ids(m[2]) + "), so there is nothing to downgrade to it"
			}},
		{revisions.ErrAmbiguousWalk, re(`^Ambiguous upgrade from multiple current revisions`),
			func([]string, *revisions.CommandError) string {
				return "the database is at several revisions at once: select a revision on the branch to move, then press the key again"
			}},
		{revisions.ErrAmbiguousWalk, re(`^Ambiguous walk`),
			func([]string, *revisions.CommandError) string {
				return "one step from here meets a branch point or a merge, so it is not one revision: select the revision to go to and press U or D"
			}},
		{revisions.ErrRelative, re(`^Relative revision \+\d+ didn't produce`),
			func([]string, *revisions.CommandError) string {
				return "there is no revision above the current one on this branch: it is at its head"
			}},
		{revisions.ErrRelative, re(`^Relative revision -?\d+ didn't produce`),
			func([]string, *revisions.CommandError) string {
				return "there is nothing below the current revision to downgrade to"
			}},
		{revisions.ErrMultipleHeads, re(`\nMultiple heads are present for given argument '[^']*'; (.+)$`),
			func(m []string, _ *revisions.CommandError) string {
				return "there are several heads (" + ids(m[1]) + "): select the one you mean"
			}},
		{revisions.ErrMultipleHeads, re(`^Multiple heads are present`),
			func([]string, *revisions.CommandError) string {
				return "there are several heads: select the one you mean"
			}},
		{revisions.ErrNotFound, re(`^Can't locate revision identified by '([^']*)'`),
			func(m []string, ce *revisions.CommandError) string {
				if len(ce.Candidates) > 1 {
					return m[1] + " could be any of " + ids(strings.Join(ce.Candidates, ", ")) + ": give more of its id"
				}
				return "no revision file defines " + m[1]
			}},
		{revisions.ErrNoDowngrade, re(`^cannot downgrade to \S+: no "-- \+downgrade" section in (.+)$`),
			func(m []string, _ *revisions.CommandError) string {
				return "nothing ran: " + m[1] + " has no downgrade section (-- +downgrade), so it cannot be downgraded"
			}},
		{revisions.ErrRefused, re(`^downgrade \S+ from several current heads \(([^)]*)\) is ambiguous`),
			func(m []string, _ *revisions.CommandError) string {
				return "the database is at several revisions (" + ids(m[1]) + "): select a revision on the branch to move down, then press d"
			}},
		{revisions.ErrRefused, re(`^(\S+)@-1 is ambiguous: \d+ current revisions are on branch \S+ \(([^)]*)\)`),
			func(m []string, _ *revisions.CommandError) string {
				return "the current revisions " + ids(m[2]) + " are both above " + m[1] +
					": select a revision on one of their branches, above where they part, then press d"
			}},
		{revisions.ErrAuthoring, re(`^Revision (\S+) is not a head revision`),
			func(m []string, _ *revisions.CommandError) string {
				return m[1] + " is not a head: a revision written on it starts a new branch"
			}},
		{revisions.ErrAuthoring, re(`^Duplicate head revisions specified`),
			func([]string, *revisions.CommandError) string {
				return "the same head is named twice in the merge"
			}},
	}
}

// classWords is the sentence of a class whose message has no form of its
// own in rules: retort's own refusals and authoring errors are sentences
// already, said without Alembic's hidden reason; "" for the others.
func classWords(ce *revisions.CommandError) string {
	switch {
	case errors.Is(ce, revisions.ErrRefused):
		return "retort refuses this plan: " + ce.Message
	case errors.Is(ce, revisions.ErrAuthoring):
		return ce.Message
	}
	return ""
}
