//go:build !unix

package store

import "os"

// tryLock is a no-op where flock is unavailable: the data directory is not
// protected against a second monitor there.
func tryLock(*os.File) (busy bool, err error) { return false, nil }
