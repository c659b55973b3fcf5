// Package txmodel is aegis's one normalized transaction model, shared by the
// monitor, the guard, the risk engine and the trace viewer.
//
// A Tx is built from a geth callTracer trace (with logs) plus the
// transaction's and receipt's metadata (FromCallTrace), or fetched over
// JSON-RPC by a Fetcher (a whole block in one batched round trip, one mined
// transaction, or a pending transaction simulated with debug_traceCall). It
// carries:
//
//   - the call tree (Call), with function and revert reasons decoded from the
//     built-in signature database (internal/sigdb) and user ABIs;
//   - every log of non-reverted frames in execution order (Log), named and,
//     for the well-known events (ERC-20/721, WETH, Uniswap V2/V3, flash
//     loans, access control, proxies, pausing, governance), decoded into
//     typed views without reflection;
//   - net balance changes per (address, asset) in ETH and ERC-20 tokens
//     (BalanceChange), gas fees excluded;
//   - per-pool price trajectories of Uniswap-V2/V3-style pools (PoolMove),
//     so a price pushed and restored within one transaction is visible.
//
// Everything is JSON-serialisable with snake_case keys; big integers are
// encoded as JSON numbers of arbitrary precision (encoding/json's *big.Int
// encoding), hashes, addresses and byte strings as 0x-prefixed hex.
package txmodel

import (
	"encoding/hex"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
)

// Stage says whether a transaction was observed in the mempool or mined.
type Stage string

// The two stages.
const (
	// StagePending is a transaction simulated on top of the chain head
	// before it was mined (Fetcher.Pending).
	StagePending Stage = "pending"
	// StageMined is a transaction included in a block.
	StageMined Stage = "mined"
)

// Status is a transaction's (or call frame's) outcome.
type Status string

// The two outcomes.
const (
	// StatusSuccess means the top-level call did not revert.
	StatusSuccess Status = "success"
	// StatusReverted means the top-level call reverted (or failed): none of
	// its state changes, logs or value transfers took effect.
	StatusReverted Status = "reverted"
)

// Selector is a 4-byte function (or custom error) selector. It is encoded
// as 0x-prefixed hex in JSON; the zero value means "none" (empty calldata
// or plain ETH transfer).
type Selector [4]byte

// String returns the selector as 0x-prefixed hex.
func (s Selector) String() string { return "0x" + hex.EncodeToString(s[:]) }

// IsZero reports whether s is the zero selector (used as "no selector").
func (s Selector) IsZero() bool { return s == Selector{} }

// MarshalText implements encoding.TextMarshaler.
func (s Selector) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Selector) UnmarshalText(b []byte) error {
	raw, err := hexutil.Decode(string(b))
	if err != nil {
		return fmt.Errorf("selector %q: %w", b, err)
	}
	if len(raw) != 4 {
		return fmt.Errorf("selector %q: want 4 bytes, got %d", b, len(raw))
	}
	copy(s[:], raw)
	return nil
}

