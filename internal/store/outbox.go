package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/alert"
)

// OutboxItem is one event waiting for delivery to one sink.
type OutboxItem struct {
	// ID orders the items of a sink (oldest first).
	ID       int64
	Sink     string
	Attempts int
	// NextAt is when the next attempt is due (zero: now).
	NextAt  time.Time
	LastErr string
	Event   alert.Event
}

// EnqueueOutbox queues ev for sink. The sink's queue holds at most capacity
// items (0: unbounded): past that, the oldest item of the lowest severity
// is deleted, which may be ev itself when everything queued is more severe.
// It returns how many items were dropped.
func (s *Store) EnqueueOutbox(ctx context.Context, sink string, ev alert.Event, capacity int) (dropped int, err error) {
	if ev.Alert == nil {
		return 0, nil
	}
	body, err := json.Marshal(ev)
	if err != nil {
		return 0, fmt.Errorf("store: encode event for %s: %w", ev.Alert.ID, err)
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		now := time.Now().UnixNano()
		if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (sink, alert_id, severity, next_at, created, body) VALUES (?, ?, ?, ?, ?, ?)`,
			sink, ev.Alert.ID, int(ev.Alert.Severity), now, now, string(body)); err != nil {
			return err
		}
		if capacity <= 0 {
			return nil
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE sink = ?`, sink).Scan(&n); err != nil {
			return err
		}
		if n <= capacity {
			return nil
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE id IN (
			SELECT id FROM outbox WHERE sink = ? ORDER BY severity ASC, id ASC LIMIT ?)`, sink, n-capacity)
		if err != nil {
			return err
		}
		d, err := res.RowsAffected()
		dropped = int(d)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: enqueue alert %s for %s: %w", ev.Alert.ID, sink, err)
	}
	return dropped, nil
}

// NextOutbox returns the oldest item queued for sink; ok is false when its
// queue is empty.
func (s *Store) NextOutbox(ctx context.Context, sink string) (it OutboxItem, ok bool, err error) {
	var next int64
	var body string
	err = s.db.QueryRowContext(ctx, `SELECT id, sink, attempts, next_at, last_err, body FROM outbox WHERE sink = ? ORDER BY id LIMIT 1`, sink).
		Scan(&it.ID, &it.Sink, &it.Attempts, &next, &it.LastErr, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return OutboxItem{}, false, nil
	}
	if err != nil {
		return OutboxItem{}, false, fmt.Errorf("store: read outbox of %s: %w", sink, err)
	}
	it.NextAt = time.Unix(0, next)
	if err := json.Unmarshal([]byte(body), &it.Event); err != nil {
		return it, true, fmt.Errorf("store: decode outbox item %d of %s: %w", it.ID, sink, err)
	}
	return it, true, nil
}

// DeleteOutbox removes a delivered (or abandoned) item.
func (s *Store) DeleteOutbox(ctx context.Context, id int64) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM outbox WHERE id = ?`, id); err != nil {
		return fmt.Errorf("store: delete outbox item %d: %w", id, err)
	}
	return nil
}

// RetryOutbox records a failed attempt: the item is retried at nextAt.
func (s *Store) RetryOutbox(ctx context.Context, id int64, attempts int, nextAt time.Time, lastErr string) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE outbox SET attempts = ?, next_at = ?, last_err = ? WHERE id = ?`,
		attempts, nextAt.UnixNano(), lastErr, id); err != nil {
		return fmt.Errorf("store: reschedule outbox item %d: %w", id, err)
	}
	return nil
}

// OutboxDepth returns how many items are queued for sink.
func (s *Store) OutboxDepth(ctx context.Context, sink string) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE sink = ?`, sink).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count outbox of %s: %w", sink, err)
	}
	return n, nil
}

// Genesis returns the genesis hash recorded for chainID; ok is false when
// none is.
func (s *Store) Genesis(ctx context.Context, chainID uint64) (h common.Hash, ok bool, err error) {
	var v string
	err = s.db.QueryRowContext(ctx, `SELECT genesis FROM chains WHERE chain_id = ?`, chainID).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return common.Hash{}, false, nil
	}
	if err != nil {
		return common.Hash{}, false, fmt.Errorf("store: read genesis of chain %d: %w", chainID, err)
	}
	return common.HexToHash(v), true, nil
}

// SetGenesis records chainID's genesis hash.
func (s *Store) SetGenesis(ctx context.Context, chainID uint64, genesis common.Hash) error {
	if _, err := s.db.ExecContext(ctx, `INSERT INTO chains (chain_id, genesis) VALUES (?, ?)
		ON CONFLICT (chain_id) DO UPDATE SET genesis = excluded.genesis`, chainID, genesis.Hex()); err != nil {
		return fmt.Errorf("store: record genesis of chain %d: %w", chainID, err)
	}
	return nil
}

// ResetChain forgets everything position-dependent about chainID (the
// checkpoint, the canonical hashes, the delivered-observation and pending
// marks) after the node was found to serve a different chain under the
// same id, and records its new genesis. Alerts and decisions are kept as
// history.
func (s *Store) ResetChain(ctx context.Context, chainID uint64, genesis common.Hash) error {
	prefix := strconv.FormatUint(chainID, 10) + "|"
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`DELETE FROM checkpoint WHERE chain_id = ?`, []any{chainID}},
			{`DELETE FROM canonical WHERE chain_id = ?`, []any{chainID}},
			{`DELETE FROM pending WHERE chain_id = ?`, []any{chainID}},
			{`DELETE FROM observations WHERE substr(key, 1, ?) = ?`, []any{len(prefix), prefix}},
			{`INSERT INTO chains (chain_id, genesis) VALUES (?, ?) ON CONFLICT (chain_id) DO UPDATE SET genesis = excluded.genesis`, []any{chainID, genesis.Hex()}},
		} {
			if _, err := tx.ExecContext(ctx, q.sql, q.args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: reset chain %d: %w", chainID, err)
	}
	return nil
}

// StoredAlert is an alert and the sequence number of its last event.
type StoredAlert struct {
	Alert alert.Alert
	Seq   uint64
}

// OpenAlerts returns the alerts of chainID still at stage pending (their
// transactions neither mined nor dropped when they were last updated),
// oldest first.
func (s *Store) OpenAlerts(ctx context.Context, chainID uint64) ([]StoredAlert, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT body, seq FROM alerts WHERE chain_id = ? AND stage = ? ORDER BY rowid`,
		chainID, string(alert.StagePending))
	if err != nil {
		return nil, fmt.Errorf("store: read pending alerts: %w", err)
	}
	defer rows.Close()
	var out []StoredAlert
	for rows.Next() {
		var body string
		var sa StoredAlert
		if err := rows.Scan(&body, &sa.Seq); err != nil {
			return nil, fmt.Errorf("store: read pending alerts: %w", err)
		}
		if err := json.Unmarshal([]byte(body), &sa.Alert); err != nil {
			return nil, fmt.Errorf("store: decode alert: %w", err)
		}
		out = append(out, sa)
	}
	return out, rows.Err()
}
