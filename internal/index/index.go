// Package index builds aegis's temporal transfer graph from any Ethereum
// JSON-RPC node: every ETH movement (internal ones from
// debug_traceBlockByNumber's callTracer, normalized by internal/txmodel),
// ERC-20/721/1155 transfers from logs, per-transaction net flows with DEX
// swaps and ETH wrapping linked as token-in → token-out edges of the same
// trader, and contract creations with their funders. It is stored in SQLite
// (graph.db in the data directory, numbered migrations).
//
// Indexing is resumable and reorg-safe: the checkpoint and the recent
// canonical hashes live in an internal/store database (the monitor's
// machinery) under the data directory's "state" folder; before each block
// the indexer checks that the new block's parent is the recorded hash of
// the previous one and, if not, walks back to the common ancestor, deletes
// everything indexed above it and rewinds the checkpoint.
//
// A node without the debug API still gets indexed: token transfers come
// from the receipts' logs and ETH only from top-level transaction values;
// those blocks are recorded as untraced and Run reports it.
package index

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rlp"
	"github.com/ethereum/go-ethereum/rpc"

	"golang.org/x/sync/errgroup"

	"github.com/aegis-defi/aegis/internal/store"
	"github.com/aegis-defi/aegis/internal/txmodel"
)

// ErrChanged means the chain changed under a block being indexed.
var ErrChanged = errors.New("index: block changed while fetching (reorg in progress)")

// Options configure an Indexer.
type Options struct {
	// From is the first block to index when there is no checkpoint.
	From uint64
	// To is the last block to index; nil means the head when Run starts.
	To *uint64
	// Workers is how many blocks are fetched (traced by the node) at
	// once (default 4).
	Workers int
	// Keep is how many recent canonical hashes are kept for reorg
	// detection (default 256).
	Keep int
	// Logger receives progress and warnings (default: discard).
	Logger *slog.Logger
	// DB, when set, is a PostgreSQL URL (postgres://…) holding the graph
	// instead of graph.db in the data directory (which still keeps the
	// checkpoint).
	DB string
}

// Indexer indexes blocks from one node into one graph.
type Indexer struct {
	rpc     *rpc.Client
	eth     *ethclient.Client
	fetch   *txmodel.Fetcher
	graph   *DB
	state   *store.Store
	chainID uint64
	opts    Options
	// untraced remembers whether the last non-empty block had no traces.
	untraced bool
	dec      *txmodel.Decoder
	noTraces atomic.Bool
	// noRawBlock: the node does not serve debug_getRawBlock.
	noRawBlock atomic.Bool
	// tip is the block indexed last (tipOK false before the first).
	tip   store.BlockRef
	tipOK bool
}

// Result summarises a Run.
type Result struct {
	// ChainID is the node's chain id.
	ChainID uint64
	// From and To are the blocks indexed by this run (From > To when
	// there was nothing to do).
	From, To uint64
	// Blocks, Transfers and Flows count what this run indexed.
	Blocks, Transfers, Flows int
	// Untraced counts blocks indexed without call traces (ETH internal
	// transfers missing).
	Untraced int
	// Reorgs counts the reorgs handled; Resumed is true when the run
	// continued from a checkpoint.
	Reorgs  int
	Resumed bool
	// Elapsed is the wall time of the run.
	Elapsed time.Duration
}

// New opens the graph and checkpoint under dataDir for the node behind c.
// Callers must Close it.
func New(ctx context.Context, c *rpc.Client, dataDir string, opts Options) (*Indexer, error) {
	if opts.Keep <= 0 {
		opts.Keep = 256
	}
	if opts.Workers <= 0 {
		opts.Workers = 4
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	eth := ethclient.NewClient(c)
	id, err := eth.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("index: eth_chainId: %w", err)
	}
	var graph *DB
	if opts.DB != "" {
		graph, err = OpenURL(ctx, opts.DB)
	} else {
		graph, err = Open(ctx, dataDir)
	}
	if err != nil {
		return nil, err
	}
	if err := graph.bindChain(ctx, id.Uint64()); err != nil {
		_ = graph.Close()
		return nil, err
	}
	st, err := store.Open(ctx, filepath.Join(dataDir, "state"))
	if err != nil {
		_ = graph.Close()
		return nil, fmt.Errorf("index: %w", err)
	}
	dec := txmodel.NewDecoder(nil)
	fetch := txmodel.NewFetcher(c, dec, txmodel.WithLogger(opts.Logger))
	return &Indexer{rpc: c, eth: eth, fetch: fetch, dec: dec, graph: graph, state: st, chainID: id.Uint64(), opts: opts}, nil
}