// Tx is one normalized transaction.
type Tx struct {
	// Hash is the transaction hash.
	Hash common.Hash `json:"hash"`
	// ChainID is the chain id (nil when unknown).
	ChainID *big.Int `json:"chain_id,omitempty"`
	// Stage is pending (simulated from the mempool) or mined.
	Stage Stage `json:"stage"`
	// Partial is true when the node served no call trace and the Tx was
	// built from the receipt alone: Root is a single frame without
	// children, Logs are the receipt's logs, and ETH balance changes only
	// reflect the top-level value.
	Partial bool `json:"partial,omitempty"`

	// BlockNumber, BlockHash and BlockTime locate a mined transaction; they
	// are nil / zero for pending ones.
	BlockNumber *uint64      `json:"block_number,omitempty"`
	BlockHash   *common.Hash `json:"block_hash,omitempty"`
	BlockTime   uint64       `json:"block_time,omitempty"`
	// Index is the position in the block (0 when pending).
	Index uint `json:"index"`

	// From is the sender.
	From common.Address `json:"from"`
	// To is the recipient; nil for contract creations.
	To *common.Address `json:"to,omitempty"`
	// ContractAddress is the contract a creation transaction created.
	ContractAddress *common.Address `json:"contract_address,omitempty"`
	// Value is the ETH value of the transaction in wei.
	Value *big.Int `json:"value"`
	// Nonce is the sender's nonce.
	Nonce uint64 `json:"nonce"`
	// GasLimit is the transaction's gas limit; GasUsed the gas it used
	// (from the receipt when mined, from the trace when pending).
	GasLimit uint64 `json:"gas_limit"`
	GasUsed  uint64 `json:"gas_used"`
	// EffectiveGasPrice is the price per gas paid (receipt); EffectiveTip
	// the part of it above the block's base fee. Both nil when pending.
	EffectiveGasPrice *big.Int `json:"effective_gas_price,omitempty"`
	EffectiveTip      *big.Int `json:"effective_tip,omitempty"`
	// Fee is GasUsed × EffectiveGasPrice, the ETH the sender paid for gas
	// (nil when pending). It is not part of Balances.
	Fee *big.Int `json:"fee,omitempty"`

	// Status is success or reverted; RevertReason the decoded reason of a
	// reverted transaction (Error(string), Panic(uint256), a custom error
	// from sigdb or a user ABI, or the raw data in hex).
	Status       Status `json:"status"`
	RevertReason string `json:"revert_reason,omitempty"`

	// Selector is the top call's function selector (zero if none) and
	// Function its first candidate signature, e.g. "swap(uint256,...)".
	Selector Selector `json:"selector,omitzero"`
	Function string   `json:"function,omitempty"`

	// Root is the top-level call frame.
	Root *Call `json:"root"`
	// Logs are all logs of non-reverted frames, in execution order.
	Logs []*Log `json:"logs,omitempty"`
	// Balances are the net ETH and ERC-20 balance changes (see
	// BalanceChange), sorted by address then asset.
	Balances []BalanceChange `json:"balances,omitempty"`
	// Pools are the AMM pools whose reserves or price moved, in order of
	// first appearance.
	Pools []PoolMove `json:"pools,omitempty"`
	// Created are the contracts created by non-reverted CREATE/CREATE2
	// frames, in execution order.
	Created []common.Address `json:"created,omitempty"`
	// Touched are the distinct addresses called (every frame's To, the top
	// frame included), in order of first call.
	Touched []common.Address `json:"touched,omitempty"`
	// MaxDepth is the deepest frame's depth (0 for a call without
	// sub-calls).
	MaxDepth int `json:"max_depth"`
}

// Reverted reports whether the transaction reverted.
func (t *Tx) Reverted() bool { return t.Status == StatusReverted }

// Walk visits every call frame depth-first in execution order (see
// Call.Walk).
func (t *Tx) Walk(fn func(*Call) bool) {
	if t.Root != nil {
		t.Root.Walk(fn)
	}
}

// ReentrantFrames returns the frames that enter addr's code in addr's own
// context (CALL, STATICCALL, CREATE/CREATE2 to addr) while an ancestor frame
// is already executing in addr's context (see Call.Context): the
// re-entries, in execution order. It is empty when addr was never
// re-entered.
func (t *Tx) ReentrantFrames(addr common.Address) []*Call {
	var out []*Call
	t.Walk(func(c *Call) bool {
		if c.To != addr || c.Type == CallSelfDestruct || c.Type == CallDelegateCall || c.Type == CallCallCode {
			return true
		}
		for p := c.Parent; p != nil; p = p.Parent {
			if p.Context() == addr {
				out = append(out, c)
				break
			}
		}
		return true
	})
	return out
}

// Balance returns the net change of asset (the zero address for ETH) held
// by addr, or zero.
func (t *Tx) Balance(addr, asset common.Address) *big.Int {
	for _, b := range t.Balances {
		if b.Address == addr && b.Asset == asset {
			return new(big.Int).Set(b.Delta)
		}
	}
	return new(big.Int)
}

// Pool returns the move of pool, or nil.
func (t *Tx) Pool(pool common.Address) *PoolMove {
	for i := range t.Pools {
		if t.Pools[i].Pool == pool {
			return &t.Pools[i]
		}
	}
	return nil
}

