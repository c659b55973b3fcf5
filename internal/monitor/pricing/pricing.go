// Package pricing values assets in ETH for the monitor's detectors, from the
// reserves of WETH-paired Uniswap-V2-style pools.
//
// A Pricer knows a set of ETH-equivalent tokens (WETH contracts, valued 1:1)
// and the last reserves of the pools that pair a token with one of them. It
// learns both from mined transactions (Observe): WETH contracts from decoded
// WETH Deposit/Withdrawal events, pool reserves from the transaction's pool
// moves. Valuation always uses state from before the transaction being
// inspected: ForTx returns a view in which every pool the transaction moved
// is valued at its reserves before the transaction, so a price manipulated
// inside the transaction never inflates the valuation of what it moved.
package pricing

import (
	"math"
	"math/big"
	"sync"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/monitor/detect"
	"github.com/aegis-defi/aegis/internal/txmodel"
)

// DefaultMinLiquidityETH is the default Config.MinLiquidityETH.
const DefaultMinLiquidityETH = 1.0

// Pool is a Uniswap-V2-style pool's tokens and reserves.
type Pool struct {
	Address        common.Address
	Token0, Token1 common.Address
	Reserve0       *big.Int
	Reserve1       *big.Int
}

// Config configures a Pricer.
type Config struct {
	// WETH lists the ETH-equivalent tokens, valued 1:1 with ETH.
	WETH []common.Address
	// Pools are initial pool states (more are learned by Observe).
	Pools []Pool
	// MinLiquidityETH ignores pools holding less WETH than this (in ETH):
	// a shallow pool's price is too easy to move to be trusted. Default
	// DefaultMinLiquidityETH; negative means no minimum.
	MinLiquidityETH float64
}

// Pricer values assets in ETH. It is safe for concurrent use.
type Pricer struct {
	mu      sync.RWMutex
	minLiq  float64
	weth    map[common.Address]bool
	pools   map[common.Address]Pool
	byToken map[common.Address][]common.Address // token → pools pairing it with WETH
}

var _ detect.Pricer = (*Pricer)(nil)

// New returns a Pricer for cfg.
func New(cfg Config) *Pricer {
	p := &Pricer{
		minLiq:  cfg.MinLiquidityETH,
		weth:    map[common.Address]bool{},
		pools:   map[common.Address]Pool{},
		byToken: map[common.Address][]common.Address{},
	}
	if p.minLiq == 0 {
		p.minLiq = DefaultMinLiquidityETH
	}
	for _, w := range cfg.WETH {
		p.weth[w] = true
	}
	for _, pl := range cfg.Pools {
		p.setPool(pl)
	}
	return p
}

// AddWETH registers an ETH-equivalent token.
func (p *Pricer) AddWETH(token common.Address) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.weth[token] = true
	p.reindex()
}

// SetPool records a pool's tokens and current reserves.
func (p *Pricer) SetPool(pool Pool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.setPool(pool)
}

func (p *Pricer) setPool(pool Pool) {
	if pool.Reserve0 == nil || pool.Reserve1 == nil {
		return
	}
	_, known := p.pools[pool.Address]
	p.pools[pool.Address] = pool
	if !known {
		p.index(pool)
	}
}

// index adds pool to byToken when it pairs a token with WETH.
func (p *Pricer) index(pool Pool) {
	switch {
	case p.weth[pool.Token0] && !p.weth[pool.Token1]:
		p.byToken[pool.Token1] = append(p.byToken[pool.Token1], pool.Address)
	case p.weth[pool.Token1] && !p.weth[pool.Token0]:
		p.byToken[pool.Token0] = append(p.byToken[pool.Token0], pool.Address)
	}
}

func (p *Pricer) reindex() {
	p.byToken = map[common.Address][]common.Address{}
	for _, pl := range p.pools {
		p.index(pl)
	}
}

