// Package pricemanip implements the price-manipulation detector: within one
// transaction, an AMM pool's price is pushed far from its pre-transaction
// value around a call into a watched protocol (a lending market or vault
// that reads the pool), and value is extracted. Arbitrage (no call into a
// protocol other than AMM routers, pools and tokens) and sandwiches (three
// separate transactions) do not fire.
package pricemanip

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"slices"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/monitor/detect"
	"github.com/aegis-defi/aegis/internal/monitor/detectors/dutil"
	"github.com/aegis-defi/aegis/internal/monitor/detectors/flashloan"
	"github.com/aegis-defi/aegis/internal/txmodel"
)

// Name is the detector's name.
const Name = "price-manipulation"

// Config holds the detector's thresholds.
type Config struct {
	// MinMove is the price excursion from the pre-transaction price
	// (×MinMove or ÷MinMove) that counts as manipulation (default 1.5).
	MinMove float64
	// MinGainETH is the value (ETH) the sender's cluster must gain, or the
	// victim must lose, in the transaction (default 1).
	MinGainETH float64
	// CriticalGainETH raises the severity to critical (default 50); a flash
	// loan in the transaction does too.
	CriticalGainETH float64
	// MinShare is, for assets without a price, the share (0–1) of its
	// holdings of one asset the victim that read the moved price must lose
	// (default 0.3).
	MinShare float64
	// MinReserveDrop is the fall of a pool's constant product √(r0·r1)
	// within one transaction without liquidity removed (no Burn) that
	// counts as its reserves being destroyed (default 0.3).
	MinReserveDrop float64
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{MinMove: 1.5, MinGainETH: 1, CriticalGainETH: 50, MinShare: 0.3, MinReserveDrop: 0.3}
}

// Detector is the price-manipulation detector.
type Detector struct{ cfg Config }

// New returns the detector; zero Config fields take the defaults.
func New(cfg Config) *Detector {
	d := DefaultConfig()
	if cfg.MinMove == 0 {
		cfg.MinMove = d.MinMove
	}
	if cfg.MinGainETH == 0 {
		cfg.MinGainETH = d.MinGainETH
	}
	if cfg.CriticalGainETH == 0 {
		cfg.CriticalGainETH = d.CriticalGainETH
	}
	if cfg.MinShare == 0 {
		cfg.MinShare = d.MinShare
	}
	if cfg.MinReserveDrop == 0 {
		cfg.MinReserveDrop = d.MinReserveDrop
	}
	return &Detector{cfg: cfg}
}

// Meta implements detect.Detector.
func (*Detector) Meta() detect.Meta {
	return detect.Meta{
		Name:       Name,
		Title:      "Flash-loan price manipulation",
		Doc:        "Fires when a pool's price is pushed beyond ×MinMove (or ÷MinMove) of its pre-transaction price within one transaction that also calls a watched protocol other than AMM pools, routers and tokens (the victim reading the manipulated price), and the sender gains (or the victim loses) more than MinGainETH — or, for assets without a price, the watched protocol that read the pool after the move (directly or through view calls) loses MinShare of its holdings of an asset. Critical with a flash loan or a large gain. Also fires when a watched pool's constant product √(r0·r1) falls by MinReserveDrop without a Burn: its reserves were destroyed outside a swap (burn from the pool, sync()) and traded against.",
		Severity:   alert.SeverityHigh,
		Confidence: 0.85,
	}
}

// Inspect implements detect.Detector.
func (d *Detector) Inspect(ctx context.Context, env *detect.Env, tx *txmodel.Tx) ([]alert.Observation, error) {
	if !dutil.Usable(tx) || tx.Root == nil || len(tx.Pools) == 0 {
		return nil, nil
	}
	out := d.reserves(env, tx)
	o, err := d.priceMove(ctx, env, tx)
	if o != nil {
		out = append(out, *o)
	}
	return out, err
}

