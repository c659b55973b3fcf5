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
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

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
	// Keep is how many recent canonical hashes are kept for reorg
	// detection (default 256).
	Keep int
	// Logger receives progress and warnings (default: discard).
	Logger *slog.Logger
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
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	eth := ethclient.NewClient(c)
	id, err := eth.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("index: eth_chainId: %w", err)
	}
	graph, err := Open(ctx, dataDir)
	if err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, filepath.Join(dataDir, "state"))
	if err != nil {
		_ = graph.Close()
		return nil, fmt.Errorf("index: %w", err)
	}
	fetch := txmodel.NewFetcher(c, txmodel.NewDecoder(nil), txmodel.WithLogger(opts.Logger))
	return &Indexer{rpc: c, eth: eth, fetch: fetch, graph: graph, state: st, chainID: id.Uint64(), opts: opts}, nil
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
			cp.Number = anc
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
		n, ancestor, err := ix.block(ctx, next, &res)
		switch {
		case errors.Is(err, ErrChanged) && retries < 8:
			retries++
			continue
		case err != nil:
			return res, err
		case ancestor != nil:
			res.Reorgs++
			next = *ancestor + 1
			continue
		}
		retries = 0
		next = n + 1
	}
	res.Elapsed = time.Since(start)
	return res, nil
}

// block indexes block n. When n's parent is not the recorded canonical
// block n−1 it handles the reorg instead and returns the common ancestor.
func (ix *Indexer) block(ctx context.Context, n uint64, res *Result) (uint64, *uint64, error) {
	hd, err := ix.eth.HeaderByNumber(ctx, new(big.Int).SetUint64(n))
	if err != nil {
		return 0, nil, fmt.Errorf("index: eth_getBlockByNumber %d: %w", n, err)
	}
	if n > 0 {
		canon, err := ix.state.Canonical(ctx, ix.chainID)
		if err != nil {
			return 0, nil, fmt.Errorf("index: %w", err)
		}
		if len(canon) > 0 && canon[len(canon)-1].Number == n-1 && canon[len(canon)-1].Hash != hd.ParentHash {
			anc, err := ix.reorg(ctx, canon)
			if err != nil {
				return 0, nil, err
			}
			return 0, &anc, nil
		}
	}
	var txs []*txmodel.Tx
	if n > 0 { // genesis has no transactions (and is not traceable)
		txs, err = ix.fetch.Block(ctx, new(big.Int).SetUint64(n))
	}
	if err != nil {
		if errors.Is(err, txmodel.ErrNotFound) || strings.Contains(err.Error(), "reorg") {
			return 0, nil, fmt.Errorf("%w: block %d: %w", ErrChanged, n, err)
		}
		return 0, nil, fmt.Errorf("index: %w", err)
	}
	for _, t := range txs {
		if t.BlockHash == nil || *t.BlockHash != hd.Hash() {
			return 0, nil, fmt.Errorf("%w: block %d", ErrChanged, n)
		}
	}
	traced := true
	for _, t := range txs {
		if t.Partial {
			traced = false
		}
	}
	if len(txs) == 0 {
		// An empty block says nothing about the node; keep the last
		// answer.
		traced = !ix.untraced
	} else {
		ix.untraced = !traced
	}
	nt, nf, err := ix.write(ctx, hd, txs, traced)
	if err != nil {
		return 0, nil, err
	}
	if err := ix.state.CommitBlock(ctx, ix.chainID, store.BlockRef{Number: n, Hash: hd.Hash()}, ix.opts.Keep); err != nil {
		return 0, nil, fmt.Errorf("index: %w", err)
	}
	res.Blocks++
	res.Transfers += nt
	res.Flows += nf
	if !traced {
		res.Untraced++
	}
	return n, nil, nil
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

// write stores one block's rows in one SQLite transaction (replacing any
// rows of the same block left by an interrupted run).
func (ix *Indexer) write(ctx context.Context, hd *types.Header, txs []*txmodel.Tx, traced bool) (int, int, error) {
	n := hd.Number.Uint64()
	var nt, nf int
	err := ix.graph.inTx(ctx, func(tx *sql.Tx) error {
		if err := deleteBlocks(ctx, tx, "=", n); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO blocks (number, hash, parent, time, traced) VALUES (?, ?, ?, ?, ?)`,
			n, hd.Hash().Hex(), hd.ParentHash.Hex(), hd.Time, traced); err != nil {
			return fmt.Errorf("index: insert block %d: %w", n, err)
		}
		insT, err := tx.PrepareContext(ctx, `INSERT INTO transfers (block, tx_index, seq, tx_hash, kind, asset, src, dst, amount, token_id, depth) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer insT.Close()
		insF, err := tx.PrepareContext(ctx, `INSERT INTO flows (block, tx_index, seq, tx_hash, time, kind, src, dst, asset, amount, asset_out, amount_out, via) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer insF.Close()
		for _, t := range txs {
			gp := "0"
			if t.EffectiveGasPrice != nil {
				gp = t.EffectiveGasPrice.String()
			}
			if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO txs (hash, block, tx_index, sender, gas_price, traced) VALUES (?, ?, ?, ?, ?, ?)`,
				t.Hash.Hex(), n, t.Index, Addr(t.From), gp, !t.Partial); err != nil {
				return fmt.Errorf("index: insert tx %s: %w", t.Hash, err)
			}
			for _, tr := range Transfers(t) {
				id := ""
				if tr.TokenID != nil {
					id = tr.TokenID.String()
				}
				if _, err := insT.ExecContext(ctx, n, t.Index, tr.Seq, t.Hash.Hex(), tr.Kind, Addr(tr.Asset), Addr(tr.From), Addr(tr.To), tr.Amount.String(), id, tr.Depth); err != nil {
					return fmt.Errorf("index: insert transfer of %s: %w", t.Hash, err)
				}
				nt++
			}
			for _, f := range Flows(t) {
				out, amtOut := "", ""
				if f.Kind == FlowSwap {
					out, amtOut = Addr(f.AssetOut), f.AmountOut.String()
				}
				via := make([]string, len(f.Via))
				for i, v := range f.Via {
					via[i] = Addr(v)
				}
				if _, err := insF.ExecContext(ctx, n, t.Index, f.Seq, t.Hash.Hex(), hd.Time, f.Kind, Addr(f.From), Addr(f.To), Addr(f.Asset), f.Amount.String(), out, amtOut, strings.Join(via, ",")); err != nil {
					return fmt.Errorf("index: insert flow of %s: %w", t.Hash, err)
				}
				nf++
			}
			for a, kind := range Converters(t) {
				if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO converters (address, kind, first_block) VALUES (?, ?, ?)`, Addr(a), kind, n); err != nil {
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
				if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO contracts (address, creator, funder, block, tx_hash) VALUES (?, ?, ?, ?, ?)`,
					Addr(c.To), Addr(c.From), Addr(t.From), n, t.Hash.Hex()); err != nil {
					return fmt.Errorf("index: insert contract: %w", err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	return nt, nf, nil
}
