package config

import "fmt"

// MonitorRisk is monitor.risk: token risk scoring (internal/risk, node
// mode) of every new pool the factories create and of every token first
// seen in a swap on a watched pool, off the detection path.
type MonitorRisk struct {
	// Factories are Uniswap-V2-style (PairCreated) or V3-style
	// (PoolCreated) factories whose new pools are scored.
	Factories []string `yaml:"factories"`
	// Holders is how many real holders the trade simulation sells from
	// (default 3).
	Holders int `yaml:"holders"`
}

// validate checks monitor.risk; errors name the key path.
func (r *MonitorRisk) validate() []error {
	if r == nil {
		return nil
	}
	var errs []error
	for i, f := range r.Factories {
		if !hexAddr.MatchString(f) {
			errs = append(errs, fmt.Errorf("monitor.risk.factories[%d]: %q is not a 0x-prefixed 20-byte hex address", i, f))
		}
	}
	if r.Holders < 0 || r.Holders > 100 {
		errs = append(errs, fmt.Errorf("monitor.risk.holders: %d: want 0 (default 3) to 100", r.Holders))
	}
	return errs
}
