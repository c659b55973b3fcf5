// Package outflow implements the abnormal-outflow detector: a watched
// contract loses a large share of its holdings in one transaction, or over
// a sliding window of mined transactions, beyond what the sender had
// deposited into it before (withdrawing one's own deposits is normal).
package outflow

import (
	"context"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/monitor/detect"
	"github.com/aegis-defi/aegis/internal/monitor/detectors/dutil"
	"github.com/aegis-defi/aegis/internal/monitor/detectors/flashloan"
	"github.com/aegis-defi/aegis/internal/txmodel"
)

// Name is the detector's name.
const Name = "abnormal-outflow"

// Config holds the detector's thresholds.
type Config struct {
	// MinLossETH is the smallest net value loss (ETH, beyond the sender's
	// deposits) that can fire (default 1).
	MinLossETH float64
	// MinShare is the share (0–1) of the contract's holdings of the assets
	// that left it, lost in one transaction, that fires high (default 0.2).
	MinShare float64
	// CriticalShare fires critical (default 0.5).
	CriticalShare float64
	// AbsoluteLossETH fires high when the holdings are unknown (default
	// 100).
	AbsoluteLossETH float64
	// Window and WindowShare: mined losses over Window summing to
	// WindowShare of the holdings fire high (defaults 10 minutes, 0.3).
	Window      time.Duration
	WindowShare float64
	// OverpayShare is the share (0–1) of the contract's holdings of an
	// asset that an overpayment must reach to fire high (default 0.1):
	// a deposit multiplied within one tx, or a repeated claim (see
	// overpaid.go).
	OverpayShare float64
	// OverpayRatio is the smallest out/in ratio of one asset within one
	// tx that counts as a multiplied deposit (default 1.5).
	OverpayRatio float64
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{MinLossETH: 1, MinShare: 0.2, CriticalShare: 0.5, AbsoluteLossETH: 100, Window: 10 * time.Minute, WindowShare: 0.3, OverpayShare: 0.1, OverpayRatio: 1.5}
}

type loss struct {
	at    time.Time
	share float64
	eth   float64
}

// Detector is the abnormal-outflow detector.
type Detector struct {
	cfg    Config
	ledger dutil.Ledger
	window map[common.Address][]loss
	// paid remembers mined payouts: contract → sender → asset → amounts.
	paid map[common.Address]map[common.Address]map[common.Address][]payout
}

// New returns the detector; zero Config fields take the defaults.
func New(cfg Config) *Detector {
	d := DefaultConfig()
	def := func(v *float64, x float64) {
		if *v == 0 {
			*v = x
		}
	}
	def(&cfg.MinLossETH, d.MinLossETH)
	def(&cfg.MinShare, d.MinShare)
	def(&cfg.CriticalShare, d.CriticalShare)
	def(&cfg.AbsoluteLossETH, d.AbsoluteLossETH)
	def(&cfg.WindowShare, d.WindowShare)
	def(&cfg.OverpayShare, d.OverpayShare)
	def(&cfg.OverpayRatio, d.OverpayRatio)
	if cfg.Window == 0 {
		cfg.Window = d.Window
	}
	return &Detector{cfg: cfg, window: map[common.Address][]loss{}, paid: map[common.Address]map[common.Address]map[common.Address][]payout{}}
}

// Meta implements detect.Detector.
func (*Detector) Meta() detect.Meta {
	return detect.Meta{
		Name:       Name,
		Title:      "Abnormal outflow",
		Doc:        "Fires when a watched contract's net value loss in one transaction (pre-transaction prices, minus what the sender deposited before) exceeds MinLossETH and MinShare of its holdings of the assets that left (critical from CriticalShare), or when mined losses over Window add up to WindowShare. Assets without a price are measured in relative units: MinShare of the contract's holdings of one asset leaving beyond the sender's deposits of it (pools are judged by their reserves instead). A plain withdrawal from a contract whose pre-monitor history is unknown is capped at medium. Overpayments fire high from OverpayShare of the holdings of one asset when the history is known: a contract paying out at least OverpayRatio times what it received of that asset in the same tx (a deposit multiplied), or paying an account that never deposited anything the same amount it was already paid for a call presenting the same authorisation word (a replayed claim).",
		Severity:   alert.SeverityHigh,
		Confidence: 0.75,
	}
}

func txTime(env *detect.Env, tx *txmodel.Tx) time.Time {
	if tx.BlockTime != 0 {
		return time.Unix(int64(tx.BlockTime), 0)
	}
	if env != nil && env.Now != nil {
		return env.Now()
	}
	return time.Now()
}

