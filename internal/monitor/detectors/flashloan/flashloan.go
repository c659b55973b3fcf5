// Package flashloan implements the flash-loan detector: flash loans taken in
// a transaction, from providers' FlashLoan events (ERC-3156, Balancer,
// Aave V2/V3, aegis's FlashLoanPool) or from the generic borrow-and-repay
// pattern (a large token inflow from X repaid to X within the
// transaction). Flash loans are legitimate on their own: the detector
// reports at info/low severity and enriches the incidents of the others.
package flashloan

import (
	"context"
	"fmt"
	"math/big"
	"slices"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/monitor/detect"
	"github.com/aegis-defi/aegis/internal/monitor/detectors/dutil"
	"github.com/aegis-defi/aegis/internal/txmodel"
)

// Name is the detector's name.
const Name = "flash-loan"

// Config holds the detector's thresholds.
type Config struct {
	// MinGenericETH is the smallest borrowed value (ETH) for the generic
	// borrow-and-repay pattern to count (default 10).
	MinGenericETH float64
	// LargeETH is the borrowed value (ETH) from which the observation is
	// low instead of info (default 1,000).
	LargeETH float64
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config { return Config{MinGenericETH: 10, LargeETH: 1000} }

// Detector is the flash-loan detector.
type Detector struct{ cfg Config }

// New returns the detector; zero Config fields take the defaults.
func New(cfg Config) *Detector {
	d := DefaultConfig()
	if cfg.MinGenericETH == 0 {
		cfg.MinGenericETH = d.MinGenericETH
	}
	if cfg.LargeETH == 0 {
		cfg.LargeETH = d.LargeETH
	}
	return &Detector{cfg: cfg}
}

// Meta implements detect.Detector.
func (*Detector) Meta() detect.Meta {
	return detect.Meta{
		Name:       Name,
		Title:      "Flash loan",
		Doc:        "Reports flash loans: providers' FlashLoan events (ERC-3156, Balancer, Aave, aegis FlashLoanPool), the call-tree shape of any lender (X sends T to A, calls A, and T comes back to X in the same frame, whatever X's interface or events), and the generic pattern of a large token inflow from X repaid to X in the same transaction. Flash loans are legitimate; the signal enriches price-manipulation, governance and profit alerts.",
		Severity:   alert.SeverityInfo,
		Confidence: 0.3,
	}
}

// Loan is one flash loan found in a transaction.
type Loan struct {
	Provider common.Address
	Receiver common.Address
	Token    common.Address
	Amount   *big.Int
	// Generic is true when found by the borrow-and-repay pattern.
	Generic bool
	// Shape is true when found by the call-tree shape alone (lend, call
	// the receiver, get repaid: see ShapeLoans), whatever the asset's value.
	Shape bool
}

// transferAt is an ERC-20 Transfer with the frame that emitted it.
type transferAt struct {
	frame           *txmodel.Call
	token, from, to common.Address
	value           *big.Int
}

func transfersOf(tx *txmodel.Tx) []transferAt {
	var out []transferAt
	tx.Walk(func(c *txmodel.Call) bool {
		if c.Failed() {
			return false
		}
		for _, l := range c.Logs {
			t, ok := l.Decoded.(*txmodel.Transfer)
			if !ok || t.Value == nil || t.Value.Sign() == 0 {
				continue
			}
			out = append(out, transferAt{frame: c, token: l.Address, from: t.From, to: t.To, value: t.Value})
		}
		return true
	})
	return out
}

func descends(c, ancestor *txmodel.Call) bool {
	for f := c; f != nil; f = f.Parent {
		if f == ancestor {
			return true
		}
	}
	return false
}

// ShapeLoans finds flash loans by the shape of the call tree and the token
// movements alone, whatever the lender's interface or events: within one
// frame of a contract X, X transfers token T to A, then calls A (A's code
// runs: the callback), and the same amount of T (up to 5% more, the fee)
// comes back from A to X — sent by A during the callback, or pulled by X
// after it.
func ShapeLoans(tx *txmodel.Tx) []Loan {
	if !dutil.Usable(tx) || tx.Root == nil || tx.Partial {
		return nil
	}
	trs := transfersOf(tx)
	var out []Loan
	for _, a := range trs {
		lender := a.frame.Parent
		if lender == nil || lender.Context() != a.from || a.to == a.from {
			continue
		}
		i := slices.Index(lender.Calls, a.frame)
		if i < 0 {
			continue
		}
		hi := new(big.Int).Div(new(big.Int).Mul(a.value, big.NewInt(105)), big.NewInt(100))
		found := false
		for j := i + 1; j < len(lender.Calls) && !found; j++ {
			cb := lender.Calls[j]
			if cb.To != a.to || cb.Type != txmodel.CallCall || cb.Failed() {
				continue
			}
			for _, b := range trs {
				if b.token != a.token || b.from != a.to || b.to != a.from || b.value.Cmp(a.value) < 0 || b.value.Cmp(hi) > 0 {
					continue
				}
				inCallback := descends(b.frame, cb)
				pulledAfter := b.frame.Parent == lender && slices.Index(lender.Calls, b.frame) > j
				if inCallback || pulledAfter {
					found = true
					break
				}
			}
		}
		if found {
			out = append(out, Loan{Provider: a.from, Receiver: a.to, Token: a.token, Amount: a.value, Generic: true, Shape: true})
		}
	}
	return out
}

// Loans returns the flash loans of tx: the providers' events, then the
// generic borrow-and-repay transfers of at least minGenericETH (valued
// with p) not already covered by an event.
func Loans(tx *txmodel.Tx, p detect.Pricer, minGenericETH float64) []Loan {
	if !dutil.Usable(tx) {
		return nil
	}
	var out []Loan
	for _, l := range tx.LogsOfKind(txmodel.KindFlashLoan) {
		fl, ok := l.Decoded.(*txmodel.FlashLoan)
		if !ok || fl.Amount == nil {
			continue
		}
		out = append(out, Loan{Provider: l.Address, Receiver: fl.Receiver, Token: fl.Token, Amount: fl.Amount})
	}
	type key struct{ token, from, to common.Address }
	var transfers []struct {
		k key
		v *big.Int
	}
	for _, l := range tx.Logs {
		t, ok := l.Decoded.(*txmodel.Transfer)
		if !ok || t.Value == nil || t.Value.Sign() == 0 || t.From == (common.Address{}) || t.To == (common.Address{}) {
			continue
		}
		transfers = append(transfers, struct {
			k key
			v *big.Int
		}{key{l.Address, t.From, t.To}, t.Value})
	}
	covered := func(provider, token common.Address) bool {
		for _, ln := range out {
			if ln.Provider == provider && ln.Token == token {
				return true
			}
		}
		return false
	}
	for _, ln := range ShapeLoans(tx) {
		if !covered(ln.Provider, ln.Token) {
			out = append(out, ln)
		}
	}
	for i, a := range transfers {
		if covered(a.k.from, a.k.token) {
			continue
		}
		for _, b := range transfers[i+1:] {
			if b.k.token != a.k.token || b.k.from != a.k.to || b.k.to != a.k.from {
				continue
			}
			// Repaid: at least the amount, at most 5% more (the fee).
			hi := new(big.Int).Div(new(big.Int).Mul(a.v, big.NewInt(105)), big.NewInt(100))
			if b.v.Cmp(a.v) < 0 || b.v.Cmp(hi) > 0 {
				continue
			}
			if v, ok := p.ETHValue(a.k.token, a.v); !ok || v < minGenericETH {
				continue
			}
			if isPool(tx, a.k.from) && hasSwapBetween(tx, a.k.from) {
				continue
			}
			out = append(out, Loan{Provider: a.k.from, Receiver: a.k.to, Token: a.k.token, Amount: a.v, Generic: true})
			break
		}
	}
	return out
}

func isPool(tx *txmodel.Tx, a common.Address) bool { return tx.Pool(a) != nil }

// hasSwapBetween reports whether pool swapped in tx (a flash swap repaid in
// kind is still a loan, but a plain swap round trip is not one).
func hasSwapBetween(tx *txmodel.Tx, pool common.Address) bool {
	pm := tx.Pool(pool)
	return pm != nil && pm.Swaps > 1
}

// Inspect implements detect.Detector.
func (d *Detector) Inspect(_ context.Context, env *detect.Env, tx *txmodel.Tx) ([]alert.Observation, error) {
	if !dutil.Usable(tx) {
		return nil, nil
	}
	p := dutil.Prices(env, tx)
	loans := Loans(tx, p, d.cfg.MinGenericETH)
	if len(loans) == 0 {
		return nil, nil
	}
	total, unpriced := 0.0, 0
	for _, l := range loans {
		if v, ok := p.ETHValue(l.Token, l.Amount); ok {
			total += v
		} else {
			unpriced++
		}
	}
	sev := alert.SeverityInfo
	if total >= d.cfg.LargeETH {
		sev = alert.SeverityLow
	}
	first := loans[0]
	kind := "FlashLoan event"
	switch {
	case first.Shape:
		kind = "lend → callback → repay in the call tree"
	case first.Generic:
		kind = "borrow-and-repay pattern"
	}
	msg := fmt.Sprintf("%d flash loan(s) worth %.2f ETH (first: %s of %s from %s to %s, %s)",
		len(loans), total, first.Amount, dutil.Short(first.Token), dutil.Name(env, first.Provider), dutil.Short(first.Receiver), kind)
	o := dutil.Observation(env, tx, d.Meta(), sev, 0.3, msg)
	o.Numbers["flash_loan_eth"] = total
	o.Numbers["flash_loans"] = float64(len(loans))
	if unpriced > 0 {
		o.Numbers["flash_loans_unpriced"] = float64(unpriced)
	}
	o.Technique = "flash loan from " + dutil.Name(env, first.Provider)
	for _, w := range dutil.Watched(env, tx) {
		if w != first.Provider && tx.Pool(w) == nil {
			o.Victim = dutil.Victim(env, w)
			break
		}
	}
	return []alert.Observation{o}, nil
}
