// Package txanomaly implements the anomaly detector: per watched protocol,
// a streaming model (internal/anomaly: half-space trees plus robust
// z-scores) over features of each transaction touching it. Mined
// transactions are scored then learned; pending ones only scored. The
// observations are statistical (Anomaly: true), at most medium, and name
// the features that contributed most.
package txanomaly

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/anomaly"
	"github.com/aegis-defi/aegis/internal/monitor/detect"
	"github.com/aegis-defi/aegis/internal/monitor/detectors/dutil"
	"github.com/aegis-defi/aegis/internal/monitor/detectors/flashloan"
	"github.com/aegis-defi/aegis/internal/txmodel"
)

// Name is the detector's name.
const Name = "anomaly"

// Config holds the detector's settings.
type Config struct {
	// Model configures each protocol's model (zero fields: anomaly
	// defaults, except Window 128 and Depth 9: with a 128-sample window the
	// mass-based score stops a few levels down, so deeper trees only cost
	// memory — depth 9 is 150 KB per protocol instead of 9.4 MB at 15).
	Model anomaly.Config
	// MinSeverity is the lowest model severity reported (default low).
	MinSeverity anomaly.Severity
	// MaxSenders bounds the senders remembered per protocol for the
	// novelty feature (default 50,000).
	MaxSenders int
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{Model: anomaly.Config{Window: 128, Depth: 9, Seed: 1}, MinSeverity: anomaly.SeverityLow, MaxSenders: 50_000}
}

// Features are the model's features, in order.
func Features() []anomaly.Feature {
	return []anomaly.Feature{
		{Name: "value_eth", Transform: anomaly.Log1p},
		{Name: "loss_eth", Transform: anomaly.Log1p},
		{Name: "gas_used", Transform: anomaly.Log1p},
		{Name: "call_depth", Transform: anomaly.Identity},
		{Name: "contracts", Transform: anomaly.Log1p},
		{Name: "tokens", Transform: anomaly.Identity},
		{Name: "selector_rarity", Transform: anomaly.Identity},
		{Name: "sender_new", Transform: anomaly.Bool},
		{Name: "price_impact", Transform: anomaly.Log1p},
		{Name: "flash_loan", Transform: anomaly.Bool},
	}
}

// pooled is the state key of the model learned from every watched
// protocol's transactions (no protocol name starts with a NUL byte).
const pooled = "\x00all"

// protoState is one protocol's model and counters.
type protoState struct {
	model     *anomaly.Model
	selectors map[string]uint64
	senders   map[common.Address]bool
	total     uint64
}

// Detector is the anomaly detector.
type Detector struct {
	cfg    Config
	schema *anomaly.Schema
	protos map[string]*protoState
}

// New returns the detector.
func New(cfg Config) (*Detector, error) {
	d := DefaultConfig()
	if cfg.Model.Window == 0 {
		cfg.Model.Window = d.Model.Window
	}
	if cfg.MinSeverity == anomaly.SeverityNone {
		cfg.MinSeverity = d.MinSeverity
	}
	if cfg.MaxSenders == 0 {
		cfg.MaxSenders = d.MaxSenders
	}
	s, err := anomaly.NewSchema(Features()...)
	if err != nil {
		return nil, fmt.Errorf("anomaly detector schema: %w", err)
	}
	if _, err := anomaly.NewModel(s, cfg.Model); err != nil {
		return nil, fmt.Errorf("anomaly detector model: %w", err)
	}
	return &Detector{cfg: cfg, schema: s, protos: map[string]*protoState{}}, nil
}

// Meta implements detect.Detector.
func (*Detector) Meta() detect.Meta {
	return detect.Meta{
		Name:       Name,
		Title:      "Anomalous transaction",
		Doc:        "Statistical: per watched protocol, scores value moved, protocol loss, gas, call depth, distinct contracts and tokens, selector rarity, sender novelty, price impact and flash-loan presence against the protocol's history (half-space trees and robust z-scores); mined transactions are learned after scoring. At most medium, never pages alone.",
		Severity:   alert.SeverityLow,
		Confidence: 0.3,
		Anomaly:    true,
	}
}

func (d *Detector) state(name string) (*protoState, error) {
	if st, ok := d.protos[name]; ok {
		return st, nil
	}
	m, err := anomaly.NewModel(d.schema, d.cfg.Model)
	if err != nil {
		return nil, fmt.Errorf("anomaly model for %s: %w", name, err)
	}
	st := &protoState{model: m, selectors: map[string]uint64{}, senders: map[common.Address]bool{}}
	d.protos[name] = st
	return st, nil
}

