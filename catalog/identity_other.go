//go:build !unix

package catalog

import "path/filepath"

// fileIdentity names a SQLite file by its absolute path with symbolic
// links resolved, where device and inode are not available.
func fileIdentity(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	return "path:" + abs, nil
}
