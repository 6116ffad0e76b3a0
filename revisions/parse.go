package revisions

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"

	"retort/models"
	"retort/revisions/internal/pyread"
	"retort/revisions/internal/sqlread"
)

// ParseSQL reads a retort `.sql` revision file. It returns every problem it
// finds, each a *FileError naming the file and line, joined; when the file
// names its id, the revision comes with the error, marked with it
// (Revision.Problem).
func ParseSQL(path string, src []byte) (*models.Revision, error) {
	rev, errs := sqlread.Read(src)
	fes := make([]*FileError, len(errs))
	for i, e := range errs {
		fes[i] = &FileError{Path: path, Line: e.Line, Err: e.Err}
	}
	return finish(path, src, rev, fes)
}

// ParsePython reads an Alembic revision file for its identifiers without
// running Python (package pyread reads the module). Errors are as
// ParseSQL's; a value retort cannot decide without running Python is a
// *FileError whose Err is an *UndecidedError (see Undecided).
func ParsePython(path string, src []byte) (*models.Revision, error) {
	f := pyread.Read(src)
	v := f.Values
	rev := &models.Revision{
		Format:        models.FormatPython,
		Transactional: true,
		Doc:           f.Doc,
		Message:       f.Message,
		CreateDate:    f.CreateDate,
		Warnings:      f.Warnings,
		Line:          v[pyread.Revision].Line,
	}
	if id := v[pyread.Revision].Items; len(id) == 1 {
		rev.ID = id[0]
	}
	rev.Parents, rev.ParentsLine = v[pyread.DownRevision].Items, v[pyread.DownRevision].Line
	rev.BranchLabels, rev.LabelsLine = v[pyread.BranchLabels].Items, v[pyread.BranchLabels].Line
	rev.DependsOn, rev.DependsOnLine = v[pyread.DependsOn].Items, v[pyread.DependsOn].Line
	fes := make([]*FileError, len(f.Errors))
	for i, e := range f.Errors {
		err := e.Err
		var u *pyread.Undecided
		if errors.As(err, &u) {
			err = &UndecidedError{Field: u.Field.String(), Reason: u.Reason}
		}
		fes[i] = &FileError{Path: path, Line: e.Line, Err: err}
	}
	return finish(path, src, rev, fes)
}

// finish sets what every revision carries (its file and checksum) and
// decides what the caller gets: the revision alone; the errors alone, when
// the file gives no id; or both, the revision marked with the errors.
func finish(path string, src []byte, rev *models.Revision, errs []*FileError) (*models.Revision, error) {
	if rev != nil {
		sum := sha256.Sum256(src)
		rev.Path, rev.Checksum = path, hex.EncodeToString(sum[:])
	}
	if len(errs) == 0 {
		return rev, nil
	}
	var err error = errs[0]
	if len(errs) > 1 {
		joined := make([]error, len(errs))
		for i, e := range errs {
			joined[i] = e
		}
		err = errors.Join(joined...)
	}
	if rev == nil || rev.ID == "" {
		return nil, err
	}
	rev.Problem = err
	return rev, err
}
