// Package reentrancy implements the reentrancy detector: the call tree
// re-enters a watched contract while an outer frame of it is still active
// (The DAO, Rari/Fei), with value leaving the contract.
package reentrancy

import (
	"context"
	"fmt"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/monitor/detect"
	"github.com/aegis-defi/aegis/internal/monitor/detectors/dutil"
	"github.com/aegis-defi/aegis/internal/txmodel"
)

// Name is the detector's name.
const Name = "reentrancy"

// Config holds the detector's thresholds.
type Config struct {
	// MinOutflowETH is the value (ETH) that must leave the re-entered
	// contract for a critical observation (default 0.1); re-entries
	// without it are reported at ReentryOnlySeverity.
	MinOutflowETH float64
	// ReentryOnlySeverity is the severity of a re-entry without value
	// leaving the contract (default low).
	ReentryOnlySeverity alert.Severity
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{MinOutflowETH: 0.1, ReentryOnlySeverity: alert.SeverityLow}
}

// Detector is the reentrancy detector.
type Detector struct{ cfg Config }

// New returns the detector; a zero MinOutflowETH takes the default.
func New(cfg Config) *Detector {
	if cfg.MinOutflowETH == 0 {
		cfg.MinOutflowETH = DefaultConfig().MinOutflowETH
	}
	return &Detector{cfg: cfg}
}

// Meta implements detect.Detector.
func (*Detector) Meta() detect.Meta {
	return detect.Meta{
		Name:       Name,
		Title:      "Reentrancy",
		Doc:        "Fires when the call tree re-enters a watched contract (CALL into it while an outer frame executes in its context; view calls ignored) and value leaves the contract: critical above MinOutflowETH of net outflow or with value-carrying calls out of it during the re-entry.",
		Severity:   alert.SeverityCritical,
		Confidence: 0.9,
	}
}

// Inspect implements detect.Detector.
func (d *Detector) Inspect(_ context.Context, env *detect.Env, tx *txmodel.Tx) ([]alert.Observation, error) {
	if !dutil.Usable(tx) || tx.Root == nil || tx.Partial {
		return nil, nil
	}
	var out []alert.Observation
	p := dutil.Prices(env, tx)
	for _, w := range dutil.Watched(env, tx) {
		var frames []*txmodel.Call
		for _, c := range tx.ReentrantFrames(w) {
			if c.Type != txmodel.CallStaticCall && !c.Reverted() {
				frames = append(frames, c)
			}
		}
		if len(frames) == 0 {
			continue
		}
		// Value sent out of w while re-entered (by the re-entrant frames'
		// subtrees, or by the outer frames after them).
		sends := 0
		tx.Walk(func(c *txmodel.Call) bool {
			if c.From == w && c.Type.TransfersValue() && c.Value != nil && c.Value.Sign() > 0 && !c.Reverted() {
				sends++
			}
			return true
		})
		loss := -dutil.FlowOf(tx, p, w).Net
		sev, conf := d.cfg.ReentryOnlySeverity, alert.Confidence(0.4)
		if loss >= d.cfg.MinOutflowETH || sends >= 2 {
			sev, conf = alert.SeverityCritical, 0.92
		}
		fn := frames[0].Function()
		if fn == "" {
			fn = frames[0].Selector.String()
		}
		msg := fmt.Sprintf("%s re-entered %d time(s) (first via %s from %s) while its frame was active; %d value transfer(s) out, net loss %.2f ETH",
			dutil.Name(env, w), len(frames), fn, dutil.Short(frames[0].From), sends, loss)
		o := dutil.Observation(env, tx, d.Meta(), sev, conf, msg)
		o.Victim = dutil.Victim(env, w)
		o.Numbers["reentries"] = float64(len(frames))
		o.Numbers["loss_eth"] = loss
		o.Technique = "reentrancy into " + fn
		out = append(out, o)
	}
	return out, nil
}
