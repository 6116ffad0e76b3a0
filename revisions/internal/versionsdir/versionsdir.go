// Package versionsdir lists the files of versions directories and reads
// them without ever blocking: a FIFO, a device or a file larger than a
// revision can be is reported, not read.
package versionsdir

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// MaxFileSize is the largest file read as a revision: 64 MiB. Real data
// migrations can be large; a larger file is far more likely a dump put in
// the wrong place, and a revision file is held in memory whole.
const MaxFileSize = 64 << 20

// ErrNotRegular: the entry is not a regular file once symlinks are followed
// (a FIFO, a device, a directory, a socket). Opening a FIFO for reading
// waits for a writer, and a device such as /dev/zero never ends.
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge: the file is larger than MaxFileSize.
var ErrTooLarge = fmt.Errorf("larger than %d MiB", MaxFileSize>>20)

// Entry is a candidate file of a versions directory.
type Entry struct {
	Name string // base name: the sort key
	Path string // the directory as given, joined with Name
	Dir  int    // index of its directory in the list List returns
	// Type is the entry's type as the directory lists it (before symlinks
	// are followed).
	Type fs.FileMode
}

// List lists the entries of dirs that are not directories and whose names
// keep accepts, sorted by name (bytes), then by path. A directory given
// twice, by the same path or through a symlink, is listed once, under the
// name it was first given: it returns the directories kept.
func List(dirs []string, keep func(name string) bool) ([]string, []Entry, error) {
	if len(dirs) == 0 {
		return nil, nil, errors.New("no versions directory given")
	}
	dirs, err := distinct(dirs)
	if err != nil {
		return nil, nil, err
	}
	var entries []Entry
	for k, dir := range dirs {
		des, err := readDirUnsorted(dir)
		if err != nil {
			return nil, nil, fmt.Errorf("reading versions directory: %w", err)
		}
		entries = slices.Grow(entries, len(des))
		prefix := dirPrefix(dir)
		for _, e := range des {
			if e.IsDir() || !keep(e.Name()) {
				continue
			}
			entries = append(entries, Entry{Name: e.Name(), Path: prefix + e.Name(), Dir: k, Type: e.Type()})
		}
	}
	slices.SortFunc(entries, func(a, b Entry) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return strings.Compare(a.Path, b.Path)
	})
	return dirs, entries, nil
}

// distinct drops the directories that are one given before (os.SameFile:
// the same device and inode, whatever path leads there).
func distinct(dirs []string) ([]string, error) {
	out := make([]string, 0, len(dirs))
	infos := make([]fs.FileInfo, 0, len(dirs))
	for _, d := range dirs {
		fi, err := os.Stat(d)
		if err != nil {
			return nil, fmt.Errorf("reading versions directory: %w", err)
		}
		if slices.ContainsFunc(infos, func(seen fs.FileInfo) bool { return os.SameFile(seen, fi) }) {
			continue
		}
		out = append(out, d)
		infos = append(infos, fi)
	}
	return out, nil
}

// readDirUnsorted is os.ReadDir without its sort: the entries are sorted
// across all directories afterwards anyway.
func readDirUnsorted(dir string) ([]os.DirEntry, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.ReadDir(-1)
}

// dirPrefix is what filepath.Join(dir, name) puts before a plain file name
// (Join cleans only the directory part and the separator then), computed
// once per directory rather than once per file.
func dirPrefix(dir string) string {
	return strings.TrimSuffix(filepath.Join(dir, "x"), "x")
}

// ReadAll reads every entry on several goroutines and hands each one's
// content, or the error reading it, to fn(k, src, err) for entries[k], on
// the goroutine that read it: fn must be safe to call concurrently for
// different k. src is valid only during the call (the buffer is reused
// for the next file). dirs is the list List returned.
//
// On a history of thousands of files the time goes into opening and
// reading them, which overlaps well.
func ReadAll(dirs []string, entries []Entry, fn func(k int, src []byte, err error)) {
	readers := make([]dirReader, len(dirs))
	for k, d := range dirs {
		readers[k] = openDirReader(d)
		defer readers[k].close()
	}
	workers := min(4*runtime.GOMAXPROCS(0), len(entries))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 0, 64<<10)
			for {
				k := int(next.Add(1)) - 1
				if k >= len(entries) {
					return
				}
				e := entries[k]
				if e.Type&fs.ModeSocket != 0 {
					// Opening a socket fails (ENXIO) rather than blocks:
					// say what it is instead.
					fn(k, nil, checkFile(e.Type, 0))
					continue
				}
				src, err := readers[e.Dir].read(e.Name, &buf)
				fn(k, src, unwrapPathError(err))
			}
		}()
	}
	wg.Wait()
}

// unwrapPathError drops the path from an *os.PathError: the caller names
// the file already.
func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// checkFile refuses what is not a regular file, or is too large to read.
func checkFile(mode fs.FileMode, size int64) error {
	if !mode.IsRegular() {
		return fmt.Errorf("%w but %s", ErrNotRegular, kindOf(mode))
	}
	return checkSize(size)
}

func checkSize(size int64) error {
	if size > MaxFileSize {
		return fmt.Errorf("the file is %w (%d bytes), the most retort reads as a revision", ErrTooLarge, size)
	}
	return nil
}

// kindOf names the type of a file that is not a regular one.
func kindOf(mode fs.FileMode) string {
	switch {
	case mode&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case mode&fs.ModeCharDevice != 0:
		return "a character device"
	case mode&fs.ModeDevice != 0:
		return "a block device"
	case mode.IsDir():
		return "a directory"
	case mode&fs.ModeSocket != 0:
		return "a socket"
	}
	return "of type " + mode.Type().String()
}

// readInto reads from read into *buf until the end, refusing more than
// MaxFileSize bytes (the file may have grown since it was measured).
func readInto(buf *[]byte, size int64, read func([]byte) (int, error)) ([]byte, error) {
	b := (*buf)[:0]
	if want := int(size) + 1; cap(b) < want {
		b = make([]byte, 0, want)
	}
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err := checkSize(int64(len(b))); err != nil {
			return nil, err
		}
		if err != nil {
			return nil, err
		}
		if n == 0 {
			*buf = b
			return b, nil
		}
	}
}
