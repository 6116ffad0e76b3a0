// Package e2e holds retort's end-to-end tests: they build the retort binary
// from the repository's root (or `go run` it, as the README says) and drive
// it as a user would, in tmux and in bash, against real databases.
package e2e
