package e2e

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// firstRunWait bounds the wait for the first screen of `go run`: it
// compiles retort's own packages in the fresh copy (the dependencies come
// from the shared build cache).
const firstRunWait = 5 * time.Minute

// currentBase is the status bar's "current base" (with "(no version rows)"
// where the width allows).
var currentBase = regexp.MustCompile(`current base( \(no version rows\))?( |$)`)

// TestReadmeFirstCommand runs the README's first command as a new user
// would: in a fresh copy of the repository, with an environment that holds
// nothing of the developer's (no DATABASE_URL, RETORT_DIR, EDITOR, no home
// configuration). The TUI opens on the example history against an SQLite
// file beside it, with nothing applied; one upgrade moves the current
// marker to the base revision.
func TestReadmeFirstCommand(t *testing.T) {
	cmd := readmeFirstCommand(t)
	if cmd != "go run . --dir examples/library" {
		t.Fatalf("the README's first command is %q: update this test with it", cmd)
	}
	work := freshCopy(t)
	argv := append([]string{"sh", "-c", `exec env -i TERM="$TERM" "$@"`, "sh"}, newUserEnv(t)...)
	s := startTmux(t, work, 80, 24, nil, append(argv, strings.Fields(cmd)...)...)
	start := time.Now()
	scr := s.waitWithin(firstRunWait, "the TUI on the example history", func(scr string) bool {
		return currentBase.MatchString(scr) && strings.Contains(scr, "add the patron locale")
	})
	t.Logf("go run showed the TUI after %s", time.Since(start).Round(100*time.Millisecond))
	requireGraph(t, scr)

	// Keys typed faster than the program reads them still count.
	s.burst("j", "j", "j")
	s.waitText("4/30")

	// G selects the base revision, pending; u upgrades one step toward it.
	s.keys("G")
	scr = s.waitText("30/30")
	if l := paneLine(scr, "┃", libraryBase[:8]); !strings.Contains(l, "○") || strings.Contains(l, "◉") {
		t.Errorf("before any upgrade the base revision's row should be pending (○):\n%s", scr)
	}
	s.keys("u")
	s.waitText("Press enter (or y) to run")
	s.keys("Enter")
	s.waitText("current " + libraryBase[:8])
	wantRows(t, "sqlite:"+filepath.Join(work, "examples", "retort.db"), libraryBase)
	s.keys("Escape")
	scr = s.waitFor("the modal closed and the marker on the base", func(scr string) bool {
		l := paneLine(scr, "┃", libraryBase[:8])
		return strings.Contains(l, "◉") && strings.Contains(l, "current")
	})
	if n := strings.Count(scr, "◉"); n != 1 {
		t.Errorf("%d rows carry the current marker ◉, want the base's only:\n%s", n, scr)
	}
	s.keys("q")
	s.waitText("[exited 0]")
}

// requireGraph checks that a screen shows the example history as a graph:
// pending nodes, lanes, and the messages of several revisions.
func requireGraph(t *testing.T, scr string) {
	t.Helper()
	for _, want := range []string{"○", "│", "◇─╮", "sqlite:", "[head]", "add the organis", "index requests", "move pending", "merge catal"} {
		if !strings.Contains(scr, want) {
			t.Errorf("the first screen lacks %q:\n%s", want, scr)
		}
	}
	if n := strings.Count(scr, "○"); n < 10 {
		t.Errorf("the first screen shows %d pending revisions, want a screenful:\n%s", n, scr)
	}
}

// readmeFirstCommand is the first line of the README's first sh block,
// without its comment.
func readmeFirstCommand(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "```sh" && sc.Scan() {
			line, _, _ := strings.Cut(sc.Text(), "#")
			return strings.Join(strings.Fields(line), " ")
		}
	}
	t.Fatal("the README has no sh code block")
	return ""
}

// freshCopy copies the files a clone of the working tree would hold (the
// tracked files as they are now, and new files git does not ignore) into a
// temporary directory: no build output, no local database, no .git.
func freshCopy(t *testing.T) string {
	t.Helper()
	const root = ".." // the repository, from this package's directory
	ls := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	ls.Dir = root
	out, err := ls.Output()
	if err != nil {
		t.Fatalf("git ls-files (the test copies the repository's files): %v", err)
	}
	dst := filepath.Join(t.TempDir(), "retort")
	for _, name := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		copyFile(t, filepath.Join(root, name), filepath.Join(dst, name))
	}
	return dst
}

// copyFile copies a file with its mode; one deleted from the working tree
// but not yet from the index is skipped, as a commit would drop it.
func copyFile(t *testing.T, from, to string) {
	t.Helper()
	src, err := os.Open(from)
	if os.IsNotExist(err) {
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	fi, err := src.Stat()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	dst, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, fi.Mode().Perm())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
}

// newUserEnv is the whole environment of the new user's shell: a home of
// their own and a UTF-8 locale, PATH with go on it, and the developer's Go
// build and module caches (so that only retort's packages are compiled,
// without the network). Nothing else is inherited.
func newUserEnv(t *testing.T) []string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Fatal("the go command is needed on PATH for the README test")
	}
	goenv := func(name string) string {
		out, err := exec.Command(gobin, "env", name).Output()
		if err != nil {
			t.Fatalf("go env %s: %v", name, err)
		}
		return strings.TrimSpace(string(out))
	}
	return []string{
		"HOME=" + t.TempDir(),
		"LANG=C.UTF-8",
		"PATH=" + filepath.Dir(gobin) + ":/usr/local/bin:/usr/bin:/bin",
		"GOCACHE=" + goenv("GOCACHE"),
		"GOMODCACHE=" + goenv("GOMODCACHE"),
		"GOPROXY=off",
		"GOTOOLCHAIN=local",
	}
}
