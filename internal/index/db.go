package index

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver

	"github.com/aegis-defi/aegis/internal/redact"
)

// FileName is the graph database inside the index's data directory.
const FileName = "graph.db"

// migrations bring the graph schema to version i+1. Never edit a released
// migration: append a new one.
var migrations = []string{
	`CREATE TABLE blocks (
		number INTEGER PRIMARY KEY,
		hash   TEXT NOT NULL,
		parent TEXT NOT NULL,
		time   INTEGER NOT NULL,
		traced INTEGER NOT NULL
	);
	-- Raw movements are kept for audit and export; the trace walks flows.
	CREATE TABLE transfers (
		block    INTEGER NOT NULL,
		tx_index INTEGER NOT NULL,
		seq      INTEGER NOT NULL,
		tx_hash  TEXT NOT NULL,
		kind     TEXT NOT NULL,
		asset    TEXT NOT NULL,
		src      TEXT NOT NULL,
		dst      TEXT NOT NULL,
		amount   TEXT NOT NULL,
		token_id TEXT NOT NULL DEFAULT '',
		depth    INTEGER NOT NULL,
		PRIMARY KEY (block, tx_index, seq)
	);
	CREATE TABLE flows (
		id         INTEGER PRIMARY KEY,
		block      INTEGER NOT NULL,
		tx_index   INTEGER NOT NULL,
		seq        INTEGER NOT NULL,
		tx_hash    TEXT NOT NULL,
		time       INTEGER NOT NULL,
		kind       TEXT NOT NULL,
		src        TEXT NOT NULL,
		dst        TEXT NOT NULL,
		asset      TEXT NOT NULL,
		amount     TEXT NOT NULL,
		asset_out  TEXT NOT NULL DEFAULT '',
		amount_out TEXT NOT NULL DEFAULT '',
		via        TEXT NOT NULL DEFAULT ''
	);
	CREATE INDEX flows_src ON flows (src, block, tx_index, seq);
	CREATE INDEX flows_dst ON flows (dst, block, tx_index, seq);
	CREATE INDEX flows_tx ON flows (tx_hash);
	CREATE INDEX flows_block ON flows (block);
	CREATE TABLE contracts (
		address TEXT PRIMARY KEY,
		creator TEXT NOT NULL,
		funder  TEXT NOT NULL,
		block   INTEGER NOT NULL,
		tx_hash TEXT NOT NULL
	);
	CREATE INDEX contracts_funder ON contracts (funder);
	CREATE INDEX contracts_block ON contracts (block);
	CREATE TABLE converters (
		address     TEXT PRIMARY KEY,
		kind        TEXT NOT NULL,
		first_block INTEGER NOT NULL
	);
	CREATE TABLE txs (
		hash     TEXT PRIMARY KEY,
		block    INTEGER NOT NULL,
		tx_index INTEGER NOT NULL,
		sender   TEXT NOT NULL,
		gas_price TEXT NOT NULL,
		traced   INTEGER NOT NULL
	);
	CREATE INDEX txs_block ON txs (block);`,
	`CREATE TABLE meta (
		key   TEXT PRIMARY KEY,
		value TEXT NOT NULL
	);`,
	// Zero-value and dust transfers (IsDust), indexed by address: what
	// address poisoning leaves in a victim's history.
	`CREATE TABLE dust (
		block   INTEGER NOT NULL,
		tx_hash TEXT NOT NULL,
		kind    TEXT NOT NULL,
		asset   TEXT NOT NULL,
		src     TEXT NOT NULL,
		dst     TEXT NOT NULL,
		amount  TEXT NOT NULL
	);
	CREATE INDEX dust_src ON dust (src);
	CREATE INDEX dust_dst ON dust (dst);
	CREATE INDEX dust_block ON dust (block);`,
	// Compact keys: addresses become ids into an address dictionary
	// (addrs: id ↔ 20-byte BLOB), transaction hashes 32-byte BLOBs;
	// amounts stay exact decimal TEXT. The graph's tables move to *_k;
	// views under the old names keep the old text columns (0x-prefixed
	// lowercase hex, '' for no swap output) and add the keys (src_id,
	// tx_key, …) that queries filter on to use the indexes. Existing rows
	// are copied across (flow ids are renumbered in their order).
	`CREATE TABLE addrs (
		id INTEGER PRIMARY KEY,
		addr BLOB NOT NULL UNIQUE
	);
	INSERT INTO addrs (addr) SELECT unhex(substr(a, 3)) FROM (
		SELECT src AS a FROM flows UNION SELECT dst FROM flows UNION SELECT asset FROM flows
		UNION SELECT asset_out FROM flows WHERE asset_out <> ''
		UNION SELECT src FROM dust UNION SELECT dst FROM dust UNION SELECT asset FROM dust
		UNION SELECT sender FROM txs
		UNION SELECT address FROM contracts UNION SELECT creator FROM contracts UNION SELECT funder FROM contracts
		UNION SELECT address FROM converters
	) AS u ORDER BY a;
	CREATE TABLE flows_k (
		id INTEGER PRIMARY KEY,
		block      INTEGER NOT NULL,
		tx_index   INTEGER NOT NULL,
		seq        INTEGER NOT NULL,
		tx_hash    BLOB NOT NULL,
		time       INTEGER NOT NULL,
		kind       TEXT NOT NULL,
		src        INTEGER NOT NULL,
		dst        INTEGER NOT NULL,
		asset      INTEGER NOT NULL,
		amount     TEXT NOT NULL,
		asset_out  INTEGER,
		amount_out TEXT NOT NULL DEFAULT '',
		via        TEXT NOT NULL DEFAULT ''
	);
	INSERT INTO flows_k (block, tx_index, seq, tx_hash, time, kind, src, dst, asset, amount, asset_out, amount_out, via)
	SELECT f.block, f.tx_index, f.seq, unhex(substr(f.tx_hash, 3)), f.time, f.kind,
		(SELECT id FROM addrs WHERE addr = unhex(substr(f.src, 3))),
		(SELECT id FROM addrs WHERE addr = unhex(substr(f.dst, 3))),
		(SELECT id FROM addrs WHERE addr = unhex(substr(f.asset, 3))),
		f.amount,
		CASE WHEN f.asset_out = '' THEN NULL ELSE (SELECT id FROM addrs WHERE addr = unhex(substr(f.asset_out, 3))) END,
		f.amount_out, lower(f.via)
	FROM flows f ORDER BY f.id;
	DROP TABLE flows;
	CREATE INDEX flows_src ON flows_k (src, block, tx_index, seq);
	CREATE INDEX flows_dst ON flows_k (dst, block, tx_index, seq);
	CREATE INDEX flows_tx ON flows_k (tx_hash);
	CREATE INDEX flows_block ON flows_k (block);
	CREATE VIEW flows AS SELECT f.id, f.block, f.tx_index, f.seq, '0x' || lower(hex(f.tx_hash)) AS tx_hash, f.time, f.kind,
		(SELECT '0x' || lower(hex(addr)) FROM addrs WHERE id = f.src) AS src,
		(SELECT '0x' || lower(hex(addr)) FROM addrs WHERE id = f.dst) AS dst,
		(SELECT '0x' || lower(hex(addr)) FROM addrs WHERE id = f.asset) AS asset,
		f.amount,
		COALESCE((SELECT '0x' || lower(hex(addr)) FROM addrs WHERE id = f.asset_out), '') AS asset_out,
		f.amount_out, f.via,
		f.tx_hash AS tx_key, f.src AS src_id, f.dst AS dst_id, f.asset AS asset_id, f.asset_out AS asset_out_id
	FROM flows_k f;
	CREATE TABLE dust_k (
		block   INTEGER NOT NULL,
		tx_hash BLOB NOT NULL,
		kind    TEXT NOT NULL,
		asset   INTEGER NOT NULL,
		src     INTEGER NOT NULL,
		dst     INTEGER NOT NULL,
		amount  TEXT NOT NULL
	);
	INSERT INTO dust_k SELECT d.block, unhex(substr(d.tx_hash, 3)), d.kind,
		(SELECT id FROM addrs WHERE addr = unhex(substr(d.asset, 3))),
		(SELECT id FROM addrs WHERE addr = unhex(substr(d.src, 3))),
		(SELECT id FROM addrs WHERE addr = unhex(substr(d.dst, 3))),
		d.amount
	FROM dust d;
	DROP TABLE dust;
	CREATE INDEX dust_src ON dust_k (src);
	CREATE INDEX dust_dst ON dust_k (dst);
	CREATE INDEX dust_block ON dust_k (block);
	CREATE VIEW dust AS SELECT d.block, '0x' || lower(hex(d.tx_hash)) AS tx_hash, d.kind,
		(SELECT '0x' || lower(hex(addr)) FROM addrs WHERE id = d.asset) AS asset,
		(SELECT '0x' || lower(hex(addr)) FROM addrs WHERE id = d.src) AS src,
		(SELECT '0x' || lower(hex(addr)) FROM addrs WHERE id = d.dst) AS dst,
		d.amount,
		d.tx_hash AS tx_key, d.asset AS asset_id, d.src AS src_id, d.dst AS dst_id
	FROM dust_k d;
	CREATE TABLE txs_k (
		hash      BLOB PRIMARY KEY,
		block     INTEGER NOT NULL,
		tx_index  INTEGER NOT NULL,
		sender    INTEGER NOT NULL,
		gas_price TEXT NOT NULL,
		traced    INTEGER NOT NULL
	);
	INSERT INTO txs_k SELECT unhex(substr(t.hash, 3)), t.block, t.tx_index,
		(SELECT id FROM addrs WHERE addr = unhex(substr(t.sender, 3))), t.gas_price, t.traced
	FROM txs t;
	DROP TABLE txs;
	CREATE INDEX txs_block ON txs_k (block);
	CREATE VIEW txs AS SELECT '0x' || lower(hex(t.hash)) AS hash, t.block, t.tx_index,
		(SELECT '0x' || lower(hex(addr)) FROM addrs WHERE id = t.sender) AS sender,
		t.gas_price, t.traced,
		t.hash AS hash_key, t.sender AS sender_id
	FROM txs_k t;
	CREATE TABLE contracts_k (
		address INTEGER PRIMARY KEY,
		creator INTEGER NOT NULL,
		funder  INTEGER NOT NULL,
		block   INTEGER NOT NULL,
		tx_hash BLOB NOT NULL
	);
	INSERT INTO contracts_k SELECT
		(SELECT id FROM addrs WHERE addr = unhex(substr(c.address, 3))),
		(SELECT id FROM addrs WHERE addr = unhex(substr(c.creator, 3))),
		(SELECT id FROM addrs WHERE addr = unhex(substr(c.funder, 3))),
		c.block, unhex(substr(c.tx_hash, 3))
	FROM contracts c;
	DROP TABLE contracts;
	CREATE INDEX contracts_creator ON contracts_k (creator);
	CREATE INDEX contracts_funder ON contracts_k (funder);
	CREATE INDEX contracts_block ON contracts_k (block);
	CREATE VIEW contracts AS SELECT
		(SELECT '0x' || lower(hex(addr)) FROM addrs WHERE id = c.address) AS address,
		(SELECT '0x' || lower(hex(addr)) FROM addrs WHERE id = c.creator) AS creator,
		(SELECT '0x' || lower(hex(addr)) FROM addrs WHERE id = c.funder) AS funder,
		c.block, '0x' || lower(hex(c.tx_hash)) AS tx_hash,
		c.address AS address_id, c.creator AS creator_id, c.funder AS funder_id, c.tx_hash AS tx_key
	FROM contracts_k c;
	CREATE TABLE converters_k (
		address     INTEGER PRIMARY KEY,
		kind        TEXT NOT NULL,
		first_block INTEGER NOT NULL
	);
	INSERT INTO converters_k SELECT (SELECT id FROM addrs WHERE addr = unhex(substr(v.address, 3))), v.kind, v.first_block
	FROM converters v;
	DROP TABLE converters;
	CREATE INDEX converters_block ON converters_k (first_block);
	CREATE VIEW converters AS SELECT
		(SELECT '0x' || lower(hex(addr)) FROM addrs WHERE id = v.address) AS address,
		v.kind, v.first_block, v.address AS address_id
	FROM converters_k v;`,
	// Covering flow indexes: the trace reads an address's history
	// before its first taint (balance: kind, asset and amounts) and
	// filters dust (asset, amount) from the index alone, without a
	// table lookup per flow; the leading columns and so the order are
	// those of the indexes they replace.
	`DROP INDEX flows_src;
	DROP INDEX flows_dst;
	CREATE INDEX flows_src ON flows_k (src, block, tx_index, seq, asset, amount);
	CREATE INDEX flows_dst ON flows_k (dst, block, tx_index, seq, kind, asset, amount, asset_out, amount_out);`,
	// Schema 6: each flow index also covers the flow's other end, so
	// "who does a send to / receive from" (the cluster detector's
	// deposit-address and hot-wallet tests, asked of every node a trace
	// reaches, and the address-poisoning counterparties) reads the index
	// alone instead of one table row per flow.
	`DROP INDEX flows_src;
	DROP INDEX flows_dst;
	CREATE INDEX flows_src ON flows_k (src, block, tx_index, seq, asset, amount, dst);
	CREATE INDEX flows_dst ON flows_k (dst, block, tx_index, seq, kind, asset, amount, asset_out, amount_out, src);`,
	// Schema 7: the blocks indexed without call traces, found by every
	// `aegis trace` (its note on missing internal ETH transfers) without
	// scanning the blocks.
	`CREATE INDEX blocks_untraced ON blocks (number) WHERE traced = 0;`,
}

