//go:build unix

package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"time"
)

// fileLocker excludes other runners on a SQLite database with flock(2) on a
// `PATH.retort-lock` file beside it. flock locks belong to an open file, so
// two handles in one process exclude each other just like two processes, and
// the kernel drops the lock when its holder dies, even by SIGKILL. The file
// holds a line saying who holds the lock; it is emptied on unlock and never
// removed (removing a lock file races with a runner that just opened it).
type fileLocker struct {
	path string
	// who is the line written into the file while this runner holds it.
	who string
	f   *os.File
}

func newFileLocker(dbPath, appName, host string) *fileLocker {
	who := fmt.Sprintf("pid %d (application %q on host %s", os.Getpid(), appName, host)
	return &fileLocker{path: lockPath(dbPath), who: who}
}

func (l *fileLocker) tryLock(context.Context) (bool, error) {
	if l.f != nil {
		return false, fmt.Errorf("lock %s is already held by this handle", l.path)
	}
	f, err := os.OpenFile(l.path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return false, fmt.Errorf("opening the lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return false, nil
		}
		return false, fmt.Errorf("locking %s: %w", l.path, err)
	}
	l.f = f
	line := l.who + ", locked since " + time.Now().UTC().Format("2006-01-02 15:04:05 UTC") + ")\n"
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(line), 0)
	}
	return true, nil
}

func (l *fileLocker) unlock(context.Context) error {
	if l.f == nil {
		return nil
	}
	f := l.f
	l.f = nil
	_ = f.Truncate(0)
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// holder probes the lock with a shared, non-blocking flock: if that
// succeeds nobody holds it.
func (l *fileLocker) holder(context.Context) (string, error) {
	f, err := os.Open(l.path)
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	defer f.Close()
	if l.f == nil {
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB); err == nil {
			_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
			return "", nil
		}
	}
	b, err := io.ReadAll(io.LimitReader(f, 1024))
	if err != nil {
		return "", err
	}
	if who := strings.TrimSpace(string(b)); who != "" {
		return who, nil
	}
	return "another process (lock file " + l.path + ")", nil
}
