package outflow

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/monitor/detect"
	"github.com/aegis-defi/aegis/internal/monitor/detectors/dutil"
	"github.com/aegis-defi/aegis/internal/txmodel"
)

// Overpayment rules: a protocol paying out far more than the caller is owed,
// below the plain MinShare threshold. Two behaviours of real incidents:
//
//   - multiplied deposit (Euler's donate-and-self-liquidate, share-price
//     and rounding exploits): within one transaction the protocol receives
//     an amount of an asset and pays back at least OverpayRatio times as
//     much of the same asset, the surplus beyond the sender's past deposits
//     being at least OverpayShare of its holdings;
//   - repeated claim (signature replay, claim-twice bugs): an account that
//     never deposited anything into the protocol is paid, for the second
//     time, the same amount of the same asset, at least OverpayShare of the
//     protocol's holdings, for a call presenting the same authorisation as
//     the first (a shared high-entropy argument word: a signature's r, a
//     digest, a proof node). A vesting contract paying its beneficiary the
//     same tranche again presents none.
//
// Both need the protocol's history (backfill or seen since creation):
// without it past deposits and payouts are unknown.

// paidMax bounds the payouts remembered per (contract, account, asset).
const paidMax = 8

// paidAccountsMax bounds the accounts remembered per contract.
const paidAccountsMax = 100_000

// payout is one remembered payment: the amount and the high-entropy
// argument words (signature components, hashes, proofs) of the calls into
// the paying contract.
type payout struct {
	amount *big.Int
	words  map[[32]byte]bool
}

// authWords returns the high-entropy 32-byte argument words of every call
// into w in tx: words that are neither a small number nor an address (at
// least 20 non-zero bytes), i.e. signature components, digests, Merkle
// proof nodes — the authorisation a claim presents.
func authWords(tx *txmodel.Tx, w common.Address) map[[32]byte]bool {
	out := map[[32]byte]bool{}
	if tx.Root == nil {
		return out
	}
	tx.Walk(func(c *txmodel.Call) bool {
		if c.To != w || c.Reverted() || len(c.Input) < 4+32 {
			return true
		}
		args := c.Input[4:]
		for i := 0; i+32 <= len(args); i += 32 {
			var word [32]byte
			copy(word[:], args[i:i+32])
			nz := 0
			for _, b := range word {
				if b != 0 {
					nz++
				}
			}
			if nz >= 20 {
				out[word] = true
			}
		}
		return true
	})
	return out
}

// recordPaid remembers the payouts of w to the sender of a mined tx.
func (d *Detector) recordPaid(env *detect.Env, tx *txmodel.Tx) {
	if tx.Stage != txmodel.StageMined || !dutil.Usable(tx) {
		return
	}
	for _, w := range dutil.Watched(env, tx) {
		// Only what the rule can match later: payments to accounts with
		// no deposits, for calls presenting an authorisation word.
		if w == tx.From || d.credited(w, tx.From) {
			continue
		}
		words := authWords(tx, w)
		if len(words) == 0 {
			continue
		}
		for _, b := range tx.Balances {
			if b.Address != w || b.Delta.Sign() >= 0 || gain(tx, b.Asset, dutil.Cluster(env, tx)).Sign() <= 0 {
				continue
			}
			m := d.paid[w]
			if m == nil {
				m = map[common.Address]map[common.Address][]payout{}
				d.paid[w] = m
			}
			a := m[tx.From]
			if a == nil {
				if len(m) >= paidAccountsMax {
					continue
				}
				a = map[common.Address][]payout{}
				m[tx.From] = a
			}
			l := append(a[b.Asset], payout{amount: new(big.Int).Neg(b.Delta), words: words})
			if len(l) > paidMax {
				l = l[len(l)-paidMax:]
			}
			a[b.Asset] = l
		}
	}
}

// gain returns the combined balance change of addrs in asset.
func gain(tx *txmodel.Tx, asset common.Address, addrs []common.Address) *big.Int {
	g := new(big.Int)
	for _, b := range tx.Balances {
		if b.Asset != asset {
			continue
		}
		for _, a := range addrs {
			if b.Address == a {
				g.Add(g, b.Delta)
			}
		}
	}
	return g
}