// Dust limits: ETH transfers of at most dustWei wei (a millionth of an
// ETH) and ERC-20 transfers of at most dustUnits base units (a cent of a
// 6-decimal dollar token; nothing of an 18-decimal one), zero included.
const (
	dustWei   = 1_000_000_000_000
	dustUnits = 10_000
)

// IsDust reports whether a raw transfer is zero-value or dust (the dust
// table keeps these: what address poisoning leaves in a history).
func IsDust(t Transfer) bool {
	if t.Amount == nil || !t.Amount.IsUint64() {
		return false
	}
	switch t.Kind {
	case KindETH:
		return t.Amount.Uint64() <= dustWei
	case KindERC20:
		return t.Amount.Uint64() <= dustUnits
	}
	return false
}

// pgHexFuncs gives PostgreSQL SQLite's hex() and unhex(), so migrations
// and views convert between BLOB keys and text the same way on both.
const pgHexFuncs = `CREATE OR REPLACE FUNCTION hex(bytea) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT upper(encode($1, 'hex')) $$;
	CREATE OR REPLACE FUNCTION unhex(text) RETURNS bytea LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT decode($1, 'hex') $$;
	`

// pgMigration rewrites a migration for PostgreSQL: 64-bit integers,
// BYTEA for BLOB, row ids from SQLite's rowid alias to a sequence, and
// hex()/unhex() where a migration uses them.
func pgMigration(m string) string {
	m = strings.ReplaceAll(m, "id         INTEGER PRIMARY KEY", "id         BIGSERIAL PRIMARY KEY")
	m = strings.ReplaceAll(m, "\tid INTEGER PRIMARY KEY", "\tid BIGSERIAL PRIMARY KEY")
	m = strings.ReplaceAll(m, "BLOB", "BYTEA")
	if strings.Contains(m, "hex(") {
		m = pgHexFuncs + m
	}
	return strings.ReplaceAll(m, "INTEGER", "BIGINT")
}

