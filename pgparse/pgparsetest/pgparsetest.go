// Package pgparsetest gives tests a pgparse.Parser whose compiled code is
// cached in the system's temporary directory, shared by every test binary
// of a run (and the next), so that only the first compiles the grammar.
package pgparsetest

import (
	"os"
	"path/filepath"
	"testing"

	"retort/pgparse"
)

// CacheDir is the cache the parsers of tests share.
func CacheDir() string {
	return filepath.Join(os.TempDir(), "retort-test-wasm-cache")
}

// New returns a parser for the test, closed when it ends.
func New(t testing.TB) *pgparse.Parser {
	t.Helper()
	p := pgparse.New(CacheDir())
	t.Cleanup(func() {
		if err := p.Close(); err != nil {
			t.Errorf("closing the parser: %v", err)
		}
	})
	return p
}