// Inspect implements detect.Detector.
func (d *Detector) Inspect(_ context.Context, env *detect.Env, tx *txmodel.Tx) ([]alert.Observation, error) {
	if !dutil.Usable(tx) {
		return nil, nil
	}
	p := dutil.Prices(env, tx)
	byProto := map[string][]common.Address{}
	var names []string
	for _, w := range dutil.Watched(env, tx) {
		pr, _ := dutil.Protocol(env, w)
		if _, ok := byProto[pr.Name]; !ok {
			names = append(names, pr.Name)
		}
		byProto[pr.Name] = append(byProto[pr.Name], w)
	}
	tokens := map[common.Address]bool{}
	for _, b := range tx.Balances {
		tokens[b.Asset] = true
	}
	impact := 0.0
	for i := range tx.Pools {
		impact = max(impact, tx.Pools[i].MaxMove()-1)
	}
	flash := len(flashloan.Loans(tx, p, 10)) > 0
	sel := tx.Selector.String()
	var out []alert.Observation
	for _, name := range names {
		addrs := byProto[name]
		st, err := d.state(name)
		if err != nil {
			return out, err
		}
		value, loss := 0.0, 0.0
		for _, a := range addrs {
			fl := dutil.FlowOf(tx, p, a)
			value += fl.In + fl.Out
			loss += max(0, -fl.Net)
		}
		rarity := 1.0
		if st.total > 0 {
			rarity = 1 - float64(st.selectors[sel])/float64(st.total)
		}
		raw := map[string]float64{
			"value_eth": value, "loss_eth": loss, "gas_used": float64(tx.GasUsed),
			"call_depth": float64(tx.MaxDepth), "contracts": float64(len(tx.Touched)),
			"tokens": float64(len(tokens)), "selector_rarity": rarity,
			"sender_new": b2f(!st.senders[tx.From]), "price_impact": impact, "flash_loan": b2f(flash),
		}
		for k, v := range raw {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				raw[k] = 0
			}
		}
		v, err := d.schema.Vector(raw)
		if err != nil {
			return out, fmt.Errorf("anomaly features: %w", err)
		}
		// The pooled model leaves out the per-protocol novelty features:
		// to a protocol with little history every selector is rare and
		// every sender new.
		raw["selector_rarity"], raw["sender_new"] = 0, 0
		pv, err := d.schema.Vector(raw)
		if err != nil {
			return out, fmt.Errorf("anomaly features: %w", err)
		}
		// A protocol with too little history of its own is scored
		// against the traffic of every watched protocol (the pooled
		// model), so a new deployment is not blind until its own
		// warm-up ends.
		all, err := d.state(pooled)
		if err != nil {
			return out, err
		}
		own := st.model.Warm()
		var res anomaly.Result
		if tx.Stage == txmodel.StageMined {
			res, err = st.model.ScoreAndLearn(v)
			if err == nil && !own {
				res, err = all.model.Score(pv)
			}
			if err == nil {
				err = all.model.Learn(pv)
			}
			st.total++
			st.selectors[sel]++
			if len(st.senders) < d.cfg.MaxSenders {
				st.senders[tx.From] = true
			}
		} else if own {
			res, err = st.model.Score(v)
		} else {
			res, err = all.model.Score(pv)
		}
		if err != nil {
			return out, fmt.Errorf("anomaly score for %s: %w", name, err)
		}
		if res.Warmup || res.Severity < d.cfg.MinSeverity {
			continue
		}
		if !own && res.Severity < anomaly.SeverityMedium {
			// The pooled model mixes protocols: only its clear outliers
			// are reported (its lows were mostly noise, see
			// docs/generalisation.md).
			continue
		}
		var parts []string
		for _, c := range res.Top {
			parts = append(parts, fmt.Sprintf("%s %.3g (%s, baseline %.3g)", c.Feature, c.Value, c.Direction, c.Baseline))
		}
		sev := alert.SeverityInfo
		switch res.Severity {
		case anomaly.SeverityLow:
			sev = alert.SeverityLow
		case anomaly.SeverityMedium:
			sev = alert.SeverityMedium
		}
		against := ""
		if !own {
			against = ", against all watched protocols' traffic: it has too little history of its own"
		}
		o := dutil.Observation(env, tx, d.Meta(), sev, alert.Confidence(min(0.5, res.Score/2)),
			fmt.Sprintf("unusual transaction for %s (score %.2f%s): %s", name, res.Score, against, strings.Join(parts, ", ")))
		o.Anomaly = true
		o.Victim = dutil.Victim(env, addrs[0])
		o.Numbers["anomaly_score"] = res.Score
		out = append(out, o)
	}
	return out, nil
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// snapshot is the persisted form of the detector's state.
type snapshot struct {
	Protocols map[string]protoSnapshot `json:"protocols"`
}

type protoSnapshot struct {
	Model     []byte            `json:"model"`
	Selectors map[string]uint64 `json:"selectors"`
	Senders   []common.Address  `json:"senders"`
	Total     uint64            `json:"total"`
}

// MarshalBinary saves every protocol's model and counters.
func (d *Detector) MarshalBinary() ([]byte, error) {
	s := snapshot{Protocols: map[string]protoSnapshot{}}
	for name, st := range d.protos {
		mb, err := st.model.MarshalBinary()
		if err != nil {
			return nil, fmt.Errorf("anomaly detector: save %s: %w", name, err)
		}
		ps := protoSnapshot{Model: mb, Selectors: st.selectors, Total: st.total}
		for a := range st.senders {
			ps.Senders = append(ps.Senders, a)
		}
		sort.Slice(ps.Senders, func(i, j int) bool { return ps.Senders[i].Cmp(ps.Senders[j]) < 0 })
		s.Protocols[name] = ps
	}
	b, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("anomaly detector: save: %w", err)
	}
	return b, nil
}

// UnmarshalBinary restores state saved by MarshalBinary, replacing the
// current one.
func (d *Detector) UnmarshalBinary(data []byte) error {
	var s snapshot
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("anomaly detector: restore: %w", err)
	}
	protos := map[string]*protoState{}
	for name, ps := range s.Protocols {
		m, err := anomaly.RestoreModel(ps.Model)
		if err != nil {
			return fmt.Errorf("anomaly detector: restore %s: %w", name, err)
		}
		if strings.Join(m.Schema().Names(), ",") != strings.Join(d.schema.Names(), ",") {
			return fmt.Errorf("anomaly detector: restore %s: feature schema changed", name)
		}
		st := &protoState{model: m, selectors: ps.Selectors, senders: map[common.Address]bool{}, total: ps.Total}
		if st.selectors == nil {
			st.selectors = map[string]uint64{}
		}
		for _, a := range ps.Senders {
			st.senders[a] = true
		}
		protos[name] = st
	}
	d.protos = protos
	return nil
}
