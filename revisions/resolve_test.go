package revisions

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"retort/models"
)

// Identifier forms, each through the planner the CLI uses. The two graphs:
//
//	linear:  aaaa1111 <- aaaa2222 <- bbbb3333 <- cccc4444   (label "lin" on aaaa1111)
//	h01:     see ALEMBIC-SEMANTICS.md (two trees, a merge, labels core/feat/other)
func linearGraph(t *testing.T) *models.Graph {
	t.Helper()
	g, err := Load(writeRevisions(t, "aaaa1111|||lin", "aaaa2222|aaaa1111|", "bbbb3333|aaaa2222|", "cccc4444|bbbb3333|"))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func h01(t *testing.T) *models.Graph {
	t.Helper()
	g, err := Load(conformanceDir + "/h01_two_trees/sql")
	if err != nil {
		t.Fatal(err)
	}
	return g
}

type planCase struct {
	name    string
	rows    []string
	target  string
	final   []string // nil with err set
	err     string   // exact message, or "" for success
	errIs   error
	detailH string // a fragment of the detail line
}

func runPlanCases(t *testing.T, g *models.Graph, plan func(*models.Graph, []string, string) (*models.Plan, error), cases []planCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := plan(g, c.rows, c.target)
			if c.err != "" || c.errIs != nil {
				if err == nil {
					t.Fatalf("want error %q, got plan to %v", c.err, p.Final)
				}
				if c.err != "" && err.Error() != c.err {
					t.Errorf("error\n got  %q\n want %q", err.Error(), c.err)
				}
				if c.errIs != nil && !errors.Is(err, c.errIs) {
					t.Errorf("error %v is not %v", err, c.errIs)
				}
				var ce *CommandError
				if c.detailH != "" && (!errors.As(err, &ce) || !strings.Contains(ce.Detail, c.detailH)) {
					t.Errorf("detail of %v does not contain %q", err, c.detailH)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(nonNil(p.Final), nonNil(c.final)) {
				t.Errorf("final rows %v, want %v", p.Final, c.final)
			}
		})
	}
}

