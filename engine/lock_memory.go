package engine

import "context"

// memoryLocker is the lock of an in-memory SQLite database, which no other
// connection can see: there is nobody to exclude.
type memoryLocker struct{}

func (memoryLocker) tryLock(context.Context) (bool, error)  { return true, nil }
func (memoryLocker) unlock(context.Context) error           { return nil }
func (memoryLocker) holder(context.Context) (string, error) { return "", nil }
