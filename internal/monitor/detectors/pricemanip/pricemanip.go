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
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config { return Config{MinMove: 1.5, MinGainETH: 1, CriticalGainETH: 50} }

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
	return &Detector{cfg: cfg}
}

// Meta implements detect.Detector.
func (*Detector) Meta() detect.Meta {
	return detect.Meta{
		Name:       Name,
		Title:      "Flash-loan price manipulation",
		Doc:        "Fires when a pool's price is pushed beyond ×MinMove (or ÷MinMove) of its pre-transaction price within one transaction that also calls a watched protocol other than AMM pools, routers and tokens (the victim reading the manipulated price), and the sender gains (or the victim loses) more than MinGainETH. Critical with a flash loan or a large gain.",
		Severity:   alert.SeverityHigh,
		Confidence: 0.85,
	}
}

// Inspect implements detect.Detector.
func (d *Detector) Inspect(_ context.Context, env *detect.Env, tx *txmodel.Tx) ([]alert.Observation, error) {
	if !dutil.Usable(tx) || tx.Root == nil || len(tx.Pools) == 0 {
		return nil, nil
	}
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
	gain := dutil.FlowOf(tx, p, dutil.Cluster(env, tx)...).Net
	victim, loss := victims[0], 0.0
	for _, v := range victims {
		if l := -dutil.FlowOf(tx, p, v).Net; l > loss {
			victim, loss = v, l
		}
	}
	if gain < d.cfg.MinGainETH && loss < d.cfg.MinGainETH {
		return nil, nil
	}
	loans := flashloan.Loans(tx, p, 10)
	sev, conf := alert.SeverityHigh, alert.Confidence(0.85)
	if len(loans) > 0 || max(gain, loss) >= d.cfg.CriticalGainETH {
		sev, conf = alert.SeverityCritical, 0.93
	}
	msg := fmt.Sprintf("pool %s price moved ×%.2f within the tx around a call into %s; sender gained %.2f ETH, %s lost %.2f ETH",
		dutil.Name(env, moved.Pool), move, dutil.Name(env, victim), gain, dutil.Name(env, victim), loss)
	if len(loans) > 0 {
		msg += fmt.Sprintf(" (%d flash loan(s))", len(loans))
	}
	o := dutil.Observation(env, tx, d.Meta(), sev, conf, msg)
	o.Victim = dutil.Victim(env, victim)
	o.Numbers["price_impact"] = move
	o.Numbers["profit_eth"] = gain
	o.Numbers["loss_eth"] = loss
	o.Technique = "manipulation of the " + dutil.Name(env, moved.Pool) + " pool price"
	if len(loans) > 0 {
		o.Technique = "flash-loan " + o.Technique
	}
	return []alert.Observation{o}, nil
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
