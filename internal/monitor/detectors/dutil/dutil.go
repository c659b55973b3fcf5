// Package dutil holds the helpers the monitor's detectors share: pricing a
// transaction's balance changes at pre-transaction prices, finding the
// watched protocols a transaction touched, grouping the sender with the
// contracts that act for it, and filling observations.
package dutil

import (
	"context"
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/monitor/detect"
	"github.com/aegis-defi/aegis/internal/txmodel"
)

// TxPricer is implemented by pricers that can value a transaction's assets
// at the state before it (pricing.Pricer).
type TxPricer interface {
	ForTx(tx *txmodel.Tx) detect.Pricer
}

// ethOnly prices ETH alone.
type ethOnly struct{}

func (ethOnly) ETHValue(asset common.Address, amount *big.Int) (float64, bool) {
	if asset != (common.Address{}) || amount == nil {
		return 0, false
	}
	f, _ := new(big.Float).SetInt(amount).Float64()
	return f / 1e18, true
}

// Prices returns the pricer to value tx's assets with: env's pricer,
// specialised to the pre-transaction state when it supports it, or an
// ETH-only pricer.
func Prices(env *detect.Env, tx *txmodel.Tx) detect.Pricer {
	if env == nil || env.Prices == nil {
		return ethOnly{}
	}
	if tp, ok := env.Prices.(TxPricer); ok {
		return tp.ForTx(tx)
	}
	return env.Prices
}

// Value returns the ETH value of amount of asset (negative amounts give
// negative values).
func Value(p detect.Pricer, asset common.Address, amount *big.Int) (float64, bool) {
	if amount == nil || amount.Sign() == 0 {
		return 0, true
	}
	if amount.Sign() < 0 {
		v, ok := p.ETHValue(asset, new(big.Int).Neg(amount))
		return -v, ok
	}
	return p.ETHValue(asset, amount)
}

// Flow is an address's net value change over a transaction.
type Flow struct {
	// Net is the net ETH value change of the priced assets.
	Net float64
	// In is the value of the priced assets whose balance rose, Out of those
	// whose balance fell (positive).
	In, Out float64
	// Unpriced counts the assets that could not be priced.
	Unpriced int
}

// FlowOf returns addrs' combined net balance changes valued with p.
func FlowOf(tx *txmodel.Tx, p detect.Pricer, addrs ...common.Address) Flow {
	var f Flow
	for _, b := range tx.Balances {
		if !slices.Contains(addrs, b.Address) {
			continue
		}
		v, ok := Value(p, b.Asset, b.Delta)
		if !ok {
			f.Unpriced++
			continue
		}
		f.Net += v
		if v > 0 {
			f.In += v
		} else {
			f.Out -= v
		}
	}
	return f
}

// Usable reports whether tx can be inspected for effects: not nil, not
// reverted.
func Usable(tx *txmodel.Tx) bool { return tx != nil && !tx.Reverted() }

// Protocol returns the watched protocol addr belongs to.
func Protocol(env *detect.Env, addr common.Address) (detect.Protocol, bool) {
	if env == nil || env.Watch == nil {
		return detect.Protocol{}, false
	}
	return env.Watch.Protocol(addr)
}

// Watched returns the watched addresses tx called or changed balances of,
// in order of first appearance.
func Watched(env *detect.Env, tx *txmodel.Tx) []common.Address {
	var out []common.Address
	add := func(a common.Address) {
		if slices.Contains(out, a) {
			return
		}
		if _, ok := Protocol(env, a); ok {
			out = append(out, a)
		}
	}
	if tx.To != nil {
		add(*tx.To)
	}
	for _, a := range tx.Touched {
		add(a)
	}
	for _, b := range tx.Balances {
		add(b.Address)
	}
	for _, l := range tx.Logs {
		add(l.Address)
	}
	return out
}

// Cluster returns the sender and the contracts acting for it in tx: the
// contracts it created in tx and the unwatched contracts it called directly
// that forwarded ETH or tokens to it.
func Cluster(env *detect.Env, tx *txmodel.Tx) []common.Address {
	out := []common.Address{tx.From}
	out = append(out, tx.Created...)
	if tx.ContractAddress != nil && !slices.Contains(out, *tx.ContractAddress) {
		out = append(out, *tx.ContractAddress)
	}
	if tx.To == nil || *tx.To == tx.From || slices.Contains(out, *tx.To) {
		return out
	}
	to := *tx.To
	if _, ok := Protocol(env, to); ok {
		return out
	}
	if forwarded(tx, to, tx.From) {
		out = append(out, to)
	}
	return out
}

