package revisions

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"

	"retort/models"
	"retort/revisions/internal/pyread"
)

// ParsePython reads an Alembic revision file for its identifiers without
// running Python (package pyread reads the module; the identifiers are
// checked here, by the rules of `.sql` files). Errors are *FileError values,
// several of them joined with errors.Join.
func ParsePython(path string, src []byte) (*models.Revision, error) {
	sum := sha256.Sum256(src)
	f := pyread.Read(src)
	rev := &models.Revision{
		Path:          path,
		Format:        models.FormatPython,
		Transactional: true,
		Checksum:      hex.EncodeToString(sum[:]),
		Doc:           f.Doc,
		Message:       f.Message,
		CreateDate:    f.CreateDate,
		Warnings:      f.Warnings,
	}
	errs := make([]*FileError, 0, len(f.Errors)+1)
	id := f.Values[pyread.Revision]
	rev.Line = id.Line
	if len(id.Items) == 1 {
		if err := CheckRevisionID(id.Items[0]); err != nil {
			errs = append(errs, &FileError{Path: path, Line: id.Line, Err: err})
		} else {
			rev.ID = id.Items[0]
		}
	}
	for _, e := range f.Errors {
		errs = append(errs, &FileError{Path: path, Line: e.Line, Err: e.Err})
	}
	v := f.Values
	rev.Parents, rev.ParentsLine = v[pyread.DownRevision].Items, v[pyread.DownRevision].Line
	rev.BranchLabels, rev.LabelsLine = v[pyread.BranchLabels].Items, v[pyread.BranchLabels].Line
	rev.DependsOn, rev.DependsOnLine = v[pyread.DependsOn].Items, v[pyread.DependsOn].Line
	switch len(errs) {
	case 0:
		return rev, nil
	case 1:
		return nil, errs[0]
	}
	slices.SortStableFunc(errs, func(a, b *FileError) int { return a.Line - b.Line })
	joined := make([]error, len(errs))
	for i, e := range errs {
		joined[i] = e
	}
	return nil, errors.Join(joined...)
}
