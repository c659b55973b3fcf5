package txmodel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"
)

// ErrNotMined is returned by Fetcher.Transaction for a transaction the node
// knows but has not mined (use Fetcher.Pending).
var ErrNotMined = errors.New("transaction not mined")

// ErrNotFound is returned when the node does not know the block or
// transaction.
var ErrNotFound = errors.New("not found")

// ErrNonceUsed is returned by Fetcher.Pending when the sender's nonce at the
// head already passed the transaction's: it (or a replacement) is mined, and
// simulating it again on a state that includes it would replay it.
var ErrNonceUsed = errors.New("nonce already used at the head: the transaction or a replacement is mined")

// callTracerConfig is the tracer configuration every trace request uses.
func callTracerConfig() map[string]any {
	return map[string]any{"tracer": "callTracer", "tracerConfig": map[string]any{"withLog": true}}
}

// Fetcher builds Txs from a JSON-RPC node: blocks (block, receipts and
// call traces in one batched round trip), single mined transactions and
// pending transactions (simulated with debug_traceCall). It is safe for
// concurrent use.
//
// When the node has no debug API (the trace method is not found) the
// Fetcher falls back to receipts only and marks the Txs Partial; it logs
// the fallback once.
type Fetcher struct {
	rpc    *rpc.Client
	dec    *Decoder
	logger *slog.Logger
	tokens TokenResolver

	noDebug  atomic.Bool
	warnOnce sync.Once
}

// FetcherOption configures a Fetcher.
type FetcherOption func(*Fetcher)

// WithLogger sets the logger the Fetcher reports fallbacks to (default:
// slog.Default()).
func WithLogger(l *slog.Logger) FetcherOption {
	return func(f *Fetcher) {
		if l != nil {
			f.logger = l
		}
	}
}

// WithTokenResolver makes the Fetcher fill PoolMove.Token0/Token1 with r.
func WithTokenResolver(r TokenResolver) FetcherOption {
	return func(f *Fetcher) { f.tokens = r }
}

// NewFetcher returns a Fetcher over c (e.g. ethclient.Client.Client()).
// dec nil means NewDecoder(nil).
func NewFetcher(c *rpc.Client, dec *Decoder, opts ...FetcherOption) *Fetcher {
	if dec == nil {
		dec = NewDecoder(nil)
	}
	f := &Fetcher{rpc: c, dec: dec, logger: slog.Default()}
	for _, o := range opts {
		o(f)
	}
	return f
}

// Decoder returns the Fetcher's decoder.
func (f *Fetcher) Decoder() *Decoder { return f.dec }

// rpcHeader is the part of a block header the Fetcher reads.
type rpcHeader struct {
	Hash      common.Hash    `json:"hash"`
	Number    hexutil.Uint64 `json:"number"`
	Timestamp hexutil.Uint64 `json:"timestamp"`
	BaseFee   *hexutil.Big   `json:"baseFeePerGas"`
}

// rpcBlock is the part of eth_getBlockByNumber(.., true) the Fetcher reads.
type rpcBlock struct {
	rpcHeader
	Transactions []rpcTx `json:"transactions"`
}

// rpcTx is the part of a transaction object the Fetcher reads.
type rpcTx struct {
	Hash    common.Hash     `json:"hash"`
	From    common.Address  `json:"from"`
	To      *common.Address `json:"to"`
	Value   *hexutil.Big    `json:"value"`
	Nonce   hexutil.Uint64  `json:"nonce"`
	Gas     hexutil.Uint64  `json:"gas"`
	Input   hexutil.Bytes   `json:"input"`
	ChainID *hexutil.Big    `json:"chainId"`
	Index   *hexutil.Uint   `json:"transactionIndex"`
}

