package revisions

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"retort/models"
	"retort/revisions/internal/ident"
)

// ErrAuthoring: a new revision cannot be written as asked (a head that is
// not a head without --splice, the same head twice, an id or branch label
// already taken, a message that does not fit on a header line).
var ErrAuthoring = errors.New("cannot create revision")

// NewRevisionOptions are the arguments of `retort revision`, which are those
// of `alembic revision`.
type NewRevisionOptions struct {
	// Message is the one-line description ("" writes "empty message", as
	// Alembic does, and an empty slug).
	Message string
	// Head is what the new revision revises, resolved like `alembic revision
	// --head`: "" means "head"; also `heads`, ids, prefixes, `label@head`,
	// and `base` for a new base.
	Head string
	// Splice allows Head to be a revision that already has children: the
	// new revision starts a new branch from it.
	Splice bool
	// BranchLabels are declared by the new revision.
	BranchLabels []string
	// DependsOn entries are resolved to full revision ids, except branch
	// labels, which are kept as written.
	DependsOn []string
	// RevID is the new revision's id; "" generates a fresh one.
	RevID string
	// Now is the Create Date; the zero time means time.Now().
	Now time.Time
}

// MergeOptions are the arguments of `retort merge` besides the revisions.
type MergeOptions struct {
	Message      string
	BranchLabels []string
	RevID        string
	Now          time.Time
}

// genRequest is what Alembic's ScriptDirectory.generate_revision receives.
type genRequest struct {
	heads        []string
	splice       bool
	message      string
	branchLabels []string
	dependsOn    []string
	revID        string
	now          time.Time
}

// multipleHeadsForRevision is generate_revision's own MultipleHeads message.
const multipleHeadsForRevision = "Multiple heads are present; please specify the head revision on which the new revision should be based, or perform a merge."

// NewRevision writes a new `.sql` revision file `<rev>_<slug>.sql` with an
// empty upgrade and downgrade section, following the rules of Alembic's
// `revision` command, and returns it as ParseSQL reads it back. The file goes
// into the directory of the head it revises, or dirs[0] for a new base.
// Errors are *CommandError values carrying Alembic's message; nothing is
// written when there is an error.
func NewRevision(g *models.Graph, dirs []string, o NewRevisionOptions) (*models.Revision, error) {
	head := o.Head
	if head == "" {
		head = "head"
	}
	return generate(g, dirs, genRequest{
		heads: []string{head}, splice: o.Splice, message: o.Message,
		branchLabels: o.BranchLabels, dependsOn: o.DependsOn, revID: o.RevID, now: o.Now,
	})
}

// Merge writes a revision whose parents are revs resolved in the order given
// (`heads` stands for every real head, in load order), as `alembic merge`
// does: each must be a head, and none may appear twice. `base` among revs
// names nothing, so `Merge(..., []string{"base"}, ...)` writes a new base.
func Merge(g *models.Graph, dirs []string, revs []string, o MergeOptions) (*models.Revision, error) {
	if len(revs) == 0 {
		return nil, cmdErr(ErrAuthoring, "merge needs one or more revisions, or 'heads' for all heads")
	}
	return generate(g, dirs, genRequest{
		heads: revs, message: o.Message, branchLabels: o.BranchLabels, revID: o.RevID, now: o.Now,
	})
}

// generate follows generate_revision step by step, so that when several
// things are wrong the user sees the error Alembic would show first. Checks
// Alembic makes only after writing the file (a branch label already in use)
// are made before writing here.
func generate(g *models.Graph, dirs []string, req genRequest) (*models.Revision, error) {
	if g == nil {
		g = emptyGraph()
	}
	if err := checkMessage(req.message); err != nil {
		return nil, err
	}
	id, err := newRevisionID(g, req.revID)
	if err != nil {
		return nil, err
	}
	heads, err := resolveHeads(g, req.heads)
	if err != nil {
		return nil, err
	}
	dir, err := versionDir(g, dirs, heads)
	if err != nil {
		return nil, err
	}
	if !req.splice {
		if err := checkHeads(g, heads); err != nil {
			return nil, err
		}
	}
	deps, err := resolveDependsOn(g, req.dependsOn)
	if err != nil {
		return nil, err
	}
	if err := checkRedundantDeps(g, heads, req.dependsOn, deps); err != nil {
		return nil, err
	}
	if err := checkBranchLabels(g, id, req.branchLabels); err != nil {
		return nil, err
	}
	now := req.now
	if now.IsZero() {
		now = time.Now()
	}
	f := newFile{
		id: id, parents: g.IDs(heads), labels: req.branchLabels,
		deps: dependsOnNames(g, req.dependsOn, deps), message: req.message, created: now,
	}
	return f.write(dir)
}

