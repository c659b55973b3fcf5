package alert

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
)

// SyncPolicy says when a [JSONLFile] flushes to stable storage.
type SyncPolicy int

const (
	// SyncEachWrite fsyncs after every event (the default): an alert that
	// Send reported delivered survives a crash or power loss.
	SyncEachWrite SyncPolicy = iota
	// SyncOnClose only fsyncs in Close; cheaper, but events written since
	// the last Close may be lost on power failure (not on process crash:
	// each event is one write(2) to an O_APPEND file).
	SyncOnClose
)

// JSONLConfig configures a [JSONLFile] sink.
type JSONLConfig struct {
	// Path of the file; it is created if missing and always appended to.
	Path string
	// Sync is the fsync policy; default SyncEachWrite.
	Sync SyncPolicy
	// Perm is the mode for a new file; default 0o600 (alerts name
	// attackers and victims before disclosure).
	Perm os.FileMode
}

// JSONLFile appends each event as one JSON object per line (the [Event]
// encoding: {"kind","seq","at","reason","alert":{…}}). Each line is written
// with a single write under a mutex, so concurrent Sends never interleave.
type JSONLFile struct {
	cfg    JSONLConfig
	mu     sync.Mutex
	f      *os.File
	closed bool
}

// OpenJSONL opens (creating if needed) the file for appending.
func OpenJSONL(cfg JSONLConfig) (*JSONLFile, error) {
	if cfg.Path == "" {
		return nil, errors.New("alert: jsonl sink: empty path")
	}
	if cfg.Perm == 0 {
		cfg.Perm = 0o600
	}
	f, err := os.OpenFile(cfg.Path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, cfg.Perm)
	if err != nil {
		return nil, fmt.Errorf("alert: jsonl sink: %w", err)
	}
	return &JSONLFile{cfg: cfg, f: f}, nil
}

// Name returns "jsonl:<path>".
func (j *JSONLFile) Name() string { return sinkName("jsonl", j.cfg.Path) }

// Send appends the event.
func (j *JSONLFile) Send(ctx context.Context, ev Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	b, err := json.Marshal(ev)
	if err != nil {
		return &SinkError{Sink: j.Name(), Err: fmt.Errorf("encoding event: %w", err)}
	}
	b = append(b, '\n')
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return &SinkError{Sink: j.Name(), Err: os.ErrClosed}
	}
	if _, err := j.f.Write(b); err != nil {
		return &SinkError{Sink: j.Name(), Err: err}
	}
	if j.cfg.Sync == SyncEachWrite {
		if err := j.f.Sync(); err != nil {
			return &SinkError{Sink: j.Name(), Err: fmt.Errorf("fsync: %w", err)}
		}
	}
	return nil
}

// Close syncs and closes the file. Further Sends fail.
func (j *JSONLFile) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return nil
	}
	j.closed = true
	err := j.f.Sync()
	if cerr := j.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return &SinkError{Sink: j.Name(), Err: err}
	}
	return nil
}
