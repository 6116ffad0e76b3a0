package lanes

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// The expectations are plain strings, as in lazygit's graph_test.go: one row
// per revision, newest first, the lanes then the revision id.

func TestLayoutShapes(t *testing.T) {
	tests := []struct {
		name  string
		revs  []string
		want  string
		ascii string
	}{
		{
			name: "linear",
			revs: []string{"a:", "b: a", "c: b"},
			want: `
○  c
○  b
○  a`,
		},
		{
			name: "branch",
			revs: []string{"a:", "b: a", "c: a"},
			want: `
○    b
│ ○  c
○─╯  a`,
			ascii: `
o    b
| o  c
o-/  a`,
		},
		{
			name: "merge",
			revs: []string{"a:", "b: a", "c: a", "d: b, c"},
			want: `
◇─╮  d
○ │  b
│ ○  c
○─╯  a`,
			ascii: `
m-\  d
o |  b
| o  c
o-/  a`,
		},
		{
			name: "three-way branch and merge",
			revs: []string{"a:", "b: a", "c: a", "d: a", "e: b, c, d", "f: e"},
			want: `
○      f
◇─┬─╮  e
○ │ │  b
│ ○ │  c
│ │ ○  d
○─┴─╯  a`,
			ascii: `
o      f
m-+-\  e
o | |  b
| o |  c
| | o  d
o-+-/  a`,
		},
		{
			// The second tree starts in a lane of its own, so it does not
			// look like the continuation of the first tree's base.
			name: "two trees",
			revs: []string{"a1:", "a2: a1", "b1:", "b2: b1"},
			want: `
○    a2
○    a1
  ○  b2
  ○  b1`,
		},
		{
			// h01_two_trees of the conformance cases: y000 depends on
			// c000 in the other tree; the dependency is dashed with square
			// turns, and crosses the solid lane of d000 without joining it.
			name: "depends_on across trees",
			revs: []string{"a000:", "b000: a000", "c000: b000", "d000: b000", "e000: c000, d000", "f000: a000", "x000:", "y000: x000 | c000"},
			want: `
◇─╮        e000
│ │ ○╌┐    y000
│ │ ○ ┆    x000
│ │ ┌╌┘ ○  f000
○╌│╌┘ ╭─╯  c000
│ ○ ╭─╯    d000
○─╯ │      b000
○───╯      a000`,
			ascii: `
m-\        e000
| | o..    y000
| | o :    x000
| | ..' o  f000
o.|.' /-/  c000
| o /-/    d000
o-/ |      b000
o---/      a000`,
		},
		{
			name: "depends_on straight down",
			revs: []string{"a:", "b: a", "x:", "y: x | b"},
			want: `
○╌┐  y
○ ┆  x
  ○  b
  ○  a`,
		},
		{
			// zz and yy are defined by no file: each gets a placeholder
			// row below the last revision naming it.
			name: "missing parents",
			revs: []string{"a: zz", "b: a", "c:", "d: c, yy"},
			want: `
○      b
○      a
✕      zz
  ○─╮  d
╭─╯ ✕  yy
○      c`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := spec(t, tt.revs...)
			if got := trimRight(drawGraph(g, Unicode())); got != tt.want[1:] {
				t.Errorf("unicode:\n%s\nwant:\n%s", got, tt.want[1:])
			}
			if tt.ascii == "" {
				return
			}
			if got := trimRight(drawGraph(g, ASCII())); got != tt.ascii[1:] {
				t.Errorf("ascii:\n%s\nwant:\n%s", got, tt.ascii[1:])
			}
		})
	}
}

// trimRight drops the final newline.
func trimRight(s string) string { return strings.TrimSuffix(s, "\n") }

// TestHighlight: the pipes the highlight function accepts, and only those,
// are flagged, connectors included.
func TestHighlight(t *testing.T) {
	g := spec(t, "a:", "b: a", "c: a", "d: b, c")
	entries, nodes := History(g, g.History)
	l := Compute(nodes)
	rowOf := map[string]int{}
	for r, e := range entries {
		rowOf[g.Revisions[e.Rev].ID] = r
	}
	// Highlight d -> c only: on d's row the turn to c's lane and the
	// connector leading to it; on b's row c's lane; not d -> b.
	hi := func(upper, lower int) bool { return upper == rowOf["d"] && lower == rowOf["c"] }
	var got []string
	for r := range entries {
		var b strings.Builder
		for _, c := range l.Cells(r, hi, nil) {
			b.WriteString(flag(c.Hi) + flag(c.ConnHi))
		}
		got = append(got, b.String())
	}
	want := []string{
		"###-", // d: the node, its connector and the ╮ into c's lane
		"--#-", // b: c's lane passes
		"--#-", // c: the pipe arrives
		"----", // a: nothing of d -> c
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("highlight flags %v, want %v", got, want)
	}
}

