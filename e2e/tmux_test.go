package e2e

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// screenWait bounds how long a tmux test waits for the screen to show
// something; CI machines can be slow to start a binary.
const screenWait = 30 * time.Second

// buildRetort compiles the retort binary once per test into a temp dir.
func buildRetort(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "retort")
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Fatal("the go command is needed on PATH to build retort for the end-to-end tests")
	}
	out, err := exec.Command(gobin, "build", "-o", bin, "..").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// escapeGap is how long nothing is sent after an Escape. bubbletea reads
// an ESC and the bytes after it in the same read as Alt+key (ESC then q is
// alt+q, which quits nothing), so the program must have read the ESC alone
// before the next key arrives. Where an Escape has a visible effect, tests
// also wait for it before the next key.
const escapeGap = 300 * time.Millisecond

// exitLine is what startTmux prints when the command ends.
var exitLine = regexp.MustCompile(`(?m)^\[exited \d+\]`)

// tmuxSession is a detached tmux server of its own (its own socket, so tests
// never touch the user's sessions, and no configuration file, so the user's
// ~/.tmux.conf changes nothing) running one command in a fixed-size window.
type tmuxSession struct {
	t      *testing.T
	socket string
}

// startTmux runs argv in dir inside a new tmux session of width x height.
func startTmux(t *testing.T, dir string, width, height int, env []string, argv ...string) *tmuxSession {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatal("tmux is needed for the end-to-end tests: install it with `apt-get install tmux`")
	}
	s := &tmuxSession{t: t, socket: filepath.Join(t.TempDir(), "tmux.sock")}
	args := []string{"new-session", "-d", "-s", "retort", "-x", strconv.Itoa(width), "-y", strconv.Itoa(height), "-c", dir}
	for _, e := range env {
		args = append(args, "-e", e)
	}
	// Keep the pane after the program exits, so that a crash leaves its
	// message on the screen for the failure report.
	args = append(args, "--", "sh", "-c", shellJoin(argv)+`; echo "[exited $?]"; sleep 600`)
	s.tmux(args...)
	t.Cleanup(func() { _ = exec.Command("tmux", "-f", "/dev/null", "-S", s.socket, "kill-server").Run() })
	return s
}

func (s *tmuxSession) tmux(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-f", "/dev/null", "-S", s.socket}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// screen is the visible pane as plain text.
func (s *tmuxSession) screen() string { return s.tmux("capture-pane", "-p", "-t", "retort") }

// keys sends tmux key names ("Enter", "Escape", "u", "C-c"), one at a
// time; after an Escape nothing is sent for escapeGap.
func (s *tmuxSession) keys(keys ...string) {
	s.t.Helper()
	for _, k := range keys {
		s.tmux("send-keys", "-t", "retort", k)
		if k == "Escape" || k == "C-[" {
			time.Sleep(escapeGap)
		}
	}
}

// burst sends keys in one send-keys command, which reaches the program as
// one read: the way keys typed faster than it reads arrive.
func (s *tmuxSession) burst(keys ...string) {
	s.t.Helper()
	s.tmux(append([]string{"send-keys", "-t", "retort"}, keys...)...)
}

// typeText sends text literally.
func (s *tmuxSession) typeText(text string) {
	s.t.Helper()
	s.tmux("send-keys", "-t", "retort", "-l", text)
}

// waitFor polls the screen until ok accepts it, and fails with the last
// screen after screenWait.
func (s *tmuxSession) waitFor(what string, ok func(screen string) bool) string {
	s.t.Helper()
	return s.waitWithin(screenWait, what, ok)
}

// waitWithin is waitFor with its own time limit.
func (s *tmuxSession) waitWithin(limit time.Duration, what string, ok func(screen string) bool) string {
	s.t.Helper()
	deadline := time.Now().Add(limit)
	for {
		scr := s.screen()
		if ok(scr) {
			return scr
		}
		// The command ended (startTmux prints its status): the screen
		// will not change any more.
		if exitLine.MatchString(scr) {
			s.t.Fatalf("waiting for %s, the program exited; the screen:\n%s", what, scr)
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("timed out waiting for %s; the screen:\n%s", what, scr)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitText waits until the screen contains every one of texts.
func (s *tmuxSession) waitText(texts ...string) string {
	s.t.Helper()
	return s.waitFor(strings.Join(texts, " and "), func(scr string) bool {
		for _, x := range texts {
			if !strings.Contains(scr, x) {
				return false
			}
		}
		return true
	})
}

// paneLine is the text of the first screen line of the pane whose left
// border is border ("┃" for the focused graph pane at the left, "│" for the
// log pane below it) that contains text, cut at the pane's right border so
// that a pane to its right does not count; "" if none.
func paneLine(screen, border, text string) string {
	for _, l := range strings.Split(screen, "\n") {
		inner, ok := strings.CutPrefix(l, border)
		if !ok {
			continue
		}
		inner, _, _ = strings.Cut(inner, border)
		if strings.Contains(inner, text) {
			return inner
		}
	}
	return ""
}

// shellJoin quotes argv for sh -c.
func shellJoin(argv []string) string {
	q := make([]string, len(argv))
	for i, a := range argv {
		q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(q, " ")
}
