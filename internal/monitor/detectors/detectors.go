// Package detectors lists the monitor's streaming detectors. Each lives in
// its own package under this directory; Default returns them explicitly,
// in a fixed order, with the thresholds of Config.
package detectors

import (
	"fmt"
	"slices"

	"github.com/aegis-defi/aegis/internal/monitor/detect"
	"github.com/aegis-defi/aegis/internal/monitor/detectors/flashloan"
	"github.com/aegis-defi/aegis/internal/monitor/detectors/freshcontract"
	"github.com/aegis-defi/aegis/internal/monitor/detectors/governance"
	"github.com/aegis-defi/aegis/internal/monitor/detectors/outflow"
	"github.com/aegis-defi/aegis/internal/monitor/detectors/pricemanip"
	"github.com/aegis-defi/aegis/internal/monitor/detectors/privileged"
	"github.com/aegis-defi/aegis/internal/monitor/detectors/profit"
	"github.com/aegis-defi/aegis/internal/monitor/detectors/reentrancy"
	"github.com/aegis-defi/aegis/internal/monitor/detectors/rugpull"
	"github.com/aegis-defi/aegis/internal/monitor/detectors/txanomaly"
)

// Config aggregates every detector's configuration (aegis.yaml's
// monitor.detectors section maps onto it). Zero fields take each
// detector's documented defaults.
type Config struct {
	FlashLoan       flashloan.Config
	PriceManip      pricemanip.Config
	Reentrancy      reentrancy.Config
	AbnormalOutflow outflow.Config
	AttackerProfit  profit.Config
	FreshContract   freshcontract.Config
	Governance      governance.Config
	Privileged      privileged.Config
	RugPull         rugpull.Config
	Anomaly         txanomaly.Config
	// Disabled names detectors to leave out.
	Disabled []string
}

// DefaultConfig returns every detector's defaults.
func DefaultConfig() Config {
	return Config{
		FlashLoan:       flashloan.DefaultConfig(),
		PriceManip:      pricemanip.DefaultConfig(),
		Reentrancy:      reentrancy.DefaultConfig(),
		AbnormalOutflow: outflow.DefaultConfig(),
		AttackerProfit:  profit.DefaultConfig(),
		FreshContract:   freshcontract.DefaultConfig(),
		Governance:      governance.DefaultConfig(),
		Privileged:      privileged.DefaultConfig(),
		RugPull:         rugpull.DefaultConfig(),
		Anomaly:         txanomaly.DefaultConfig(),
	}
}

// New returns the detectors configured by cfg, minus the disabled ones.
func New(cfg Config) ([]detect.Detector, error) {
	an, err := txanomaly.New(cfg.Anomaly)
	if err != nil {
		return nil, fmt.Errorf("detectors: %w", err)
	}
	all := []detect.Detector{
		flashloan.New(cfg.FlashLoan),
		pricemanip.New(cfg.PriceManip),
		reentrancy.New(cfg.Reentrancy),
		outflow.New(cfg.AbnormalOutflow),
		profit.New(cfg.AttackerProfit),
		freshcontract.New(cfg.FreshContract),
		governance.New(cfg.Governance),
		privileged.New(cfg.Privileged),
		rugpull.New(cfg.RugPull),
		an,
	}
	known := map[string]bool{}
	for _, d := range all {
		known[d.Meta().Name] = true
	}
	disabled := map[string]bool{}
	for _, n := range cfg.Disabled {
		if !known[n] {
			return nil, fmt.Errorf("detectors: unknown detector %q", n)
		}
		disabled[n] = true
	}
	out := all[:0]
	for _, d := range all {
		if !disabled[d.Meta().Name] {
			out = append(out, d)
		}
	}
	return out, nil
}

// Default returns the detectors configured by cfg. An invalid anomaly
// model configuration falls back to its defaults and unknown disabled
// names are ignored; use New to get those errors instead.
func Default(cfg Config) []detect.Detector {
	if ds, err := New(cfg); err == nil {
		return ds
	}
	cfg.Anomaly = txanomaly.DefaultConfig()
	var keep []string
	for _, n := range cfg.Disabled {
		if slices.Contains(names(), n) {
			keep = append(keep, n)
		}
	}
	cfg.Disabled = keep
	ds, _ := New(cfg)
	return ds
}

// names lists every detector's name.
func names() []string {
	return []string{flashloan.Name, pricemanip.Name, reentrancy.Name, outflow.Name, profit.Name,
		freshcontract.Name, governance.Name, privileged.Name, rugpull.Name, txanomaly.Name}
}
