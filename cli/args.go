package cli

import (
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// valueFlags are the spellings ("-n", "--limit") of the flags of root and
// its verbs that take their value in the next argument, which may look like
// "-1". It is read from the command tree, so that a new flag needs no
// second edit here: a flag needs a value unless it has a default for when
// none is given, as boolean flags do.
func valueFlags(root *cobra.Command) map[string]bool {
	out := map[string]bool{}
	add := func(f *pflag.Flag) {
		if f.NoOptDefVal != "" {
			return
		}
		out["--"+f.Name] = true
		if f.Shorthand != "" {
			out["-"+f.Shorthand] = true
		}
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.PersistentFlags().VisitAll(add)
		c.Flags().VisitAll(add)
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	return out
}

// protectNegativeArgs lets `downgrade -1` mean what it means in Alembic: a
// relative target, not a flag. Such arguments move after a "--", where the
// flag parser leaves them alone; one that is the value of a flag (in
// valueFlags) stays where it is.
func protectNegativeArgs(args []string, valueFlags map[string]bool) []string {
	var keep, moved []string
	for k, a := range args {
		if a == "--" {
			return args
		}
		if isNegativeNumber(a) && (k == 0 || !valueFlags[args[k-1]]) {
			moved = append(moved, a)
			continue
		}
		keep = append(keep, a)
	}
	if len(moved) == 0 {
		return args
	}
	return append(append(keep, "--"), moved...)
}

func isNegativeNumber(s string) bool {
	if len(s) < 2 || s[0] != '-' {
		return false
	}
	for _, c := range s[1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
