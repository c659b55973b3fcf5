package index

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"

	"github.com/ethereum/go-ethereum/common"
)

// AddrID is the SQL expression for the dictionary id of the address
// passed as its one argument (Key(a)): -1, matching no row, when the
// graph has never seen it. Queries filter the views' *_id columns with
// it, e.g. `FROM flows WHERE src_id = ` + AddrID, so they use the
// indexes of the compact tables.
const AddrID = `COALESCE((SELECT id FROM addrs WHERE addr = ?), -1)`

// FirstDistinct is SQL for the first n distinct values of the flows
// view's column col (an *_id column) in time order, among the first
// `rows` flows that match where (a filter on src_id or dst_id, so that
// flow index is read in order and the read stops after rows): rows of
// (c, o), the value and its first position, ordered by o. Its arguments
// are where's, then rows, then n. It replaces SELECT DISTINCT col …
// LIMIT n, which PostgreSQL may answer by scanning all of the other flow
// index (whose order is col, since schema 6 covers it).
func FirstDistinct(col, where string) string {
	return `SELECT f.c AS c, MIN(f.rn) AS o FROM (SELECT ` + col + ` AS c, ROW_NUMBER() OVER (ORDER BY block, tx_index, seq) AS rn
		FROM flows WHERE ` + where + ` ORDER BY block, tx_index, seq LIMIT ?) AS f GROUP BY f.c ORDER BY o LIMIT ?`
}

// Key is the stored form of an address in the dictionary (20 bytes), the
// argument of AddrID.
func Key(a common.Address) []byte { return a.Bytes() }

// maxCachedAddrs bounds the writer's address-id cache (≈ 60 bytes an
// entry); it is emptied when full.
const maxCachedAddrs = 1 << 20

// addrCache maps addresses to their dictionary ids. The dictionary is
// append-only (reorgs and rewinds keep it), so an id, once committed,
// never changes.
type addrCache struct {
	mu sync.Mutex
	m  map[common.Address]int64
}

func (c *addrCache) get(a common.Address) (int64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	id, ok := c.m[a]
	return id, ok
}

func (c *addrCache) put(m map[common.Address]int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m)+len(m) > maxCachedAddrs {
		c.m = make(map[common.Address]int64, len(m))
	}
	for a, id := range m {
		c.m[a] = id
	}
}

// keys resolves addresses to dictionary ids inside one write
// transaction, adding unknown addresses. Ids it learned reach the
// graph's cache only when the transaction commits (commit), so a rolled
// back transaction leaves no ids behind.
type keys struct {
	ctx   context.Context
	g     *DB
	tx    *txn
	fresh map[common.Address]int64
	sel   *sql.Stmt
	ins   *sql.Stmt
}

func (g *DB) keys(ctx context.Context, tx *txn) *keys {
	return &keys{ctx: ctx, g: g, tx: tx, fresh: map[common.Address]int64{}}
}

// id returns a's dictionary id.
func (k *keys) id(a common.Address) (int64, error) {
	if id, ok := k.fresh[a]; ok {
		return id, nil
	}
	if id, ok := k.g.ids.get(a); ok {
		return id, nil
	}
	var err error
	if k.sel == nil {
		if k.sel, err = k.tx.PrepareContext(k.ctx, `SELECT id FROM addrs WHERE addr = ?`); err != nil {
			return 0, fmt.Errorf("index: address dictionary: %w", err)
		}
		// ON CONFLICT: another writer (PostgreSQL) may add it first;
		// then RETURNING is empty and the select below finds it.
		if k.ins, err = k.tx.PrepareContext(k.ctx, `INSERT INTO addrs (addr) VALUES (?) ON CONFLICT (addr) DO NOTHING RETURNING id`); err != nil {
			return 0, fmt.Errorf("index: address dictionary: %w", err)
		}
	}
	var id int64
	err = k.sel.QueryRowContext(k.ctx, a.Bytes()).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		err = k.ins.QueryRowContext(k.ctx, a.Bytes()).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			err = k.sel.QueryRowContext(k.ctx, a.Bytes()).Scan(&id)
		}
	}
	if err != nil {
		return 0, fmt.Errorf("index: address id of %s: %w", Addr(a), err)
	}
	k.fresh[a] = id
	return id, nil
}

// close releases the statements.
func (k *keys) close() {
	if k.sel != nil {
		_ = k.sel.Close()
		_ = k.ins.Close()
		k.sel, k.ins = nil, nil
	}
}

// commit publishes the ids learned in the committed transaction.
func (k *keys) commit() {
	if len(k.fresh) > 0 {
		k.g.ids.put(k.fresh)
	}
}
