// Package store is the monitor's durable state: a SQLite database (pure Go,
// modernc.org/sqlite) in WAL mode inside the monitor's data directory.
//
// It keeps the checkpoint (the last fully processed block), the recent
// canonical block hashes (for reorg detection across restarts), the alerts
// (one row per alert ID, upserted on every event so a restart never
// duplicates one), marks of the observations already turned into alerts
// (so re-processing a block after a crash does not alert twice), marks of
// simulated pending transactions, opaque model-state blobs (anomaly
// models) and the guard's decisions (its audit trail). Schema changes are applied by numbered migrations recorded in a
// schema_version table.
package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ethereum/go-ethereum/common"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/aegis-defi/aegis/internal/alert"
)

// FileName is the database file inside the data directory.
const FileName = "aegis.db"

// BlockRef identifies a block.
type BlockRef struct {
	Number uint64
	Hash   common.Hash
}

// Store is an open database. It is safe for concurrent use.
type Store struct {
	db   *sql.DB
	path string
	lock *dirLock
	// version is the schema version of a read-only store (0: read-write,
	// migrated to the latest).
	version int
}

// migrations are applied in order; migrations[i] brings the schema to
// version i+1. Never edit a released migration: append a new one.
var migrations = []string{
	`CREATE TABLE checkpoint (
		chain_id INTEGER PRIMARY KEY,
		number   INTEGER NOT NULL,
		hash     TEXT NOT NULL,
		updated  INTEGER NOT NULL
	);
	CREATE TABLE canonical (
		chain_id INTEGER NOT NULL,
		number   INTEGER NOT NULL,
		hash     TEXT NOT NULL,
		PRIMARY KEY (chain_id, number)
	);
	CREATE TABLE alerts (
		id       TEXT PRIMARY KEY,
		chain_id INTEGER NOT NULL,
		stage    TEXT NOT NULL,
		severity TEXT NOT NULL,
		kind     TEXT NOT NULL,
		seq      INTEGER NOT NULL,
		updated  INTEGER NOT NULL,
		body     TEXT NOT NULL
	);
	CREATE TABLE observations (
		key      TEXT PRIMARY KEY,
		alert_id TEXT NOT NULL,
		at       INTEGER NOT NULL
	);
	CREATE TABLE pending (
		chain_id   INTEGER NOT NULL,
		hash       TEXT NOT NULL,
		first_seen INTEGER NOT NULL,
		block      INTEGER NOT NULL,
		PRIMARY KEY (chain_id, hash)
	);
	CREATE TABLE models (
		name    TEXT PRIMARY KEY,
		blob    BLOB NOT NULL,
		updated INTEGER NOT NULL
	);`,
	`CREATE TABLE decisions (
		id        TEXT PRIMARY KEY,
		chain_id  INTEGER NOT NULL,
		alert_id  TEXT NOT NULL,
		protocol  TEXT NOT NULL,
		verdict   TEXT NOT NULL,
		attack_tx TEXT NOT NULL,
		decided   INTEGER NOT NULL,
		summary   TEXT NOT NULL,
		body      TEXT NOT NULL
	);
	CREATE INDEX decisions_attack_tx ON decisions (attack_tx);`,
	// 3: the alert outbox (one row per undelivered event and sink) and the
	// genesis hash of every chain the checkpoint belongs to.
	`CREATE TABLE outbox (
		id        INTEGER PRIMARY KEY AUTOINCREMENT,
		sink      TEXT NOT NULL,
		alert_id  TEXT NOT NULL,
		severity  INTEGER NOT NULL,
		attempts  INTEGER NOT NULL DEFAULT 0,
		next_at   INTEGER NOT NULL,
		created   INTEGER NOT NULL,
		last_err  TEXT NOT NULL DEFAULT '',
		body      TEXT NOT NULL
	);
	CREATE INDEX outbox_sink ON outbox (sink, id);
	CREATE TABLE chains (
		chain_id INTEGER PRIMARY KEY,
		genesis  TEXT NOT NULL
	);`,
}

