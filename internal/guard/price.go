package guard

import (
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/core/types"
)

// Fees are the fee fields of a protective transaction. For EIP-1559
// transactions TipCap and FeeCap are set; for legacy ones GasPrice.
type Fees struct {
	TipCap   *big.Int `json:"tip_cap,omitempty"`
	FeeCap   *big.Int `json:"fee_cap,omitempty"`
	GasPrice *big.Int `json:"gas_price,omitempty"`
}

// EffectiveTip is what a transaction pays the block producer per gas at
// baseFee: min(tip cap, fee cap − base fee) for EIP-1559 transactions and
// gas price − base fee for legacy ones, never negative.
func EffectiveTip(tx *types.Transaction, baseFee *big.Int) *big.Int {
	if baseFee == nil {
		baseFee = new(big.Int)
	}
	tip, err := tx.EffectiveGasTip(baseFee)
	if err != nil || tip.Sign() < 0 {
		return new(big.Int)
	}
	return tip
}

// percent returns x × (100 + pct) / 100.
func percent(x *big.Int, pct int64) *big.Int {
	r := new(big.Int).Mul(x, big.NewInt(100+pct))
	return r.Quo(r, big.NewInt(100))
}

// PriceFor prices a protective transaction to be mined before attack:
// tip = attacker's effective tip × (1 + margin) + floor, fee cap = 2 × base
// fee + tip. Legacy pricing uses the same tip on top of the base fee, and
// at least the attacker's gas price × (1 + margin) + floor.
func PriceFor(attack *types.Transaction, baseFee *big.Int, p Pricing) Fees {
	if baseFee == nil {
		baseFee = new(big.Int)
	}
	floor := p.FloorWei
	if floor == nil {
		floor = new(big.Int)
	}
	tip := percent(EffectiveTip(attack, baseFee), p.MarginPercent)
	tip.Add(tip, floor)
	if p.Legacy {
		gp := new(big.Int).Add(baseFee, tip)
		if alt := new(big.Int).Add(percent(attack.GasPrice(), p.MarginPercent), floor); alt.Cmp(gp) > 0 {
			gp = alt
		}
		return Fees{GasPrice: gp}
	}
	feeCap := new(big.Int).Add(new(big.Int).Mul(baseFee, big.NewInt(2)), tip)
	return Fees{TipCap: tip, FeeCap: feeCap}
}

// Bump returns fees for a replacement of a transaction priced old: every fee
// field rises by at least 10% plus the margin (nodes require ≥ 10%), and the
// result is at least fresh (the price for the current attack and base fee).
func Bump(old, fresh Fees, marginPercent int64) Fees {
	up := func(x, floor *big.Int) *big.Int {
		if x == nil {
			return nil
		}
		r := percent(x, 10+marginPercent)
		r.Add(r, big.NewInt(1))
		if floor != nil && floor.Cmp(r) > 0 {
			r = new(big.Int).Set(floor)
		}
		return r
	}
	return Fees{TipCap: up(old.TipCap, fresh.TipCap), FeeCap: up(old.FeeCap, fresh.FeeCap), GasPrice: up(old.GasPrice, fresh.GasPrice)}
}

// limiter enforces per-protocol cooldowns and hourly budgets. A protocol
// with an action in flight refuses further triggers until it is committed
// or released.
type limiter struct {
	mu    sync.Mutex
	state map[string]*limitState
}

type limitState struct {
	actions  []time.Time
	inflight bool
}

func newLimiter() *limiter { return &limiter{state: map[string]*limitState{}} }

// reserve claims the right to act on protocol at now, or says why not.
func (l *limiter) reserve(protocol string, lim Limits, now time.Time) (bool, string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	st := l.state[protocol]
	if st == nil {
		st = &limitState{}
		l.state[protocol] = st
	}
	kept := st.actions[:0]
	for _, t := range st.actions {
		if now.Sub(t) < time.Hour {
			kept = append(kept, t)
		}
	}
	st.actions = kept
	if st.inflight {
		return false, "an action for " + protocol + " is already in progress"
	}
	if n := len(st.actions); n > 0 {
		if since := now.Sub(st.actions[n-1]); since < lim.Cooldown {
			return false, "cooldown: last action on " + protocol + " was " + since.Round(time.Millisecond).String() +
				" ago, cooldown is " + lim.Cooldown.String()
		}
	}
	if lim.MaxActionsPerHour > 0 && len(st.actions) >= lim.MaxActionsPerHour {
		return false, "rate limit: " + itoa(len(st.actions)) + " actions on " + protocol + " in the last hour (max " +
			itoa(lim.MaxActionsPerHour) + ")"
	}
	st.inflight = true
	return true, ""
}

// commit records an action taken at now and ends the reservation.
func (l *limiter) commit(protocol string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	st := l.state[protocol]
	st.actions = append(st.actions, now)
	st.inflight = false
}

// release ends a reservation without an action.
func (l *limiter) release(protocol string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if st := l.state[protocol]; st != nil {
		st.inflight = false
	}
}

func itoa(n int) string { return big.NewInt(int64(n)).String() }
