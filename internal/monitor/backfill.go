package monitor

import (
	"context"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/aegis-defi/aegis/internal/txmodel"
)

// DefaultBackfillBlocks is the default Config.BackfillBlocks: about a day
// of mainnet blocks.
const DefaultBackfillBlocks = 7200

// backfillChunk is the block span of one eth_getLogs call and of one batch
// of eth_getBlockByNumber calls.
const backfillChunk = 1000

// transferTopic is the ERC-20/721 Transfer event topic.
var transferTopic = crypto.Keccak256Hash([]byte("Transfer(address,address,uint256)"))

// BackfillResult says what a backfill learned from.
type BackfillResult struct {
	// From and To are the block range scanned.
	From, To uint64
	// Txs is how many past transactions touching a watched address were
	// replayed through the detectors; Partial how many of them without a
	// call trace (the node has no debug tracing API).
	Txs, Partial int
	// Degraded lists what the node could not serve.
	Degraded []string
	// Took is how long the backfill took (log queries, block scan, block
	// or transaction fetches with traces, and the detectors' replay).
	Took time.Duration
}

// backfill replays the recent history of the watched protocols — the
// transactions of the BackfillBlocks blocks before the monitor's first
// block that called a watched address, or that moved tokens into or out of
// one, or whose logs a watched address emitted — through the detectors as
// mined transactions, discarding their observations. The detectors learn
// what they would have learned had the monitor been running: each
// account's net deposits (so withdrawing them is not an outflow), the
// anomaly baseline, the pool reserves the pricer values tokens with.
//
// It needs eth_getLogs and eth_getBlockByNumber over the range, and
// debug_traceBlockByNumber for full call trees (each block holding a
// matching transaction is traced once, with eth_getBlockReceipts; a node
// that cannot serve that gets one debug_traceTransaction per transaction
// instead); without tracing it learns
// from receipts only, and without the former it logs what is missing and
// learns nothing: deposits made before the monitor started are then
// unknown.
//
// observe says whether the replayed transactions also update the pricer's
// pool reserves: true at start-up, false for a protocol added at run time
// (its history is older than the reserves the pricer already holds).
func (m *Monitor) backfill(ctx context.Context, s *session, addrs []common.Address, observe bool) BackfillResult {
	m.mu.Lock()
	next := m.next
	m.mu.Unlock()
	var res BackfillResult
	n := m.cfg.BackfillBlocks
	if next == 0 {
		m.setHistory(addrs) // a chain that starts here has no history
		return res
	}
	if len(addrs) == 0 {
		return res
	}
	if n <= 0 {
		m.log.Warn("monitor: backfill off: deposits made before the monitor started are unknown; plain withdrawals from the watched contracts are reported at medium at most")
		return res
	}
	res.To = next - 1
	if next > uint64(n) {
		res.From = next - uint64(n)
	}
	start := time.Now()
	hashes, err := m.backfillHashes(ctx, s, addrs, res.From, res.To, &res)
	if err != nil {
		m.log.Warn("monitor: backfill: cannot read the watched protocols' history; deposits made before the monitor started are unknown; plain withdrawals from the watched contracts are reported at medium at most",
			"from", res.From, "to", res.To, "err", err)
		res.Degraded = append(res.Degraded, err.Error())
		return res
	}
	txs := m.backfillTxs(ctx, s, hashes)
	slices.SortFunc(txs, func(a, b *txmodel.Tx) int {
		if c := cmpU64(a.BlockNumber, b.BlockNumber); c != 0 {
			return c
		}
		return int(a.Index) - int(b.Index)
	})
	for _, tx := range txs {
		if tx.Partial {
			res.Partial++
		}
		m.learn(ctx, tx, observe)
		res.Txs++
	}
	m.setHistory(addrs)
	if res.Partial > 0 {
		res.Degraded = append(res.Degraded, "debug_traceBlockByNumber/debug_traceTransaction")
		m.log.Warn("monitor: backfill: the node served no call traces; learned from receipts only (deposits through intermediate contracts are missed)", "txs", res.Partial)
	}
	res.Took = time.Since(start)
	m.log.Info("monitor: backfilled the watched protocols' history", "from", res.From, "to", res.To, "txs", res.Txs, "took", res.Took.Round(time.Millisecond))
	return res
}

// setHistory records addrs as having their deposit history learned.
func (m *Monitor) setHistory(addrs []common.Address) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, a := range addrs {
		m.history[a] = struct{}{}
	}
}

// historyKnown implements detect.Env.HistoryKnown: the backfill covered
// a, or the monitor saw a being created (it saw all of its history).
func (m *Monitor) historyKnown(a common.Address) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.history[a]; ok {
		return true
	}
	_, created := m.fresh[a]
	return created
}