// Open opens (creating if needed) the database in dir and migrates it. It
// takes an exclusive lock on dir (LockFileName, flock): while one Store is
// open on a directory, a second Open fails at once with an *InUseError
// naming the directory and the holder's pid.
func Open(ctx context.Context, dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("store: create data dir: %w", err)
	}
	lock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	s, err := open(ctx, dir)
	if err != nil {
		lock.release()
		return nil, err
	}
	s.lock = lock
	return s, nil
}

func open(ctx context.Context, dir string) (*Store, error) {
	path := filepath.Join(dir, FileName)
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(ON)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	// One connection: SQLite serialises writers anyway, and this keeps
	// every statement on the pragmas above.
	db.SetMaxOpenConns(1)
	s := &Store{db: db, path: path}
	if err := s.migrate(ctx); err != nil {
		_ = db.Close()
		return nil, err
	}
	return s, nil
}

// Path returns the database file's path.
func (s *Store) Path() string { return s.path }

// Close closes the database and releases the data directory's lock.
func (s *Store) Close() error {
	err := s.db.Close()
	s.lock.release()
	s.lock = nil
	return err
}

// Version returns the schema version.
func (s *Store) Version(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&v)
	return v, err
}

func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("store: schema_version: %w", err)
	}
	v, err := s.Version(ctx)
	if err != nil {
		return fmt.Errorf("store: read schema version: %w", err)
	}
	if v > len(migrations) {
		return fmt.Errorf("store: %s has schema version %d, newer than this binary's %d", s.path, v, len(migrations))
	}
	for i := v; i < len(migrations); i++ {
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version, applied) VALUES (?, ?)`, i+1, time.Now().Unix())
			return err
		})
		if err != nil {
			return fmt.Errorf("store: migration %d: %w", i+1, err)
		}
	}
	return nil
}

func (s *Store) inTx(ctx context.Context, f func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := f(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Checkpoint returns the last fully processed block of chainID; ok is false
// when there is none.
func (s *Store) Checkpoint(ctx context.Context, chainID uint64) (ref BlockRef, ok bool, err error) {
	var h string
	err = s.db.QueryRowContext(ctx, `SELECT number, hash FROM checkpoint WHERE chain_id = ?`, chainID).Scan(&ref.Number, &h)
	if errors.Is(err, sql.ErrNoRows) {
		return BlockRef{}, false, nil
	}
	if err != nil {
		return BlockRef{}, false, fmt.Errorf("store: read checkpoint: %w", err)
	}
	ref.Hash = common.HexToHash(h)
	return ref, true, nil
}

// Canonical returns the recent canonical blocks of chainID, oldest first.
func (s *Store) Canonical(ctx context.Context, chainID uint64) ([]BlockRef, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT number, hash FROM canonical WHERE chain_id = ? ORDER BY number`, chainID)
	if err != nil {
		return nil, fmt.Errorf("store: read canonical hashes: %w", err)
	}
	defer rows.Close()
	var out []BlockRef
	for rows.Next() {
		var r BlockRef
		var h string
		if err := rows.Scan(&r.Number, &h); err != nil {
			return nil, fmt.Errorf("store: read canonical hashes: %w", err)
		}
		r.Hash = common.HexToHash(h)
		out = append(out, r)
	}
	return out, rows.Err()
}

// CommitBlock records b as processed: it becomes the checkpoint and joins
// the canonical hashes, of which only the keep most recent are kept.
func (s *Store) CommitBlock(ctx context.Context, chainID uint64, b BlockRef, keep int) error {
	return s.CommitBlocks(ctx, chainID, []BlockRef{b}, keep)
}