// DB is the temporal transfer graph, in SQLite (one file in the data
// directory, the default) or PostgreSQL (OpenURL). It is safe for
// concurrent use.
type DB struct {
	db   *sql.DB
	q    *SQLDB
	path string
	pg   bool
	// maxBlock is at least the highest block number the graph has held
	// since it was opened (-1: none); write skips deleting rows of
	// blocks above it.
	maxBlock atomic.Int64
	// ids caches the address dictionary for the writers.
	ids addrCache
}

// loadMaxBlock reads the highest block in the graph.
func (g *DB) loadMaxBlock(ctx context.Context) error {
	var m int64
	if err := g.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(number), -1) FROM blocks`).Scan(&m); err != nil {
		return fmt.Errorf("index: %s: read highest block: %w", g.path, err)
	}
	g.maxBlock.Store(m)
	return nil
}

// noteBlock records that the graph holds block n.
func (g *DB) noteBlock(n uint64) {
	for {
		m := g.maxBlock.Load()
		if int64(n) <= m || g.maxBlock.CompareAndSwap(m, int64(n)) {
			return
		}
	}
}

// SQLDB runs read queries on the graph for the trace and cluster
// packages. Queries are written once with "?" placeholders and portable
// SQL (ANSI casts, ON CONFLICT, aliased subqueries); on PostgreSQL the
// placeholders become $1, $2, ….
//
// Statements are prepared once and kept (up to maxStmts distinct query
// texts): parsing the SQL of each of a trace's hundreds of small queries
// was about a third of its time on SQLite.
type SQLDB struct {
	db *sql.DB
	pg bool

	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

// maxStmts bounds the prepared statements an SQLDB keeps (query texts
// that vary, such as IN lists of different lengths, stop being cached
// once it is reached).
const maxStmts = 128

// stmt returns the prepared statement of q, or nil when it is not kept.
func (s *SQLDB) stmt(ctx context.Context, q string) *sql.Stmt {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.stmts[q]; ok {
		return st
	}
	if len(s.stmts) >= maxStmts {
		return nil
	}
	st, err := s.db.PrepareContext(ctx, rebind(s.pg, q))
	if err != nil {
		return nil // the unprepared query reports the error
	}
	if s.stmts == nil {
		s.stmts = map[string]*sql.Stmt{}
	}
	s.stmts[q] = st
	return st
}

// close releases the prepared statements.
func (s *SQLDB) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.stmts {
		_ = st.Close()
	}
	s.stmts = nil
}

// QueryContext runs a query that returns rows.
func (s *SQLDB) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := s.stmt(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return s.db.QueryContext(ctx, rebind(s.pg, q), args...)
}

// QueryRowContext runs a query that returns at most one row.
func (s *SQLDB) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if st := s.stmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return s.db.QueryRowContext(ctx, rebind(s.pg, q), args...)
}

// QueryRow is QueryRowContext with the background context.
func (s *SQLDB) QueryRow(q string, args ...any) *sql.Row {
	return s.QueryRowContext(context.Background(), q, args...)
}

// Postgres reports whether the graph is in PostgreSQL.
func (s *SQLDB) Postgres() bool { return s.pg }

// rebind turns "?" placeholders into PostgreSQL's $n.
func rebind(pg bool, q string) string {
	if !pg || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// txn is a write transaction with placeholders rebound.
type txn struct {
	*sql.Tx
	pg bool
}

func (t *txn) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.Tx.ExecContext(ctx, rebind(t.pg, q), args...)
}

func (t *txn) PrepareContext(ctx context.Context, q string) (*sql.Stmt, error) {
	return t.Tx.PrepareContext(ctx, rebind(t.pg, q))
}

// Open opens (creating if needed) the graph database in dir and migrates it.
func Open(ctx context.Context, dir string) (*DB, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("index: create data dir: %w", err)
	}
	path := filepath.Join(dir, FileName)
	return openPath(ctx, path)
}

// OpenExisting opens the graph database in dir and fails when there is
// none (a trace on a directory that was never indexed).
func OpenExisting(ctx context.Context, dir string) (*DB, error) {
	path := filepath.Join(dir, FileName)
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("index: %s: no index here (run aegis index --data-dir %s first): %w", path, dir, err)
	}
	return openPath(ctx, path)
}

func openPath(ctx context.Context, path string) (*DB, error) {
	// WAL with synchronous=NORMAL: a commit does not fsync (a crash may
	// lose the last blocks, which the checkpoint, committed after the
	// graph, re-indexes). temp_store=MEMORY keeps the statement journals
	// of multi-row INSERTs off disk; a 32 MB page cache keeps the flow
	// indexes' upper levels in memory.
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)" +
		"&_pragma=temp_store(MEMORY)&_pragma=cache_size(-32768)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("index: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	g := &DB{db: db, q: &SQLDB{db: db}, path: path}
	if err := g.migrate(ctx); err != nil {
		_ = db.Close()
		return nil, err
	}
	if err := g.loadMaxBlock(ctx); err != nil {
		_ = db.Close()
		return nil, err
	}
	return g, nil
}

// IsURL reports whether s names a PostgreSQL database
// (postgres://… or postgresql://…) rather than a directory.
func IsURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// OpenURL opens (creating the schema if needed) the graph in the
// PostgreSQL database at url (postgres://user:pass@host:port/db?…).
func OpenURL(ctx context.Context, url string) (*DB, error) {
	name := redact.URL(url)
	if !IsURL(url) {
		return nil, fmt.Errorf("index: --db %q: want a postgres:// URL", name)
	}
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("index: open %s: %w", name, err)
	}
	db.SetMaxOpenConns(4)
	pctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("index: connect to PostgreSQL %s: %w", name, err)
	}
	g := &DB{db: db, q: &SQLDB{db: db, pg: true}, path: name, pg: true}
	if err := g.migrate(ctx); err != nil {
		_ = db.Close()
		return nil, err
	}
	if err := g.loadMaxBlock(ctx); err != nil {
		_ = db.Close()
		return nil, err
	}
	return g, nil
}

// OpenAny opens the graph named by dbURL (PostgreSQL) or, when dbURL is
// empty, the existing SQLite graph in dir.
func OpenAny(ctx context.Context, dir, dbURL string) (*DB, error) {
	if dbURL != "" {
		return OpenURL(ctx, dbURL)
	}
	return OpenExisting(ctx, dir)
}

// Path returns the database file's path (PostgreSQL: the URL without
// credentials).
func (g *DB) Path() string { return g.path }

// Close closes the database.
func (g *DB) Close() error {
	g.q.close()
	return g.db.Close()
}

// SQL returns the database for read-only queries by the trace and
// cluster packages.
func (g *DB) SQL() *SQLDB { return g.q }

func (g *DB) migrate(ctx context.Context) error {
	if _, err := g.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("index: schema_version: %w", err)
	}
	var v int
	if err := g.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&v); err != nil {
		return fmt.Errorf("index: read schema version: %w", err)
	}
	if v > len(migrations) {
		return fmt.Errorf("index: %s has schema version %d, newer than this binary's %d", g.path, v, len(migrations))
	}
	for i := v; i < len(migrations); i++ {
		err := g.inTx(ctx, func(tx *txn) error {
			m := migrations[i]
			if g.pg {
				m = pgMigration(m)
			}
			if _, err := tx.ExecContext(ctx, m); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version, applied) VALUES (?, ?)`, i+1, time.Now().Unix())
			return err
		})
		if err != nil {
			return fmt.Errorf("index: migration %d: %w", i+1, err)
		}
	}
	return nil
}