// rpcReceipt is the part of a receipt the Fetcher reads.
type rpcReceipt struct {
	TxHash            common.Hash     `json:"transactionHash"`
	BlockHash         common.Hash     `json:"blockHash"`
	BlockNumber       hexutil.Uint64  `json:"blockNumber"`
	Index             hexutil.Uint    `json:"transactionIndex"`
	Status            *hexutil.Uint64 `json:"status"`
	GasUsed           hexutil.Uint64  `json:"gasUsed"`
	EffectiveGasPrice *hexutil.Big    `json:"effectiveGasPrice"`
	ContractAddress   *common.Address `json:"contractAddress"`
	Logs              []*types.Log    `json:"logs"`
}

// traceResult is one element of debug_traceBlockByNumber's result.
type traceResult struct {
	TxHash common.Hash     `json:"txHash"`
	Result json.RawMessage `json:"result"`
	Error  string          `json:"error"`
}

// metaFor assembles the TxMeta of a mined transaction.
func metaFor(t *rpcTx, r *rpcReceipt, blk *rpcHeader) TxMeta {
	m := TxMeta{
		Hash: t.Hash, From: t.From, To: t.To, Nonce: uint64(t.Nonce), GasLimit: uint64(t.Gas),
		Stage: StageMined, Value: new(big.Int),
	}
	if t.Value != nil {
		m.Value = (*big.Int)(t.Value)
	}
	if t.ChainID != nil {
		m.ChainID = (*big.Int)(t.ChainID)
	}
	if r != nil {
		n := uint64(r.BlockNumber)
		bh := r.BlockHash
		m.BlockNumber, m.BlockHash, m.Index = &n, &bh, uint(r.Index)
		m.GasUsed = uint64(r.GasUsed)
		if r.EffectiveGasPrice != nil {
			m.EffectiveGasPrice = (*big.Int)(r.EffectiveGasPrice)
		}
		st := StatusSuccess
		if r.Status != nil && *r.Status == 0 {
			st = StatusReverted
		}
		m.Status = &st
		if r.ContractAddress != nil && *r.ContractAddress != (common.Address{}) {
			ca := *r.ContractAddress
			m.ContractAddress = &ca
		}
		m.ReceiptLogs = r.Logs
	}
	if blk != nil {
		m.BlockTime = uint64(blk.Timestamp)
		if blk.BaseFee != nil {
			m.BaseFee = (*big.Int)(blk.BaseFee)
		}
		if m.BlockNumber == nil {
			n := uint64(blk.Number)
			m.BlockNumber = &n
		}
	}
	return m
}

// blockArg formats a block number for JSON-RPC (nil: "latest").
func blockArg(n *big.Int) string {
	if n == nil {
		return "latest"
	}
	return hexutil.EncodeBig(n)
}

// Block fetches block number (nil: the latest block) with its receipts and
// call traces in one batched round trip (eth_getBlockByNumber,
// eth_getBlockReceipts, debug_traceBlockByNumber with callTracer and
// withLog) and returns its transactions in block order. Without the debug
// API the Txs are Partial.
func (f *Fetcher) Block(ctx context.Context, number *big.Int) ([]*Tx, error) {
	return f.BlockSelect(ctx, number, nil)
}

