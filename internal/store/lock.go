package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// LockFileName is the lock file inside the data directory. The process
// holding the lock writes its pid into it.
const LockFileName = "aegis.lock"

// ErrInUse is matched (errors.Is) by the error Open returns when another
// process (or another Store in this one) holds the data directory.
var ErrInUse = errors.New("data dir in use")

// InUseError reports a data directory locked by someone else.
type InUseError struct {
	// Dir is the data directory.
	Dir string
	// PID is the holder's pid as written in the lock file (0: unknown).
	PID int
}

// Error names the directory and, when known, the holder's pid.
func (e *InUseError) Error() string {
	who := "another aegis monitor"
	if e.PID > 0 {
		who += " (pid " + strconv.Itoa(e.PID) + ")"
	}
	return fmt.Sprintf("store: data dir %s is in use by %s: run one monitor per --data-dir", e.Dir, who)
}

// Is makes errors.Is(err, ErrInUse) true.
func (e *InUseError) Is(target error) bool { return target == ErrInUse }

// dirLock is a held lock on a data directory.
type dirLock struct{ f *os.File }

// lockDir takes the exclusive, non-blocking lock of dir.
func lockDir(dir string) (*dirLock, error) {
	path := filepath.Join(dir, LockFileName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("store: open lock file %s: %w", path, err)
	}
	busy, err := tryLock(f)
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("store: lock %s: %w", path, err)
	}
	if busy {
		b, _ := os.ReadFile(path)
		pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
		_ = f.Close()
		abs, aerr := filepath.Abs(dir)
		if aerr != nil {
			abs = dir
		}
		return nil, &InUseError{Dir: abs, PID: pid}
	}
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &dirLock{f: f}, nil
}

// release unlocks (closing the file drops the flock); nil-safe.
func (l *dirLock) release() {
	if l == nil || l.f == nil {
		return
	}
	_ = l.f.Truncate(0)
	_ = l.f.Close()
	l.f = nil
}
