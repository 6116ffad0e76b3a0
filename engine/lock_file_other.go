//go:build !unix

package engine

import (
	"context"
	"errors"
)

// fileLocker is unavailable where flock(2) is: retort refuses to run on
// SQLite rather than run unlocked.
type fileLocker struct{}

func newFileLocker(dbPath, appName, host string) *fileLocker { return &fileLocker{} }

var errNoFileLock = errors.New("SQLite run locks need flock(2), which this platform lacks")

func (l *fileLocker) tryLock(context.Context) (bool, error)  { return false, errNoFileLock }
func (l *fileLocker) unlock(context.Context) error           { return nil }
func (l *fileLocker) holder(context.Context) (string, error) { return "", errNoFileLock }