// BlockSelect is Block returning only the transactions whose hash keep
// accepts (keep nil: all), in block order. The block is still traced once
// as a whole (debug_traceBlockByNumber), but only the selected
// transactions are normalized and have their pool tokens resolved: a
// backfill replaying a few transactions of a busy block pays one block
// trace instead of a debug_traceTransaction per transaction, each of which
// re-executes the block's earlier transactions.
func (f *Fetcher) BlockSelect(ctx context.Context, number *big.Int, keep func(common.Hash) bool) ([]*Tx, error) {
	if number == nil {
		var head hexutil.Big
		if err := f.rpc.CallContext(ctx, &head, "eth_blockNumber"); err != nil {
			return nil, fmt.Errorf("eth_blockNumber: %w", err)
		}
		number = (*big.Int)(&head)
	}
	arg := blockArg(number)
	var (
		blk      *rpcBlock
		receipts []*rpcReceipt
		traces   []traceResult
	)
	batch := []rpc.BatchElem{
		{Method: "eth_getBlockByNumber", Args: []any{arg, true}, Result: &blk},
		{Method: "eth_getBlockReceipts", Args: []any{arg}, Result: &receipts},
	}
	withTrace := !f.noDebug.Load()
	if withTrace {
		batch = append(batch, rpc.BatchElem{Method: "debug_traceBlockByNumber", Args: []any{arg, callTracerConfig()}, Result: &traces})
	}
	if err := f.rpc.BatchCallContext(ctx, batch); err != nil {
		return nil, fmt.Errorf("block %s: batch eth_getBlockByNumber/eth_getBlockReceipts/debug_traceBlockByNumber: %w", arg, err)
	}
	for _, e := range batch[:2] {
		if e.Error != nil {
			return nil, fmt.Errorf("block %s: %s: %w", arg, e.Method, e.Error)
		}
	}
	if blk == nil {
		return nil, fmt.Errorf("block %s: eth_getBlockByNumber: %w", arg, ErrNotFound)
	}
	if len(receipts) != len(blk.Transactions) {
		return nil, fmt.Errorf("block %s: eth_getBlockReceipts returned %d receipts for %d transactions", arg, len(receipts), len(blk.Transactions))
	}
	for i, r := range receipts {
		if r == nil || r.BlockHash != blk.Hash || r.TxHash != blk.Transactions[i].Hash {
			return nil, fmt.Errorf("block %s: eth_getBlockReceipts: receipt %d does not match block %s (reorg?)", arg, i, blk.Hash)
		}
	}
	if withTrace {
		if err := batch[2].Error; err != nil {
			if !IsMethodNotFound(err) {
				return nil, fmt.Errorf("block %s: debug_traceBlockByNumber: %w", arg, err)
			}
			f.fallback("debug_traceBlockByNumber", err)
			traces, withTrace = nil, false
		} else if len(traces) != len(blk.Transactions) {
			return nil, fmt.Errorf("block %s: debug_traceBlockByNumber returned %d traces for %d transactions", arg, len(traces), len(blk.Transactions))
		}
	}
	out := make([]*Tx, 0, len(blk.Transactions))
	for i := range blk.Transactions {
		t := &blk.Transactions[i]
		if keep != nil && !keep(t.Hash) {
			continue
		}
		meta := metaFor(t, receipts[i], &blk.rpcHeader)
		if !withTrace || traces[i].Error != "" || len(traces[i].Result) == 0 {
			out = append(out, FromReceipt(meta, t.Input, f.dec))
			continue
		}
		if traces[i].TxHash != (common.Hash{}) && traces[i].TxHash != t.Hash {
			return nil, fmt.Errorf("block %s: debug_traceBlockByNumber: trace %d is for %s, want %s", arg, i, traces[i].TxHash, t.Hash)
		}
		tx, err := FromCallTrace(traces[i].Result, meta, f.dec)
		if err != nil {
			return nil, fmt.Errorf("block %s: debug_traceBlockByNumber: tx %s: %w", arg, t.Hash, err)
		}
		out = append(out, tx)
	}
	if err := f.resolve(ctx, out...); err != nil {
		return nil, err
	}
	return out, nil
}