func (d *Detector) priceMove(ctx context.Context, env *detect.Env, tx *txmodel.Tx) (*alert.Observation, error) {
	var moved *txmodel.PoolMove
	move := 0.0
	for i := range tx.Pools {
		if m := tx.Pools[i].MaxMove(); m >= d.cfg.MinMove && m > move {
			moved, move = &tx.Pools[i], m
		}
	}
	if moved == nil {
		return nil, nil
	}
	victims := d.victims(env, tx)
	if len(victims) == 0 {
		return nil, nil
	}
	p := dutil.Prices(env, tx)
	cluster := dutil.Cluster(env, tx)
	gain := dutil.FlowOf(tx, p, cluster...).Net
	victim, loss := victims[0], 0.0
	for _, v := range victims {
		if l := -dutil.FlowOf(tx, p, v).Net; l > loss {
			victim, loss = v, l
		}
	}
	reads := readsAfterMove(env, tx, d.cfg.MinMove, cluster)
	var rel *dutil.AssetLoss
	var ferr error
	if gain < d.cfg.MinGainETH && loss < d.cfg.MinGainETH {
		// No price (or too little value): a victim that read a moved pool
		// price and lost a large share of its holdings of an asset.
		for _, v := range victims {
			if _, ok := reads[v]; !ok {
				continue
			}
			losses, err := dutil.SharesLost(ctx, env, tx, v, nil)
			if err != nil {
				ferr = fmt.Errorf("price-manipulation: %w", err)
			}
			if len(losses) > 0 && losses[0].Share >= d.cfg.MinShare && (rel == nil || losses[0].Share > rel.Share) {
				l := losses[0]
				victim, rel = v, &l
			}
		}
		if rel == nil {
			return nil, ferr
		}
		if pool, ok := reads[victim]; ok {
			if pm := tx.Pool(pool); pm != nil {
				moved, move = pm, pm.MaxMove()
			}
		}
	}
	loans := flashloan.Loans(tx, p, 10)
	sev, conf := alert.SeverityHigh, alert.Confidence(0.85)
	if len(loans) > 0 || max(gain, loss) >= d.cfg.CriticalGainETH || (rel != nil && rel.Share >= 0.5) {
		sev, conf = alert.SeverityCritical, 0.93
	}
	msg := fmt.Sprintf("pool %s price moved ×%.2f within the tx around a call into %s; sender gained %.2f ETH, %s lost %.2f ETH",
		dutil.Name(env, moved.Pool), move, dutil.Name(env, victim), gain, dutil.Name(env, victim), loss)
	if rel != nil {
		msg = fmt.Sprintf("pool %s price moved ×%.2f within the tx and %s read it after the move, then lost %.0f%% of its holdings of token %s (%s of %s raw units; no price for it, loss measured relative to the holdings)",
			dutil.Name(env, moved.Pool), move, dutil.Name(env, victim), 100*rel.Share, dutil.Short(rel.Asset), rel.Lost, rel.Held)
	} else if pool, ok := reads[victim]; ok {
		msg += fmt.Sprintf("; %s read the %s price after the move", dutil.Name(env, victim), dutil.Name(env, pool))
	}
	if len(loans) > 0 {
		msg += fmt.Sprintf(" (%d flash loan(s))", len(loans))
	}
	o := dutil.Observation(env, tx, d.Meta(), sev, conf, msg)
	o.Victim = dutil.Victim(env, victim)
	o.Numbers["price_impact"] = move
	o.Numbers["profit_eth"] = gain
	o.Numbers["loss_eth"] = loss
	if rel != nil {
		o.Numbers["loss_share"] = rel.Share
	}
	o.Technique = "manipulation of the " + dutil.Name(env, moved.Pool) + " pool price"
	if len(loans) > 0 {
		o.Technique = "flash-loan " + o.Technique
	}
	return &o, ferr
}

// syncPrice returns reserve1/reserve0 of a V2 Sync log (0 when not one).
func syncPrice(l *txmodel.Log) (float64, bool) {
	s, ok := l.Decoded.(*txmodel.V2Sync)
	if !ok || s.Reserve0 == nil || s.Reserve1 == nil || s.Reserve0.Sign() <= 0 {
		return 0, false
	}
	r0, _ := new(big.Float).SetInt(s.Reserve0).Float64()
	r1, _ := new(big.Float).SetInt(s.Reserve1).Float64()
	return r1 / r0, true
}

// readsAfterMove links price reads to the protocols that made them: for
// each watched contract (not a pool, not the sender's cluster) it returns
// a pool whose price it read — by calling the pool directly, or through
// view calls into another contract that called the pool — after a Sync had
// moved that pool's price by ×minMove (or ÷minMove) from its price before
// the transaction.
func readsAfterMove(env *detect.Env, tx *txmodel.Tx, minMove float64, cluster []common.Address) map[common.Address]common.Address {
	ref := map[common.Address]float64{}
	for i := range tx.Pools {
		if pb := tx.Pools[i].PriceBefore; pb != nil && *pb > 0 {
			ref[tx.Pools[i].Pool] = *pb
		}
	}
	moved := map[common.Address]bool{}
	out := map[common.Address]common.Address{}
	tx.Walk(func(c *txmodel.Call) bool {
		if c.Failed() {
			return false
		}
		if moved[c.To] && c.Type != txmodel.CallDelegateCall && c.Parent != nil && !emitsSync(c) {
			for f := c.Parent; f != nil; f = f.Parent {
				a := f.Context()
				if slices.Contains(cluster, a) || tx.Pool(a) != nil {
					break
				}
				if _, ok := dutil.Protocol(env, a); ok {
					if _, seen := out[a]; !seen {
						out[a] = c.To
					}
					break
				}
				if f.Type != txmodel.CallStaticCall {
					break // only view calls lead up to the reader
				}
			}
		}
		for _, l := range c.Logs {
			if l.Address != c.Context() {
				continue
			}
			price, ok := syncPrice(l)
			if !ok {
				continue
			}
			r, known := ref[l.Address]
			if !known {
				ref[l.Address] = price
				continue
			}
			if r > 0 && price > 0 && max(price/r, r/price) >= minMove {
				moved[l.Address] = true
			}
		}
		return true
	})
	return out
}

