package revisions

import (
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"retort/models"
)

// loadWithin runs Load and fails the test when it does not return in time:
// a versions directory must never make it block.
func loadWithin(t *testing.T, d time.Duration, dirs ...string) (*models.Graph, error) {
	t.Helper()
	type result struct {
		g   *models.Graph
		err error
	}
	done := make(chan result, 1)
	go func() {
		g, err := Load(dirs...)
		done <- result{g, err}
	}()
	select {
	case r := <-done:
		return r.g, r.err
	case <-time.After(d):
		t.Fatalf("Load(%q) did not return within %v", dirs, d)
		return nil, nil
	}
}

// A FIFO, a symlink to /dev/zero, a symlink to a directory and a socket
// are skipped with a warning naming each, instead of blocking forever or
// reading until memory runs out; the revisions beside them load.
func TestLoadSkipsWhatIsNotARegularFile(t *testing.T) {
	dir := writeRevisions(t, "a1||")
	fifo := filepath.Join(dir, "b1_fifo.sql")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	zero := filepath.Join(dir, "c1_zero.py")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "d1_dir.sql")
	if err := os.Symlink(sub, link); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(dir, "e1_socket.sql")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	g, err := loadWithin(t, 10*time.Second, dir)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if g.Len() != 1 || g.Revisions[0].ID != "a1" {
		t.Fatalf("revisions %v", g.IDs(g.History))
	}
	want := []string{
		fifo + ": skipped: not a regular file but a named pipe (FIFO)",
		zero + ": skipped: not a regular file but a character device",
		link + ": skipped: not a regular file but a directory",
		sock + ": skipped: not a regular file but a socket",
	}
	if !slices.Equal(g.Warnings, want) {
		t.Errorf("warnings\n%q\nwant\n%q", g.Warnings, want)
	}
}

// A revision file over the size limit is an error naming the file and the
// limit; it is not read.
func TestLoadRefusesAFileOverTheSizeLimit(t *testing.T) {
	dir := writeRevisions(t, "a1||")
	big := filepath.Join(dir, "b1_big.sql")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	// A sparse file: the size without the disk space.
	if err := f.Truncate(64<<20 + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	g, err := loadWithin(t, 10*time.Second, dir)
	fes := fileErrors(err)
	if len(fes) != 1 || fes[0].Path != big || fes[0].Error() != big+": the file is larger than 64 MiB (67108865 bytes), the most retort reads as a revision" {
		t.Fatalf("got %v", err)
	}
	if g == nil || g.Len() != 1 {
		t.Fatalf("the rest of the history is not loaded: %v", g)
	}
}

// The same directory given twice, by the same path or through a symlink, is
// read once: its revisions are not "defined twice".
func TestLoadReadsADirectoryGivenTwiceOnce(t *testing.T) {
	dir := writeRevisions(t, "a1||", "b1|a1|")
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(dir, link); err != nil {
		t.Fatal(err)
	}
	for _, dirs := range [][]string{{dir, dir}, {dir, link}, {link, dir + "/"}} {
		g, err := Load(dirs...)
		if err != nil {
			t.Errorf("Load(%q): %v", dirs, err)
			continue
		}
		if got := g.IDs(g.History); !slices.Equal(got, []string{"b1", "a1"}) {
			t.Errorf("Load(%q): history %v", dirs, got)
		}
		if !strings.HasPrefix(g.Revisions[0].Path, strings.TrimSuffix(dirs[0], "/")) {
			t.Errorf("Load(%q): path %s is not under the first spelling", dirs, g.Revisions[0].Path)
		}
	}
}