func (g *DB) inTx(ctx context.Context, f func(*txn) error) error {
	tx, err := g.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := f(&txn{Tx: tx, pg: g.pg}); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Addr formats an address the way the graph stores it (lowercase hex).
// It hex-encodes directly: Address.Hex computes the EIP-55 checksum (a
// Keccak hash per address), which was a sixth of the indexer's write time.
func Addr(a common.Address) string {
	var b [2 + 2*common.AddressLength]byte
	b[0], b[1] = '0', 'x'
	hex.Encode(b[2:], a[:])
	return string(b[:])
}

// ParseAmount parses a stored decimal amount.
func ParseAmount(s string) (*big.Int, error) {
	v, ok := new(big.Int).SetString(s, 10)
	if !ok {
		return nil, fmt.Errorf("index: bad amount %q", s)
	}
	return v, nil
}

// deleteFrom removes every row of blocks above number (after a reorg) or
// of exactly one block (re-indexing it after a crash).
func deleteBlocks(ctx context.Context, tx *txn, cond string, n uint64) error {
	for _, t := range []string{"blocks", "transfers", "flows_k", "contracts_k", "txs_k", "dust_k"} {
		col := "block"
		if t == "blocks" {
			col = "number"
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+t+" WHERE "+col+" "+cond+" ?", n); err != nil {
			return fmt.Errorf("index: delete %s %s %d: %w", t, cond, n, err)
		}
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM converters_k WHERE first_block "+cond+" ?", n); err != nil {
		return fmt.Errorf("index: delete converters: %w", err)
	}
	return nil
}

// ChainID returns the chain the graph indexes (ok false before the first
// run).
func (g *DB) ChainID(ctx context.Context) (id uint64, ok bool, err error) {
	var v string
	err = g.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'chain_id'`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("index: read chain id: %w", err)
	}
	id, err = strconv.ParseUint(v, 10, 64)
	if err != nil {
		return 0, false, fmt.Errorf("index: chain id %q: %w", v, err)
	}
	return id, true, nil
}

// bindChain records the graph's chain, or fails when it holds another.
func (g *DB) bindChain(ctx context.Context, id uint64) error {
	have, ok, err := g.ChainID(ctx)
	if err != nil {
		return err
	}
	if ok && have != id {
		return fmt.Errorf("index: %s holds chain %d, but the node serves chain %d: use another --data-dir", g.path, have, id)
	}
	if !ok {
		if _, err := g.db.ExecContext(ctx, rebind(g.pg, `INSERT INTO meta (key, value) VALUES ('chain_id', ?)`), strconv.FormatUint(id, 10)); err != nil {
			return fmt.Errorf("index: record chain id: %w", err)
		}
	}
	return nil
}

// Rewind deletes everything indexed above block number.
func (g *DB) Rewind(ctx context.Context, number uint64) error {
	return g.inTx(ctx, func(tx *txn) error { return deleteBlocks(ctx, tx, ">", number) })
}

// Stats are the graph's row counts.
type Stats struct {
	Blocks, Untraced, Transfers, Flows, Contracts, Converters int64
}

// Stats counts the graph's rows.
func (g *DB) Stats(ctx context.Context) (Stats, error) {
	var s Stats
	q := []struct {
		sql string
		dst *int64
	}{
		{`SELECT COUNT(*) FROM blocks`, &s.Blocks},
		{`SELECT COUNT(*) FROM blocks WHERE traced = 0`, &s.Untraced},
		{`SELECT COUNT(*) FROM transfers`, &s.Transfers},
		{`SELECT COUNT(*) FROM flows_k`, &s.Flows},
		{`SELECT COUNT(*) FROM contracts_k`, &s.Contracts},
		{`SELECT COUNT(*) FROM converters_k`, &s.Converters},
	}
	for _, x := range q {
		if err := g.db.QueryRowContext(ctx, x.sql).Scan(x.dst); err != nil {
			return s, fmt.Errorf("index: stats: %w", err)
		}
	}
	return s, nil
}

// UntracedBlocks counts the indexed blocks without call traces (their
// internal ETH transfers are missing), from a partial index: cheap on any
// graph, unlike Stats, which counts every flow.
func (g *DB) UntracedBlocks(ctx context.Context) (int64, error) {
	var n int64
	if err := g.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM blocks WHERE traced = 0`).Scan(&n); err != nil {
		return 0, fmt.Errorf("index: untraced blocks: %w", err)
	}
	return n, nil
}

