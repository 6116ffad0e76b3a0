package rehearse

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"retort/models"
	"retort/revisions"
)

// Positions resolves revision arguments (ids, prefixes, heads, labels, as
// `retort show` takes them) to positions in g, without repeats, in the
// order given; all is every revision (All).
func Positions(g *models.Graph, args []string, all bool) ([]int, error) {
	if all == (len(args) > 0) {
		return nil, fmt.Errorf("name the revisions to rehearse, or --all (not both)")
	}
	if all {
		return All(g), nil
	}
	var out []int
	for _, arg := range args {
		found, err := revisions.Show(g, arg)
		if err != nil {
			return nil, err
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("%q names no revision to rehearse", arg)
		}
		for _, i := range found {
			if !slices.Contains(out, i) {
				out = append(out, i)
			}
		}
	}
	return out, nil
}

// ReadSeeds reads the seeds --seed names, by the revision each runs
// before: REV=FILE, or FILE alone when one revision (revs, not all) is
// rehearsed.
func ReadSeeds(g *models.Graph, specs []string, revs []int, all bool) (map[string]Seed, error) {
	out := map[string]Seed{}
	for _, spec := range specs {
		rev, path, named := strings.Cut(spec, "=")
		var id string
		switch {
		case !named && (all || len(revs) != 1):
			return nil, fmt.Errorf("--seed %s: with --all or several revisions, say which revision it runs before: --seed REV=%s", spec, spec)
		case !named:
			path, id = spec, g.Revisions[revs[0]].ID
		default:
			var err error
			if id, err = revisions.Resolve(g, rev); err != nil {
				return nil, fmt.Errorf("--seed %s: %w", spec, err)
			}
			if i, ok := g.Index[id]; !ok || !slices.Contains(revs, i) {
				return nil, fmt.Errorf("--seed %s: %s is not rehearsed", spec, rev)
			}
		}
		if _, dup := out[id]; dup {
			return nil, fmt.Errorf("--seed %s: a second seed for %s", spec, id)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("--seed: %w", err)
		}
		out[id] = Seed{Path: path, SQL: string(data)}
	}
	return out, nil
}