// Graph returns the graph database.
func (ix *Indexer) Graph() *DB { return ix.graph }

// Close closes the databases.
func (ix *Indexer) Close() error {
	return errors.Join(ix.graph.Close(), ix.state.Close())
}

// Run indexes from the checkpoint (or Options.From) to Options.To (or the
// current head) and returns what it did.
func (ix *Indexer) Run(ctx context.Context) (Result, error) {
	start := time.Now()
	res := Result{ChainID: ix.chainID}
	next := ix.opts.From
	cp, ok, err := ix.state.Checkpoint(ctx, ix.chainID)
	if err != nil {
		return res, fmt.Errorf("index: %w", err)
	}
	if ok {
		// The checkpoint itself may have been reorged away while we
		// were not running.
		hd, err := ix.eth.HeaderByNumber(ctx, new(big.Int).SetUint64(cp.Number))
		if err != nil && !errors.Is(err, ethereum.NotFound) {
			return res, fmt.Errorf("index: eth_getBlockByNumber %d: %w", cp.Number, err)
		}
		if err != nil || hd.Hash() != cp.Hash {
			canon, err := ix.state.Canonical(ctx, ix.chainID)
			if err != nil {
				return res, fmt.Errorf("index: %w", err)
			}
			anc, err := ix.reorg(ctx, canon)
			if err != nil {
				return res, err
			}
			res.Reorgs++
			cp = store.BlockRef{Number: anc, Hash: canonHash(canon, anc)}
		}
		ix.tip, ix.tipOK = cp, true
		if canon, err := ix.state.Canonical(ctx, ix.chainID); err == nil && len(canon) > 0 {
			ix.tip = canon[len(canon)-1]
		}
		if cp.Number+1 > next {
			next, res.Resumed = cp.Number+1, true
		}
	}
	var to uint64
	if ix.opts.To != nil {
		to = *ix.opts.To
	} else {
		head, err := ix.eth.BlockNumber(ctx)
		if err != nil {
			return res, fmt.Errorf("index: eth_blockNumber: %w", err)
		}
		to = head
	}
	res.From, res.To = next, to
	if next > to {
		res.Elapsed = time.Since(start)
		return res, nil
	}
	ix.opts.Logger.Info("index: indexing", "from", next, "to", to, "resumed", res.Resumed)
	for retries := 0; next <= to; {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		n, err := ix.span(ctx, next, to, &res)
		if errors.Is(err, ErrChanged) && retries < 8 {
			retries++
			next = n
			continue
		}
		if err != nil {
			return res, err
		}
		if n > next {
			retries = 0
		}
		next = n
	}
	res.Elapsed = time.Since(start)
	return res, nil
}

// fetched is one block read from the node.
type fetched struct {
	number       uint64
	hash, parent common.Hash
	time         uint64
	txs          []*txmodel.Tx
}

// rpcBlockLite is what the fast path keeps of a block: from
// debug_getRawBlock (the block's RLP, a third of the JSON of the block
// with transaction bodies, and cheaper for the node to serve) or, where
// that is missing, eth_getBlockByNumber with transaction bodies, of which
// only the hash and the gas price are decoded (the trace has the rest).
// The gas price is the one the transaction paid (EIP-1559: min(fee cap,
// base fee + tip)), what mixer linkage by distinctive gas price compares;
// receipts carry it too but repeat every log the trace already has.
type rpcBlockLite struct {
	Number       hexutil.Uint64 `json:"number"`
	Hash         common.Hash    `json:"hash"`
	ParentHash   common.Hash    `json:"parentHash"`
	Timestamp    hexutil.Uint64 `json:"timestamp"`
	Transactions []rpcTxLite    `json:"transactions"`
}

