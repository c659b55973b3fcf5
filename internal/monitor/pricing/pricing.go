// Package pricing values assets in ETH for the monitor's detectors, from the
// reserves of Uniswap-V2-style pools.
//
// A Pricer knows a numeraire set — ETH-equivalent tokens (WETH contracts,
// valued 1:1) and any configured token with a fixed ETH value (a USD
// stablecoin at a configured rate, say) — and the last reserves of every
// pool it saw. A token is valued along the pool graph: the path of at most
// MaxHops pools to a numeraire whose thinnest pool holds the most value
// (liquidity-weighted: a deep route beats a shallow direct pool). It learns
// from mined transactions (Observe): WETH contracts from decoded WETH
// Deposit/Withdrawal events, pool reserves from the transaction's pool
// moves. A token with no route has no price; detectors then reason in
// relative units (shares of holdings and reserves). Valuation always uses state from before the transaction being
// inspected: ForTx returns a view in which every pool the transaction moved
// is valued at its reserves before the transaction, so a price manipulated
// inside the transaction never inflates the valuation of what it moved.
package pricing

import (
	"math"
	"math/big"
	"slices"
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

// DefaultMaxHops is the default Config.MaxHops.
const DefaultMaxHops = 3

// Numeraire is a token with a fixed value, a root of the pool graph.
type Numeraire struct {
	Token common.Address
	// ETH is the value in ETH of one whole token (10^Decimals units).
	ETH      float64
	Decimals uint8
}

// USDToken is a USD stablecoin: a root of the pool graph worth one US
// dollar per whole token, valued in ETH at the ETH/USD rate of the
// deepest pool pairing a known stablecoin with WETH.
type USDToken struct {
	Token    common.Address
	Decimals uint8
}

// MainnetUSD are the default USD stablecoins on Ethereum mainnet (chain
// id 1): USDC, USDT and DAI. SetChain adds them on chain 1.
var MainnetUSD = []USDToken{
	{Token: common.HexToAddress("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"), Decimals: 6},  // USDC
	{Token: common.HexToAddress("0xdAC17F958D2ee523a2206206994597C13D831ec7"), Decimals: 6},  // USDT
	{Token: common.HexToAddress("0x6B175474E89094C44Da98b954EedA270cA0c3fa8"), Decimals: 18}, // DAI
}

// Config configures a Pricer.
type Config struct {
	// USD lists USD stablecoins (see USDToken); SetChain(1) adds
	// MainnetUSD.
	USD []USDToken
	// USDPerETH is the fixed ETH/USD rate (USD per ETH) the stablecoins
	// are valued at when no pool pairs one with WETH; 0 means none (a
	// stablecoin is then valued only along the pool graph).
	USDPerETH float64
	// WETH lists the ETH-equivalent tokens, valued 1:1 with ETH.
	WETH []common.Address
	// Numeraires are further roots of the pool graph with a fixed value.
	Numeraires []Numeraire
	// MaxHops bounds the pools on a valuation route (default
	// DefaultMaxHops).
	MaxHops int
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
	hops    int
	fixed   map[common.Address]float64 // numeraire → ETH per raw unit
	usd     map[common.Address]float64 // USD stablecoin → USD per raw unit
	usdETH  float64                    // fallback USD per ETH, 0 = none
	weth    map[common.Address]bool
	pools   map[common.Address]Pool
	byToken map[common.Address][]common.Address // token → pools pairing it with WETH
}

var _ detect.Pricer = (*Pricer)(nil)

// New returns a Pricer for cfg.
func New(cfg Config) *Pricer {
	p := &Pricer{
		minLiq:  cfg.MinLiquidityETH,
		hops:    cfg.MaxHops,
		fixed:   map[common.Address]float64{},
		usd:     map[common.Address]float64{},
		usdETH:  cfg.USDPerETH,
		weth:    map[common.Address]bool{},
		pools:   map[common.Address]Pool{},
		byToken: map[common.Address][]common.Address{},
	}
	if p.minLiq == 0 {
		p.minLiq = DefaultMinLiquidityETH
	}
	if p.hops <= 0 {
		p.hops = DefaultMaxHops
	}
	for _, n := range cfg.Numeraires {
		p.fixed[n.Token] = n.ETH / math.Pow10(int(n.Decimals))
	}
	for _, u := range cfg.USD {
		p.usd[u.Token] = math.Pow10(-int(u.Decimals))
	}
	for _, w := range cfg.WETH {
		p.weth[w] = true
	}
	for _, pl := range cfg.Pools {
		p.setPool(pl)
	}
	return p
}

// SetChain adds the chain's default USD stablecoins: MainnetUSD on chain
// id 1, none elsewhere. A token already configured (as a numeraire or a
// stablecoin) keeps its configuration. The monitor calls it once it knows
// the node's chain.
func (p *Pricer) SetChain(chainID uint64) {
	if chainID != 1 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, u := range MainnetUSD {
		if _, ok := p.usd[u.Token]; ok {
			continue
		}
		p.usd[u.Token] = math.Pow10(-int(u.Decimals))
	}
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

// index adds pool to byToken under both its tokens.
func (p *Pricer) index(pool Pool) {
	p.byToken[pool.Token0] = append(p.byToken[pool.Token0], pool.Address)
	p.byToken[pool.Token1] = append(p.byToken[pool.Token1], pool.Address)
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
	r := route{p: p, over: over, extra: extraWETH, budget: 512}
	price, _, ok := r.best(asset, p.hops, nil)
	if !ok {
		return 0, false
	}
	out := amt * price
	if math.IsNaN(out) || math.IsInf(out, 0) {
		return 0, false
	}
	return out, true
}

// route is one valuation's walk of the pool graph.
type route struct {
	p      *Pricer
	over   map[common.Address]*Pool
	extra  map[common.Address]bool
	budget int // pool evaluations left

	ethPerUSD float64 // cached by usdRate; 0 = not computed
	usdKnown  bool
}

// root returns the ETH per raw unit of a numeraire.
func (r *route) root(t common.Address) (float64, bool) {
	if r.p.weth[t] || r.extra[t] {
		return 1e-18, true
	}
	if v, ok := r.p.fixed[t]; ok {
		return v, true
	}
	if u, ok := r.p.usd[t]; ok {
		if rate, ok := r.usdRate(); ok {
			return u * rate, true
		}
	}
	return 0, false
}

// usdRate returns ETH per USD: from the pool pairing a USD stablecoin with
// WETH whose WETH side is deepest (at least MinLiquidityETH), else from
// the configured fallback rate.
func (r *route) usdRate() (float64, bool) {
	if r.ethPerUSD > 0 || r.usdKnown {
		return r.ethPerUSD, r.ethPerUSD > 0
	}
	r.usdKnown = true
	best := 0.0
	for s, perUnit := range r.p.usd {
		for _, pl := range r.poolsOf(s) {
			other, rs, rw := pl.Token1, pl.Reserve0, pl.Reserve1
			if pl.Token1 == s {
				other, rs, rw = pl.Token0, pl.Reserve1, pl.Reserve0
			}
			if !(r.p.weth[other] || r.extra[other]) || rs == nil || rw == nil || rs.Sign() <= 0 || rw.Sign() <= 0 {
				continue
			}
			w, _ := new(big.Float).SetInt(rw).Float64()
			st, _ := new(big.Float).SetInt(rs).Float64()
			eth := w / 1e18
			if r.p.minLiq > 0 && eth < r.p.minLiq {
				continue
			}
			if eth > best {
				best = eth
				r.ethPerUSD = eth / (st * perUnit) // ETH per USD
			}
		}
	}
	if r.ethPerUSD == 0 && r.p.usdETH > 0 {
		r.ethPerUSD = 1 / r.p.usdETH
	}
	return r.ethPerUSD, r.ethPerUSD > 0
}

// poolsOf returns the pools holding t, with the view's pre-transaction
// reserves where it has them.
func (r *route) poolsOf(t common.Address) []Pool {
	var out []Pool
	for _, a := range r.p.byToken[t] {
		pl := r.p.pools[a]
		if o, ok := r.over[a]; ok && o != nil {
			pl = *o
		}
		out = append(out, pl)
	}
	for a, o := range r.over {
		if o == nil || (o.Token0 != t && o.Token1 != t) {
			continue
		}
		if _, stored := r.p.pools[a]; !stored {
			out = append(out, *o)
		}
	}
	return out
}

// best returns t's price (ETH per raw unit) along the route of at most
// hops pools whose thinnest pool holds the most value (ETH), and that
// value.
func (r *route) best(t common.Address, hops int, path []common.Address) (price, liq float64, ok bool) {
	if v, isRoot := r.root(t); isRoot {
		return v, math.Inf(1), true
	}
	if hops == 0 {
		return 0, 0, false
	}
	path = append(path, t)
	for _, pl := range r.poolsOf(t) {
		if r.budget <= 0 {
			break
		}
		r.budget--
		other, rt, ro := pl.Token1, pl.Reserve0, pl.Reserve1
		if pl.Token1 == t {
			other, rt, ro = pl.Token0, pl.Reserve1, pl.Reserve0
		}
		if other == t || slices.Contains(path, other) || rt == nil || ro == nil || rt.Sign() <= 0 || ro.Sign() <= 0 {
			continue
		}
		po, lo, found := r.best(other, hops-1, path)
		if !found {
			continue
		}
		fo, _ := new(big.Float).SetInt(ro).Float64()
		ft, _ := new(big.Float).SetInt(rt).Float64()
		edge := fo * po // ETH value of the pool's side toward the numeraire
		if r.p.minLiq > 0 && edge < r.p.minLiq {
			continue
		}
		if l := min(lo, edge); l > liq {
			price, liq, ok = po*fo/ft, l, true
		}
	}
	return price, liq, ok
}
