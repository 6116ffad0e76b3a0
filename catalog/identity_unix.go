//go:build unix

package catalog

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// fileIdentity names a SQLite file by its device and inode, so that two
// paths (a symbolic link, a relative and an absolute path) reaching the
// same file are the same database. A file that does not exist yet is named
// by its absolute path.
func fileIdentity(path string) (string, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		abs, aerr := filepath.Abs(path)
		if aerr != nil {
			return "", aerr
		}
		return "missing:" + abs, nil
	}
	if err != nil {
		return "", err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return "", fmt.Errorf("%s: cannot read its device and inode", path)
	}
	return fmt.Sprintf("file:%d:%d", st.Dev, st.Ino), nil
}