func emitsSync(c *txmodel.Call) bool {
	for _, l := range c.Logs {
		if l.Kind == txmodel.KindV2Sync {
			return true
		}
	}
	return false
}

// reserves reports watched V2-style pools whose constant product √(r0·r1)
// fell by MinReserveDrop or more within the transaction while no liquidity
// was removed (no Burn): a trade never lowers the product, so the reserves
// were destroyed outside a swap (a token burnt or seized from the pool's
// balance, then sync()) and traded against.
func (d *Detector) reserves(env *detect.Env, tx *txmodel.Tx) []alert.Observation {
	var out []alert.Observation
	for i := range tx.Pools {
		pm := &tx.Pools[i]
		if pm.Protocol != txmodel.ProtocolUniswapV2 || pm.Burns > 0 || pm.Reserve0Before == nil || pm.Reserve1Before == nil ||
			pm.Reserve0After == nil || pm.Reserve1After == nil {
			continue
		}
		if _, ok := dutil.Protocol(env, pm.Pool); !ok {
			continue
		}
		kb := sqrtK(pm.Reserve0Before, pm.Reserve1Before)
		ka := sqrtK(pm.Reserve0After, pm.Reserve1After)
		if kb <= 0 || ka >= kb*(1-d.cfg.MinReserveDrop) {
			continue
		}
		drop := 1 - ka/kb
		standalone := standaloneSyncs(tx, pm.Pool)
		sev, conf := alert.SeverityHigh, alert.Confidence(0.8)
		if drop >= 0.5 {
			sev, conf = alert.SeverityCritical, 0.9
		}
		msg := fmt.Sprintf("pool %s lost %.0f%% of its constant product √(r0·r1) in one tx without any liquidity removed (reserves %s/%s → %s/%s)",
			dutil.Name(env, pm.Pool), 100*drop, pm.Reserve0Before, pm.Reserve1Before, pm.Reserve0After, pm.Reserve1After)
		if standalone > 0 {
			msg += fmt.Sprintf("; %d sync() outside a swap re-based its reserves on a balance changed from outside", standalone)
		}
		o := dutil.Observation(env, tx, d.Meta(), sev, conf, msg)
		o.Victim = dutil.Victim(env, pm.Pool)
		o.Numbers["reserve_drop"] = drop
		o.Numbers["price_impact"] = pm.MaxMove()
		o.Technique = "reserve destruction of the " + dutil.Name(env, pm.Pool) + " pool"
		out = append(out, o)
	}
	return out
}

func sqrtK(a, b *big.Int) float64 {
	x, _ := new(big.Float).SetInt(a).Float64()
	y, _ := new(big.Float).SetInt(b).Float64()
	return math.Sqrt(x) * math.Sqrt(y)
}

// standaloneSyncs counts pool's Sync logs not followed by a Swap, Mint or
// Burn of the same pool before its next Sync (a bare sync()).
func standaloneSyncs(tx *txmodel.Tx, pool common.Address) int {
	n, open := 0, false
	for _, l := range tx.Logs {
		if l.Address != pool {
			continue
		}
		switch l.Kind {
		case txmodel.KindV2Sync:
			if open {
				n++
			}
			open = true
		case txmodel.KindV2Swap, txmodel.KindV2Mint, txmodel.KindV2Burn:
			open = false
		}
	}
	if open {
		n++
	}
	return n
}

// victims returns the watched contracts tx called (not by STATICCALL) that
// are not AMM infrastructure: not a moved pool, not a token of the moved
// pools or a transferred token, not a flash-loan provider, and not an
// ancestor of a pool's frames (a router).
func (d *Detector) victims(env *detect.Env, tx *txmodel.Tx) []common.Address {
	infra := map[common.Address]bool{}
	for _, pm := range tx.Pools {
		infra[pm.Pool] = true
		if pm.Token0 != nil {
			infra[*pm.Token0] = true
		}
		if pm.Token1 != nil {
			infra[*pm.Token1] = true
		}
	}
	for _, l := range tx.Logs {
		switch l.Kind {
		case txmodel.KindERC20Transfer, txmodel.KindERC20Approval, txmodel.KindWETHDeposit, txmodel.KindWETHWithdrawal, txmodel.KindFlashLoan:
			infra[l.Address] = true
		}
	}
	// Routers: contracts with a frame that is an ancestor of a pool frame.
	tx.Walk(func(c *txmodel.Call) bool {
		if c.Type == txmodel.CallCall && tx.Pool(c.To) != nil {
			for p := c.Parent; p != nil; p = p.Parent {
				if _, ok := dutil.Protocol(env, p.Context()); ok {
					infra[p.Context()] = true
				}
			}
		}
		return true
	})
	var out []common.Address
	tx.Walk(func(c *txmodel.Call) bool {
		if c.Type == txmodel.CallStaticCall || c.Reverted() {
			return true
		}
		a := c.Context()
		if infra[a] || slices.Contains(out, a) {
			return true
		}
		if _, ok := dutil.Protocol(env, a); ok {
			out = append(out, a)
		}
		return true
	})
	return out
}
