// Command retort browses and applies database migrations that form a
// revision graph, the way Alembic does: a terminal UI when run without a
// verb, and Alembic's verbs (heads, history, upgrade, downgrade, stamp...)
// for scripts and CI. The command line lives in package retort/cli.
package main

import (
	"os"

	"retort/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:])) }