// Backfilled returns what the start-up backfill learned from (complete
// once Ready is closed).
func (m *Monitor) Backfilled() BackfillResult {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.backfilled
}

func cmpU64(a, b *uint64) int {
	switch {
	case a == nil || b == nil:
		return 0
	case *a < *b:
		return -1
	case *a > *b:
		return 1
	}
	return 0
}

// learn runs the detectors on a past mined transaction without keeping
// their observations and without holdings lookups (the state before it is
// history the node may not serve), then lets the pricer observe it.
func (m *Monitor) learn(ctx context.Context, tx *txmodel.Tx, observe bool) {
	m.detMu.Lock()
	env := m.env
	if tp, ok := m.cfg.Prices.(TxPricer); ok {
		env.Prices = tp.ForTx(tx)
	}
	env.Holdings = func(context.Context, common.Address, common.Address) (*big.Int, error) { return nil, nil }
	for _, d := range m.cfg.Detectors {
		if _, err := d.Inspect(ctx, &env, tx); err != nil {
			m.log.Debug("monitor: backfill: detector", "detector", d.Meta().Name, "tx", tx.Hash, "err", err)
		}
	}
	m.detMu.Unlock()
	if tp, ok := m.cfg.Prices.(TxPricer); ok && observe {
		tp.Observe(tx)
	}
	m.calls.touched(tx)
}

// backfillAdded backfills the history of the addresses added to the
// watchlist while the monitor runs (Watchlist.Add/Set), once each. The
// blocks component calls it between blocks, so the replay through the
// detectors is serialized with block processing (one writer of the
// detectors' state, in chain order up to the last processed block). An
// address the monitor saw being created (auto-watched by WatchCreatedBy)
// has all of its history seen and is marked known without a backfill.
//
// The range is the BackfillBlocks blocks before the next block, so it may
// include blocks processed live: a transaction there that also touched a
// protocol watched at the time is learned a second time by the detectors
// (rare: a transaction calling both protocols).
func (m *Monitor) backfillAdded(ctx context.Context, s *session) {
	addrs := m.cfg.Watch.Addresses()
	if len(addrs) == len(m.tried) {
		return // common case: nothing added (tried only ever holds watched addresses)
	}
	var todo, seen []common.Address
	m.mu.Lock()
	for _, a := range addrs {
		if _, ok := m.tried[a]; ok {
			continue
		}
		m.tried[a] = struct{}{}
		if _, ok := m.history[a]; ok {
			continue
		}
		if _, ok := m.fresh[a]; ok {
			seen = append(seen, a)
			continue
		}
		todo = append(todo, a)
	}
	m.mu.Unlock()
	m.setHistory(seen)
	if len(todo) == 0 {
		return
	}
	r := m.backfill(ctx, s, todo, false)
	m.log.Info("monitor: backfilled the history of protocols added at run time", "addresses", len(todo), "txs", r.Txs, "degraded", len(r.Degraded))
}

// backfillTxs fetches the transactions of hashes (block number → the
// block's matching transaction hashes): each block once, traced as a whole
// with debug_traceBlockByNumber (Fetcher.BlockSelect). A block the node
// cannot serve that way (no eth_getBlockReceipts, a pruned block, a trace
// error) falls back to one eth_getTransactionByHash + receipt +
// debug_traceTransaction per transaction; after a method-not-found the
// remaining blocks go straight to that fallback.
func (m *Monitor) backfillTxs(ctx context.Context, s *session, hashes map[uint64]map[common.Hash]struct{}) []*txmodel.Tx {
	blocks := slices.Sorted(maps.Keys(hashes))
	perBlock := true
	var txs []*txmodel.Tx
	for _, n := range blocks {
		want := hashes[n]
		if perBlock {
			got, err := s.fetcher.BlockSelect(ctx, new(big.Int).SetUint64(n), func(h common.Hash) bool {
				_, ok := want[h]
				return ok
			})
			if err == nil && len(got) == len(want) {
				txs = append(txs, got...)
				continue
			}
			if err == nil {
				err = fmt.Errorf("block %d holds %d of the %d matching transactions (reorg?)", n, len(got), len(want))
			}
			if ctx.Err() != nil {
				return txs
			}
			if txmodel.IsMethodNotFound(err) {
				perBlock = false
				m.log.Warn("monitor: backfill: the node cannot serve whole blocks with their receipts and traces; fetching the matching transactions one by one (slower: debug_traceTransaction re-executes each block's earlier transactions)", "block", n, "err", err)
			} else {
				m.log.Warn("monitor: backfill: fetch block; fetching its matching transactions one by one", "block", n, "err", err)
			}
		}
		for h := range want {
			tx, err := s.fetcher.Transaction(ctx, h)
			if err != nil {
				m.log.Warn("monitor: backfill: fetch transaction", "tx", h, "err", err)
				continue
			}
			txs = append(txs, tx)
		}
	}
	return txs
}