// LogsOfKind returns the logs decoded as kind, in execution order.
func (t *Tx) LogsOfKind(kind Kind) []*Log {
	var out []*Log
	for _, l := range t.Logs {
		if l.Kind == kind {
			out = append(out, l)
		}
	}
	return out
}

// CallType is the kind of a call frame, as geth's callTracer names it.
type CallType string

// The call frame types.
const (
	CallCall         CallType = "CALL"
	CallDelegateCall CallType = "DELEGATECALL"
	CallStaticCall   CallType = "STATICCALL"
	CallCallCode     CallType = "CALLCODE"
	CallCreate       CallType = "CREATE"
	CallCreate2      CallType = "CREATE2"
	CallSelfDestruct CallType = "SELFDESTRUCT"
)

// IsCreate reports whether t creates a contract.
func (t CallType) IsCreate() bool { return t == CallCreate || t == CallCreate2 }

// TransfersValue reports whether a frame of type t moves its Value from
// From to To: CALL, CREATE, CREATE2 and SELFDESTRUCT do; DELEGATECALL and
// STATICCALL carry the caller's context value only, and CALLCODE sends the
// value back to the caller itself.
func (t CallType) TransfersValue() bool {
	return t == CallCall || t.IsCreate() || t == CallSelfDestruct
}

// Call is one call frame of the call tree.
type Call struct {
	// Type is the frame type (CALL, DELEGATECALL, CREATE, ...).
	Type CallType `json:"type"`
	// From is the caller; To the callee (the created contract for
	// CREATE/CREATE2, zero if the creation failed; the beneficiary for
	// SELFDESTRUCT, whose From is the destroyed contract).
	From common.Address `json:"from"`
	To   common.Address `json:"to"`
	// Value is the wei sent (nil when none).
	Value *big.Int `json:"value,omitempty"`
	// Gas is the gas available to the frame; GasUsed what it used.
	Gas     uint64 `json:"gas"`
	GasUsed uint64 `json:"gas_used"`
	// Input is the calldata (init code for creations); Output the return
	// data (revert data when the frame reverted).
	Input  hexutil.Bytes `json:"input,omitempty"`
	Output hexutil.Bytes `json:"output,omitempty"`
	// Selector is the first 4 bytes of Input (zero for creations and
	// inputs shorter than 4 bytes).
	Selector Selector `json:"selector,omitzero"`
	// Functions are the candidate signatures of Selector, user ABIs first.
	// The slice is shared between frames with the same selector: do not
	// modify it.
	Functions []string `json:"functions,omitempty"`
	// Error is the EVM error of a failed frame ("execution reverted",
	// "out of gas", ...); RevertReason the decoded revert data.
	Error        string `json:"error,omitempty"`
	RevertReason string `json:"revert_reason,omitempty"`
	// Depth is 0 for the top frame, 1 for its sub-calls, and so on.
	Depth int `json:"depth"`
	// Calls are the sub-calls in execution order.
	Calls []*Call `json:"calls,omitempty"`
	// Logs are the logs emitted directly by this frame. The logs of
	// reverted frames are kept here when the node reported them (geth does
	// not) but never appear in Tx.Logs.
	Logs []*Log `json:"logs,omitempty"`
	// Parent is the calling frame (nil for the top frame). It is not
	// serialised; Tx.UnmarshalJSON restores it.
	Parent *Call `json:"-"`
}

// Function returns the first candidate signature, or "".
func (c *Call) Function() string {
	if len(c.Functions) == 0 {
		return ""
	}
	return c.Functions[0]
}

// Context returns the address whose storage and balance the frame's code
// acts on: From for DELEGATECALL and CALLCODE (and SELFDESTRUCT, whose From
// is the destroyed contract), To otherwise.
func (c *Call) Context() common.Address {
	switch c.Type {
	case CallDelegateCall, CallCallCode, CallSelfDestruct:
		return c.From
	}
	return c.To
}

// Failed reports whether this frame itself failed (reverted, ran out of
// gas, ...).
func (c *Call) Failed() bool { return c.Error != "" }

// Reverted reports whether this frame or one of its ancestors failed, i.e.
// whether the frame's effects were undone.
func (c *Call) Reverted() bool {
	for f := c; f != nil; f = f.Parent {
		if f.Error != "" {
			return true
		}
	}
	return false
}