func emptyGraph() *models.Graph {
	g, _ := Build(nil)
	return g
}

// checkMessage refuses a message that cannot be one header line.
func checkMessage(msg string) error {
	for _, r := range msg {
		if r < 0x20 || r == 0x7f {
			return cmdErr(ErrAuthoring, "the message %q must be one line of text without control characters (it is the file's \"-- Message:\" header)", msg)
		}
	}
	return nil
}

// resolveHeads resolves the --head argument (or merge's revisions) with
// get_revisions, then refuses the same revision twice. A revision the
// resolver returns as "none" (base) is left out: the new revision has no
// parent there.
func resolveHeads(g *models.Graph, args []string) ([]int, error) {
	r := resolver{g}
	got, err := r.getRevisionsOf(args)
	if err != nil {
		return nil, catch(err, catchOpts{multipleHeads: multipleHeadsForRevision})
	}
	seen := map[int]bool{}
	heads := make([]int, 0, len(got))
	for _, h := range got {
		if h == refBase {
			// Alembic asserts `h != "base"` here and crashes.
			return nil, catch(crash("generate_revision", "%s walks below the base; name a revision, or base for a new base", strings.Join(args, " ")), catchOpts{})
		}
		if seen[h] {
			return nil, cmdErr(ErrAuthoring, "Duplicate head revisions specified")
		}
		seen[h] = true
		if h != refNone {
			heads = append(heads, h)
		}
	}
	return heads, nil
}

// checkHeads: without --splice every parent must be a head (a revision
// without children; one that others only depend on is still a head).
func checkHeads(g *models.Graph, heads []int) error {
	for _, h := range heads {
		if !g.IsHead(h) {
			return cmdErr(ErrAuthoring, "Revision %s is not a head revision; please specify --splice to create a new branch from this revision", g.Revisions[h].ID)
		}
	}
	return nil
}

// versionDir picks the directory of the new file: with one versions
// directory, that one; with several, the directory of the first parent, or
// dirs[0] for a new base (where Alembic asks for --version-path instead).
func versionDir(g *models.Graph, dirs []string, heads []int) (string, error) {
	if len(dirs) == 0 {
		return "", cmdErr(ErrAuthoring, "no versions directory given")
	}
	if len(dirs) == 1 || len(heads) == 0 {
		return dirs[0], nil
	}
	dir := filepath.Dir(g.Revisions[heads[0]].Path)
	want := absClean(dir)
	for _, d := range dirs {
		if absClean(d) == want {
			return d, nil
		}
	}
	return "", cmdErr(ErrAuthoring, "Path %s is not represented in current version locations", dir)
}

func absClean(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return filepath.Clean(p)
}

// resolveDependsOn resolves each --depends-on entry to one revision, with
// the error Alembic gives for an entry that names none or several.
func resolveDependsOn(g *models.Graph, deps []string) ([]int, error) {
	r := resolver{g}
	out := make([]int, 0, len(deps))
	for _, dep := range deps {
		i, err := r.getRevision(dep)
		if err == nil && i < 0 {
			// Alembic's not_none() fails with an AssertionError.
			err = crash("generate_revision", "--depends-on %s names no revision", dep)
		}
		if err != nil {
			return nil, catch(err, catchOpts{})
		}
		out = append(out, i)
	}
	return out, nil
}

// dependsOnNames is what the Depends On header lists for each resolved
// entry: the branch label as written when the revision carries it, else the
// full id (Alembic: `dep if dep in rev.branch_labels else rev.revision`).
func dependsOnNames(g *models.Graph, written []string, deps []int) []string {
	out := make([]string, len(deps))
	for k, i := range deps {
		if hasLabel(g.EffectiveLabels[i], written[k]) {
			out[k] = written[k]
		} else {
			out[k] = g.Revisions[i].ID
		}
	}
	return out
}

