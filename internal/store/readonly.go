package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrNotStore is matched (errors.Is) by the error OpenReadOnly returns when
// the directory holds no aegis monitor database.
var ErrNotStore = errors.New("no aegis monitor database")

// OpenReadOnly opens the database in dir for reading only, for tools that
// look at a monitor's history (`aegis risk protocol --data-dir`). Unlike
// Open it creates nothing, takes no lock (a running monitor keeps its own)
// and never migrates: the schema must already be one this binary knows.
// SQLite's WAL mode lets it read while the monitor writes. Writes through
// the returned Store fail.
func OpenReadOnly(ctx context.Context, dir string) (*Store, error) {
	path := filepath.Join(dir, FileName)
	st, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("store: %w at %s (is it a monitor's --data-dir?)", ErrNotStore, path)
		}
		return nil, fmt.Errorf("store: %w", err)
	}
	if st.IsDir() {
		return nil, fmt.Errorf("store: %s is a directory, not a database", path)
	}
	// mode=ro: SQLite opens the file read-only and never creates it;
	// query_only refuses writes on this connection as a second guard.
	dsn := "file:" + path + "?mode=ro&_pragma=busy_timeout(10000)&_pragma=query_only(1)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	s := &Store{db: db, path: path}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'`).Scan(&n); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("store: read %s: %w", path, err)
	}
	if n == 0 {
		_ = db.Close()
		return nil, fmt.Errorf("store: %w: %s has no schema_version table", ErrNotStore, path)
	}
	v, err := s.Version(ctx)
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("store: read schema version of %s: %w", path, err)
	}
	if v > len(migrations) {
		_ = db.Close()
		return nil, fmt.Errorf("store: %s has schema version %d, newer than this binary's %d", path, v, len(migrations))
	}
	if v < 1 {
		_ = db.Close()
		return nil, fmt.Errorf("store: %w: %s has no migrated schema", ErrNotStore, path)
	}
	s.version = v
	return s, nil
}