// FlowRow is one flow written directly by InsertFlows (synthetic graphs
// for tests and benchmarks; the indexer derives flows from the chain).
type FlowRow struct {
	Block     uint64
	TxIndex   uint
	Seq       int
	Tx        common.Hash
	Kind      string
	From, To  common.Address
	Asset     common.Address
	Amount    *big.Int
	AssetOut  common.Address
	AmountOut *big.Int
	Via       []common.Address
}

// InsertFlows writes rows (and their blocks and transactions) in one
// database transaction, with multi-row INSERTs prepared once on SQLite
// and COPY on PostgreSQL (the bulk path for synthetic graphs of millions
// of edges; see also BulkLoad).
func (g *DB) InsertFlows(ctx context.Context, rows []FlowRow) error {
	for _, r := range rows {
		g.noteBlock(r.Block)
	}
	if g.pg {
		return g.copyFlows(ctx, rows)
	}
	var k *keys
	err := g.inTx(ctx, func(tx *txn) error {
		k = g.keys(ctx, tx)
		defer k.close()
		insB := &bulk{ctx: ctx, tx: tx, ncols: 2, head: `INSERT INTO blocks (number, hash, parent, time, traced) VALUES `,
			row: "(?, '', '', ?, 1)", tail: ` ON CONFLICT DO NOTHING`}
		insT := &bulk{ctx: ctx, tx: tx, ncols: 4, head: `INSERT INTO txs_k (hash, block, tx_index, sender, gas_price, traced) VALUES `,
			row: "(?, ?, ?, ?, '0', 1)", tail: ` ON CONFLICT DO NOTHING`}
		insF := &bulk{ctx: ctx, tx: tx, ncols: 13, head: `INSERT INTO flows_k (block, tx_index, seq, tx_hash, time, kind, src, dst, asset, amount, asset_out, amount_out, via) VALUES `}
		defer func() {
			for _, b := range []*bulk{insB, insT, insF} {
				b.close()
			}
		}()
		var lastBlock uint64
		lastTx := map[common.Hash]bool{}
		for i, r := range rows {
			if i == 0 || r.Block != lastBlock {
				// Consecutive rows share blocks: skip the repeats
				// (ON CONFLICT DO NOTHING drops any others).
				if err := insB.add(r.Block, r.Block*12); err != nil {
					return fmt.Errorf("index: insert block %d: %w", r.Block, err)
				}
				lastBlock = r.Block
			}
			if !lastTx[r.Tx] {
				if len(lastTx) > 4096 {
					clear(lastTx)
				}
				lastTx[r.Tx] = true
				from, err := k.id(r.From)
				if err != nil {
					return err
				}
				if err := insT.add(r.Tx.Bytes(), r.Block, r.TxIndex, from); err != nil {
					return fmt.Errorf("index: insert tx %s: %w", r.Tx, err)
				}
			}
			vals, err := flowValues(k, r.Block, r.TxIndex, r.Tx, r.Block*12, Flow{Seq: r.Seq, Kind: r.Kind, From: r.From, To: r.To,
				Asset: r.Asset, Amount: r.Amount, AssetOut: r.AssetOut, AmountOut: r.AmountOut, Via: r.Via})
			if err != nil {
				return err
			}
			if err := insF.add(vals...); err != nil {
				return fmt.Errorf("index: insert flow %d/%d/%d: %w", r.Block, r.TxIndex, r.Seq, err)
			}
		}
		for _, b := range []*bulk{insB, insT, insF} {
			if err := b.flush(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	k.commit()
	return nil
}

// flowValues are the flows_k columns of one flow.
func flowValues(k *keys, block uint64, txIndex uint, tx common.Hash, time uint64, f Flow) ([]any, error) {
	src, err := k.id(f.From)
	if err != nil {
		return nil, err
	}
	dst, err := k.id(f.To)
	if err != nil {
		return nil, err
	}
	asset, err := k.id(f.Asset)
	if err != nil {
		return nil, err
	}
	var out any
	amtOut := ""
	if f.Kind == FlowSwap {
		if out, err = k.id(f.AssetOut); err != nil {
			return nil, err
		}
		amtOut = f.AmountOut.String()
	}
	via := ""
	for i, v := range f.Via {
		if i > 0 {
			via += ","
		}
		via += Addr(v)
	}
	return []any{block, txIndex, f.Seq, tx.Bytes(), time, f.Kind, src, dst, asset, f.Amount.String(), out, amtOut, via}, nil
}