// rpcTxLite is the part of a block's transaction the fast path keeps.
type rpcTxLite struct {
	Hash     common.Hash  `json:"hash"`
	GasPrice *hexutil.Big `json:"gasPrice"`
}

// traceItem is one element of debug_traceBlockByNumber's result.
type traceItem struct {
	TxHash common.Hash        `json:"txHash"`
	Result *txmodel.CallTrace `json:"result"` // decoded once, with the batch
	Error  string             `json:"error"`
}

// rawBlockLite decodes debug_getRawBlock's RLP into what the fast path
// keeps (hashes computed locally, effective gas prices from the
// transactions' fees and the block's base fee).
func rawBlockLite(raw []byte) (*rpcBlockLite, error) {
	var b types.Block
	if err := rlp.DecodeBytes(raw, &b); err != nil {
		return nil, err
	}
	out := &rpcBlockLite{Number: hexutil.Uint64(b.NumberU64()), Hash: b.Hash(), ParentHash: b.ParentHash(), Timestamp: hexutil.Uint64(b.Time())}
	base := b.BaseFee()
	for _, tx := range b.Transactions() {
		price := tx.GasPrice()
		if base != nil {
			price = new(big.Int).Add(base, tx.EffectiveGasTipValue(base))
		}
		out.Transactions = append(out.Transactions, rpcTxLite{Hash: tx.Hash(), GasPrice: (*hexutil.Big)(price)})
	}
	return out, nil
}

