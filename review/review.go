// Package review reviews a merge: for two or more heads, or the parents of
// a merge revision, their common ancestors, each branch's revisions since
// them, and the database objects each revision touches (tables, columns,
// indexes, constraints, views, functions...), read from its statements
// with PostgreSQL's grammar (package sqlfacts) for a .sql revision, and
// from the difference its upgrade makes to the schema, built in a scratch
// database (package revschema), for an Alembic .py revision. An object
// that more than one branch touches, and at least one of them changes, is
// shared: the review names it with the statements on each side.
//
// The result is plain data (Review) for `retort review` (Text, JSON) and
// the UI's review view.
package review

import (
	"context"
	"fmt"

	"retort/models"
	"retort/pgparse"
	"retort/schema"
)

// Review is the review of two or more branches.
type Review struct {
	// Merge is the merge revision reviewed, nil when heads were named.
	Merge *Ref `json:"merge,omitempty"`
	// Heads are the branches' newest revisions: the merge's parents, or
	// the revisions named.
	Heads []string `json:"heads"`
	// Ancestors are the newest revisions every branch has (through
	// parents): the branch point, usually one; none when the branches
	// start at different bases.
	Ancestors []Ref `json:"common_ancestors"`
	// Branches are in the order of Heads.
	Branches []Branch `json:"branches"`
	// Shared are the objects touched by more than one branch, in the
	// order the branches first touch them.
	Shared []Shared `json:"shared"`
}

// Ref names a revision.
type Ref struct {
	ID      string `json:"revision"`
	Message string `json:"message"`
}

func refOf(r *models.Revision) Ref { return Ref{ID: r.ID, Message: r.Message} }

// Branch is one head and its revisions since the common ancestors.
type Branch struct {
	Head string `json:"head"`
	// Labels are the head's branch labels, inherited ones included.
	Labels []string `json:"labels"`
	// Revisions are oldest first, in the order an upgrade runs them.
	Revisions []Revision `json:"revisions"`
}

// Revision is one revision of a branch and what it touches.
type Revision struct {
	ID      string `json:"revision"`
	Message string `json:"message"`
	Path    string `json:"path"`
	// Format is "sql" or "alembic".
	Format string `json:"format"`
	// Source says where the touches come from: SourceStatements,
	// SourceSchema, or "" when the revision could not be analysed (Notes
	// say why).
	Source  string  `json:"source"`
	Touches []Touch `json:"touches"`
	// KnownTo are the heads of the other branches that have this revision
	// too: it is on their branch, or one of theirs depends on it. What it
	// does was known to them, and is shared with nobody.
	KnownTo []string `json:"known_to"`
	// Notes say what the analysis could not see: a statement the grammar
	// refused, one that runs code retort cannot see into, a .py revision
	// that could not be run in a scratch database.
	Notes []string `json:"notes,omitempty"`
}

// Where the touches of a revision come from.
const (
	SourceStatements = "statements"
	SourceSchema     = "schema difference"
)

// Analysed reports whether the revision's touches are known (perhaps in
// part: see Notes).
func (r *Revision) Analysed() bool { return r.Source != "" }

// Touch is one object one statement of a revision touches.
type Touch struct {
	Object
	// Change is what the statement does to it: create, alter, drop,
	// rename, write (rows), or use (reads or references it).
	Change string `json:"change"`
	// Line is the statement's line in the revision file; 0 for a change
	// read from the schema difference.
	Line int `json:"line,omitempty"`
	// Statement is the statement's SQL, or for a .py revision the schema
	// difference's lines for the object ("+ column due date").
	Statement string `json:"statement"`
}

// ChangeUse is the change of a touch that only reads or references an
// object.
const ChangeUse = "use"

// Options are what an analysis needs.
type Options struct {
	// Parser is PostgreSQL's grammar, for .sql revisions (required when
	// there is one).
	Parser *pgparse.Parser
	// Schemas says what an Alembic .py revision changes in the schema;
	// nil when no scratch database is configured: such revisions are
	// listed, not analysed, and say so.
	Schemas Schemas
	// Progress is told of each revision as its analysis starts; nil
	// ignores it.
	Progress func(Progress)
}

// Progress is how far an analysis is.
type Progress struct {
	// Done revisions of Total are analysed; Revision is the one starting.
	Done, Total int
	Revision    string
}

// Schemas says what a revision's upgrade changes in the schema.
type Schemas interface {
	// Changes is the difference from the schema at what revision i of g
	// needs to the schema at revision i.
	Changes(ctx context.Context, g *models.Graph, i int) ([]schema.Group, error)
}

// Analyze reviews the branches of g that t names (see Targets): it splits
// them (Split), reads what each revision touches, and finds the shared
// objects. An error is trouble (the grammar would not
// start, ctx ended); a revision that cannot be analysed says so in its
// Notes.
func Analyze(ctx context.Context, g *models.Graph, t Target, opts Options) (*Review, error) {
	r, lay := split(g, t)
	revs := lay.revs
	total := 0
	for _, b := range revs {
		total += len(b)
	}
	done := 0
	cache := map[int]Revision{}
	for k, b := range revs {
		for n, i := range b {
			rv, ok := cache[i]
			if !ok {
				if opts.Progress != nil {
					opts.Progress(Progress{Done: done, Total: total, Revision: g.Revisions[i].ID})
				}
				var err error
				if rv, err = analyzeOne(ctx, g, i, opts); err != nil {
					return nil, err
				}
				cache[i] = rv
			}
			done++
			rv.KnownTo = r.Branches[k].Revisions[n].KnownTo
			r.Branches[k].Revisions[n] = rv
		}
	}
	if opts.Progress != nil {
		opts.Progress(Progress{Done: total, Total: total})
	}
	r.Shared = findShared(r, lay)
	return r, nil
}

// analyzeOne reads what revision i touches.
func analyzeOne(ctx context.Context, g *models.Graph, i int, opts Options) (Revision, error) {
	rev := g.Revisions[i]
	rv := Revision{ID: rev.ID, Message: rev.Message, Path: rev.Path, Format: rev.Format.String(), Touches: []Touch{}}
	if err := ctx.Err(); err != nil {
		return rv, err
	}
	if rev.Format == models.FormatPython {
		return fromSchema(ctx, g, i, rv, opts.Schemas)
	}
	if opts.Parser == nil {
		return rv, fmt.Errorf("reviewing %s: no SQL grammar", rev.ID)
	}
	return fromStatements(opts.Parser, rev, rv)
}

// ExitStatus is what `retort review` exits with: 1 when an object is
// shared; else 2 when a revision could not be analysed (the review is
// incomplete), 0 when every one was.
func (r *Review) ExitStatus() int {
	switch {
	case len(r.Shared) > 0:
		return 1
	case r.NotAnalysed() > 0:
		return 2
	}
	return 0
}

// NotAnalysed is how many revisions of the branches could not be analysed.
func (r *Review) NotAnalysed() int {
	n := 0
	for _, b := range r.Branches {
		for k := range b.Revisions {
			if !b.Revisions[k].Analysed() {
				n++
			}
		}
	}
	return n
}

// IsShared reports whether o is one of the shared objects.
func (r *Review) IsShared(o Object) bool {
	for _, s := range r.Shared {
		if s.Object.key() == o.key() {
			return true
		}
	}
	return false
}