func TestUpgradeTargets(t *testing.T) {
	lin := linearGraph(t)
	runPlanCases(t, lin, Upgrade, []planCase{
		{name: "full id", target: "bbbb3333", final: []string{"bbbb3333"}},
		{name: "prefix", target: "bbb", final: []string{"bbbb3333"}},
		{name: "one-character prefix", target: "c", final: []string{"cccc4444"}},
		{name: "ambiguous prefix", target: "aaaa", errIs: ErrNotFound,
			err:     "Can't locate revision identified by 'aaaa'",
			detailH: "Multiple revisions start with 'aaaa': aaaa1111, aaaa2222"},
		{name: "unknown", target: "zzzz", err: "Can't locate revision identified by 'zzzz'", detailH: "No such revision or branch 'zzzz'"},
		{name: "short unknown", target: "zz", errIs: ErrNotFound, detailH: "please ensure at least four characters"},
		{name: "head", target: "head", final: []string{"cccc4444"}},
		{name: "heads", target: "heads", final: []string{"cccc4444"}},
		{name: "base", target: "base", final: []string{}},
		{name: "bare label", target: "lin", final: []string{"aaaa1111"}},
		{name: "label@head", target: "lin@head", final: []string{"cccc4444"}},
		{name: "label@heads", target: "lin@heads", final: []string{"cccc4444"}},
		{name: "label@rev", target: "lin@bbbb", final: []string{"bbbb3333"}},
		{name: "unknown label", target: "nope@head", err: "Can't locate revision identified by 'nope'"},
		{name: "+2 from base", target: "+2", final: []string{"aaaa2222"}},
		{name: "+2 from a row", rows: []string{"aaaa2222"}, target: "+2", final: []string{"cccc4444"}},
		{name: "+N too far", rows: []string{"bbbb3333"}, target: "+2", err: "Relative revision +2 didn't produce 2 migrations"},
		{name: "-1 on upgrade", target: "-1", err: "Relative revision -1 didn't produce 1 migrations"},
		{name: "rev+1", target: "aaaa2222+1", final: []string{"bbbb3333"}},
		{name: "rev-1", target: "cccc-1", final: []string{"bbbb3333"}},
		{name: "head-1", target: "head-1", final: []string{"bbbb3333"}},
		{name: "heads-2", target: "heads-2", final: []string{"aaaa2222"}},
		{name: "label@+1", target: "lin@+1", final: []string{"aaaa1111"}},
		{name: "rev+N past the head is refused", target: "cccc4444+1", errIs: ErrRefused},
		{name: "already applied is a no-op", rows: []string{"cccc4444"}, target: "aaaa1111", final: []string{"cccc4444"}},
		{name: "range online", target: "base:head", err: "Range revision not allowed"},
		{name: "unknown row", rows: []string{"ffff9999"}, target: "head", err: "Can't locate revision identified by 'ffff9999'"},
	})
	g := h01(t)
	runPlanCases(t, g, Upgrade, []planCase{
		{name: "head with several heads", target: "head", errIs: ErrMultipleHeads,
			err: "Multiple head revisions are present for given argument 'head'; please specify a specific target revision, '<branchname>@head' to narrow to a specific head, or 'heads' for all heads"},
		{name: "label@head with several heads on the label", target: "core@head",
			err: "Multiple head revisions are present for given argument 'core@head'; please specify a specific target revision, '<branchname>@core@head' to narrow to a specific head, or 'heads' for all heads"},
		{name: "heads-1 with several heads", target: "heads-1",
			err: "Multiple head revisions are present for given argument 'heads-1'; please specify a specific target revision, '<branchname>@heads-1' to narrow to a specific head, or 'heads' for all heads"},
		{name: "label@head", target: "feat@head", final: []string{"e000"}},
		{name: "label@heads", target: "core@heads", final: []string{"e000", "f000"}},
		{name: "label@rev off the branch", target: "other@e000", err: "Can't locate revision identified by 'e000'", detailH: "is not a member of branch 'other'"},
		{name: "ambiguous walk", target: "+1", errIs: ErrAmbiguousWalk, err: "Ambiguous walk"},
		{name: "walk on a label", target: "other@+1", final: []string{"x000"}},
		{name: "ambiguous upgrade", rows: []string{"c000", "f000"}, target: "+1", err: "Ambiguous upgrade from multiple current revisions"},
		{name: "heads pulls in depends_on", target: "y000", final: []string{"y000"}},
	})
}

func TestDowngradeTargets(t *testing.T) {
	lin := linearGraph(t)
	top := []string{"cccc4444"}
	runPlanCases(t, lin, Downgrade, []planCase{
		{name: "-1", rows: top, target: "-1", final: []string{"bbbb3333"}},
		{name: "-3", rows: top, target: "-3", final: []string{"aaaa1111"}},
		{name: "-4 to base", rows: top, target: "-4", final: []string{}},
		{name: "-5 too far", rows: top, target: "-5", err: "Relative revision -5 didn't produce 5 migrations"},
		{name: "-1 from nothing", target: "-1", err: "Relative revision -1 didn't produce 1 migrations"},
		{name: "+1 on downgrade", rows: top, target: "+1", err: "Relative revision +1 didn't produce 1 migrations"},
		{name: "base", rows: top, target: "base", final: []string{}},
		{name: "prefix", rows: top, target: "aaaa2", final: []string{"aaaa2222"}},
		{name: "label@-1", rows: top, target: "lin@-1", final: []string{"bbbb3333"}},
		{name: "label@base", rows: top, target: "lin@base", final: []string{}},
		{name: "rev-1", rows: top, target: "bbbb-1", final: []string{"aaaa2222"}},
		{name: "target above the current", rows: []string{"aaaa2222"}, target: "cccc4444", errIs: ErrBadDowngradeTarget,
			err: "Destination cccc4444 is not a valid downgrade target from current head(s)"},
		{name: "target is the current", rows: top, target: "cccc4444", final: top},
	})
	g := h01(t)
	all := []string{"e000", "f000", "y000"}
	runPlanCases(t, g, Downgrade, []planCase{
		{name: "-1 from several heads is refused", rows: all, target: "-1", errIs: ErrRefused},
		{name: "label@-1 on one current row", rows: []string{"f000", "x000"}, target: "other@-1", final: []string{"f000"}},
		{name: "label@-1 with two current rows on the label is refused", rows: []string{"c000", "d000", "f000"}, target: "core@-1", errIs: ErrRefused},
		{name: "dropping c000 drops y000 on the other tree", rows: all, target: "b000", final: []string{"b000", "f000", "x000"}},
		{name: "walk below a merge", rows: []string{"e000"}, target: "-1", err: "Ambiguous walk"},
	})
}