// fetchBlock reads block n. With the debug API it needs only the call
// traces and the raw block (one batch; no receipts, so the node does not
// recover every sender again); otherwise it falls back to txmodel's
// receipts path and the block is untraced.
func (ix *Indexer) fetchBlock(ctx context.Context, n uint64) (*fetched, error) {
	arg := hexutil.EncodeUint64(n)
	var (
		blk    *rpcBlockLite
		rawBlk hexutil.Bytes
		traces []traceItem
	)
	raw := !ix.noRawBlock.Load()
	bodies := rpc.BatchElem{Method: "eth_getBlockByNumber", Args: []any{arg, true}, Result: &blk}
	batch := []rpc.BatchElem{bodies}
	if raw {
		batch[0] = rpc.BatchElem{Method: "debug_getRawBlock", Args: []any{arg}, Result: &rawBlk}
	}
	if n > 0 && !ix.noTraces.Load() {
		batch = append(batch, rpc.BatchElem{Method: "debug_traceBlockByNumber", Args: []any{arg,
			map[string]any{"tracer": "callTracer", "tracerConfig": map[string]any{"withLog": true}}}, Result: &traces})
	}
	if err := ix.rpc.BatchCallContext(ctx, batch); err != nil {
		return nil, fmt.Errorf("index: block %d: batch %s/debug_traceBlockByNumber: %w", n, batch[0].Method, err)
	}
	if raw {
		// Any failure (an unknown method, a block the node does not
		// have, a format geth's types cannot decode) falls back to
		// eth_getBlockByNumber, which tells a missing block apart. The
		// traces of the same batch are kept: only the block is read
		// again (tracing twice was a fifth of Anvil's work on 20 blocks).
		err := batch[0].Error
		if err == nil {
			var b *rpcBlockLite
			if b, err = rawBlockLite(rawBlk); err == nil && b.Number != hexutil.Uint64(n) {
				err = fmt.Errorf("raw block is number %d", uint64(b.Number))
			}
			blk = b
		}
		if err != nil {
			if methodMissing(err) {
				ix.noRawBlock.Store(true)
			}
			ix.opts.Logger.Debug("index: debug_getRawBlock unusable; reading the block with eth_getBlockByNumber", "block", n, "err", err)
			batch[0] = bodies
			if err := ix.rpc.BatchCallContext(ctx, batch[:1]); err != nil {
				return nil, fmt.Errorf("index: block %d: eth_getBlockByNumber: %w", n, err)
			}
		}
	}
	if err := batch[0].Error; err != nil {
		return nil, fmt.Errorf("index: block %d: eth_getBlockByNumber: %w", n, err)
	}
	if blk == nil {
		return nil, fmt.Errorf("%w: block %d not found", ErrChanged, n)
	}
	f := &fetched{number: n, hash: blk.Hash, parent: blk.ParentHash, time: uint64(blk.Timestamp)}
	if n == 0 || len(blk.Transactions) == 0 {
		return f, nil // genesis is not traceable; empty blocks need no trace
	}
	receiptsOnly := ix.noTraces.Load()
	if len(batch) == 2 && batch[1].Error != nil {
		msg := strings.ToLower(batch[1].Error.Error())
		switch {
		case methodMissing(batch[1].Error):
			ix.noTraces.Store(true)
		case strings.Contains(msg, "missing trie node") || strings.Contains(msg, "historical state") ||
			strings.Contains(msg, "state not available") || strings.Contains(msg, "pruned"):
			// A pruned node cannot re-execute old blocks: index this one
			// from receipts (untraced) and keep asking for the next.
			ix.opts.Logger.Warn("index: node cannot trace this block (pruned state); indexing it from receipts", "block", n, "err", batch[1].Error)
		default:
			return nil, fmt.Errorf("index: block %d: debug_traceBlockByNumber: %w", n, batch[1].Error)
		}
		receiptsOnly = true
	}
	if receiptsOnly {
		fetch := ix.fetch.Block
		if !ix.noTraces.Load() {
			fetch = ix.receiptsBlock // the node has traces, just not for this block
		}
		txs, err := fetch(ctx, new(big.Int).SetUint64(n))
		if err != nil {
			if errors.Is(err, txmodel.ErrNotFound) || strings.Contains(err.Error(), "reorg") {
				return nil, fmt.Errorf("%w: block %d: %w", ErrChanged, n, err)
			}
			return nil, fmt.Errorf("index: %w", err)
		}
		for _, t := range txs {
			if t.BlockHash == nil || *t.BlockHash != f.hash {
				return nil, fmt.Errorf("%w: block %d", ErrChanged, n)
			}
		}
		f.txs = txs
		return f, nil
	}
	if len(traces) != len(blk.Transactions) {
		return nil, fmt.Errorf("%w: block %d: %d traces for %d transactions", ErrChanged, n, len(traces), len(blk.Transactions))
	}
	for i, bt := range blk.Transactions {
		h := bt.Hash
		tr := traces[i]
		if tr.TxHash != (common.Hash{}) && tr.TxHash != h {
			return nil, fmt.Errorf("%w: block %d: trace %d is for %s, want %s", ErrChanged, n, i, tr.TxHash, h)
		}
		if tr.Error != "" || tr.Result == nil {
			return nil, fmt.Errorf("index: block %d: debug_traceBlockByNumber: tx %s: %s", n, h, tr.Error)
		}
		num, hash := n, f.hash
		meta := txmodel.TxMeta{Hash: h, BlockNumber: &num, BlockHash: &hash, BlockTime: f.time, Index: uint(i)}
		if bt.GasPrice != nil {
			meta.EffectiveGasPrice = bt.GasPrice.ToInt()
		}
		t, err := txmodel.FromDecodedCallTrace(tr.Result, meta, ix.dec)
		if err != nil {
			return nil, fmt.Errorf("index: block %d: tx %s: %w", n, h, err)
		}
		f.txs = append(f.txs, t)
	}
	return f, nil
}

// methodMissing reports whether an RPC error says the node does not
// serve the method.
func methodMissing(err error) bool {
	msg := strings.ToLower(err.Error())
	return strings.Contains(msg, "method not found") || strings.Contains(msg, "does not exist/is not available") ||
		strings.Contains(msg, "not supported") || strings.Contains(msg, "unknown method")
}

// window is a run of fetched blocks starting at start.
type window struct {
	start uint64
	fs    []*fetched
}