// backfillHashes returns the hashes of the transactions in [from, to] that
// called one of addrs, emitted a log from one, or moved tokens to or from
// one, grouped by block number.
func (m *Monitor) backfillHashes(ctx context.Context, s *session, addrs []common.Address, from, to uint64, res *BackfillResult) (map[uint64]map[common.Hash]struct{}, error) {
	out := map[uint64]map[common.Hash]struct{}{}
	add := func(n uint64, h common.Hash) {
		if out[n] == nil {
			out[n] = map[common.Hash]struct{}{}
		}
		out[n][h] = struct{}{}
	}
	watched := map[common.Address]bool{}
	var topics []common.Hash
	for _, a := range addrs {
		watched[a] = true
		topics = append(topics, common.BytesToHash(a.Bytes()))
	}
	for lo := from; lo <= to; lo += backfillChunk {
		hi := min(lo+backfillChunk-1, to)
		qs := []ethereum.FilterQuery{
			{FromBlock: new(big.Int).SetUint64(lo), ToBlock: new(big.Int).SetUint64(hi), Addresses: addrs},
			{FromBlock: new(big.Int).SetUint64(lo), ToBlock: new(big.Int).SetUint64(hi), Topics: [][]common.Hash{{transferTopic}, topics}},
			{FromBlock: new(big.Int).SetUint64(lo), ToBlock: new(big.Int).SetUint64(hi), Topics: [][]common.Hash{{transferTopic}, nil, topics}},
		}
		for _, q := range qs {
			logs, err := s.eth.FilterLogs(ctx, q)
			if err != nil {
				return nil, fmt.Errorf("eth_getLogs %d–%d: %w", lo, hi, err)
			}
			for _, l := range logs {
				add(l.BlockNumber, l.TxHash)
			}
		}
		// Calls without logs (plain ETH deposits): the blocks' transactions.
		hs, err := m.callsTo(ctx, s.rpc, watched, lo, hi)
		if err != nil {
			res.Degraded = append(res.Degraded, "eth_getBlockByNumber")
			m.log.Warn("monitor: backfill: cannot list the blocks' transactions; calls to watched contracts that emitted no log are missed", "from", lo, "to", hi, "err", err)
		}
		for _, c := range hs {
			add(c.block, c.hash)
		}
		if ctx.Err() != nil {
			return out, ctx.Err()
		}
	}
	return out, nil
}

// blockTx is a transaction hash and the number of its block.
type blockTx struct {
	block uint64
	hash  common.Hash
}

// callsTo lists the transactions of blocks [lo, hi] sent to a watched
// address, reading the blocks in batches of eth_getBlockByNumber.
func (m *Monitor) callsTo(ctx context.Context, c *rpc.Client, watched map[common.Address]bool, lo, hi uint64) ([]blockTx, error) {
	type rpcTx struct {
		Hash common.Hash     `json:"hash"`
		To   *common.Address `json:"to"`
	}
	type rpcBlock struct {
		Transactions []rpcTx `json:"transactions"`
	}
	var out []blockTx
	const batch = 100
	for b := lo; b <= hi; b += batch {
		top := min(b+batch-1, hi)
		blocks := make([]*rpcBlock, top-b+1)
		elems := make([]rpc.BatchElem, len(blocks))
		for i := range elems {
			elems[i] = rpc.BatchElem{Method: "eth_getBlockByNumber", Args: []any{hexutil.EncodeUint64(b + uint64(i)), true}, Result: &blocks[i]}
		}
		if err := c.BatchCallContext(ctx, elems); err != nil {
			return out, fmt.Errorf("eth_getBlockByNumber %d–%d: %w", b, top, err)
		}
		for i, e := range elems {
			if e.Error != nil {
				if strings.Contains(e.Error.Error(), "not found") {
					continue
				}
				return out, fmt.Errorf("eth_getBlockByNumber %d: %w", b+uint64(i), e.Error)
			}
			if blocks[i] == nil {
				continue
			}
			for _, t := range blocks[i].Transactions {
				if t.To != nil && watched[*t.To] {
					out = append(out, blockTx{block: b + uint64(i), hash: t.Hash})
				}
			}
		}
	}
	return out, nil
}
