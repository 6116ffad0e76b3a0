package e2e

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// maxPackageLines bounds a package's non-test Go, counted as wc -l counts
// it: a package that reaches it is split by concern first.
const maxPackageLines = 4000

// No package of the repository holds more than maxPackageLines lines of
// non-test Go.
func TestPackagesStaySmall(t *testing.T) {
	lines := map[string]int{}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") && path != "..") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		lines[filepath.Dir(path)] += bytes.Count(src, []byte("\n"))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) < 10 {
		t.Fatalf("found only %d packages: %v", len(lines), lines)
	}
	for dir, n := range lines {
		if n > maxPackageLines {
			t.Errorf("package %s holds %d lines of non-test Go (at most %d): split it by concern", dir, n, maxPackageLines)
		}
	}
}