// span indexes from..to with fetching pipelined against writing: the
// fetchers (owned here, stopped before returning) keep Options.Workers
// blocks in flight while this goroutine writes the windows they
// completed. It returns the next block
// to index: to+1 when done, the ancestor's successor after a reorg, or
// where it stopped on an error.
func (ix *Indexer) span(ctx context.Context, from, to uint64, res *Result) (uint64, error) {
	fctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := make(chan window, 1)
	g, gctx := errgroup.WithContext(fctx)
	g.Go(func() error {
		defer close(ch)
		return ix.fetchSpan(gctx, g, from, to, ch)
	})
	next := from
	var applyErr error
	reorged := false
loop:
	for w := range ch {
		n, anc, err := ix.apply(ctx, w.start, w.fs, res)
		next = n
		if err != nil {
			applyErr = err
			break loop
		}
		if anc != nil {
			res.Reorgs++
			next, reorged = *anc+1, true
			break loop
		}
	}
	cancel()
	for range ch { //nolint:revive // drain so the fetcher can exit
	}
	ferr := g.Wait()
	switch {
	case applyErr != nil:
		return next, applyErr
	case reorged:
		return next, nil
	case ferr != nil && !errors.Is(ferr, context.Canceled):
		return next, ferr
	}
	return next, ctx.Err()
}

// receiptsBlock builds block n's transactions from the block and its
// receipts only (partial: no internal calls), for a node that serves
// traces but not for this (pruned) block.
func (ix *Indexer) receiptsBlock(ctx context.Context, n *big.Int) ([]*txmodel.Tx, error) {
	blk, err := ix.eth.BlockByNumber(ctx, n)
	if err != nil {
		return nil, fmt.Errorf("eth_getBlockByNumber %s: %w", n, err)
	}
	rs, err := ix.eth.BlockReceipts(ctx, rpc.BlockNumberOrHashWithHash(blk.Hash(), true))
	if err != nil {
		return nil, fmt.Errorf("eth_getBlockReceipts %s: %w", n, err)
	}
	if len(rs) != len(blk.Transactions()) {
		return nil, fmt.Errorf("block %s: %d receipts for %d transactions (reorg?)", n, len(rs), len(blk.Transactions()))
	}
	signer := types.LatestSignerForChainID(new(big.Int).SetUint64(ix.chainID))
	out := make([]*txmodel.Tx, len(rs))
	for i, tx := range blk.Transactions() {
		from, err := types.Sender(signer, tx)
		if err != nil {
			return nil, fmt.Errorf("block %s: tx %s: sender: %w", n, tx.Hash(), err)
		}
		out[i] = txmodel.FromReceipt(txmodel.NewTxMeta(tx, from, rs[i], blk.Header()), tx.Data(), ix.dec)
	}
	return out, nil
}

