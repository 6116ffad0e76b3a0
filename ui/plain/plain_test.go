package plain

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"retort/models"
	"retort/revisions"
)

func load(t *testing.T, name string) *models.Graph {
	t.Helper()
	g, err := revisions.Load(filepath.Join("..", "testdata", "histories", name))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// noDowngrade is a history whose second revision has no downgrade section.
func noDowngrade(t *testing.T) (*models.Graph, string) {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"a1_base.sql": "-- Revision ID: a10000000001\n-- Revises:\n-- Message: base\n\n-- +upgrade\nCREATE TABLE t (id INT);\n\n-- +downgrade\nDROP TABLE t;\n",
		"b2_next.sql": "-- Revision ID: b20000000002\n-- Revises: a10000000001\n-- Message: next\n\n-- +upgrade\nCREATE TABLE u (id INT);\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	g, err := revisions.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return g, filepath.Join(dir, "b2_next.sql")
}

// Each class of CommandError the UI can meet, raised by the revisions
// package itself, is said in plain words: none of Alembic's phrasing, the
// revision ids kept.
func TestCommandErrorsInWords(t *testing.T) {
	branches, labels := load(t, "branches"), load(t, "labels")
	nd, ndPath := noDowngrade(t)
	two := []string{"4d0000000004", "6f0000000006"}
	plan := func(p *models.Plan, err error) error { return err }
	write := func(_ *models.Revision, err error) error { return err }
	cases := []struct {
		name  string
		err   error
		class error
		want  []string
	}{
		{"downgrade to a pending revision", plan(revisions.Downgrade(branches, []string{"2b0000000002"}, "4d0000000004")),
			revisions.ErrBadDowngradeTarget, []string{"4d0000000004 is not applied", "at 2b0000000002", "nothing to downgrade"}},
		{"downgrade to a revision of another branch, two rows", plan(revisions.Downgrade(branches, two, "7a0000000007")),
			revisions.ErrBadDowngradeTarget, []string{"7a0000000007 is not applied", "4d0000000004 and 6f0000000006"}},
		{"+1 with two rows", plan(revisions.Upgrade(branches, two, "+1")),
			revisions.ErrAmbiguousWalk, []string{"several revisions", "select a revision on the branch"}},
		{"+1 from a branch point", plan(revisions.Upgrade(branches, []string{"2b0000000002"}, "+1")),
			revisions.ErrAmbiguousWalk, []string{"branch point or a merge", "U or D"}},
		{"+1 at the head", plan(revisions.Upgrade(branches, []string{"9c0000000009"}, "+1")),
			revisions.ErrRelative, []string{"no revision above", "head"}},
		{"-1 at base", plan(revisions.Downgrade(branches, nil, "-1")),
			revisions.ErrRelative, []string{"nothing below"}},
		{"head with two heads", plan(revisions.Upgrade(labels, nil, "head")),
			revisions.ErrMultipleHeads, []string{"several heads", "c30000000003 and f30000000003"}},
		{"stamp head with two heads", plan(revisions.Stamp(labels, nil, []string{"head"}, false)),
			revisions.ErrMultipleHeads, []string{"several heads", "c30000000003 and f30000000003"}},
		{"a row no file defines", plan(revisions.Upgrade(branches, []string{"ffff00000000"}, "9c0000000009")),
			revisions.ErrNotFound, []string{"no revision file defines ffff00000000"}},
		{"an ambiguous prefix", plan(revisions.Upgrade(labels, nil, "c")),
			revisions.ErrNotFound, []string{"c could be any of", "c10000000001", "c30000000003"}},
		{"no downgrade section", plan(revisions.Downgrade(nd, []string{"b20000000002"}, "base")),
			revisions.ErrNoDowngrade, []string{"b20000000002 (" + ndPath + ") has no downgrade section", "nothing ran"}},
		{"-1 with two rows", plan(revisions.Downgrade(branches, two, "-1")),
			revisions.ErrRefused, []string{"several revisions (4d0000000004 and 6f0000000006)", "press d"}},
		{"rev@-1 below where two rows part", plan(revisions.Downgrade(branches, two, "2b0000000002@-1")),
			revisions.ErrRefused, []string{"4d0000000004 and 6f0000000006 are both above 2b0000000002", "press d"}},
		{"a new revision on a non-head", write(revisions.NewRevision(branches, []string{t.TempDir()}, revisions.NewRevisionOptions{Head: "2b0000000002"})),
			revisions.ErrAuthoring, []string{"2b0000000002 is not a head", "new branch"}},
		{"a merge naming a head twice", write(revisions.Merge(labels, []string{t.TempDir()}, []string{"c30000000003", "c30000000003"}, revisions.MergeOptions{})),
			revisions.ErrAuthoring, []string{"named twice"}},
		{"a new revision with two heads", write(revisions.NewRevision(labels, []string{t.TempDir()}, revisions.NewRevisionOptions{})),
			revisions.ErrMultipleHeads, []string{"several heads", "c30000000003 and f30000000003"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var ce *revisions.CommandError
			if !errors.As(c.err, &ce) || !errors.Is(c.err, c.class) {
				t.Fatalf("the revisions package raised %v, not a CommandError of class %v", c.err, c.class)
			}
			got := Error(c.err)
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("%q does not say %q", got, w)
				}
			}
			// Alembic's own wording is gone: its message, and its hidden
			// reason.
			if strings.Contains(got, ce.Message) || ce.Detail != "" && strings.Contains(got, ce.Detail) {
				t.Errorf("%q still quotes Alembic's %q / %q", got, ce.Message, ce.Detail)
			}
		})
	}
}

// A wrapped CommandError is said in words too, and words given with Say
// win.
func TestWrappedAndSaid(t *testing.T) {
	_, err := revisions.Upgrade(load(t, "branches"), []string{"9c0000000009"}, "+1")
	wrapped := fmt.Errorf("cannot upgrade: %w", err)
	if got := Error(wrapped); !strings.Contains(got, "no revision above") {
		t.Errorf("wrapped: %q", got)
	}
	if got := Error(Say(wrapped, "in my words")); got != "in my words" {
		t.Errorf("said: %q", got)
	}
}

// Go's context errors are said in words: a run cancelled while it waited
// for the lock, a read that timed out.
func TestContextErrorsInWords(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cancelled := fmt.Errorf("run cancelled while waiting for the lock on alembic_version (held by pid 7): %w", ctx.Err())
	got := Error(cancelled)
	if strings.Contains(got, "context") || !strings.Contains(got, "run cancelled while waiting for the lock") {
		t.Errorf("cancelled: %q", got)
	}
	bare := fmt.Errorf("reading the version table: %w", ctx.Err())
	if got := Error(bare); strings.Contains(got, "context") || !strings.Contains(got, "cancelled") {
		t.Errorf("cancelled, not said otherwise: %q", got)
	}
	tctx, tcancel := context.WithTimeout(context.Background(), 0)
	defer tcancel()
	<-tctx.Done()
	timeout := fmt.Errorf("reading the version table: %w", tctx.Err())
	if got := Error(timeout); strings.Contains(got, "context") || !strings.Contains(got, "did not answer in time") {
		t.Errorf("timeout: %q", got)
	}
}
