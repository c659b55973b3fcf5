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
  key_env: AEGIS_GUARDIAN_KEY
  broadcast: ["https://relay.example.com"]
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

func TestGuardKeySource(t *testing.T) {
	const pol = "  protocols:\n    - protocol: x\n      actions: [{target: \"0x1000000000000000000000000000000000000001\", signature: pause()}]\n"
	for _, c := range []struct{ yaml, want string }{
		{"guard:\n" + pol, "guard.keystore: the guard needs a key source"},
		{"guard:\n  keystore: k.json\n" + pol, "guard.keystore: give exactly one of password_file and password_env"},
		{"guard:\n  keystore: k.json\n  password_file: p\n  key_env: K\n" + pol, "guard.keystore, key_env: give one key source"},
		{"guard:\n  key_env: K\n  password_env: P\n" + pol, "guard.password_file, password_env: only used with keystore"},
		{"guard:\n  key_env: K\n  broadcast: [relay.example.com]\n" + pol, "guard.broadcast[0]:"},
		{"guard:\n  keystore: k.json\n  password_env: P\n" + pol, ""},
		{"guard:\n  keystore: k.json\n  password_file: p\n", ""}, // no protocols: nothing to check
	} {
		cfg, err := Parse([]byte(c.yaml))
		if err != nil {
			t.Fatalf("%q: %v", c.yaml, err)
		}
		err = cfg.Validate(nil)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%q: %v", c.yaml, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%q: error %v, want %q", c.yaml, err, c.want)
		}
	}
}

func TestGuardEarlyStage(t *testing.T) {
	const pol = "guard:\n  key_env: K\n  protocols:\n    - protocol: x\n      actions: [{target: \"0x1000000000000000000000000000000000000001\", signature: pause()}]\n"
	c, err := Parse([]byte(pol + "      early_stage: true\n      admins: [\"0x3000000000000000000000000000000000000003\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(nil); err != nil {
		t.Fatal(err)
	}
	p := c.Guard.Protocols[0]
	if !p.EarlyStage || len(p.Admins) != 1 || p.Admins[0] != common.HexToAddress("0x3000000000000000000000000000000000000003") {
		t.Errorf("decoded early_stage %v, admins %v", p.EarlyStage, p.Admins)
	}
	if c, err = Parse([]byte(pol)); err != nil || c.Guard.Protocols[0].EarlyStage {
		t.Errorf("early_stage must default to off: %v, %v", err, err == nil && c.Guard.Protocols[0].EarlyStage)
	}
	if _, err := Parse([]byte(pol + "      early_stages: true\n")); err == nil {
		t.Error("unknown key next to early_stage accepted")
	}
	c, err = Parse([]byte(pol + "      admins: [\"0x0000000000000000000000000000000000000000\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(nil); err == nil || !strings.Contains(err.Error(), "guard.protocols[0]: admins[0]: zero address") {
		t.Errorf("zero admin: %v", err)
	}
}
