package main

import (
	"fmt"
	"regexp"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/config"
	"github.com/aegis-defi/aegis/internal/monitor"
)

var hexAddress = regexp.MustCompile(`^0x[0-9a-fA-F]{40}$`)

// monitorRiskConfig merges monitor.risk with the --risk-factory flags into
// the monitor's risk scoring config (nil: off).
func monitorRiskConfig(mc *config.Monitor, flags []string) (*monitor.RiskConfig, error) {
	var rc monitor.RiskConfig
	on := false
	if mc.Risk != nil {
		on = true
		rc.Holders = mc.Risk.Holders
		for _, f := range mc.Risk.Factories {
			rc.Factories = append(rc.Factories, common.HexToAddress(f)) // validated by config
		}
	}
	for _, f := range flags {
		if !hexAddress.MatchString(f) {
			return nil, fmt.Errorf("--risk-factory: %q is not a 0x-prefixed 20-byte hex address", f)
		}
		on = true
		rc.Factories = append(rc.Factories, common.HexToAddress(f))
	}
	if !on {
		return nil, nil
	}
	return &rc, nil
}
