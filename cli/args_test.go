package cli

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

func TestNegativeTargetsAreNotFlags(t *testing.T) {
	cases := map[string]string{
		"downgrade -1":         "downgrade -- -1",
		"downgrade -2 --sql":   "downgrade --sql -- -2",
		"log -n 5":             "log -n 5",
		"log -n -5":            "log -n -5",
		"downgrade -- -1":      "downgrade -- -1",
		"history -r -2:":       "history -r -2:",
		"--db x downgrade -1 ": "--db x downgrade  -- -1",
		"--lock-timeout -1 x":  "--lock-timeout -1 x",
	}
	vf := valueFlags((&app{}).rootCommand())
	for in, want := range cases {
		got := strings.Join(protectNegativeArgs(strings.Split(in, " "), vf), " ")
		if got != want {
			t.Errorf("%q -> %q, want %q", in, got, want)
		}
	}
}

// The flags that take a value are read from the command tree: every flag
// that takes one is found, no boolean flag is, and a flag added to a verb
// or to the root counts at once, with no second edit.
func TestValueFlagsFollowTheCommandTree(t *testing.T) {
	root := (&app{}).rootCommand()
	vf := valueFlags(root)
	for _, f := range []string{"-d", "--dir", "--db", "-c", "--config", "--version-table", "--version-schema",
		"--lock-timeout", "-n", "--limit", "-r", "--rev-range", "-m", "--message", "--head", "--branch-label",
		"--depends-on", "--rev-id"} {
		if !vf[f] {
			t.Errorf("%s takes a value, and is not among %v", f, vf)
		}
	}
	for _, f := range []string{"-v", "--verbose", "--json", "--sql", "--purge", "--splice", "--no-audit", "--ascii",
		"-i", "--indicate-current", "--graph", "--drift", "--resolve-dependencies"} {
		if vf[f] {
			t.Errorf("%s is boolean, and counted as taking a value", f)
		}
	}

	var since string
	var fast bool
	var depth int
	find := func(verb string) *cobra.Command {
		t.Helper()
		c, _, err := root.Find([]string{verb})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	find("log").Flags().StringVar(&since, "since", "", "a new flag with a value")
	find("downgrade").Flags().BoolVar(&fast, "fast", false, "a new boolean flag")
	root.PersistentFlags().IntVarP(&depth, "depth", "D", 0, "a new global flag with a value")
	vf = valueFlags(root)
	for _, tc := range [][2]string{
		{"log --since -1", "log --since -1"},
		{"downgrade --fast -1", "downgrade --fast -- -1"},
		{"-D -2 downgrade -1", "-D -2 downgrade -- -1"},
		{"--depth -3 log --since -4", "--depth -3 log --since -4"}, // last: its values are checked below
	} {
		in, want := tc[0], tc[1]
		got := protectNegativeArgs(strings.Fields(in), vf)
		if strings.Join(got, " ") != want {
			t.Errorf("%q -> %q, want %q", in, got, want)
			continue
		}
		// The flag parser agrees: the value reaches the flag.
		c, rest, err := root.Find(got)
		if err == nil {
			err = c.ParseFlags(rest)
		}
		if err != nil {
			t.Errorf("%q: %v", in, err)
		}
	}
	if since != "-4" || depth != -3 || !fast {
		t.Errorf("parsed --since %q, --depth %d, --fast %v", since, depth, fast)
	}
}