// Transaction fetches one mined transaction with its receipt, block header
// and call trace (eth_getTransactionByHash, eth_getTransactionReceipt and
// debug_traceTransaction in one batch, then eth_getBlockByNumber). It
// returns ErrNotMined for a known pending transaction.
func (f *Fetcher) Transaction(ctx context.Context, hash common.Hash) (*Tx, error) {
	var (
		t     *rpcTx
		r     *rpcReceipt
		trace json.RawMessage
	)
	batch := []rpc.BatchElem{
		{Method: "eth_getTransactionByHash", Args: []any{hash}, Result: &t},
		{Method: "eth_getTransactionReceipt", Args: []any{hash}, Result: &r},
	}
	withTrace := !f.noDebug.Load()
	if withTrace {
		batch = append(batch, rpc.BatchElem{Method: "debug_traceTransaction", Args: []any{hash, callTracerConfig()}, Result: &trace})
	}
	if err := f.rpc.BatchCallContext(ctx, batch); err != nil {
		return nil, fmt.Errorf("tx %s: batch eth_getTransactionByHash/eth_getTransactionReceipt/debug_traceTransaction: %w", hash, err)
	}
	for _, e := range batch[:2] {
		if e.Error != nil {
			return nil, fmt.Errorf("tx %s: %s: %w", hash, e.Method, e.Error)
		}
	}
	if t == nil {
		return nil, fmt.Errorf("tx %s: eth_getTransactionByHash: %w", hash, ErrNotFound)
	}
	if r == nil {
		return nil, fmt.Errorf("tx %s: eth_getTransactionReceipt: %w", hash, ErrNotMined)
	}
	var blk *rpcHeader
	if err := f.rpc.CallContext(ctx, &blk, "eth_getBlockByHash", r.BlockHash, false); err != nil {
		return nil, fmt.Errorf("tx %s: eth_getBlockByHash: %w", hash, err)
	}
	if blk == nil {
		return nil, fmt.Errorf("tx %s: eth_getBlockByHash %s: %w", hash, r.BlockHash, ErrNotFound)
	}
	meta := metaFor(t, r, blk)
	if withTrace {
		if err := batch[2].Error; err != nil {
			if !IsMethodNotFound(err) {
				return nil, fmt.Errorf("tx %s: debug_traceTransaction: %w", hash, err)
			}
			f.fallback("debug_traceTransaction", err)
			withTrace = false
		}
	}
	var tx *Tx
	if withTrace {
		var err error
		if tx, err = FromCallTrace(trace, meta, f.dec); err != nil {
			return nil, fmt.Errorf("tx %s: debug_traceTransaction: %w", hash, err)
		}
	} else {
		tx = FromReceipt(meta, t.Input, f.dec)
	}
	if err := f.resolve(ctx, tx); err != nil {
		return nil, err
	}
	return tx, nil
}