func TestDowngradeRefusesWithoutDowngradeSection(t *testing.T) {
	dir := writeRevisions(t, "aaaa1111||", "bbbb2222|aaaa1111|")
	g, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	g.Revisions[g.Index["bbbb2222"]].Downgrade = models.Section{}
	_, err = Downgrade(g, []string{"bbbb2222"}, "base")
	if !errors.Is(err, ErrNoDowngrade) || !strings.Contains(err.Error(), "bbbb2222") {
		t.Fatalf("got %v", err)
	}
}

func TestStampTargets(t *testing.T) {
	g := h01(t)
	stamp := func(g *models.Graph, rows []string, target string) (*models.Plan, error) {
		return Stamp(g, rows, strings.Fields(target), false)
	}
	runPlanCases(t, g, stamp, []planCase{
		{name: "heads from empty", target: "heads", final: []string{"e000", "f000", "y000"}},
		{name: "several targets", target: "e000 y000", final: []string{"e000", "y000"}},
		{name: "down from heads keeps the unrelated branch", rows: []string{"e000", "f000", "y000"}, target: "b000", final: []string{"b000", "f000"}},
		{name: "base", rows: []string{"e000", "f000"}, target: "base", final: []string{}},
		{name: "heads loses a branch, as in Alembic", rows: []string{"c000", "d000", "f000"}, target: "heads", final: []string{"e000", "y000"}},
		{name: "label@head with several heads", target: "core@head", err: "Multiple heads are present; please specify a single target revision"},
		{name: "rows above and below is refused", rows: []string{"a000", "c000"}, target: "b000", errIs: ErrRefused},
	})
	p, err := Stamp(g, []string{"e000", "f000"}, []string{"x000"}, true)
	if err != nil || !p.Purge || !reflect.DeepEqual(p.Final, []string{"x000"}) || !reflect.DeepEqual(p.Start, []string{"e000", "f000"}) {
		t.Errorf("purge stamp: %+v %v", p, err)
	}
}

func TestHistoryRanges(t *testing.T) {
	g := h01(t)
	cases := []struct {
		rng  string
		want []string
		err  string
	}{
		{"", []string{"e000", "y000", "x000", "f000", "c000", "d000", "b000", "a000"}, ""},
		{"c000:", []string{"e000", "c000"}, ""},
		{":c000", []string{"c000", "b000", "a000"}, ""},
		{"a000:f000", []string{"f000", "a000"}, ""},
		{"e000", nil, "History range requires [start]:[end], [start]:, or :[end]"},
		{"f000:e000", nil, "Requested range f000:e000 does not refer to ancestor/descendant revisions along the same branch"},
		{"current:", []string{"e000", "c000"}, ""},
	}
	for _, c := range cases {
		order, err := History(g, c.rng, []string{"c000"})
		if c.err != "" {
			if err == nil || err.Error() != c.err {
				t.Errorf("%q: error %v, want %q", c.rng, err, c.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(g.IDs(order), c.want) {
			t.Errorf("%q: %v %v, want %v", c.rng, g.IDs(order), err, c.want)
		}
	}
}

func TestResolve(t *testing.T) {
	g := h01(t)
	for in, want := range map[string]string{"e": "e000", "feat": "d000", "core@f0": "f000", "base": "", "other@head": "y000"} {
		got, err := Resolve(g, in)
		if err != nil || got != want {
			t.Errorf("Resolve(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := Resolve(g, "heads"); !errors.Is(err, ErrMultipleHeads) {
		t.Errorf("Resolve(heads) = %v", err)
	}
	// "f" matches the id f000 and the label feat, both on core's lineage.
	if _, err := Resolve(g, "core@f"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Resolve(core@f) = %v", err)
	}
}
