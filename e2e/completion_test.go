package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCompletionBashSourced sources the bash script in a real bash, checks
// that it registers itself, and completes a few command lines with the
// built binary. bash-completion's _get_comp_words_by_ref is replaced by a
// minimal one, so that the test does not need that package.
func TestCompletionBashSourced(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Fatal("bash is needed to test the bash completion script")
	}
	bin := buildRetort(t)
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "migrations"), os.DirFS("../testdata/conformance/h01_two_trees/sql")); err != nil {
		t.Fatal(err)
	}
	script := `_get_comp_words_by_ref() { cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]}; words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD; }
source <(retort completion bash) || exit 1
complete -p retort || exit 1
complete_line() {
	COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; COMPREPLY=()
	__start_retort 2>/dev/null || true
	echo "$*: ${COMPREPLY[*]}"
}
complete_line retort upg
complete_line retort merge ""
complete_line retort revision --he
complete_line retort completion ""
`
	cmd := exec.Command(bash, "--norc", "--noprofile", "-c", script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("bash: %v\n%s", err, out)
	}
	for _, want := range []string{
		"complete -o default -F __start_retort retort\n",
		"retort upg: upgrade\n",
		"retort merge : heads head base e000 f000 y000 ",
		"retort revision --he: --head --help\n",
		"retort completion : bash zsh fish powershell\n",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("bash completion output lacks %q:\n%s", want, out)
		}
	}
}
