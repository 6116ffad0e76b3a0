package revisions

import (
	"errors"
	"fmt"
	"strings"

	"retort/models"
	"retort/revisions/internal/versionsdir"
)

// Load reads every revision file (`.sql` and Alembic `.py`) of the given
// versions directories, validates them and builds the graph.
//
// Files are taken in file-name order (bytes), whatever directory they are
// in: Alembic builds its revision map in directory-listing order, and every
// tie between sibling branches follows that order, so retort fixes it to the
// sorted order the conformance cases were recorded with. A directory given
// twice (by the same path, or through a symlink) is read once.
//
// Files are opened without blocking: an entry that is not a regular file
// once symlinks are followed (a FIFO, a device such as /dev/zero, a
// directory) is skipped with a warning in Graph.Warnings, and a file over
// versionsdir.MaxFileSize (64 MiB) is an error.
//
// When some files are broken, Load still returns a graph of the revisions it
// could read alongside the error (a join of *FileError values, all of them,
// not only the first), so that a browser can show a broken history; callers
// that change a database must refuse to go on when the error is not nil.
func Load(dirs ...string) (*models.Graph, error) {
	dirs, files, err := versionsdir.List(dirs, isRevisionFileName)
	if err != nil {
		return nil, err
	}
	parsed := make([]parsedFile, len(files))
	versionsdir.ReadAll(dirs, files, func(k int, src []byte, err error) {
		parsed[k] = parseFile(files[k].Path, src, err)
	})
	var revs []*models.Revision
	var errs []error
	var warnings []string
	for _, p := range parsed {
		if p.err != nil {
			errs = append(errs, p.err)
		}
		if p.rev != nil {
			revs = append(revs, p.rev)
		}
		if p.warning != "" {
			warnings = append(warnings, p.warning)
		}
	}
	g, err := Build(revs)
	g.Warnings = warnings
	if err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return g, fmt.Errorf("%w:\n%w", ErrInvalidGraph, errors.Join(errs...))
	}
	return g, nil
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

// parsedFile is the outcome of reading one file: a revision, an error, or
// a warning for a file skipped.
type parsedFile struct {
	rev     *models.Revision
	err     error
	warning string
}

// parseFile parses one file according to its extension, given its content
// or the error reading it. The parsers copy what they keep of src.
func parseFile(path string, src []byte, err error) parsedFile {
	switch {
	case errors.Is(err, versionsdir.ErrNotRegular):
		return parsedFile{warning: fmt.Sprintf("%s: skipped: %v", path, err)}
	case errors.Is(err, versionsdir.ErrTooLarge):
		return parsedFile{err: &FileError{Path: path, Err: err}}
	case err != nil:
		return parsedFile{err: &FileError{Path: path, Err: fmt.Errorf("cannot read: %w", err)}}
	}
	var p parsedFile
	if strings.HasSuffix(path, ".py") {
		p.rev, p.err = ParsePython(path, src)
	} else {
		p.rev, p.err = ParseSQL(path, src)
	}
	return p
}