// Walk visits c and its descendants depth-first in execution order. If fn
// returns false the frame's children are skipped.
func (c *Call) Walk(fn func(*Call) bool) {
	if !fn(c) {
		return
	}
	for _, sub := range c.Calls {
		sub.Walk(fn)
	}
}

// BalanceChange is the net change of one asset held by one address over a
// transaction.
type BalanceChange struct {
	// Address is the holder.
	Address common.Address `json:"address"`
	// Asset is the ERC-20 token contract, or the zero address for ETH.
	Asset common.Address `json:"asset"`
	// Delta is the net change in the asset's smallest unit (never zero).
	Delta *big.Int `json:"delta"`
}

// ETH reports whether the change is in ETH.
func (b BalanceChange) ETH() bool { return b.Asset == (common.Address{}) }

// Protocol names an AMM pool family.
type Protocol string

// The pool families whose moves are tracked.
const (
	ProtocolUniswapV2 Protocol = "uniswap-v2"
	ProtocolUniswapV3 Protocol = "uniswap-v3"
)

// PoolMove is what one transaction did to one AMM pool. Prices are token1
// per token0 in raw units (no decimals adjustment): reserve1/reserve0 for
// V2, (sqrtPriceX96 / 2^96)^2 for V3.
//
// V2 reserves before the transaction are reconstructed from the first Sync
// and the Swap, Mint or Burn that follows it (the pair emits Sync first);
// they are nil when the first Sync stands alone (sync()). V3 pools report
// the price after each swap only: without state the price before is
// unknown, so ReserveXBefore/After and PriceBefore stay nil and PriceMin /
// PriceMax span the observed post-swap prices.
type PoolMove struct {
	// Pool is the pair/pool contract.
	Pool common.Address `json:"pool"`
	// Protocol is "uniswap-v2" or "uniswap-v3".
	Protocol Protocol `json:"protocol"`
	// Token0 and Token1 are the pool's tokens when a TokenResolver knew
	// them (nil otherwise).
	Token0 *common.Address `json:"token0,omitempty"`
	Token1 *common.Address `json:"token1,omitempty"`
	// Reserve0Before ... Reserve1After are the V2 reserves before the
	// first and after the last operation (nil when unknown).
	Reserve0Before *big.Int `json:"reserve0_before,omitempty"`
	Reserve1Before *big.Int `json:"reserve1_before,omitempty"`
	Reserve0After  *big.Int `json:"reserve0_after,omitempty"`
	Reserve1After  *big.Int `json:"reserve1_after,omitempty"`
	// SqrtPriceX96After and TickAfter are the V3 pool state after the last
	// swap.
	SqrtPriceX96After *big.Int `json:"sqrt_price_x96_after,omitempty"`
	TickAfter         *int64   `json:"tick_after,omitempty"`
	// PriceBefore is the price before the first operation (nil when
	// unknown); PriceAfter the price after the last one.
	PriceBefore *float64 `json:"price_before,omitempty"`
	PriceAfter  float64  `json:"price_after"`
	// PriceMin and PriceMax are the extremes over PriceBefore and every
	// intermediate price.
	PriceMin float64 `json:"price_min"`
	PriceMax float64 `json:"price_max"`
	// Prices is the trajectory: PriceBefore (when known) then the price
	// after each Sync (V2) or Swap (V3).
	Prices []float64 `json:"prices"`
	// Swaps, Mints and Burns count the pool's operations.
	Swaps int `json:"swaps"`
	Mints int `json:"mints,omitempty"`
	Burns int `json:"burns,omitempty"`
}

// MaxMove returns the largest relative excursion of the price from
// PriceBefore (PriceMax/PriceBefore or PriceBefore/PriceMin, whichever is
// larger), or 0 when PriceBefore is unknown or zero. A value ≥ 10 with
// PriceAfter ≈ PriceBefore is a price pushed and restored within the
// transaction.
func (p *PoolMove) MaxMove() float64 {
	if p.PriceBefore == nil || *p.PriceBefore <= 0 || p.PriceMin <= 0 {
		return 0
	}
	before := *p.PriceBefore
	return max(p.PriceMax/before, before/p.PriceMin)
}