// Observe learns from a mined, successful transaction: the WETH contracts
// it reveals (decoded WETH Deposit/Withdrawal events) and the reserves
// after it of every V2 pool it moved whose tokens are known. Call it after
// the detectors inspected the transaction. Pending and reverted
// transactions are ignored.
func (p *Pricer) Observe(tx *txmodel.Tx) {
	if tx == nil || tx.Stage != txmodel.StageMined || tx.Reverted() {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	changed := false
	for _, w := range wethOf(tx) {
		if !p.weth[w] {
			p.weth[w] = true
			changed = true
		}
	}
	if changed {
		p.reindex()
	}
	for i := range tx.Pools {
		m := &tx.Pools[i]
		if m.Protocol != txmodel.ProtocolUniswapV2 || m.Token0 == nil || m.Token1 == nil ||
			m.Reserve0After == nil || m.Reserve1After == nil {
			continue
		}
		p.setPool(Pool{Address: m.Pool, Token0: *m.Token0, Token1: *m.Token1,
			Reserve0: new(big.Int).Set(m.Reserve0After), Reserve1: new(big.Int).Set(m.Reserve1After)})
	}
}

// wethOf returns the contracts that emitted decoded WETH events in tx.
func wethOf(tx *txmodel.Tx) []common.Address {
	var out []common.Address
	for _, l := range tx.Logs {
		if l.Kind == txmodel.KindWETHDeposit || l.Kind == txmodel.KindWETHWithdrawal {
			out = append(out, l.Address)
		}
	}
	return out
}

// IsWETH reports whether token is a known ETH-equivalent token.
func (p *Pricer) IsWETH(token common.Address) bool {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.weth[token]
}

// ETHValue implements detect.Pricer with the last observed reserves.
func (p *Pricer) ETHValue(asset common.Address, amount *big.Int) (float64, bool) {
	return p.value(asset, amount, nil, nil)
}

// ForTx returns a pricer for inspecting tx: pools tx moved are valued at
// their reserves before tx (and, when those are unknown, not used at all
// unless an older state was observed), and WETH contracts revealed by tx
// are valued 1:1. The view does not change p.
func (p *Pricer) ForTx(tx *txmodel.Tx) detect.Pricer {
	v := &txView{p: p, over: map[common.Address]*Pool{}, weth: map[common.Address]bool{}}
	if tx == nil {
		return v
	}
	for _, w := range wethOf(tx) {
		v.weth[w] = true
	}
	for i := range tx.Pools {
		m := &tx.Pools[i]
		if m.Protocol != txmodel.ProtocolUniswapV2 || m.Token0 == nil || m.Token1 == nil {
			continue
		}
		if m.Reserve0Before == nil || m.Reserve1Before == nil {
			v.over[m.Pool] = nil // unknown before: use stored state only
			continue
		}
		v.over[m.Pool] = &Pool{Address: m.Pool, Token0: *m.Token0, Token1: *m.Token1,
			Reserve0: m.Reserve0Before, Reserve1: m.Reserve1Before}
	}
	return v
}

// txView is the per-transaction view returned by ForTx.
type txView struct {
	p    *Pricer
	over map[common.Address]*Pool
	weth map[common.Address]bool
}

// ETHValue implements detect.Pricer.
func (v *txView) ETHValue(asset common.Address, amount *big.Int) (float64, bool) {
	return v.p.value(asset, amount, v.over, v.weth)
}

// value prices amount of asset; over replaces (or, when nil, removes
// unless stored) pool states, extraWETH adds ETH-equivalent tokens.
func (p *Pricer) value(asset common.Address, amount *big.Int, over map[common.Address]*Pool, extraWETH map[common.Address]bool) (float64, bool) {
	if amount == nil {
		return 0, false
	}
	amt, _ := new(big.Float).SetInt(amount).Float64()
	if asset == (common.Address{}) {
		return amt / 1e18, true
	}
	p.mu.RLock()
	defer p.mu.RUnlock()
	isWETH := func(a common.Address) bool { return p.weth[a] || extraWETH[a] }
	if isWETH(asset) {
		return amt / 1e18, true
	}
	candidates := map[common.Address]Pool{}
	for _, addr := range p.byToken[asset] {
		candidates[addr] = p.pools[addr]
	}
	for addr, pl := range over {
		if pl == nil {
			continue // keep the stored state, if any
		}
		if (pl.Token0 == asset && isWETH(pl.Token1)) || (pl.Token1 == asset && isWETH(pl.Token0)) {
			candidates[addr] = *pl
		}
	}
	best, price := -1.0, 0.0
	for _, pl := range candidates {
		var rw, rt *big.Int
		switch {
		case pl.Token0 == asset && isWETH(pl.Token1):
			rt, rw = pl.Reserve0, pl.Reserve1
		case pl.Token1 == asset && isWETH(pl.Token0):
			rw, rt = pl.Reserve0, pl.Reserve1
		default:
			continue
		}
		if rw == nil || rt == nil || rt.Sign() <= 0 || rw.Sign() <= 0 {
			continue
		}
		w, _ := new(big.Float).SetInt(rw).Float64()
		t, _ := new(big.Float).SetInt(rt).Float64()
		if p.minLiq > 0 && w/1e18 < p.minLiq {
			continue
		}
		if w > best {
			best, price = w, w/t
		}
	}
	if best < 0 {
		return 0, false
	}
	out := amt * price / 1e18
	if math.IsNaN(out) || math.IsInf(out, 0) {
		return 0, false
	}
	return out, true
}
