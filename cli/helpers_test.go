package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Helpers of the tests that run the command line in-process.

// retortIn runs retort in dir with only the given environment variables
// among those retort reads, and returns stdout, stderr and the exit status.
func retortIn(t *testing.T, dir string, env map[string]string, args ...string) (string, string, int) {
	t.Helper()
	for _, k := range []string{"DATABASE_URL", "RETORT_DIR", "VISUAL", "EDITOR", "VIRTUAL_ENV", "FLASK_APP"} {
		t.Setenv(k, env[k])
		if _, ok := env[k]; !ok {
			os.Unsetenv(k)
		}
	}
	t.Chdir(dir)
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}

// cwd is the current directory as the process sees it.
func cwd(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return wd
}

// repoRoot is the repository's root, the parent of this package's
// directory, as an absolute path (tests change directory).
func repoRoot(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Dir(wd)
}

// copyTree copies the directory from, with its subdirectories but not
// Python's caches, to to.
func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, e os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, p)
		if err != nil {
			return err
		}
		if e.IsDir() {
			if e.Name() == "__pycache__" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// runCLI runs retort in-process with args and returns stdout, stderr and the
// exit status. The environment never leaks in: DATABASE_URL and RETORT_DIR
// are cleared for the test.
func runCLI(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	t.Setenv("DATABASE_URL", "")
	t.Setenv("RETORT_DIR", "")
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}

func lines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return []string{}
	}
	return strings.Split(s, "\n")
}