func flag(b bool) string {
	if b {
		return "#"
	}
	return "-"
}

// TestIgnoredEdges: edges pointing up, to the row itself or past the end
// cannot be drawn going down and are dropped, not drawn wrong.
func TestIgnoredEdges(t *testing.T) {
	l := Compute([]Node{{Parents: []int{0, 5}}, {Parents: []int{0}, Deps: []int{-1}}})
	for r := range 2 {
		if n := len(l.Row(r)); n != 0 {
			t.Errorf("row %d has %d pipes, want none: %+v", r, n, l.Row(r))
		}
	}
}

// TestInvariants checks, on random branchy graphs, what every drawing must
// satisfy: each edge starts once and terminates once, the lanes at the
// bottom of a row are the lanes at the top of the next, and no two pipes
// share a lane between two rows.
func TestInvariants(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		nodes := randomNodes(rng, 5+rng.IntN(60))
		l := Compute(nodes)
		if err := checkInvariants(nodes, l); err != nil {
			t.Fatalf("trial %d: %v\nnodes %+v", trial, err, nodes)
		}
	}
}

// randomNodes makes a DAG in history order: each row's edges point to rows
// below it.
func randomNodes(rng *rand.Rand, n int) []Node {
	nodes := make([]Node, n)
	for r := range n - 1 {
		k := 1 + rng.IntN(3)
		if rng.IntN(8) == 0 {
			k = 0 // a base
		}
		for range k {
			to := r + 1 + rng.IntN(min(6, n-r-1))
			if rng.IntN(4) == 0 {
				nodes[r].Deps = append(nodes[r].Deps, to)
			} else {
				nodes[r].Parents = append(nodes[r].Parents, to)
			}
		}
	}
	return nodes
}

func checkInvariants(nodes []Node, l *Layout) error {
	type edgeKey struct{ upper, lower int32 }
	starts, ends := map[edgeKey]int{}, map[edgeKey]int{}
	var above []int32 // lanes at the bottom of the previous row
	for r := range nodes {
		var top, bottom []int32
		for _, p := range l.Row(r) {
			k := edgeKey{p.Upper, p.Lower}
			switch p.StateAt(r) {
			case Starts:
				starts[k]++
				if p.Upper != int32(r) || p.From != l.Lane[r] {
					return fmt.Errorf("row %d: pipe %+v starts away from the node (lane %d)", r, p, l.Lane[r])
				}
			case Terminates:
				ends[k]++
				if p.Lower != int32(r) || p.To != l.Lane[r] {
					return fmt.Errorf("row %d: pipe %+v ends away from the node (lane %d)", r, p, l.Lane[r])
				}
			}
			if p.StateAt(r) != Starts {
				top = append(top, p.From)
			}
			if p.StateAt(r) != Terminates {
				bottom = append(bottom, p.To)
			}
		}
		if !sameLanes(top, above) {
			return fmt.Errorf("row %d: pipes arrive in lanes %v, the row above left them in %v", r, top, above)
		}
		seen := map[int32]bool{}
		for _, lane := range bottom {
			if seen[lane] {
				return fmt.Errorf("row %d: two pipes leave in lane %d", r, lane)
			}
			seen[lane] = true
		}
		above = bottom
	}
	if len(above) != 0 {
		return fmt.Errorf("pipes left open below the last row: %v", above)
	}
	for r, n := range nodes {
		for _, to := range append(append([]int(nil), n.Parents...), n.Deps...) {
			k := edgeKey{int32(r), int32(to)}
			if starts[k] != 1 || ends[k] != 1 {
				return fmt.Errorf("edge %d -> %d starts %d times and ends %d times", r, to, starts[k], ends[k])
			}
		}
	}
	return nil
}

func sameLanes(a, b []int32) bool {
	count := map[int32]int{}
	for _, x := range a {
		count[x]++
	}
	for _, x := range b {
		count[x]--
	}
	for _, c := range count {
		if c != 0 {
			return false
		}
	}
	return true
}