// checkRedundantDeps refuses a depends_on that adds nothing: a parent, an
// entry given twice, or an ancestor of another parent or dependency.
// Alembic writes such a file, then mishandles it: it crashes upgrading
// through a merge that carries one, and writes an extra version row on
// downgrade after which every upgrade fails (ALEMBIC-SEMANTICS.md §8).
func checkRedundantDeps(g *models.Graph, parents []int, written []string, deps []int) error {
	down := append(append([]int(nil), parents...), deps...)
	for k, d := range deps {
		name := written[k]
		if contains(parents, d) {
			return cmdErr(ErrAuthoring, "--depends-on %s: %s is already a parent of the new revision", name, g.Revisions[d].ID)
		}
		if contains(deps[:k], d) {
			return cmdErr(ErrAuthoring, "--depends-on %s: %s is listed twice", name, g.Revisions[d].ID)
		}
		want := newBitset(g.Len())
		want.add(d)
		for _, e := range down {
			if e != d && reachesAny(g, toAncestors, e, want) {
				return cmdErr(ErrAuthoring, "--depends-on %s: %s is already an ancestor of %s, so the new revision depends on it anyway (Alembic mishandles such a redundant dependency)",
					name, g.Revisions[d].ID, g.Revisions[e].ID)
			}
		}
	}
	return nil
}

// checkBranchLabels refuses a label already used as a label or a revision
// id (Alembic's RevisionMap raises this after writing the file), and labels
// the `.sql` header cannot hold.
func checkBranchLabels(g *models.Graph, id string, labels []string) error {
	mine := map[string]bool{}
	for _, l := range labels {
		switch {
		case l == "" || strings.ContainsAny(l, " \t,@") || strings.ContainsFunc(l, isControl):
			return cmdErr(ErrAuthoring, "branch label %q must be one word without '@' or commas", l)
		case ident.CheckLabel(l) != nil:
			return &CommandError{Class: ErrAuthoring, Message: ident.CheckLabel(l).Error()}
		case l == id || mine[l]:
			return cmdErr(ErrAuthoring, "Branch name '%s' in revision %s already used by revision %s", l, id, id)
		}
		if owner, ok := g.LabelOwner[l]; ok {
			return cmdErr(ErrAuthoring, "Branch name '%s' in revision %s already used by revision %s", l, id, g.Revisions[owner].ID)
		}
		if other, ok := g.Index[l]; ok {
			return cmdErr(ErrAuthoring, "Branch name '%s' in revision %s already used by revision %s", l, id, g.Revisions[other].ID)
		}
		mine[l] = true
	}
	return nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// newFile is the content of a revision file to write.
type newFile struct {
	id, message  string
	parents      []string
	labels, deps []string
	created      time.Time
}

// createDateLayout is the Create Date header, to the second.
const createDateLayout = "2006-01-02 15:04:05"

func (f newFile) render() []byte {
	var b strings.Builder
	msg := f.message
	if msg == "" {
		msg = "empty message"
	}
	fmt.Fprintf(&b, "-- Revision ID: %s\n", f.id)
	b.WriteString(strings.TrimRight("-- Revises: "+strings.Join(f.parents, ", "), " ") + "\n")
	fmt.Fprintf(&b, "-- Create Date: %s\n", f.created.Format(createDateLayout))
	if len(f.labels) > 0 {
		fmt.Fprintf(&b, "-- Branch Labels: %s\n", strings.Join(f.labels, ", "))
	}
	if len(f.deps) > 0 {
		fmt.Fprintf(&b, "-- Depends On: %s\n", strings.Join(f.deps, ", "))
	}
	fmt.Fprintf(&b, "-- Message: %s\n", msg)
	b.WriteString("\n-- +upgrade\n\n\n-- +downgrade\n\n")
	return []byte(b.String())
}

// write renders the file, checks that ParseSQL reads it back, and creates it
// in dir; an existing file is never overwritten.
func (f newFile) write(dir string) (*models.Revision, error) {
	path := filepath.Join(dir, f.id+"_"+Slug(f.message)+".sql")
	src := f.render()
	rev, err := ParseSQL(path, src)
	if err != nil {
		return nil, fmt.Errorf("the new revision would not read back: %w", err)
	}
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("writing revision %s: %w", f.id, err)
	}
	if _, err := out.Write(src); err != nil {
		out.Close()
		os.Remove(path)
		return nil, fmt.Errorf("writing revision %s: %w", f.id, err)
	}
	if err := out.Close(); err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("writing revision %s: %w", f.id, err)
	}
	return rev, nil
}