// forwarded reports whether from sent ETH or tokens to to in tx.
func forwarded(tx *txmodel.Tx, from, to common.Address) bool {
	found := false
	tx.Walk(func(c *txmodel.Call) bool {
		if found {
			return false
		}
		if c.Type.TransfersValue() && c.From == from && c.To == to && c.Value != nil && c.Value.Sign() > 0 && !c.Reverted() {
			found = true
		}
		return true
	})
	if found {
		return true
	}
	for _, l := range tx.Logs {
		if t, ok := l.Decoded.(*txmodel.Transfer); ok && t.From == from && t.To == to {
			return true
		}
	}
	return false
}

// Observation returns an observation of tx by detector m with the common
// fields filled in.
func Observation(env *detect.Env, tx *txmodel.Tx, m detect.Meta, sev alert.Severity, conf alert.Confidence, msg string) alert.Observation {
	o := alert.Observation{
		Detector:   m.Name,
		Severity:   sev,
		Confidence: conf,
		Message:    msg,
		Numbers:    map[string]float64{},
		Anomaly:    m.Anomaly,
		TxHash:     tx.Hash.Hex(),
		Attacker:   tx.From.Hex(),
		Title:      m.Title,
	}
	if env != nil {
		o.ChainID = env.ChainID
		if env.Now != nil {
			o.At = env.Now()
		}
	}
	if o.ChainID == 0 && tx.ChainID != nil && tx.ChainID.IsUint64() {
		o.ChainID = tx.ChainID.Uint64()
	}
	if tx.Stage == txmodel.StageMined {
		o.Stage = alert.StageConfirmed
		if tx.BlockNumber != nil {
			o.Block = *tx.BlockNumber
		}
	} else {
		o.Stage = alert.StagePending
	}
	return o
}

// Victim returns the alert protocol of a watched address.
func Victim(env *detect.Env, addr common.Address) alert.Protocol {
	p, _ := Protocol(env, addr)
	return alert.Protocol{Name: p.Name, Address: addr.Hex()}
}

// Short abbreviates an address for messages.
func Short(a common.Address) string {
	h := a.Hex()
	return h[:6] + "…" + h[len(h)-4:]
}

// Name returns the watched protocol's name of addr, or its short address.
func Name(env *detect.Env, addr common.Address) string {
	if p, ok := Protocol(env, addr); ok && p.Name != "" {
		return p.Name
	}
	return Short(addr)
}

// Label returns addr's label, or "".
func Label(env *detect.Env, addr common.Address) string {
	if env == nil || env.Labels == nil {
		return ""
	}
	l, _ := env.Labels.Label(addr)
	return l
}

