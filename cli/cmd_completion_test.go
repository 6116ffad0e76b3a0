package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestCompletionAndVersion(t *testing.T) {
	dir := t.TempDir()
	for shell, marker := range map[string]string{
		"bash": "# bash completion V2 for retort", "zsh": "#compdef retort", "fish": "# fish completion for retort", "powershell": "Register-ArgumentCompleter",
	} {
		out, errOut, code := retortIn(t, dir, nil, "completion", shell)
		if code != 0 || !strings.Contains(out, marker) {
			t.Errorf("completion %s: %d %s (%.80q)", shell, code, errOut, out)
		}
	}
	if _, errOut, code := retortIn(t, dir, nil, "completion", "tcsh"); code == 0 || !strings.Contains(errOut, `invalid argument "tcsh"`) {
		t.Errorf("completion tcsh: %d %s", code, errOut)
	}
	if out, _, code := retortIn(t, dir, nil, "--version"); code != 0 || out != "retort "+version+"\n" {
		t.Errorf("--version: %d %q", code, out)
	}
}

// TestRevisionCompletion: the shell completes --head and merge arguments
// from the versions directory.
func TestRevisionCompletion(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, filepath.Join(repoRoot(t), "testdata", "conformance", "h01_two_trees", "sql"), filepath.Join(dir, "migrations"))
	out, _, code := retortIn(t, dir, nil, "__complete", "merge", "")
	if code != 0 {
		t.Fatal(out)
	}
	for _, want := range []string{"heads\t", "e000\tstep 4", "f000\t", "y000\t", "core@head\t", "other@head\t"} {
		if !strings.Contains(out, "\n"+want) && !strings.HasPrefix(out, want) {
			t.Errorf("merge completions lack %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\nc000\t") {
		t.Errorf("merge completions offer a revision that is not a head:\n%s", out)
	}
	out, _, _ = retortIn(t, dir, nil, "__complete", "revision", "--depends-on", "")
	if !strings.Contains(out, "\nc000\t") || !strings.Contains(out, "\nfeat\t") {
		t.Errorf("--depends-on completions:\n%s", out)
	}
}