// fetchSpan fetches blocks from..to with Options.Workers requests always
// in flight (the node traces blocks in parallel) and sends them to ch in
// order, in windows of 2×Workers blocks (the last may be shorter). A
// request starts as soon as one ends, not when a whole window is done:
// waiting for the slowest block of each window idled the node's other
// workers (indexing throughput was 0.86× the node's tracing at the same
// concurrency on Anvil). Fetching runs at most about 8×Workers blocks
// ahead of the writer (the queue, the window being filled, ch's buffer and
// the window being written). The fetch goroutines run in g.
func (ix *Indexer) fetchSpan(ctx context.Context, g *errgroup.Group, from, to uint64, ch chan<- window) error {
	type slot struct {
		done chan struct{}
		f    *fetched
		err  error
	}
	workers := ix.opts.Workers
	sem := make(chan struct{}, workers)
	queue := make(chan *slot, 2*workers) // started, in block order
	g.Go(func() error {
		defer close(queue)
		for n := from; n <= to; n++ {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return ctx.Err()
			}
			sl := &slot{done: make(chan struct{})}
			select {
			case queue <- sl:
			case <-ctx.Done():
				<-sem
				return ctx.Err()
			}
			g.Go(func() error {
				defer func() { <-sem }()
				defer close(sl.done)
				sl.f, sl.err = ix.fetchBlock(ctx, n)
				return nil // reported in order by the collector below
			})
		}
		return nil
	})
	w := window{start: from}
	send := func() error {
		select {
		case ch <- w:
		case <-ctx.Done():
			return ctx.Err()
		}
		w = window{start: w.start + uint64(len(w.fs))}
		return nil
	}
	for sl := range queue {
		select {
		case <-sl.done:
		case <-ctx.Done():
			return ctx.Err()
		}
		if sl.err != nil {
			return sl.err
		}
		w.fs = append(w.fs, sl.f)
		if len(w.fs) == 2*workers {
			if err := send(); err != nil {
				return err
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(w.fs) > 0 {
		return send()
	}
	return nil
}

// apply writes the fetched blocks start, start+1, … in one graph
// transaction and one checkpoint transaction (per-block commits were a
// third of the write time). When a block's parent is not the block
// before it, the blocks before it are written and the reorg is handled
// instead: apply returns the common ancestor. next is the first block not
// written.
func (ix *Indexer) apply(ctx context.Context, start uint64, fs []*fetched, res *Result) (next uint64, anc *uint64, err error) {
	tip, tipOK := ix.tip, ix.tipOK
	k := 0
	for ; k < len(fs); k++ {
		n := start + uint64(k)
		if tipOK && n > 0 && tip.Number == n-1 && tip.Hash != fs[k].parent {
			break
		}
		tip, tipOK = store.BlockRef{Number: n, Hash: fs[k].hash}, true
	}
	if k > 0 {
		if err := ix.commit(ctx, fs[:k], res); err != nil {
			return start, nil, err
		}
	}
	if k == len(fs) {
		return start + uint64(k), nil, nil
	}
	canon, err := ix.state.Canonical(ctx, ix.chainID)
	if err != nil {
		return start + uint64(k), nil, fmt.Errorf("index: %w", err)
	}
	a, err := ix.reorg(ctx, canon)
	if err != nil {
		return start + uint64(k), nil, err
	}
	return a + 1, &a, nil
}

// commit writes consecutive blocks fs to the graph, then records them in
// the checkpoint (a crash in between re-indexes them: write replaces a
// block's rows).
func (ix *Indexer) commit(ctx context.Context, fs []*fetched, res *Result) error {
	traced := make([]bool, len(fs))
	untraced := ix.untraced
	for i, f := range fs {
		tr := true
		for _, t := range f.txs {
			if t.Partial {
				tr = false
			}
		}
		if len(f.txs) == 0 {
			// An empty block says nothing about the node; keep the
			// last answer.
			tr = !untraced
		} else {
			untraced = !tr
		}
		traced[i] = tr
	}
	nt, nf, err := ix.write(ctx, fs, traced)
	if err != nil {
		return err
	}
	refs := make([]store.BlockRef, len(fs))
	for i, f := range fs {
		refs[i] = store.BlockRef{Number: f.number, Hash: f.hash}
	}
	if err := ix.state.CommitBlocks(ctx, ix.chainID, refs, ix.opts.Keep); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	ix.untraced = untraced
	ix.tip, ix.tipOK = refs[len(refs)-1], true
	res.Blocks += len(fs)
	res.Transfers += nt
	res.Flows += nf
	for _, tr := range traced {
		if !tr {
			res.Untraced++
		}
	}
	return nil
}

// canonHash returns the recorded hash of block n.
func canonHash(canon []store.BlockRef, n uint64) common.Hash {
	for _, c := range canon {
		if c.Number == n {
			return c.Hash
		}
	}
	return common.Hash{}
}

// reorg walks back over the recorded canonical hashes to the newest one
// still on the node's chain, deletes everything indexed above it and
// rewinds the checkpoint.
func (ix *Indexer) reorg(ctx context.Context, canon []store.BlockRef) (uint64, error) {
	for i := len(canon) - 1; i >= 0; i-- {
		hd, err := ix.eth.HeaderByNumber(ctx, new(big.Int).SetUint64(canon[i].Number))
		if err != nil && !errors.Is(err, ethereum.NotFound) {
			return 0, fmt.Errorf("index: eth_getBlockByNumber %d: %w", canon[i].Number, err)
		}
		if err == nil && hd.Hash() == canon[i].Hash {
			ix.opts.Logger.Warn("index: reorg; rewinding", "ancestor", canon[i].Number, "dropped", canon[len(canon)-1].Number-canon[i].Number)
			if err := ix.graph.Rewind(ctx, canon[i].Number); err != nil {
				return 0, err
			}
			if err := ix.state.Rewind(ctx, ix.chainID, canon[i]); err != nil {
				return 0, fmt.Errorf("index: %w", err)
			}
			return canon[i].Number, nil
		}
	}
	return 0, fmt.Errorf("index: reorg deeper than the %d recorded blocks (%d..%d); re-index from scratch with a new --data-dir",
		len(canon), canon[0].Number, canon[len(canon)-1].Number)
}

// b2i stores a flag as 0/1 (both backends keep flags as integers).
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// write stores consecutive blocks' rows in one database transaction
// (replacing any rows of the same blocks left by an interrupted run or an
// older run over the same range).
func (ix *Indexer) write(ctx context.Context, fs []*fetched, traced []bool) (int, int, error) {
	var nt, nf int
	var k *keys
	err := ix.graph.inTx(ctx, func(tx *txn) error {
		for _, blk := range fs {
			// A block above everything the graph ever held has no
			// rows to replace: skip the seven deletes.
			if int64(blk.number) <= ix.graph.maxBlock.Load() {
				if err := deleteBlocks(ctx, tx, "=", blk.number); err != nil {
					return err
				}
			}
		}
		insB := &bulk{ctx: ctx, tx: tx, ncols: 5, head: `INSERT INTO blocks (number, hash, parent, time, traced) VALUES `}
		insT := &bulk{ctx: ctx, tx: tx, ncols: 11, head: `INSERT INTO transfers (block, tx_index, seq, tx_hash, kind, asset, src, dst, amount, token_id, depth) VALUES `}
		insF := &bulk{ctx: ctx, tx: tx, ncols: 13, head: `INSERT INTO flows_k (block, tx_index, seq, tx_hash, time, kind, src, dst, asset, amount, asset_out, amount_out, via) VALUES `}
		insD := &bulk{ctx: ctx, tx: tx, ncols: 7, head: `INSERT INTO dust_k (block, tx_hash, kind, asset, src, dst, amount) VALUES `}
		insX := &bulk{ctx: ctx, tx: tx, ncols: 6, head: `INSERT INTO txs_k (hash, block, tx_index, sender, gas_price, traced) VALUES `,
			tail: ` ON CONFLICT (hash) DO UPDATE SET block = excluded.block, tx_index = excluded.tx_index, sender = excluded.sender, gas_price = excluded.gas_price, traced = excluded.traced`}
		k = ix.graph.keys(ctx, tx)
		defer k.close()
		defer func() {
			for _, b := range []*bulk{insB, insX, insT, insF, insD} {
				b.close()
			}
		}()
		for bi, blk := range fs {
			n, txs := blk.number, blk.txs
			if err := insB.add(n, blk.hash.Hex(), blk.parent.Hex(), blk.time, b2i(traced[bi])); err != nil {
				return fmt.Errorf("index: insert block %d: %w", n, err)
			}
			for _, t := range txs {
				gp := "0"
				if t.EffectiveGasPrice != nil {
					gp = t.EffectiveGasPrice.String()
				}
				sender, err := k.id(t.From)
				if err != nil {
					return err
				}
				if err := insX.add(t.Hash.Bytes(), n, t.Index, sender, gp, b2i(!t.Partial)); err != nil {
					return fmt.Errorf("index: insert tx %s: %w", t.Hash, err)
				}
				for _, tr := range Transfers(t) {
					id := ""
					if tr.TokenID != nil {
						id = tr.TokenID.String()
					}
					if err := insT.add(n, t.Index, tr.Seq, t.Hash.Hex(), tr.Kind, Addr(tr.Asset), Addr(tr.From), Addr(tr.To), tr.Amount.String(), id, tr.Depth); err != nil {
						return fmt.Errorf("index: insert transfer of %s: %w", t.Hash, err)
					}
					if IsDust(tr) {
						asset, err := k.id(tr.Asset)
						if err != nil {
							return err
						}
						src, err := k.id(tr.From)
						if err != nil {
							return err
						}
						dst, err := k.id(tr.To)
						if err != nil {
							return err
						}
						if err := insD.add(n, t.Hash.Bytes(), tr.Kind, asset, src, dst, tr.Amount.String()); err != nil {
							return fmt.Errorf("index: insert dust of %s: %w", t.Hash, err)
						}
					}
					nt++
				}
				for _, f := range Flows(t) {
					vals, err := flowValues(k, n, t.Index, t.Hash, blk.time, f)
					if err != nil {
						return err
					}
					if err := insF.add(vals...); err != nil {
						return fmt.Errorf("index: insert flow of %s: %w", t.Hash, err)
					}
					nf++
				}
				for a, kind := range Converters(t) {
					id, err := k.id(a)
					if err != nil {
						return err
					}
					if _, err := tx.ExecContext(ctx, `INSERT INTO converters_k (address, kind, first_block) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, id, kind, n); err != nil {
						return fmt.Errorf("index: insert converter: %w", err)
					}
				}
				if t.Reverted() {
					continue
				}
				var creations []txmodel.Call
				t.Walk(func(c *txmodel.Call) bool {
					if c.Error != "" {
						return false
					}
					if c.Type.IsCreate() && c.To != (common.Address{}) {
						creations = append(creations, *c)
					}
					return true
				})
				if t.Partial && t.ContractAddress != nil {
					creations = append(creations, txmodel.Call{From: t.From, To: *t.ContractAddress})
				}
				for _, c := range creations {
					addr, err := k.id(c.To)
					if err != nil {
						return err
					}
					creator, err := k.id(c.From)
					if err != nil {
						return err
					}
					if _, err := tx.ExecContext(ctx, `INSERT INTO contracts_k (address, creator, funder, block, tx_hash) VALUES (?, ?, ?, ?, ?)
					ON CONFLICT (address) DO UPDATE SET creator = excluded.creator, funder = excluded.funder, block = excluded.block, tx_hash = excluded.tx_hash`,
						addr, creator, sender, n, t.Hash.Bytes()); err != nil {
						return fmt.Errorf("index: insert contract: %w", err)
					}
				}
			}
		}
		for _, b := range []*bulk{insB, insX, insT, insF, insD} {
			if err := b.flush(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	k.commit()
	ix.graph.noteBlock(fs[len(fs)-1].number)
	return nt, nf, nil
}

// bulkRows is how many rows one multi-row INSERT carries.
const bulkRows = 100

// bulk batches rows into multi-row INSERT statements (one statement per
// bulkRows rows instead of one per row). The full-size statement is
// prepared once per transaction, so SQLite parses it once.
type bulk struct {
	ctx   context.Context
	tx    *txn
	head  string
	tail  string // after the VALUES (ON CONFLICT …)
	row   string // one row's values, "(?, ?, …)" with ncols placeholders when empty
	ncols int
	args  []any
	rows  int
	full  *sql.Stmt
}

// add queues one row, flushing every bulkRows.
func (b *bulk) add(vals ...any) error {
	b.args = append(b.args, vals...)
	b.rows++
	if b.rows == bulkRows {
		return b.flush()
	}
	return nil
}

// sql is the INSERT statement for rows rows.
func (b *bulk) sql(rows int) string {
	row := b.row
	if row == "" {
		row = "(?" + strings.Repeat(", ?", b.ncols-1) + ")"
	}
	return b.head + strings.TrimSuffix(strings.Repeat(row+", ", rows), ", ") + b.tail
}

// flush writes the queued rows.
func (b *bulk) flush() error {
	if b.rows == 0 {
		return nil
	}
	var err error
	if b.rows == bulkRows {
		if b.full == nil {
			b.full, err = b.tx.PrepareContext(b.ctx, b.sql(bulkRows))
		}
		if err == nil {
			_, err = b.full.ExecContext(b.ctx, b.args...)
		}
	} else {
		_, err = b.tx.ExecContext(b.ctx, b.sql(b.rows), b.args...)
	}
	b.args, b.rows = b.args[:0], 0
	if err != nil {
		return fmt.Errorf("index: %s…: %w", b.head[:min(len(b.head), 40)], err)
	}
	return nil
}

// close releases the prepared statement.
func (b *bulk) close() {
	if b.full != nil {
		_ = b.full.Close()
		b.full = nil
	}
}