// Pending simulates a pending (not yet mined) transaction with
// debug_traceCall (callTracer, withLog) on top of the chain head and
// returns it with Stage pending. It passes the transaction's from, to,
// value, input, gas, access list and EIP-7702 authorizations but no gas
// price, so the sender's fee balance is not checked.
//
// The Fetcher first asks for the "pending" block. geth (and so the
// devnet) refuses to trace on top of pending ("tracing on top of pending is
// not supported"); the Fetcher then traces on "latest" with block
// overrides for the next block's number and timestamp (latest + 1) and
// remembers the choice. Anvil accepts "pending".
func (f *Fetcher) Pending(ctx context.Context, tx *types.Transaction) (*Tx, error) {
	from, err := types.Sender(types.LatestSignerForChainID(tx.ChainId()), tx)
	if err != nil {
		return nil, fmt.Errorf("pending tx %s: sender: %w", tx.Hash(), err)
	}
	args := map[string]any{
		"from":  from,
		"value": (*hexutil.Big)(tx.Value()),
		"input": hexutil.Bytes(tx.Data()),
		"gas":   hexutil.Uint64(tx.Gas()),
	}
	if tx.To() != nil {
		args["to"] = tx.To()
	}
	if al := tx.AccessList(); len(al) > 0 {
		args["accessList"] = al
	}
	if auths := tx.SetCodeAuthorizations(); len(auths) > 0 {
		args["authorizationList"] = auths
	}
	if tx.ChainId() != nil && tx.ChainId().Sign() > 0 {
		args["chainId"] = (*hexutil.Big)(tx.ChainId())
	}
	// Simulate on top of the latest block, as the next block. Not on the
	// node's "pending" block: geth refuses to trace it, and Anvil's pending
	// block already contains the transaction itself, which would then be
	// replayed on top of its own effects.
	//
	// debug_traceCall ignores the nonce, so a transaction mined between its
	// announcement and now would be replayed on top of its own effects (a
	// second withdrawal of the same deposit, a payment the sender can no
	// longer afford): the sender's nonce is read in the same batch as the
	// head, one round trip on the pending path. Both read "latest"; if the
	// head moved in between, the nonce is the newer one, which can only
	// report a mined transaction sooner.
	var head *struct {
		Hash      common.Hash    `json:"hash"`
		Number    hexutil.Uint64 `json:"number"`
		Timestamp hexutil.Uint64 `json:"timestamp"`
	}
	var nonce hexutil.Uint64
	batch := []rpc.BatchElem{
		{Method: "eth_getBlockByNumber", Args: []any{"latest", false}, Result: &head},
		{Method: "eth_getTransactionCount", Args: []any{from, "latest"}, Result: &nonce},
	}
	if err := f.rpc.BatchCallContext(ctx, batch); err != nil {
		return nil, fmt.Errorf("pending tx %s: eth_getBlockByNumber/eth_getTransactionCount batch: %w", tx.Hash(), err)
	}
	if err := batch[0].Error; err != nil {
		return nil, fmt.Errorf("pending tx %s: eth_getBlockByNumber latest: %w", tx.Hash(), err)
	}
	if head == nil {
		return nil, fmt.Errorf("pending tx %s: eth_getBlockByNumber latest: %w", tx.Hash(), ErrNotFound)
	}
	if err := batch[1].Error; err != nil {
		return nil, fmt.Errorf("pending tx %s: eth_getTransactionCount: %w", tx.Hash(), err)
	}
	if uint64(nonce) > tx.Nonce() {
		return nil, fmt.Errorf("pending tx %s (nonce %d, sender at %d in block %d): %w", tx.Hash(), tx.Nonce(), uint64(nonce), uint64(head.Number), ErrNonceUsed)
	}
	cfg := callTracerConfig()
	cfg["blockOverrides"] = map[string]any{"number": head.Number + 1, "time": head.Timestamp + 1}
	var trace json.RawMessage
	if err := f.rpc.CallContext(ctx, &trace, "debug_traceCall", args, head.Hash, cfg); err != nil {
		return nil, fmt.Errorf("pending tx %s: debug_traceCall: %w", tx.Hash(), err)
	}
	meta := NewTxMeta(tx, from, nil, nil)
	out, err := FromCallTrace(trace, meta, f.dec)
	if err != nil {
		return nil, fmt.Errorf("pending tx %s: debug_traceCall: %w", tx.Hash(), err)
	}
	if err := f.resolve(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// fallback records that the node lacks the debug API and logs it once.
func (f *Fetcher) fallback(method string, err error) {
	f.noDebug.Store(true)
	f.warnOnce.Do(func() {
		f.logger.Warn("txmodel: node has no debug tracing API; building transactions from receipts only (no call trees, partial ETH balance changes)",
			"method", method, "err", err)
	})
}

// resolve fills pool tokens when a TokenResolver is configured.
func (f *Fetcher) resolve(ctx context.Context, txs ...*Tx) error {
	if f.tokens == nil {
		return nil
	}
	return ResolvePoolTokens(ctx, f.tokens, txs...)
}

// IsMethodNotFound reports whether err says the JSON-RPC method does not
// exist (code -32601 or a node's equivalent message).
func IsMethodNotFound(err error) bool {
	var re rpc.Error
	if errors.As(err, &re) && re.ErrorCode() == -32601 {
		return true
	}
	msg := strings.ToLower(err.Error())
	return strings.Contains(msg, "method not found") || strings.Contains(msg, "does not exist/is not available") ||
		strings.Contains(msg, "unknown method") || strings.Contains(msg, "method not supported")
}
