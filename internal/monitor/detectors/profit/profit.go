// Package profit implements the attacker-profit detector: the sender (with
// the contracts acting for it in the transaction) nets a large gain, far
// above what it put in, while a watched protocol lost value beyond the
// sender's own deposits in the same transaction.
package profit

import (
	"context"
	"fmt"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/monitor/detect"
	"github.com/aegis-defi/aegis/internal/monitor/detectors/dutil"
	"github.com/aegis-defi/aegis/internal/txmodel"
)

// Name is the detector's name.
const Name = "attacker-profit"

// Config holds the detector's thresholds.
type Config struct {
	// MinProfitETH is the sender cluster's smallest net gain (ETH) that
	// can fire (default 1).
	MinProfitETH float64
	// MinLossETH is the smallest uncredited loss (ETH) of a watched
	// protocol in the same transaction (default 1).
	MinLossETH float64
	// MinReturn is the smallest gain / outlay ratio (outlay: the value of
	// the assets the cluster parted with) — liquidations and arbitrage earn
	// a few percent, exploits many times their outlay (default 0.5).
	MinReturn float64
	// CriticalProfitETH raises the severity to critical (default 50).
	CriticalProfitETH float64
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{MinProfitETH: 1, MinLossETH: 1, MinReturn: 0.5, CriticalProfitETH: 50}
}

// Detector is the attacker-profit detector.
type Detector struct {
	cfg    Config
	ledger dutil.Ledger
}

// New returns the detector; zero Config fields take the defaults.
func New(cfg Config) *Detector {
	d := DefaultConfig()
	def := func(v *float64, x float64) {
		if *v == 0 {
			*v = x
		}
	}
	def(&cfg.MinProfitETH, d.MinProfitETH)
	def(&cfg.MinLossETH, d.MinLossETH)
	def(&cfg.MinReturn, d.MinReturn)
	def(&cfg.CriticalProfitETH, d.CriticalProfitETH)
	return &Detector{cfg: cfg}
}

// Meta implements detect.Detector.
func (*Detector) Meta() detect.Meta {
	return detect.Meta{
		Name:       Name,
		Title:      "Attacker profit",
		Doc:        "Fires when the sender and the contracts acting for it (created in the tx, or called by it and forwarding funds to it) net more than MinProfitETH at pre-transaction prices, at least MinReturn times what they parted with, while a watched protocol lost more than MinLossETH beyond the sender's earlier deposits.",
		Severity:   alert.SeverityHigh,
		Confidence: 0.8,
	}
}

// Inspect implements detect.Detector.
func (d *Detector) Inspect(_ context.Context, env *detect.Env, tx *txmodel.Tx) ([]alert.Observation, error) {
	if !dutil.Usable(tx) {
		return nil, nil
	}
	p := dutil.Prices(env, tx)
	defer d.ledger.Record(env, tx, p)
	cluster := dutil.Cluster(env, tx)
	f := dutil.FlowOf(tx, p, cluster...)
	if f.Net < d.cfg.MinProfitETH || f.Net < d.cfg.MinReturn*f.Out {
		return nil, nil
	}
	var victim common.Address
	lost := 0.0
	for _, w := range dutil.Watched(env, tx) {
		if l := d.ledger.Excess(w, tx.From, -dutil.FlowOf(tx, p, w).Net, p); l > lost {
			victim, lost = w, l
		}
	}
	if lost < d.cfg.MinLossETH {
		return nil, nil
	}
	sev, conf := alert.SeverityHigh, alert.Confidence(0.8)
	if f.Net >= d.cfg.CriticalProfitETH {
		sev, conf = alert.SeverityCritical, 0.88
	}
	msg := fmt.Sprintf("sender %s (with %d contract(s)) netted %.2f ETH (outlay %.2f ETH) while %s lost %.2f ETH",
		dutil.Short(tx.From), len(cluster)-1, f.Net, f.Out, dutil.Name(env, victim), lost)
	if !dutil.HistoryKnown(env, victim) && dutil.PlainWithdrawal(env, tx, victim) {
		sev, conf = alert.SeverityMedium, 0.4
		msg += "; a plain withdrawal by an account whose deposits from before the monitor started are unknown (no history backfilled): capped at medium"
	}
	o := dutil.Observation(env, tx, d.Meta(), sev, conf, msg)
	o.Victim = dutil.Victim(env, victim)
	o.Numbers["profit_eth"] = f.Net
	o.Numbers["loss_eth"] = lost
	o.Numbers["outlay_eth"] = f.Out
	return []alert.Observation{o}, nil
}
