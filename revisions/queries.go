package revisions

import (
	"slices"

	"retort/models"
)

// Graph queries behind Alembic's current and show, and the files'
// warnings; the CLI prints their answers in Alembic's words.

// Current returns the revisions `alembic current` reports for the version
// rows: the rows and their ancestors, reduced to the topmost, in load order.
// A row that names no revision is an error naming it.
func Current(g *models.Graph, rows []string) ([]int, error) {
	r := resolver{g}
	held, err := r.getRevisionsOf(rows)
	if err != nil {
		return nil, catch(err, catchOpts{})
	}
	return r.allCurrent(held), nil
}

// Show resolves `alembic show REV`'s argument: one revision, or several for
// `heads`.
func Show(g *models.Graph, rev string) ([]int, error) {
	r := resolver{g}
	revs, err := r.getRevisions(rev)
	if err != nil {
		return nil, catch(err, catchOpts{})
	}
	var out []int
	for _, x := range revs {
		if x >= 0 {
			out = append(out, x)
		}
	}
	return out, nil
}

// Resolve resolves one identifier to a revision id, as `alembic show` or
// `--head` do; base resolves to "".
func Resolve(g *models.Graph, ident string) (string, error) {
	r := resolver{g}
	i, err := r.getRevision(ident)
	if err != nil {
		return "", catch(err, catchOpts{})
	}
	if i < 0 {
		return "", nil
	}
	return g.Revisions[i].ID, nil
}

// Warnings lists the warnings about the versions directories (entries
// skipped), then those of every revision file in load order, each as
// "path: warning".
func Warnings(g *models.Graph) []string {
	out := slices.Clone(g.Warnings)
	for _, r := range g.Revisions {
		for _, w := range r.Warnings {
			out = append(out, r.Path+": "+w)
		}
	}
	return out
}
