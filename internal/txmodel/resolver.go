package txmodel

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
)

// TokenResolver names the two tokens of an AMM pool.
type TokenResolver interface {
	// PoolTokens returns pool's token0 and token1; ok is false when pool
	// does not answer token0()/token1() (the result should then be
	// cached as unknown too, unless pool has no code yet: a pending
	// transaction may be about to create it).
	PoolTokens(ctx context.Context, pool common.Address) (token0, token1 common.Address, ok bool, err error)
}

// ResolvePoolTokens fills Token0/Token1 of every PoolMove of txs that r
// knows.
func ResolvePoolTokens(ctx context.Context, r TokenResolver, txs ...*Tx) error {
	for _, tx := range txs {
		if tx == nil {
			continue
		}
		for i := range tx.Pools {
			p := &tx.Pools[i]
			if p.Token0 != nil {
				continue
			}
			t0, t1, ok, err := r.PoolTokens(ctx, p.Pool)
			if err != nil {
				return fmt.Errorf("resolve tokens of pool %s: %w", p.Pool, err)
			}
			if ok {
				p.Token0, p.Token1 = &t0, &t1
			}
		}
	}
	return nil
}

// RPCTokenResolver is a TokenResolver that calls token0() and token1() on
// the pool with eth_call (one batch, with eth_getCode) and caches the
// answers forever: a pair's tokens never change. "Not a pool" is cached
// only when the address holds code that answered without a transient
// error: an address with no code at the latest block may be a pool a
// pending transaction is about to create (the pending pass resolves the
// pools of transactions not yet mined), and caching that answer would hide
// the pool's reserves from the pricer for the monitor's lifetime. It is
// safe for concurrent use.
type RPCTokenResolver struct {
	rpc   *rpc.Client
	mu    sync.Mutex
	cache map[common.Address]poolTokens
}

type poolTokens struct {
	t0, t1 common.Address
	ok     bool
}

// NewRPCTokenResolver returns an RPCTokenResolver over c.
func NewRPCTokenResolver(c *rpc.Client) *RPCTokenResolver {
	return &RPCTokenResolver{rpc: c, cache: map[common.Address]poolTokens{}}
}

// Calldata of token0() and token1().
const (
	token0Call = "0x0dfe1681"
	token1Call = "0xd21220a7"
)

// PoolTokens implements TokenResolver.
func (r *RPCTokenResolver) PoolTokens(ctx context.Context, pool common.Address) (common.Address, common.Address, bool, error) {
	r.mu.Lock()
	pt, hit := r.cache[pool]
	r.mu.Unlock()
	if hit {
		return pt.t0, pt.t1, pt.ok, nil
	}
	var out0, out1, code hexutil.Bytes
	batch := []rpc.BatchElem{
		{Method: "eth_call", Args: []any{map[string]any{"to": pool, "input": token0Call}, "latest"}, Result: &out0},
		{Method: "eth_call", Args: []any{map[string]any{"to": pool, "input": token1Call}, "latest"}, Result: &out1},
		{Method: "eth_getCode", Args: []any{pool, "latest"}, Result: &code},
	}
	if err := r.rpc.BatchCallContext(ctx, batch); err != nil {
		return common.Address{}, common.Address{}, false, fmt.Errorf("eth_call token0()/token1(): %w", err)
	}
	pt = poolTokens{}
	if batch[0].Error == nil && batch[1].Error == nil && len(out0) == 32 && len(out1) == 32 {
		a0, ok0 := hashAddr(common.BytesToHash(out0))
		a1, ok1 := hashAddr(common.BytesToHash(out1))
		pt = poolTokens{t0: a0, t1: a1, ok: ok0 && ok1}
	}
	if pt.ok || (batch[2].Error == nil && len(code) > 0 && definite(batch[0].Error) && definite(batch[1].Error)) {
		r.mu.Lock()
		r.cache[pool] = pt
		r.mu.Unlock()
	}
	return pt.t0, pt.t1, pt.ok, nil
}

// definite reports whether an eth_call's outcome is an answer about the
// contract (success or a revert) rather than a transient failure.
func definite(err error) bool {
	if err == nil {
		return true
	}
	var de rpc.DataError
	if errors.As(err, &de) {
		return true // a revert carries its data
	}
	return strings.Contains(strings.ToLower(err.Error()), "revert")
}
