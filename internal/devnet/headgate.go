package devnet

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/eth"
	"github.com/ethereum/go-ethereum/rpc"
)

// headGateAPI overrides the eth_getTransactionReceipt and
// eth_getTransactionByHash methods so that a transaction is never reported
// mined in a block above the head that "latest" state reads use.
//
// geth seals a block by writing its transaction index to the database and
// only then moving the in-memory head (core.BlockChain.writeHeadBlock). A
// client that polls for a receipt while a block is being sealed can get it in
// that window and then read "latest" state that lacks the transaction: an
// eth_call right after the receipt sees the old state. On a loaded machine
// the sealing goroutine can be descheduled inside the window for
// milliseconds, which made state reads after receipts flaky. The gate forwards
// to geth's own implementation and, when the reported block is above the
// head, waits for the in-flight seal (mineMu) to finish before answering.
type headGateAPI struct {
	chain  *core.BlockChain
	mineMu *sync.Mutex
	inner  *rpc.Client
}

// newHeadGate returns the gate over geth's eth namespace of backend, served
// by a private in-process RPC server that the returned (idempotent) func stops; mineMu is
// the lock block sealing holds.
func newHeadGate(backend *eth.Ethereum, mineMu *sync.Mutex) (*headGateAPI, func(), error) {
	srv := rpc.NewServer()
	for _, api := range backend.APIs() {
		if api.Namespace != "eth" {
			continue
		}
		if err := srv.RegisterName(api.Namespace, api.Service); err != nil {
			srv.Stop()
			return nil, nil, fmt.Errorf("devnet: register eth API for the head gate: %w", err)
		}
	}
	inner := rpc.DialInProc(srv)
	var once sync.Once
	stop := func() { once.Do(func() { inner.Close(); srv.Stop() }) }
	return &headGateAPI{chain: backend.BlockChain(), mineMu: mineMu, inner: inner}, stop, nil
}

// GetTransactionReceipt is eth_getTransactionReceipt, gated on the head.
func (g *headGateAPI) GetTransactionReceipt(ctx context.Context, hash common.Hash) (json.RawMessage, error) {
	return g.gated(ctx, "eth_getTransactionReceipt", hash)
}

// GetTransactionByHash is eth_getTransactionByHash, gated on the head.
func (g *headGateAPI) GetTransactionByHash(ctx context.Context, hash common.Hash) (json.RawMessage, error) {
	return g.gated(ctx, "eth_getTransactionByHash", hash)
}

// gated calls method on geth's implementation and returns its answer once
// the block it names (if any) is at or below the head. A block still above
// the head after the in-flight seal finished (a reorg dropped it) is
// answered as not found, like geth answers for an unknown transaction.
func (g *headGateAPI) gated(ctx context.Context, method string, hash common.Hash) (json.RawMessage, error) {
	var raw json.RawMessage
	if err := g.inner.CallContext(ctx, &raw, method, hash); err != nil {
		return nil, err
	}
	var loc struct {
		BlockNumber *hexutil.Uint64 `json:"blockNumber"`
	}
	if len(raw) == 0 || string(raw) == "null" || json.Unmarshal(raw, &loc) != nil || loc.BlockNumber == nil {
		return raw, nil
	}
	if g.headAtLeast(uint64(*loc.BlockNumber)) {
		return raw, nil
	}
	// The block is being sealed: the seal holds mineMu until the head moved.
	g.mineMu.Lock()
	sealed := g.headAtLeast(uint64(*loc.BlockNumber))
	g.mineMu.Unlock()
	if sealed {
		return raw, nil
	}
	return nil, nil
}

// headAtLeast reports whether the head "latest" reads use is at or above num.
func (g *headGateAPI) headAtLeast(num uint64) bool {
	head := g.chain.CurrentBlock()
	return head != nil && head.Number.Uint64() >= num
}
