package cli

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// Every command's --help is a manual page: a Short line, a Long description
// that ends with the exit status, and examples, all within 80 columns. The
// tests walk the cobra tree, so a new verb is covered without being listed.

// helpColumns is the width --help output must fit in.
const helpColumns = 80

// alembicVerbs are the verbs Alembic has: their help must say how they
// relate to Alembic's.
var alembicVerbs = map[string]bool{
	"branches": true, "current": true, "downgrade": true, "heads": true, "history": true, "init": true,
	"merge": true, "revision": true, "show": true, "stamp": true, "upgrade": true,
}

// documentedCommands is the root and every verb a user can call, without
// cobra's own help command and the hidden completion helpers.
func documentedCommands() []*cobra.Command {
	root := (&app{}).rootCommand()
	root.InitDefaultHelpCmd()
	var out []*cobra.Command
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Hidden || c.Name() == "help" {
			return
		}
		out = append(out, c)
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	return out
}

func TestHelpEveryCommand(t *testing.T) {
	cmds := documentedCommands()
	if len(cmds) < 15 {
		t.Fatalf("only %d commands found", len(cmds))
	}
	for _, c := range cmds {
		name := c.CommandPath()
		if c.Short == "" || strings.HasSuffix(c.Short, ".") || len(c.Short) > helpColumns-14 {
			t.Errorf("%s: Short %q: want one line of at most %d characters, without a final period", name, c.Short, helpColumns-14)
		}
		if len(c.Long) < 400 {
			t.Errorf("%s: Long has %d characters: describe what it does, its arguments, what it prints", name, len(c.Long))
		}
		if !strings.Contains(c.Long, "\nExit status: ") {
			t.Errorf("%s: Long does not give the exit status", name)
		}
		if alembicVerbs[c.Name()] && !strings.Contains(c.Long, `"alembic `+c.Name()+`"`) {
			t.Errorf("%s: Long does not relate it to \"alembic %s\"", name, c.Name())
		}
		if c.Example == "" {
			t.Errorf("%s: no Example", name)
		}
		for _, line := range strings.Split(c.Example, "\n") {
			if !strings.HasPrefix(line, "  ") || !strings.Contains(line, "retort") {
				t.Errorf("%s: example line %q: want a retort command indented by two spaces", name, line)
			}
		}

		args := append(strings.Fields(strings.TrimPrefix(name, "retort")), "--help")
		out, errOut, code := retortIn(t, t.TempDir(), nil, args...)
		if code != 0 || errOut != "" {
			t.Errorf("%s --help: exit %d, stderr %q", name, code, errOut)
		}
		for _, want := range []string{c.Long, "\nUsage:\n", "\nExamples:\n" + c.Example + "\n"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s --help lacks %q:\n%s", name, want, out)
			}
		}
		for k, line := range strings.Split(out, "\n") {
			if n := len([]rune(line)); n > helpColumns {
				t.Errorf("%s --help, line %d has %d columns: %q", name, k+1, n, line)
			}
		}
	}
}

// TestHelpExamplesParse: every retort command in the examples names a real
// verb and real flags, with arguments the verb accepts.
func TestHelpExamplesParse(t *testing.T) {
	n := 0
	for _, c := range documentedCommands() {
		for _, line := range strings.Split(c.Example, "\n") {
			for _, args := range exampleInvocations(line) {
				n++
				root := (&app{}).rootCommand()
				args = protectNegativeArgs(args, valueFlags(root))
				cmd, rest, err := root.Find(args)
				if err == nil {
					err = cmd.ParseFlags(rest)
				}
				if err == nil {
					err = cmd.ValidateArgs(cmd.Flags().Args())
				}
				if err != nil {
					t.Errorf("%s: example %q: %v", c.CommandPath(), line, err)
				}
			}
		}
	}
	if n < 50 {
		t.Errorf("only %d example commands found", n)
	}
}

// exampleInvocations returns the arguments of each retort command on an
// example line: what follows "retort", up to a comment, a pipe, a
// redirection or "&&".
func exampleInvocations(line string) [][]string {
	var out [][]string
	var cur []string
	in := false
	flush := func() {
		if in {
			out = append(out, cur)
		}
		cur, in = nil, false
	}
	for _, tok := range shellWords(line) {
		tok = strings.TrimSuffix(strings.TrimPrefix(tok, "<("), ")")
		switch {
		case strings.HasPrefix(tok, "#"):
			flush()
			return out
		case tok == "|" || tok == "&&" || tok == ">" || tok == "<":
			flush()
		case tok == "retort" && !in:
			in = true
		case in:
			cur = append(cur, tok)
		}
	}
	flush()
	return out
}

// shellWords splits a command line on blanks, keeping quoted strings (with
// their quotes removed) whole.
func shellWords(s string) []string {
	var words []string
	var b strings.Builder
	quote, inWord := rune(0), false
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			b.WriteRune(r)
		case r == '"' || r == '\'':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, b.String())
				b.Reset()
				inWord = false
			}
		default:
			b.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, b.String())
	}
	return words
}