// CommitBlocks is CommitBlock for consecutive blocks bs in one database
// transaction: the last becomes the checkpoint and all join the canonical
// hashes.
func (s *Store) CommitBlocks(ctx context.Context, chainID uint64, bs []BlockRef, keep int) error {
	if len(bs) == 0 {
		return nil
	}
	last := bs[len(bs)-1]
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for _, b := range bs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO canonical (chain_id, number, hash) VALUES (?, ?, ?)
			ON CONFLICT (chain_id, number) DO UPDATE SET hash = excluded.hash`, chainID, b.Number, b.Hash.Hex()); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO checkpoint (chain_id, number, hash, updated) VALUES (?, ?, ?, ?)
			ON CONFLICT (chain_id) DO UPDATE SET number = excluded.number, hash = excluded.hash, updated = excluded.updated`,
			chainID, last.Number, last.Hash.Hex(), time.Now().Unix()); err != nil {
			return err
		}
		if keep > 0 && last.Number >= uint64(keep) {
			if _, err := tx.ExecContext(ctx, `DELETE FROM canonical WHERE chain_id = ? AND number <= ?`, chainID, last.Number-uint64(keep)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: commit block %d: %w", last.Number, err)
	}
	return nil
}

// Rewind makes ancestor the checkpoint after a reorg and forgets the
// canonical hashes above it.
func (s *Store) Rewind(ctx context.Context, chainID uint64, ancestor BlockRef) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM canonical WHERE chain_id = ? AND number > ?`, chainID, ancestor.Number); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO checkpoint (chain_id, number, hash, updated) VALUES (?, ?, ?, ?)
			ON CONFLICT (chain_id) DO UPDATE SET number = excluded.number, hash = excluded.hash, updated = excluded.updated`,
			chainID, ancestor.Number, ancestor.Hash.Hex(), time.Now().Unix())
		return err
	})
	if err != nil {
		return fmt.Errorf("store: rewind to block %d: %w", ancestor.Number, err)
	}
	return nil
}

// SaveEvent upserts the event's alert by ID. An older event (lower Seq)
// never overwrites a newer one, so replays are idempotent.
func (s *Store) SaveEvent(ctx context.Context, ev alert.Event) error {
	if ev.Alert == nil {
		return nil
	}
	body, err := json.Marshal(ev.Alert)
	if err != nil {
		return fmt.Errorf("store: encode alert %s: %w", ev.Alert.ID, err)
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO alerts (id, chain_id, stage, severity, kind, seq, updated, body)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET stage = excluded.stage, severity = excluded.severity, kind = excluded.kind,
			seq = excluded.seq, updated = excluded.updated, body = excluded.body
		WHERE excluded.seq >= alerts.seq`,
		ev.Alert.ID, ev.Alert.ChainID, string(ev.Alert.Stage), ev.Alert.Severity.String(), string(ev.Kind),
		ev.Seq, ev.At.UnixNano(), string(body))
	if err != nil {
		return fmt.Errorf("store: save alert %s: %w", ev.Alert.ID, err)
	}
	return nil
}

// Alerts returns every stored alert, oldest first.
func (s *Store) Alerts(ctx context.Context) ([]alert.Alert, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT body FROM alerts ORDER BY rowid`)
	if err != nil {
		return nil, fmt.Errorf("store: read alerts: %w", err)
	}
	defer rows.Close()
	var out []alert.Alert
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, fmt.Errorf("store: read alerts: %w", err)
		}
		var a alert.Alert
		if err := json.Unmarshal([]byte(body), &a); err != nil {
			return nil, fmt.Errorf("store: decode alert: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Observed reports whether the observation key was already turned into an
// alert (see MarkObserved).
func (s *Store) Observed(ctx context.Context, key string) (bool, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM observations WHERE key = ?`, key).Scan(&n); err != nil {
		return false, fmt.Errorf("store: read observation: %w", err)
	}
	return n > 0, nil
}

// MarkObserved records that the observation key (detector, transaction,
// stage) was delivered as part of alertID.
func (s *Store) MarkObserved(ctx context.Context, key, alertID string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO observations (key, alert_id, at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING`,
		key, alertID, time.Now().Unix())
	if err != nil {
		return fmt.Errorf("store: mark observation: %w", err)
	}
	return nil
}

// MarkPending records that the pending transaction hash was simulated when
// the head was block.
func (s *Store) MarkPending(ctx context.Context, chainID uint64, hash common.Hash, block uint64) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO pending (chain_id, hash, first_seen, block) VALUES (?, ?, ?, ?)
		ON CONFLICT (chain_id, hash) DO NOTHING`, chainID, hash.Hex(), time.Now().UnixNano(), block)
	if err != nil {
		return fmt.Errorf("store: mark pending: %w", err)
	}
	return nil
}

// PendingSeen reports whether the pending transaction hash was simulated.
func (s *Store) PendingSeen(ctx context.Context, chainID uint64, hash common.Hash) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM pending WHERE chain_id = ? AND hash = ?`, chainID, hash.Hex()).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: read pending: %w", err)
	}
	return n > 0, nil
}

