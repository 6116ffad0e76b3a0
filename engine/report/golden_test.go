package report

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
)

// record is one output of the old code: a name saying which function and
// inputs, and its lines.
type record struct {
	Name  string   `json:"name"`
	Lines []string `json:"lines"`
}

func readGolden(t *testing.T, path string) map[string][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var recs []record
	if err := json.Unmarshal(b, &recs); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	out := map[string][]string{}
	for _, r := range recs {
		out[r.Name] = r.Lines
	}
	return out
}

// logTags are the UI log pane's names of the levels.
var logTags = [...]string{Info: "info", OK: "ok", Warn: "warn", Error: "error", Statement: "sql", Notice: "notice"}

// paneEntries are the entries the log pane makes of lines: one per line of
// their text.
func paneEntries(lines []Line) []string {
	var out []string
	for _, l := range lines {
		for _, s := range strings.Split(strings.TrimRight(l.Text, "\n"), "\n") {
			out = append(out, logTags[l.Level]+" "+s)
		}
	}
	return out
}

// compare checks every output against the golden one, and that every
// golden output was produced.
func compare(t *testing.T, golden map[string][]string, got map[string][]string) {
	t.Helper()
	for name, want := range golden {
		g, ok := got[name]
		if !ok {
			if !strings.HasPrefix(name, "interruptedRun/") {
				t.Errorf("%s: not produced", name)
			}
			continue
		}
		if len(g) == 0 && len(want) == 1 && want[0] == "" {
			continue
		}
		if strings.Join(g, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s:\n got %q\nwant %q", name, g, want)
		}
	}
}

// TestSameTextAsTheUI: for the fixtures, the log lines, the outcome after a
// run, the step names, failure fields and durations are the UI's own texts.
func TestSameTextAsTheUI(t *testing.T) {
	got := map[string][]string{}
	for _, ascii := range []bool{false, true} {
		g := Glyphs{ASCII: ascii}
		for i, ev := range fixtureEvents() {
			got[fmt.Sprintf("log/%v/%d", ascii, i)] = paneEntries(LogLines(ev, g))
		}
		for i, p := range fixturePlans() {
			for j, err := range fixtureErrors() {
				for k, d := range fixtureDurations() {
					got[fmt.Sprintf("result/%v/%d/%d/%d", ascii, i, j, k)] = Result(p, err, d, g).Lines()
				}
			}
		}
		for i, s := range fixtureSteps() {
			got[fmt.Sprintf("step/%v/%d", ascii, i)] = []string{Step(s, g)}
		}
	}
	for i, f := range fixtureFailures() {
		var lines []string
		for _, fl := range FailureFields(f) {
			lines = append(lines, fl.String())
		}
		got[fmt.Sprintf("failure/%d", i)] = lines
	}
	for i, err := range fixtureErrors() {
		got[fmt.Sprintf("failedHow/%d", i)] = []string{FailedHow(err)}
	}
	for i, d := range fixtureDurations() {
		got[fmt.Sprintf("duration/%d", i)] = []string{Duration(d)}
	}
	golden := readGolden(t, "testdata/ui.json")
	if len(got) != len(golden) {
		t.Errorf("%d outputs, the UI made %d", len(got), len(golden))
	}
	compare(t, golden, got)
}

// TestSameTextAsTheCLI: the progress lines and the report of an
// interrupted run are the CLI's own texts.
func TestSameTextAsTheCLI(t *testing.T) {
	got := map[string][]string{}
	for i, ev := range fixtureEvents() {
		got[fmt.Sprintf("progress/%d", i)] = []string{Progress(ev)}
	}
	for i, c := range fixtureInterrupted() {
		got[fmt.Sprintf("interrupted/%d", i)] = []string{Interrupted(c.RunErr)}
	}
	golden := readGolden(t, "testdata/cli.json")
	compare(t, golden, got)
	// The CLI read the rows of a database at base, and of one with two.
	for name, rows := range map[string][]string{"base": nil, "two": {"a1", "b2"}} {
		for i, c := range fixtureInterrupted() {
			key := fmt.Sprintf("interruptedRun/%s/%d", name, i)
			want, ok := golden[key]
			if !ok {
				t.Fatalf("%s missing from the golden file", key)
			}
			if got := InterruptedRun(c.RunErr, rows, nil); got != want[0] {
				t.Errorf("%s:\n got %q\nwant %q", key, got, want[0])
			}
		}
	}
}
