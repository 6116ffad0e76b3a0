package rehearse

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestPositions: arguments resolve as `retort show` resolves them, without
// repeats; --all and arguments exclude each other.
func TestPositions(t *testing.T) {
	g := history(t, rev{id: "a1", up: "SELECT 1;"}, rev{id: "a2", parents: "a1", up: "SELECT 1;"}, rev{id: "b2", parents: "a1", up: "SELECT 1;"})
	got, err := Positions(g, []string{"a2", "heads", "a1"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{g.Index["a2"], g.Index["b2"], g.Index["a1"]}; !reflect.DeepEqual(got, want) {
		t.Errorf("positions %v, want %v", got, want)
	}
	if all, err := Positions(g, nil, true); err != nil || len(all) != 3 || all[0] != g.Index["a1"] {
		t.Errorf("--all: %v, %v", all, err)
	}
	for _, c := range []struct {
		args []string
		all  bool
	}{{nil, false}, {[]string{"a1"}, true}, {[]string{"zz"}, false}} {
		if _, err := Positions(g, c.args, c.all); err == nil {
			t.Errorf("Positions(%v, %v) succeeded", c.args, c.all)
		}
	}
}

// TestReadSeeds: FILE alone seeds the one revision rehearsed; REV=FILE
// names it, and must name one that is rehearsed.
func TestReadSeeds(t *testing.T) {
	g := history(t, rev{id: "a1", up: "SELECT 1;"}, rev{id: "a2", parents: "a1", up: "SELECT 1;"})
	dir := t.TempDir()
	file := filepath.Join(dir, "s.sql")
	if err := os.WriteFile(file, []byte("INSERT INTO t VALUES (1);"), 0o644); err != nil {
		t.Fatal(err)
	}
	one := []int{g.Index["a2"]}
	seeds, err := ReadSeeds(g, []string{file}, one, false)
	if err != nil || seeds["a2"].SQL != "INSERT INTO t VALUES (1);" || seeds["a2"].Path != file {
		t.Errorf("FILE alone: %+v, %v", seeds, err)
	}
	all := All(g)
	if seeds, err := ReadSeeds(g, []string{"a1=" + file}, all, true); err != nil || seeds["a1"].Path != file {
		t.Errorf("REV=FILE: %+v, %v", seeds, err)
	}
	for _, c := range []struct {
		specs []string
		revs  []int
		all   bool
		want  string
	}{
		{[]string{file}, all, true, "say which revision it runs before: --seed REV="},
		{[]string{"a1=" + file}, one, false, "a1 is not rehearsed"},
		{[]string{"a2=" + file, "a2=" + file}, one, false, "a second seed for a2"},
		{[]string{"a2=" + filepath.Join(dir, "missing.sql")}, one, false, "missing.sql"},
		{[]string{"zz=" + file}, one, false, "zz"},
	} {
		if _, err := ReadSeeds(g, c.specs, c.revs, c.all); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ReadSeeds(%v): %v, want an error saying %q", c.specs, err, c.want)
		}
	}
}
