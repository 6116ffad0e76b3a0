package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// editorScript stands in for a user's editor: it insists on being called
// as `EDITOR --wait FILE` (one flag, then the file as one argument, however
// many spaces its path has) and appends a statement to the file's
// downgrade section, the last in the file.
const editorScript = `#!/bin/sh
if [ "$#" -ne 2 ] || [ "$1" != --wait ]; then
	echo "editor called with $# arguments: $*" >&2
	exit 3
fi
printf 'SELECT 42; -- added in the editor\n' >> "$2"
`

// TestEditReloads: e runs the configured editor on the selected revision's
// file, through the shell like git runs $EDITOR (an editor path with a
// space, quoted, and an argument), with a file path holding a space; when
// the editor exits the history reloads with the new content.
func TestEditReloads(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "my versions")
	if err := os.CopyFS(dir, os.DirFS(fixture("linear"))); err != nil {
		t.Fatal(err)
	}
	editor := filepath.Join(root, "my tools", "edit it.sh")
	if err := os.MkdirAll(filepath.Dir(editor), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(editor, []byte(editorScript), 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "2b0000000002_add_users.sql")
	s := startUI(t, Config{Dirs: []string{dir}, Editor: "'" + editor + "' --wait"}, 100, 30)
	s.settle()
	s.selectRev("2b0000000002")
	s.press("e")
	m := s.waitModel("the reload after the editor", func(m Model) bool {
		return settled(m) && logHas(m, "editor closed: reloading")
	})
	if logHas(m, "editor \"") {
		t.Fatalf("the editor failed:\n%s", m.panes.log().Text())
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(string(b), "DROP TABLE users;\nSELECT 42; -- added in the editor\n") {
		t.Fatalf("the editor did not append to %s:\n%s", file, b)
	}
	rev := m.loaded.hist.Rev(m.panes.history().Cursor())
	if rev == nil || rev.ID != "2b0000000002" || !strings.Contains(rev.Downgrade.SQL, "SELECT 42") {
		t.Fatalf("after the reload the selection is %v, without the edit", rev)
	}
	if !containsLine(m.detailPane().View(), "SELECT 42") {
		t.Fatalf("the Detail pane does not show the edit:\n%s", strings.Join(m.detailPane().View(), "\n"))
	}
}

// TestEditorFailureIsReported: an editor that cannot run says so in the
// log, and the files are reloaded all the same (it may have written them).
func TestEditorFailureIsReported(t *testing.T) {
	s := startUI(t, Config{Dirs: []string{copyHistory(t, "linear")}, Editor: "/nonexistent/editor"}, 100, 30)
	s.settle()
	s.press("e")
	m := s.waitModel("the editor's failure", func(m Model) bool { return settled(m) && logHas(m, "reloading the versions directory") })
	if !logHas(m, `editor "/nonexistent/editor": command not found`) {
		t.Fatalf("the log does not say the editor failed:\n%s", m.panes.log().Text())
	}
}
