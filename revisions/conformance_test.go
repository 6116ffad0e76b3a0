package revisions

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"retort/models"
)

// The conformance cases are what real Alembic 1.8.1 did on generated graphs
// (testdata/conformance, copied from the project's shared cases). Every
// graph fact, every history, every plan's step order and version rows, and
// every error message must match. The one exception the cases README
// allows: a relative downgrade from several heads, where Alembic's result
// depends on the physical row order; retort refuses it, and the test
// checks that it does.

const conformanceDir = "../testdata/conformance"

type expectedFile struct {
	Graph expectedGraph  `json:"graph"`
	Cases []expectedCase `json:"cases"`
}

type expectedGraph struct {
	Heads              []string            `json:"heads"`
	RealHeads          []string            `json:"real_heads"`
	Bases              []string            `json:"bases"`
	RealBases          []string            `json:"real_bases"`
	BranchPoints       []string            `json:"branch_points"`
	MergePoints        []string            `json:"merge_points"`
	Children           map[string][]string `json:"children"`
	BranchLabels       map[string][]string `json:"branch_labels"`
	LabelOwner         map[string]string   `json:"label_owner"`
	History            []string            `json:"history"`
	HistoryLines       []string            `json:"history_lines"`
	HeadsLines         []string            `json:"heads_lines"`
	HeadsResolvedLines []string            `json:"heads_resolved_lines"`
	BranchesLines      []string            `json:"branches_lines"`
}

type expectedCase struct {
	ID   string        `json:"id"`
	Kind string        `json:"kind"`
	Mode string        `json:"mode"`
	Runs []expectedRun `json:"runs"`
}

type expectedRun struct {
	Cmd               string            `json:"cmd"`
	Argv              []string          `json:"argv"`
	OK                bool              `json:"ok"`
	Error             *string           `json:"error"`
	Warnings          []string          `json:"warnings"`
	Steps             []json.RawMessage `json:"steps"`
	VersionsAfterStep [][]string        `json:"versions_after_step"`
	VersionsFinal     *[]string         `json:"versions_final"`
	Rows              *[]string         `json:"rows"`
	Stdout            []string          `json:"stdout"`
}

// step is a recorded step: [name, from, to].
type step struct {
	Name     string
	From, To []string
}

func decodeStep(t *testing.T, raw json.RawMessage) step {
	var parts [3]json.RawMessage
	if err := json.Unmarshal(raw, &parts); err != nil {
		t.Fatalf("bad step %s: %v", raw, err)
	}
	var s step
	for k, dst := range []any{&s.Name, &s.From, &s.To} {
		if err := json.Unmarshal(parts[k], dst); err != nil {
			t.Fatalf("bad step %s: %v", raw, err)
		}
	}
	return s
}

func caseDirs(t *testing.T) []string {
	dirs, err := filepath.Glob(filepath.Join(conformanceDir, "*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no conformance cases under %s: %v", conformanceDir, err)
	}
	return dirs
}

func loadExpected(t *testing.T, dir string) *expectedFile {
	raw, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var e expectedFile
	if err := json.Unmarshal(raw, &e); err != nil {
		t.Fatalf("%s: %v", dir, err)
	}
	return &e
}

func TestConformance(t *testing.T) {
	total, refused := 0, 0
	for _, dir := range caseDirs(t) {
		exp := loadExpected(t, dir)
		for _, sub := range []string{"sql", "alembic/versions"} {
			g, err := Load(filepath.Join(dir, sub))
			if err != nil {
				t.Fatalf("%s/%s: %v", dir, sub, err)
			}
			name := filepath.Base(dir) + "/" + sub
			t.Run(name, func(t *testing.T) {
				compareGraph(t, g, &exp.Graph)
				for _, c := range exp.Cases {
					n, r := runCase(t, g, c)
					total += n
					refused += r
				}
			})
		}
	}
	if total < 10000 {
		t.Errorf("only %d runs compared; the cases hold 5803 per reader", total)
	}
	t.Logf("%d Alembic runs compared (both readers), %d refused as row-order dependent", total, refused)
}