// grossTokenFlows returns the amounts of each token that entered and left
// w in tx, from its Transfer events.
func grossTokenFlows(tx *txmodel.Tx, w common.Address) (in, out map[common.Address]*big.Int) {
	in, out = map[common.Address]*big.Int{}, map[common.Address]*big.Int{}
	add := func(m map[common.Address]*big.Int, k common.Address, v *big.Int) {
		if m[k] == nil {
			m[k] = new(big.Int)
		}
		m[k].Add(m[k], v)
	}
	for _, l := range tx.Logs {
		t, ok := l.Decoded.(*txmodel.Transfer)
		if !ok || t.Value == nil || t.From == t.To {
			continue
		}
		if t.To == w {
			add(in, l.Address, t.Value)
		}
		if t.From == w {
			add(out, l.Address, t.Value)
		}
	}
	return in, out
}

// credited reports whether account has any deposit recorded at w.
func (d *Detector) credited(w, account common.Address) bool {
	if d.ledger.Credit(w, account, nil) > 0 {
		return true
	}
	return d.ledger.HasRaw(w, account)
}

// ratio returns a/b as a float (b > 0).
func ratio(a, b *big.Int) float64 {
	f, _ := new(big.Float).Quo(new(big.Float).SetInt(a), new(big.Float).SetInt(b)).Float64()
	return f
}

// overpaid applies the overpayment rules to watched contract w (not a pool).
func (d *Detector) overpaid(ctx context.Context, env *detect.Env, tx *txmodel.Tx, w common.Address) (alert.Observation, bool, error) {
	if env == nil || env.Holdings == nil || dutil.IsPool(tx, w) || !dutil.HistoryKnown(env, w) {
		return alert.Observation{}, false, nil
	}
	in, out := grossTokenFlows(tx, w)
	cluster := dutil.Cluster(env, tx)
	for _, b := range tx.Balances {
		if b.Address != w || b.Delta.Sign() >= 0 {
			continue
		}
		net := new(big.Int).Neg(b.Delta)
		beyond := new(big.Int).Sub(net, d.ledger.RawCredit(w, tx.From, b.Asset))
		if beyond.Sign() <= 0 {
			continue
		}
		// The shapes first (no RPC), then the share of the holdings.
		i, o := in[b.Asset], out[b.Asset]
		multiplied := i != nil && i.Sign() > 0 && o != nil && ratio(o, i) >= d.cfg.OverpayRatio
		repeated := !multiplied && (i == nil || i.Sign() == 0) && !d.credited(w, tx.From) &&
			d.paidBefore(w, tx.From, b.Asset, net, authWords(tx, w)) && gain(tx, b.Asset, cluster).Sign() > 0
		if !multiplied && !repeated {
			continue
		}
		held, err := env.Holdings(ctx, w, b.Asset)
		if err != nil {
			return alert.Observation{}, false, fmt.Errorf("holdings of %s in %s: %w", w, b.Asset, err)
		}
		if held == nil || held.Sign() <= 0 {
			continue
		}
		share := min(ratio(beyond, held), 1)
		if share < d.cfg.OverpayShare {
			continue
		}
		numbers := map[string]float64{"loss_share": share}
		var msg string
		if multiplied {
			r := ratio(o, i)
			numbers["payout_ratio"] = r
			msg = fmt.Sprintf("%s paid out ×%.2f what it received of token %s in the same tx (%s in, %s out), %.0f%% of its holdings beyond the sender's deposits: a deposit multiplied inside one transaction",
				dutil.Name(env, w), r, dutil.Short(b.Asset), i, o, 100*share)
		} else {
			msg = fmt.Sprintf("%s paid %s of token %s (%.0f%% of its holdings) to %s a second time: the account never deposited anything into it and was already paid exactly this amount for a call presenting the same authorisation (a signature component, digest or proof word); a replayed claim",
				dutil.Name(env, w), net, dutil.Short(b.Asset), 100*share, dutil.Short(tx.From))
		}
		ob := dutil.Observation(env, tx, d.Meta(), alert.SeverityHigh, 0.7, msg)
		ob.Victim = dutil.Victim(env, w)
		for k, v := range numbers {
			ob.Numbers[k] = v
		}
		ob.Technique = "overpayment by " + dutil.Name(env, w)
		return ob, true, nil
	}
	return alert.Observation{}, false, nil
}

// paidBefore reports whether w paid account amount (±1%) of asset before
// for a call that presented one of words (the same authorisation).
func (d *Detector) paidBefore(w, account, asset common.Address, amount *big.Int, words map[[32]byte]bool) bool {
	tol := new(big.Int).Div(amount, big.NewInt(100))
	for _, p := range d.paid[w][account][asset] {
		diff := new(big.Int).Sub(p.amount, amount)
		if diff.CmpAbs(tol) > 0 {
			continue
		}
		for word := range words {
			if p.words[word] {
				return true
			}
		}
	}
	return false
}