// HasLabelPrefix reports whether addr's label starts with one of prefixes.
func HasLabelPrefix(env *detect.Env, addr common.Address, prefixes ...string) bool {
	l := strings.ToLower(Label(env, addr))
	if l == "" {
		return false
	}
	for _, p := range prefixes {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return false
}

// HoldingsValue returns the ETH value of addr's holdings before tx of the
// assets whose balance fell in tx; ok is false when env cannot tell.
func HoldingsValue(ctx context.Context, env *detect.Env, tx *txmodel.Tx, p detect.Pricer, addr common.Address) (float64, bool, error) {
	if env == nil || env.Holdings == nil {
		return 0, false, nil
	}
	total, found := 0.0, false
	for _, b := range tx.Balances {
		if b.Address != addr || b.Delta.Sign() >= 0 {
			continue
		}
		h, err := env.Holdings(ctx, addr, b.Asset)
		if err != nil {
			return 0, false, fmt.Errorf("holdings of %s in %s: %w", addr, b.Asset, err)
		}
		if h == nil {
			continue
		}
		v, ok := Value(p, b.Asset, h)
		if !ok {
			continue
		}
		total += v
		found = true
	}
	return total, found, nil
}

// Ledger remembers, per watched address and account, the net value the
// account put into the address on mined transactions: what the account is
// entitled to take back (its deposits), so that withdrawing them is not an
// abnormal outflow.
type Ledger struct {
	credit map[common.Address]map[common.Address]float64
	// raw is the same in each asset's own units (the asset may have no
	// price): watched address → account → asset → net amount put in.
	raw map[common.Address]map[common.Address]map[common.Address]*big.Int
	// Max bounds the accounts remembered per address (default 100,000).
	Max int
}

// Yield is the return on its deposits an account may take out beyond them
// before the surplus counts as a loss of the protocol (2%: interest,
// rewards, a vault's share price rising).
const Yield = 0.02

// yieldPercent is Yield in percent, for amounts in raw units.
const yieldPercent = 2

// Excess returns the part of a loss `out` (value that left addr in a
// transaction of account) beyond account's credit at addr (see Credit): zero
// when out is within the credit plus Yield (a withdrawal with its
// earnings), out minus the credit otherwise (the yield is a tolerance, not
// a discount).
func (l *Ledger) Excess(addr, account common.Address, out float64, p detect.Pricer) float64 {
	c := l.Credit(addr, account, p)
	if out <= c*(1+Yield) {
		return min(out-c, 0)
	}
	return out - c
}

// Credit returns account's credit at addr: the larger of the value
// credited when its deposits were made and what its net deposits, in each
// asset's own units, are worth at the prices p (nil: the recorded value
// only). Valuing the units now matters when an asset had no price when it
// was deposited (its pool not yet seen): the deposit still counts once the
// asset can be priced, instead of the later withdrawal looking unbacked.
func (l *Ledger) Credit(addr, account common.Address, p detect.Pricer) float64 {
	if l == nil {
		return 0
	}
	c := l.credit[addr][account]
	if p == nil {
		return c
	}
	v := 0.0
	for asset, amt := range l.raw[addr][account] {
		if amt.Sign() <= 0 {
			continue
		}
		if e, ok := p.ETHValue(asset, amt); ok {
			v += e
		}
	}
	return max(c, v)
}

// Add changes account's credit at addr by delta (the address's net value
// change caused by account), floored at zero.
func (l *Ledger) Add(addr, account common.Address, delta float64) {
	if l.credit == nil {
		l.credit = map[common.Address]map[common.Address]float64{}
	}
	m := l.credit[addr]
	if m == nil {
		m = map[common.Address]float64{}
		l.credit[addr] = m
	}
	limit := l.Max
	if limit == 0 {
		limit = 100_000
	}
	if _, ok := m[account]; !ok && len(m) >= limit {
		return
	}
	v := m[account] + delta
	if v <= 0 {
		delete(m, account)
		return
	}
	m[account] = v
}

// RawCredit returns account's net deposits of asset at addr, in the
// asset's own units (zero when none).
func (l *Ledger) RawCredit(addr, account, asset common.Address) *big.Int {
	if l == nil || l.raw == nil {
		return new(big.Int)
	}
	if v := l.raw[addr][account][asset]; v != nil {
		return new(big.Int).Set(v)
	}
	return new(big.Int)
}

// HasRaw reports whether account has net deposits of any asset at addr.
func (l *Ledger) HasRaw(addr, account common.Address) bool {
	return l != nil && len(l.raw[addr][account]) > 0
}

// AddRaw changes account's deposits of asset at addr by delta, floored at
// zero.
func (l *Ledger) AddRaw(addr, account, asset common.Address, delta *big.Int) {
	if l.raw == nil {
		l.raw = map[common.Address]map[common.Address]map[common.Address]*big.Int{}
	}
	m := l.raw[addr]
	if m == nil {
		m = map[common.Address]map[common.Address]*big.Int{}
		l.raw[addr] = m
	}
	limit := l.Max
	if limit == 0 {
		limit = 100_000
	}
	a := m[account]
	if a == nil {
		if len(m) >= limit {
			return
		}
		a = map[common.Address]*big.Int{}
		m[account] = a
	}
	v := new(big.Int).Add(l.RawCredit(addr, account, asset), delta)
	if v.Sign() <= 0 {
		delete(a, asset)
		if len(a) == 0 {
			delete(m, account)
		}
		return
	}
	a[asset] = v
}

// Record updates l with a mined transaction: each watched address's net
// value change is credited to (or debited from) the sender, in value and
// in each asset's own units.
func (l *Ledger) Record(env *detect.Env, tx *txmodel.Tx, p detect.Pricer) {
	if tx.Stage != txmodel.StageMined || !Usable(tx) {
		return
	}
	for _, w := range Watched(env, tx) {
		f := FlowOf(tx, p, w)
		if f.Net != 0 {
			l.Add(w, tx.From, f.Net)
		}
		for _, b := range tx.Balances {
			if b.Address == w {
				l.AddRaw(w, tx.From, b.Asset, b.Delta)
			}
		}
	}
}

// AssetLoss is the share of a watched address's holdings of one asset that
// left it in a transaction, beyond the sender's own deposits of it.
type AssetLoss struct {
	Asset common.Address
	// Lost is the amount that left beyond the sender's deposits; Held the
	// holdings before the transaction.
	Lost, Held *big.Int
	// Share is Lost/Held (0–1).
	Share float64
}

// SharesLost returns, for each asset whose balance at addr fell in tx, the
// share of addr's pre-transaction holdings of it that left beyond what the
// sender had deposited (ledger may be nil), largest first. Holdings come
// from env.Holdings; assets whose holdings are unknown are skipped. This
// measures a loss in relative units, whatever the asset is worth.
func SharesLost(ctx context.Context, env *detect.Env, tx *txmodel.Tx, addr common.Address, ledger *Ledger) ([]AssetLoss, error) {
	if env == nil || env.Holdings == nil {
		return nil, nil
	}
	var out []AssetLoss
	for _, b := range tx.Balances {
		if b.Address != addr || b.Delta.Sign() >= 0 {
			continue
		}
		lost := new(big.Int).Neg(b.Delta)
		if ledger != nil {
			c := ledger.RawCredit(addr, tx.From, b.Asset)
			tolerated := new(big.Int).Add(c, new(big.Int).Div(new(big.Int).Mul(c, big.NewInt(yieldPercent)), big.NewInt(100)))
			if lost.Cmp(tolerated) <= 0 {
				continue // its deposit and earnings
			}
			lost.Sub(lost, c)
		}
		if lost.Sign() <= 0 {
			continue
		}
		h, err := env.Holdings(ctx, addr, b.Asset)
		if err != nil {
			return out, fmt.Errorf("holdings of %s in %s: %w", addr, b.Asset, err)
		}
		if h == nil || h.Sign() <= 0 {
			continue
		}
		if tx.Stage == txmodel.StageMined && h.Cmp(new(big.Int).Neg(b.Delta)) < 0 {
			// Parent-block holdings below what left: other transactions
			// of the block paid in first; measure against what left.
			h = new(big.Int).Neg(b.Delta)
		}
		lf, _ := new(big.Float).SetInt(lost).Float64()
		hf, _ := new(big.Float).SetInt(h).Float64()
		out = append(out, AssetLoss{Asset: b.Asset, Lost: lost, Held: h, Share: min(lf/hf, 1)})
	}
	slices.SortFunc(out, func(a, b AssetLoss) int {
		switch {
		case a.Share > b.Share:
			return -1
		case a.Share < b.Share:
			return 1
		}
		return 0
	})
	return out, nil
}

// IsPool reports whether addr is an AMM pool that tx moved, with its
// reserves known from a Sync (its losses are trades, measured by its
// reserves' invariant instead). A contract that only emitted an event
// shaped like a pool's Mint or Burn (Compound's cToken Mint has the same
// signature) is not one.
func IsPool(tx *txmodel.Tx, addr common.Address) bool {
	pm := tx.Pool(addr)
	return pm != nil && (pm.Reserve0After != nil || pm.SqrtPriceX96After != nil)
}

// HistoryKnown reports whether env learned addr's past deposits; true
// when env does not say (a caller that does not track history).
func HistoryKnown(env *detect.Env, addr common.Address) bool {
	return env == nil || env.HistoryKnown == nil || env.HistoryKnown(addr)
}

// PlainWithdrawal reports whether tx is an account calling watched address
// w directly and being paid out, with no other contract in between: every
// frame runs in a watched contract, or is a token moving funds (it emitted
// a Transfer), or pays ETH to the sender; no pool price moved. That is the
// shape of a user withdrawing their deposit; without the deposit history
// it cannot be told from an access-control drain by its shape alone.
func PlainWithdrawal(env *detect.Env, tx *txmodel.Tx, w common.Address) bool {
	if tx.To == nil || *tx.To != w || tx.Root == nil || len(tx.Created) > 0 {
		return false
	}
	for i := range tx.Pools {
		if tx.Pools[i].MaxMove() >= 1.05 {
			return false
		}
	}
	plain := true
	tx.Walk(func(c *txmodel.Call) bool {
		if !plain || c.Reverted() {
			return false
		}
		switch a := c.Context(); {
		case c.Type == txmodel.CallStaticCall:
			return false // reads move nothing
		case a == w:
		case c.To == tx.From && len(c.Calls) == 0:
		default:
			if _, ok := Protocol(env, a); ok {
				return true
			}
			emits := false
			for _, l := range c.Logs {
				emits = emits || l.Kind == txmodel.KindERC20Transfer
			}
			if !emits {
				plain = false
			}
			return false // a token's own sub-calls (hooks) do not matter
		}
		return true
	})
	return plain
}
