package config

import (
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/guard"
)

func TestGuardSection(t *testing.T) {
	c, err := Parse([]byte(`
guard:
  protocols:
    - protocol: VulnerableBank
      addresses: ["0x1000000000000000000000000000000000000001"]
      mode: armed
      trigger:
        detectors: [reentrancy, attacker-profit]
        min_severity: critical
        min_confidence: 0.85
      actions:
        - target: "0x1000000000000000000000000000000000000001"
          signature: pause()
        - target: "0x2000000000000000000000000000000000000002"
          signature: setBorrowCap(address,uint256)
          args: ["0x1000000000000000000000000000000000000001", "0"]
      limits:
        max_actions_per_hour: 2
        cooldown: 15m
      pricing:
        margin_percent: 50
        floor_wei: 2000000000
`))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(nil); err != nil {
		t.Fatal(err)
	}
	p := c.Guard.Protocols[0]
	if p.Mode != guard.ModeArmed || p.Trigger.MinSeverity != alert.SeverityCritical || p.Limits.Cooldown != 15*time.Minute ||
		p.Addresses[0] != common.HexToAddress("0x1000000000000000000000000000000000000001") || len(p.Actions) != 2 ||
		p.Pricing.FloorWei.Int64() != 2_000_000_000 {
		t.Errorf("decoded %+v", p)
	}
	c, err = Parse([]byte("guard:\n  protocols:\n    - protocol: x\n      mode: yolo\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(nil); err == nil || !strings.Contains(err.Error(), "guard.protocols[0]: ") || !strings.Contains(err.Error(), "mode:") {
		t.Errorf("invalid guard section: %v", err)
	}
	if _, err := Parse([]byte("guard:\n  protocols:\n    - protocol: x\n      bogus: 1\n")); err == nil {
		t.Error("unknown key in a guard policy accepted")
	}
}