func compareGraph(t *testing.T, g *models.Graph, e *expectedGraph) {
	t.Helper()
	eq := func(what string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got  %v\n want %v", what, got, want)
		}
	}
	sortedIDs := func(pos []int) []string {
		ids := g.IDs(pos)
		sort.Strings(ids)
		return nonNil(ids)
	}
	eq("heads", sortedIDs(g.Heads), nonNil(e.Heads))
	eq("real_heads", sortedIDs(g.RealHeads), nonNil(e.RealHeads))
	eq("bases", sortedIDs(g.Bases), nonNil(e.Bases))
	eq("real_bases", sortedIDs(g.RealBases), nonNil(e.RealBases))
	var bps, mps []int
	children := map[string][]string{}
	labels := map[string][]string{}
	for i, r := range g.Revisions {
		if g.IsBranchPoint(i) {
			bps = append(bps, i)
		}
		if g.IsMergePoint(i) {
			mps = append(mps, i)
		}
		if len(g.Children[i]) > 0 {
			children[r.ID] = sortedIDs(g.Children[i])
		}
		if len(g.EffectiveLabels[i]) > 0 {
			labels[r.ID] = g.EffectiveLabels[i]
		}
	}
	eq("branch_points", sortedIDs(bps), nonNil(e.BranchPoints))
	eq("merge_points", sortedIDs(mps), nonNil(e.MergePoints))
	eq("children", children, nonNilMap(e.Children))
	eq("branch_labels", labels, nonNilMap(e.BranchLabels))
	owners := map[string]string{}
	for l, i := range g.LabelOwner {
		owners[l] = g.Revisions[i].ID
	}
	if e.LabelOwner == nil {
		e.LabelOwner = map[string]string{}
	}
	eq("label_owner", owners, e.LabelOwner)
	eq("history", g.IDs(g.History), e.History)
	var lines []string
	for _, i := range g.History {
		lines = append(lines, HistoryLine(g, i, false))
	}
	eq("history_lines", lines, e.HistoryLines)
	eq("heads_lines", HeadsLines(g, false), e.HeadsLines)
	eq("heads_resolved_lines", HeadsLines(g, true), e.HeadsResolvedLines)
	eq("branches_lines", nonNil(BranchesLines(g)), nonNil(e.BranchesLines))
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nonNilMap(m map[string][]string) map[string][]string {
	if m == nil {
		return map[string][]string{}
	}
	return m
}

// state is a simulated database: the version rows, or no table at all.
type state struct {
	rows   []string
	exists bool
}

// runCase replays one recorded case and compares every run under test. It
// returns the number of runs compared and of those refused as row-order
// dependent.
func runCase(t *testing.T, g *models.Graph, c expectedCase) (compared, refused int) {
	t.Helper()
	var db state
	for k, run := range c.Runs {
		underTest := c.Kind == "sequence" || k == len(c.Runs)-1 || c.Mode == "offline"
		label := fmt.Sprintf("case %q run %d `%s`", c.ID, k, run.Cmd)
		res := execute(g, db, run.Argv)
		if isRowOrderDependent(run) {
			if !errors.Is(res.err, ErrRefused) {
				t.Errorf("%s: Alembic warned that the result depends on row order; retort must refuse, got %v", label, res.err)
			}
			refused++
			db = recordedState(run, db) // carry on from where Alembic went
			continue
		}
		compareRun(t, label, run, res, db, c.Mode, underTest)
		if run.OK && res.err == nil && c.Mode == "online" {
			db = res.after
		}
		compared++
	}
	return compared, refused
}

func isRowOrderDependent(run expectedRun) bool {
	for _, w := range run.Warnings {
		if strings.Contains(w, "downgrade -1 from multiple heads is ambiguous") {
			return true
		}
	}
	return false
}

func recordedState(run expectedRun, db state) state {
	if run.Rows == nil {
		return db
	}
	return state{rows: *run.Rows, exists: true}
}

func compareRun(t *testing.T, label string, run expectedRun, res result, before state, mode string, underTest bool) {
	t.Helper()
	if !compareOutcome(t, label, run, res) {
		return
	}
	if !underTest {
		if run.Rows != nil && !reflect.DeepEqual(nonNil(res.after.rows), nonNil(*run.Rows)) {
			t.Errorf("%s (set-up): rows %v, Alembic %v", label, res.after.rows, *run.Rows)
		}
		return
	}
	if run.Stdout != nil || res.stdout != nil {
		if !reflect.DeepEqual(nonNil(res.stdout), nonNil(run.Stdout)) {
			t.Errorf("%s: stdout\n got  %q\n want %q", label, res.stdout, run.Stdout)
		}
	}
	compareSteps(t, label, run, res)
	if run.Argv[0] == "history" || run.Argv[0] == "current" {
		return
	}
	if mode == "offline" {
		compareOffline(t, label, run, res)
		return
	}
	want := (*[]string)(nil)
	if res.after.exists {
		r := nonNil(res.after.rows)
		want = &r
	}
	if !reflect.DeepEqual(want, normRows(run.Rows)) {
		t.Errorf("%s: rows %v (table exists: %v), Alembic %v", label, res.after.rows, res.after.exists, derefRows(run.Rows))
	}
}

