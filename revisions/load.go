package revisions

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"retort/models"
)

// revisionFile is a candidate file in a versions directory.
type revisionFile struct {
	name string // base name: the sort key
	path string
	dir  int // index of its directory in the list Load was given
}

// Load reads every revision file (`.sql` and Alembic `.py`) of the given
// versions directories, validates them and builds the graph.
//
// Files are taken in file-name order (bytes), whatever directory they are
// in: Alembic builds its revision map in directory-listing order, and every
// tie between sibling branches follows that order, so retort fixes it to the
// sorted order the conformance cases were recorded with.
//
// When some files are broken, Load still returns a graph of the revisions it
// could read alongside the error (a join of *FileError values, all of them,
// not only the first), so that a browser can show a broken history; callers
// that change a database must refuse to go on when the error is not nil.
func Load(dirs ...string) (*models.Graph, error) {
	files, err := listRevisionFiles(dirs)
	if err != nil {
		return nil, err
	}
	parsed := readAll(dirs, files)
	var revs []*models.Revision
	var errs []error
	for _, p := range parsed {
		if p.err != nil {
			errs = append(errs, p.err)
		}
		if p.rev != nil {
			revs = append(revs, p.rev)
		}
	}
	g, err := Build(revs)
	if err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return g, fmt.Errorf("%w:\n%w", ErrInvalidGraph, errors.Join(errs...))
	}
	return g, nil
}

// listRevisionFiles lists the revision files of dirs, sorted by name.
func listRevisionFiles(dirs []string) ([]revisionFile, error) {
	if len(dirs) == 0 {
		return nil, errors.New("no versions directory given")
	}
	var files []revisionFile
	for k, dir := range dirs {
		entries, err := readDirUnsorted(dir)
		if err != nil {
			return nil, fmt.Errorf("reading versions directory: %w", err)
		}
		files = slices.Grow(files, len(entries))
		prefix := dirPrefix(dir)
		for _, e := range entries {
			if e.IsDir() || !isRevisionFileName(e.Name()) {
				continue
			}
			files = append(files, revisionFile{name: e.Name(), path: prefix + e.Name(), dir: k})
		}
	}
	slices.SortFunc(files, func(a, b revisionFile) int {
		if c := strings.Compare(a.name, b.name); c != 0 {
			return c
		}
		return strings.Compare(a.path, b.path)
	})
	return files, nil
}

// readDirUnsorted is os.ReadDir without its sort: the files are sorted
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

// isRevisionFileName says which files of a versions directory are revisions.
//
// `.py` files follow Alembic's rule (`(?!\.\#|__init__)(.*\.py)$`, matched
// from the start of the name): every name ending in `.py` except Emacs lock
// files (`.#name.py`) and names starting with `__init__`. Other hidden files
// such as `.name.py` are revisions to Alembic, so they are to retort.
//
// `.sql` files are retort's own: every name ending in `.sql` except hidden
// ones (a leading dot, which covers Emacs's `.#name.sql` and editors' hidden
// copies); backups such as `name.sql~`, `#name.sql#` and `.name.sql.swp` do
// not end in `.sql`.
func isRevisionFileName(name string) bool {
	switch {
	case strings.HasSuffix(name, ".py"):
		return !strings.HasPrefix(name, ".#") && !strings.HasPrefix(name, "__init__")
	case strings.HasSuffix(name, ".sql"):
		return !strings.HasPrefix(name, ".")
	}
	return false
}

// parsedFile is the outcome of reading one file.
type parsedFile struct {
	rev *models.Revision
	err error
}

// readAll reads and parses the files on several goroutines, keeping their
// order: on a history of thousands of files the time goes into opening and
// reading them, which overlaps well.
func readAll(dirs []string, files []revisionFile) []parsedFile {
	readers := make([]dirReader, len(dirs))
	for k, d := range dirs {
		readers[k] = openDirReader(d)
		defer readers[k].close()
	}
	out := make([]parsedFile, len(files))
	workers := min(4*runtime.GOMAXPROCS(0), len(files))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 0, 64<<10)
			for {
				k := int(next.Add(1)) - 1
				if k >= len(files) {
					return
				}
				f := files[k]
				rev, err := readRevisionFile(readers[f.dir], f, &buf)
				out[k] = parsedFile{rev: rev, err: err}
			}
		}()
	}
	wg.Wait()
	return out
}

// readRevisionFile reads and parses one file according to its extension.
// buf is the caller's scratch buffer, reused from file to file (the parsers
// copy what they keep): os.ReadFile would allocate for each file and spend
// two more system calls on it, which is most of the time on a history of
// thousands of files.
func readRevisionFile(d dirReader, f revisionFile, buf *[]byte) (*models.Revision, error) {
	path := f.path
	src, err := d.read(f.name, buf)
	if err != nil {
		return nil, &FileError{Path: path, Err: fmt.Errorf("cannot read: %w", unwrapPathError(err))}
	}
	if strings.HasSuffix(path, ".py") {
		return ParsePython(path, src)
	}
	return ParseSQL(path, src)
}

// unwrapPathError drops the path from an *os.PathError, since FileError
// already names the file.
func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
