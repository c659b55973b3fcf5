// Package freshcontract implements the fresh-contract detector: a
// transaction into a watched protocol whose target contract was created in
// the same transaction or recently (creations seen on mined blocks), or
// whose sender was recently funded from a mixer-labelled address. It is
// enrichment: medium at most.
package freshcontract

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/monitor/detect"
	"github.com/aegis-defi/aegis/internal/monitor/detectors/dutil"
	"github.com/aegis-defi/aegis/internal/txmodel"
)

// Name is the detector's name.
const Name = "fresh-contract"

// Config holds the detector's thresholds.
type Config struct {
	// MaxAge is how recent a creation (or a mixer funding) must be
	// (default 1 hour).
	MaxAge time.Duration
	// MaxTracked bounds the remembered creations and fundings (default
	// 100,000); the oldest are forgotten first.
	MaxTracked int
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config { return Config{MaxAge: time.Hour, MaxTracked: 100_000} }

// Detector is the fresh-contract detector.
type Detector struct {
	cfg     Config
	created map[common.Address]time.Time
	funded  map[common.Address]time.Time
	// head is the newest block timestamp seen: the chain's clock, which the
	// remembered times use.
	head time.Time
}

// New returns the detector; zero Config fields take the defaults.
func New(cfg Config) *Detector {
	d := DefaultConfig()
	if cfg.MaxAge == 0 {
		cfg.MaxAge = d.MaxAge
	}
	if cfg.MaxTracked == 0 {
		cfg.MaxTracked = d.MaxTracked
	}
	return &Detector{cfg: cfg, created: map[common.Address]time.Time{}, funded: map[common.Address]time.Time{}}
}

// Meta implements detect.Detector.
func (*Detector) Meta() detect.Meta {
	return detect.Meta{
		Name:       Name,
		Title:      "Fresh attacker contract",
		Doc:        "Enrichment: a transaction touching a watched protocol whose target contract was created in the same transaction or within MaxAge (low), or whose sender was funded from a mixer-labelled address within MaxAge (medium).",
		Severity:   alert.SeverityLow,
		Confidence: 0.3,
	}
}

// now returns the time tx is judged at, on the chain's clock like the
// remembered creations and fundings: a mined tx's block timestamp; for a
// pending tx the wall clock, but never before the newest block seen. Block
// timestamps run ahead of the wall clock on devnets (blocks sealed less than
// a second apart get timestamps a second apart; evm_increaseTime) and on
// chains whose producers' clocks are skewed, so the wall clock alone made a
// creation mined "in the future" and its age negative.
func (d *Detector) now(env *detect.Env, tx *txmodel.Tx) time.Time {
	if tx.BlockTime != 0 {
		t := time.Unix(int64(tx.BlockTime), 0)
		if t.After(d.head) {
			d.head = t
		}
		return t
	}
	wall := time.Now()
	if env != nil && env.Now != nil {
		wall = env.Now()
	}
	if wall.Before(d.head) {
		return d.head
	}
	return wall
}

// age is how long before t the event at was, never negative (mined
// transactions may be inspected out of block order).
func age(t, at time.Time) time.Duration { return max(t.Sub(at), 0) }

// Inspect implements detect.Detector.
func (d *Detector) Inspect(_ context.Context, env *detect.Env, tx *txmodel.Tx) ([]alert.Observation, error) {
	if !dutil.Usable(tx) {
		return nil, nil
	}
	t := d.now(env, tx)
	defer d.learn(env, tx, t)
	watched := dutil.Watched(env, tx)
	if len(watched) == 0 {
		return nil, nil
	}
	var reasons []string
	sev := alert.SeverityInfo
	if tx.To != nil {
		if slices.Contains(tx.Created, *tx.To) {
			reasons = append(reasons, "target contract created in the same transaction")
			sev = alert.SeverityLow
		} else if at, ok := d.created[*tx.To]; ok && age(t, at) <= d.cfg.MaxAge {
			reasons = append(reasons, fmt.Sprintf("target contract %s created %s ago", dutil.Short(*tx.To), age(t, at).Round(time.Second)))
			sev = alert.SeverityLow
		}
	}
	if len(tx.Created) > 0 && tx.To != nil && !slices.Contains(tx.Created, *tx.To) && sev == alert.SeverityInfo {
		reasons = append(reasons, fmt.Sprintf("%d contract(s) created during the call", len(tx.Created)))
		sev = alert.SeverityLow
	}
	if at, ok := d.funded[tx.From]; ok && age(t, at) <= d.cfg.MaxAge {
		reasons = append(reasons, fmt.Sprintf("sender funded from a mixer %s ago", age(t, at).Round(time.Second)))
		sev = alert.SeverityMedium
	}
	if len(reasons) == 0 {
		return nil, nil
	}
	o := dutil.Observation(env, tx, d.Meta(), sev, 0.3, strings.Join(reasons, "; ")+" (touches "+dutil.Name(env, watched[0])+")")
	o.Victim = dutil.Victim(env, watched[0])
	return []alert.Observation{o}, nil
}

// learn records mined creations and mixer fundings.
func (d *Detector) learn(env *detect.Env, tx *txmodel.Tx, t time.Time) {
	if tx.Stage != txmodel.StageMined {
		return
	}
	for _, c := range tx.Created {
		d.put(d.created, c, t)
	}
	if tx.ContractAddress != nil {
		d.put(d.created, *tx.ContractAddress, t)
	}
	tx.Walk(func(c *txmodel.Call) bool {
		if c.Type.TransfersValue() && c.Value != nil && c.Value.Sign() > 0 && !c.Reverted() && dutil.HasLabelPrefix(env, c.From, "mixer") {
			d.put(d.funded, c.To, t)
		}
		return true
	})
}

// put stores a time, evicting expired (then arbitrary) entries when full.
func (d *Detector) put(m map[common.Address]time.Time, a common.Address, t time.Time) {
	if _, ok := m[a]; !ok && len(m) >= d.cfg.MaxTracked {
		for k, v := range m {
			if t.Sub(v) > d.cfg.MaxAge {
				delete(m, k)
			}
		}
		if len(m) >= d.cfg.MaxTracked {
			return
		}
	}
	m[a] = t
}