// PrunePending forgets pending marks first seen at or below block.
func (s *Store) PrunePending(ctx context.Context, chainID uint64, block uint64) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM pending WHERE chain_id = ? AND block <= ?`, chainID, block); err != nil {
		return fmt.Errorf("store: prune pending: %w", err)
	}
	return nil
}

// SaveModel stores a model's serialised state under name.
func (s *Store) SaveModel(ctx context.Context, name string, blob []byte) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO models (name, blob, updated) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET blob = excluded.blob, updated = excluded.updated`, name, blob, time.Now().Unix())
	if err != nil {
		return fmt.Errorf("store: save model %s: %w", name, err)
	}
	return nil
}

// LoadModel returns the state stored under name; ok is false when none.
func (s *Store) LoadModel(ctx context.Context, name string) (blob []byte, ok bool, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT blob FROM models WHERE name = ?`, name).Scan(&blob)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("store: load model %s: %w", name, err)
	}
	return blob, true, nil
}

// Decision is one stored guard decision. Body is the decision's JSON (the
// store does not interpret it, so it does not depend on the guard package).
type Decision struct {
	ID       string
	ChainID  uint64
	AlertID  string
	Protocol string
	Verdict  string
	AttackTx common.Hash
	Decided  time.Time
	Summary  string
	Body     json.RawMessage
}

// SaveDecision upserts a guard decision by ID.
func (s *Store) SaveDecision(ctx context.Context, d Decision) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO decisions (id, chain_id, alert_id, protocol, verdict, attack_tx, decided, summary, body)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET alert_id = excluded.alert_id, protocol = excluded.protocol, verdict = excluded.verdict,
			decided = excluded.decided, summary = excluded.summary, body = excluded.body`,
		d.ID, d.ChainID, d.AlertID, d.Protocol, d.Verdict, d.AttackTx.Hex(), d.Decided.UnixNano(), d.Summary, string(d.Body))
	if err != nil {
		return fmt.Errorf("store: save decision %s: %w", d.ID, err)
	}
	return nil
}

// Decisions returns every stored guard decision, oldest first.
func (s *Store) Decisions(ctx context.Context) ([]Decision, error) {
	if s.version == 1 {
		return nil, nil // a read-only store from before the guard's table
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, chain_id, alert_id, protocol, verdict, attack_tx, decided, summary, body
		FROM decisions ORDER BY decided, rowid`)
	if err != nil {
		return nil, fmt.Errorf("store: read decisions: %w", err)
	}
	defer rows.Close()
	var out []Decision
	for rows.Next() {
		var d Decision
		var tx, body string
		var decided int64
		if err := rows.Scan(&d.ID, &d.ChainID, &d.AlertID, &d.Protocol, &d.Verdict, &tx, &decided, &d.Summary, &body); err != nil {
			return nil, fmt.Errorf("store: read decisions: %w", err)
		}
		d.AttackTx, d.Decided, d.Body = common.HexToHash(tx), time.Unix(0, decided), json.RawMessage(body)
		out = append(out, d)
	}
	return out, rows.Err()
}