func normRows(r *[]string) *[]string {
	if r == nil {
		return nil
	}
	n := nonNil(*r)
	return &n
}

func derefRows(r *[]string) any {
	if r == nil {
		return "no table"
	}
	return *r
}

// compareOutcome checks ok and the error message; it returns false when
// there is nothing more to compare.
func compareOutcome(t *testing.T, label string, run expectedRun, res result) bool {
	t.Helper()
	if run.OK {
		if res.err != nil {
			t.Errorf("%s: Alembic succeeded, retort failed: %v", label, res.err)
			return false
		}
		return true
	}
	if res.err == nil {
		t.Errorf("%s: Alembic failed with %q, retort succeeded", label, *run.Error)
		return false
	}
	if strings.HasPrefix(*run.Error, "UNCAUGHT") {
		if !errors.Is(res.err, ErrRefused) {
			t.Errorf("%s: Alembic crashed (%s); retort must refuse (ErrRefused), got %v", label, *run.Error, res.err)
		}
	} else if res.err.Error() != *run.Error {
		t.Errorf("%s: error\n got  %q\n want %q", label, res.err.Error(), *run.Error)
	}
	online := !slices.Contains(run.Argv, "--sql")
	if online && (res.after.exists != res.before.exists || !reflect.DeepEqual(res.after.rows, res.before.rows)) {
		t.Errorf("%s: a failed command changed the rows", label)
	}
	return true
}

func compareSteps(t *testing.T, label string, run expectedRun, res result) {
	t.Helper()
	if run.Steps == nil {
		return
	}
	want := make([]step, len(run.Steps))
	for k, raw := range run.Steps {
		want[k] = decodeStep(t, raw)
	}
	got := make([]step, len(res.steps))
	for k, s := range res.steps {
		got[k] = step{Name: s.Direction.String(), From: nonNil(s.From), To: nonNil(s.To)}
	}
	if !sameSteps(sortBaseStamps(got), sortBaseStamps(want)) {
		t.Errorf("%s: steps\n got  %v\n want %v", label, got, want)
	}
}

// sameSteps compares steps in order. A stamp step's `from` lists version
// rows in the order the database returned them, which nothing defines: it
// is compared as a set.
func sameSteps(got, want []step) bool {
	if len(got) != len(want) {
		return false
	}
	for k := range got {
		g, w := got[k], want[k]
		if g.Name != w.Name || !reflect.DeepEqual(g.To, nonNil(w.To)) {
			return false
		}
		gf, wf := nonNil(g.From), nonNil(w.From)
		if g.Name == "stamp_revision" {
			gf, wf = sortedStrings(gf), sortedStrings(wf)
		}
		if !reflect.DeepEqual(gf, wf) {
			return false
		}
	}
	return true
}

// sortBaseStamps sorts each run of consecutive `stamp base` deletions: Alembic
// deletes the rows in the order the database returned them.
func sortBaseStamps(steps []step) []step {
	out := append([]step(nil), steps...)
	isBaseDelete := func(s step) bool { return s.Name == "stamp_revision" && len(s.To) == 0 }
	for i := 0; i < len(out); {
		j := i
		for j < len(out) && isBaseDelete(out[j]) {
			j++
		}
		if j == i {
			i++
			continue
		}
		run := out[i:j]
		sort.Slice(run, func(a, b int) bool { return strings.Join(run[a].From, ",") < strings.Join(run[b].From, ",") })
		i = j
	}
	return out
}

func sortedStrings(s []string) []string {
	out := append([]string{}, s...)
	sort.Strings(out)
	return out
}

func compareOffline(t *testing.T, label string, run expectedRun, res result) {
	t.Helper()
	if run.OK || len(res.steps) > 0 {
		var after [][]string
		for _, s := range res.steps {
			after = append(after, nonNil(s.After))
		}
		wantAfter := run.VersionsAfterStep
		if len(wantAfter) == 0 {
			wantAfter = nil
		}
		if !reflect.DeepEqual(after, wantAfter) {
			t.Errorf("%s: versions after each step\n got  %v\n want %v", label, after, run.VersionsAfterStep)
		}
	}
	if run.VersionsFinal == nil {
		if run.OK || res.startResolved {
			t.Errorf("%s: Alembic failed before it had a start state; retort had %v", label, res.after.rows)
		}
		return
	}
	if !reflect.DeepEqual(nonNil(res.after.rows), nonNil(*run.VersionsFinal)) {
		t.Errorf("%s: final rows %v, Alembic %v", label, res.after.rows, *run.VersionsFinal)
	}
}
