package rehearse

import (
	"slices"

	"retort/catalog"
)

// compareRows lists the tables whose rows differ between before and
// after, by name: their counts, and the rows lost and gained where both
// sides kept their text.
func compareRows(before, after []catalog.TableRows) []RowsChange {
	b := map[string]catalog.TableRows{}
	for _, t := range before {
		b[t.Table] = t
	}
	a := map[string]catalog.TableRows{}
	for _, t := range after {
		a[t.Table] = t
	}
	var names []string
	for n := range b {
		names = append(names, n)
	}
	for n := range a {
		if _, ok := b[n]; !ok {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	var out []RowsChange
	for _, n := range names {
		x, y := b[n], a[n]
		if x.Count == y.Count && (x.Digest == y.Digest || x.Count == 0) {
			continue
		}
		c := RowsChange{Table: n, Before: x.Count, After: y.Count}
		if (x.Rows != nil || x.Count == 0) && (y.Rows != nil || y.Count == 0) {
			c.Lost, c.Gained = multisetDiff(x.Rows, y.Rows)
		}
		out = append(out, c)
	}
	return out
}

// multisetDiff returns the sorted lines of x missing from y, and of y
// missing from x, counting duplicates.
func multisetDiff(x, y []string) (onlyX, onlyY []string) {
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case j == len(y) || i < len(x) && x[i] < y[j]:
			onlyX = append(onlyX, x[i])
			i++
		case i == len(x) || y[j] < x[i]:
			onlyY = append(onlyY, y[j])
			j++
		default:
			i++
			j++
		}
	}
	return onlyX, onlyY
}