// Inspect implements detect.Detector.
func (d *Detector) Inspect(ctx context.Context, env *detect.Env, tx *txmodel.Tx) ([]alert.Observation, error) {
	if !dutil.Usable(tx) {
		return nil, nil
	}
	p := dutil.Prices(env, tx)
	now := txTime(env, tx)
	var out []alert.Observation
	var ferr error
	for _, w := range dutil.Watched(env, tx) {
		if w == tx.From {
			continue
		}
		lost := d.ledger.Excess(w, tx.From, -dutil.FlowOf(tx, p, w).Net, p)
		if lost < d.cfg.MinLossETH {
			// No price, or too little value: measure in relative units.
			if o, ok, err := d.relative(ctx, env, tx, p, w); err != nil {
				ferr = fmt.Errorf("abnormal-outflow: %w", err)
			} else if ok {
				out = append(out, o)
			} else if o, ok, err := d.overpaid(ctx, env, tx, w); err != nil {
				ferr = fmt.Errorf("abnormal-outflow: %w", err)
			} else if ok {
				out = append(out, o)
			}
			continue
		}
		held, known, err := dutil.HoldingsValue(ctx, env, tx, p, w)
		if err != nil {
			ferr = fmt.Errorf("abnormal-outflow: %w", err)
			known = false
		}
		share := 0.0
		if known && held > 0 {
			share = min(lost/held, 1)
		}
		var sev alert.Severity
		conf := alert.Confidence(0.75)
		switch {
		case known && share >= d.cfg.CriticalShare:
			sev, conf = alert.SeverityCritical, 0.85
		case known && share >= d.cfg.MinShare:
			sev = alert.SeverityHigh
		case !known && lost >= d.cfg.AbsoluteLossETH:
			sev, conf = alert.SeverityHigh, 0.6
		}
		// Window over mined losses.
		wsum := share
		for _, l := range d.window[w] {
			if now.Sub(l.at) <= d.cfg.Window {
				wsum += l.share
			}
		}
		if sev < alert.SeverityHigh && known && wsum >= d.cfg.WindowShare {
			sev = alert.SeverityHigh
		}
		if tx.Stage == txmodel.StageMined && known {
			d.remember(w, loss{at: now, share: share, eth: lost}, now)
		}
		if sev < alert.SeverityHigh {
			if o, ok, err := d.overpaid(ctx, env, tx, w); err != nil {
				ferr = fmt.Errorf("abnormal-outflow: %w", err)
			} else if ok {
				out = append(out, o)
			}
			continue
		}
		msg := fmt.Sprintf("%s lost %.2f ETH in one tx", dutil.Name(env, w), lost)
		if known {
			msg += fmt.Sprintf(", %.0f%% of its holdings of the assets that left (%.0f%% over the window)", 100*share, 100*wsum)
		}
		if unknownWithdrawal(env, tx, w) {
			sev, conf = alert.SeverityMedium, 0.4
			msg += "; " + withdrawalNote
		}
		o := dutil.Observation(env, tx, d.Meta(), sev, conf, msg)
		o.Victim = dutil.Victim(env, w)
		o.Numbers["loss_eth"] = lost
		if known {
			o.Numbers["loss_share"] = share
			o.Numbers["window_share"] = wsum
		}
		o.Technique = "drain of " + dutil.Name(env, w)
		out = append(out, o)
	}
	d.recordPaid(env, tx)
	d.ledger.Record(env, tx, p)
	return out, ferr
}

// relative reports a watched contract (not a pool the transaction traded
// with: pools are judged by their reserves' invariant) that lost at least
// MinShare of its holdings of an asset without a price, beyond the
// sender's deposits of it.
func (d *Detector) relative(ctx context.Context, env *detect.Env, tx *txmodel.Tx, p detect.Pricer, w common.Address) (alert.Observation, bool, error) {
	if dutil.IsPool(tx, w) {
		return alert.Observation{}, false, nil
	}
	losses, err := dutil.SharesLost(ctx, env, tx, w, &d.ledger)
	for _, l := range losses {
		if _, priced := p.ETHValue(l.Asset, l.Lost); priced || l.Share < d.cfg.MinShare {
			continue
		}
		sev, conf := alert.SeverityHigh, alert.Confidence(0.7)
		if l.Share >= d.cfg.CriticalShare {
			sev, conf = alert.SeverityCritical, 0.8
		}
		msg := fmt.Sprintf("%s lost %.0f%% of its holdings of token %s in one tx (%s of %s raw units; the token has no price, so the loss is measured relative to the holdings)",
			dutil.Name(env, w), 100*l.Share, dutil.Short(l.Asset), l.Lost, l.Held)
		if unknownWithdrawal(env, tx, w) {
			sev, conf = alert.SeverityMedium, 0.4
			msg += "; " + withdrawalNote
		}
		o := dutil.Observation(env, tx, d.Meta(), sev, conf, msg)
		o.Victim = dutil.Victim(env, w)
		o.Numbers["loss_share"] = l.Share
		o.Technique = "drain of " + dutil.Name(env, w)
		return o, true, err
	}
	return alert.Observation{}, false, err
}

// withdrawalNote explains a loss capped at medium by unknownWithdrawal.
const withdrawalNote = "a plain withdrawal (the account called the contract directly, no other contract, flash loan or price move) and its deposits from before the monitor started are unknown (no history backfilled): capped at medium"

// unknownWithdrawal reports a plain withdrawal from w whose depositor
// history the monitor could not learn.
func unknownWithdrawal(env *detect.Env, tx *txmodel.Tx, w common.Address) bool {
	return !dutil.HistoryKnown(env, w) && dutil.PlainWithdrawal(env, tx, w) && len(flashloan.ShapeLoans(tx)) == 0
}

// remember appends a mined loss and drops the expired ones.
func (d *Detector) remember(w common.Address, l loss, now time.Time) {
	kept := d.window[w][:0]
	for _, x := range d.window[w] {
		if now.Sub(x.at) <= d.cfg.Window {
			kept = append(kept, x)
		}
	}
	d.window[w] = append(kept, l)
}
