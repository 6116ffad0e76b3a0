package engine

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"retort/models"
)

// helperURLEnv passes the database URL to a helper subprocess.
const helperURLEnv = "RETORT_ENGINE_HELPER_URL"

// runHelper runs the helper selected by RETORT_ENGINE_HELPER in a
// subprocess and returns its exit code.
func runHelper(name string) int {
	url := os.Getenv(helperURLEnv)
	var err error
	switch name {
	case "sleep-victim":
		err = sleepVictim(url)
	case "lock-holder":
		err = lockHolder(url)
	default:
		err = fmt.Errorf("unknown helper %q", name)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		return 1
	}
	return 0
}

// sleepPlan is r001 of a two-revision chain whose upgrade creates a table
// and then sleeps for 30 s: the step the SIGKILL test kills.
func sleepPlan() ([]*models.Revision, *models.Plan) {
	revs := chain(2, func(i int) string {
		if i == 1 {
			return "SELECT pg_sleep(30);"
		}
		return ""
	})
	return revs, upgradeChain(revs, 0, 1)
}

// sleepVictim applies sleepPlan and is killed by the test while it sleeps.
func sleepVictim(url string) error {
	db, err := Open(context.Background(), url, WithApplicationName("victim"))
	if err != nil {
		return err
	}
	_, plan := sleepPlan()
	return db.Apply(context.Background(), plan, nil)
}

// lockHolder takes the lock with a one-step plan, prints "locked" once the
// step runs, and holds the lock until its stdin is closed.
func lockHolder(url string) error {
	db, err := Open(context.Background(), url, WithApplicationName("holder-process"))
	if err != nil {
		return err
	}
	return db.Apply(context.Background(), stampPlan(nil, "h1"), func(e models.Event) {
		if e.Kind == models.EventStepStarted {
			fmt.Println("locked")
			_, _ = io.Copy(io.Discard, os.Stdin)
		}
	})
}

// startHelper re-executes the test binary running the named helper on url.
func startHelper(t *testing.T, name, url string) (*exec.Cmd, io.WriteCloser, *bufio.Reader) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"="+name, helperURLEnv+"="+url)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	return cmd, stdin, bufio.NewReader(stdout)
}

// waitFor polls cond until it is true or the timeout passes.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestSIGKILLDuringStatement: a runner killed with SIGKILL in the middle of a
// long statement leaves the database at the previous revision and the lock
// free.
func TestSIGKILLDuringStatement(t *testing.T) {
	url := pgtestDatabase(t)
	revs, _ := sleepPlan()
	db := open(t, url)
	p := newProbe(t, url)
	if err := db.Apply(context.Background(), upgradeChain(revs, -1, 0), nil); err != nil {
		t.Fatal(err)
	}
	cmd, _, _ := startHelper(t, "sleep-victim", url)
	waitFor(t, 20*time.Second, "the victim's pg_sleep in pg_stat_activity", func() bool {
		return len(p.strings("SELECT query FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'SELECT pg_sleep(30)%'")) > 0
	})
	if p.tableExists("t1") {
		// t1 is created inside the victim's open transaction.
		t.Fatal("the victim's uncommitted table is visible")
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	// The server notices the dead client (retort sets
	// client_connection_check_interval), rolls back and frees the lock.
	waitFor(t, 20*time.Second, "the lock to be released", func() bool {
		h, err := db.LockHolder(context.Background())
		return err == nil && h == ""
	})
	if got := p.rows(); !eqRows(got, []string{"r000"}) {
		t.Errorf("rows after the kill %v, want [r000]", got)
	}
	if p.tableExists("t1") {
		t.Error("table t1 of the killed step exists")
	}
	if n := p.strings("SELECT count(*)::text FROM retort_log WHERE revision = 'r001'"); n[0] != "0" {
		t.Errorf("%s audit rows for the killed step", n[0])
	}
}

// TestSQLiteLockBetweenProcesses: a second process cannot take the lock of a
// SQLite database while another holds it, names the holder when it gives up,
// and gets it once the holder is done.
func TestSQLiteLockBetweenProcesses(t *testing.T) {
	url := "sqlite:" + t.TempDir() + "/db.sqlite"
	cmd, stdin, stdout := startHelper(t, "lock-holder", url)
	line, err := stdout.ReadString('\n')
	if err != nil || line != "locked\n" {
		t.Fatalf("holder said %q, %v", line, err)
	}
	db := open(t, url, WithLockTimeout(300*time.Millisecond), WithLockPollInterval(20*time.Millisecond))
	holder, err := db.LockHolder(context.Background())
	wantHolder := fmt.Sprintf("pid %d (application \"holder-process\"", cmd.Process.Pid)
	if err != nil || !strings.HasPrefix(holder, wantHolder) {
		t.Errorf("LockHolder = %q, %v; want it to start with %q", holder, err, wantHolder)
	}
	rec := &recorder{}
	err = db.Apply(context.Background(), stampPlan(nil, "h2"), rec.sink)
	if !errorsIs(err, ErrLockTimeout) || !strings.Contains(err.Error(), wantHolder) {
		t.Fatalf("Apply while held: %v, want a lock timeout naming %q", err, wantHolder)
	}
	if !rec.has(models.EventLockWaiting) {
		t.Error("no lock-waiting event")
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("holder: %v", err)
	}
	if h, err := db.LockHolder(context.Background()); err != nil || h != "" {
		t.Errorf("LockHolder after the holder ended = %q, %v; want \"\"", h, err)
	}
	if err := db.Apply(context.Background(), stampPlan([]string{"h1"}, "h2"), nil); err != nil {
		t.Fatalf("Apply after the holder ended: %v", err)
	}
}
