package config

import (
	"strings"
	"testing"
	"time"
)

// TestExampleConfig decodes docs/aegis.example.yaml with the strict loader.
func TestExampleConfig(t *testing.T) {
	c, err := Load("../../docs/aegis.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(nil); err != nil {
		t.Fatal(err)
	}
	if err := c.ValidateMonitor(nil); err != nil {
		t.Fatal(err)
	}
	m := c.Monitor
	if m.RPC == "" || len(m.Watch) != 2 || len(m.Watch[1].AllAddresses()) != 2 || m.Sinks.JSONL == nil ||
		m.Sinks.PagerDuty == nil || m.MetricsAddr == "" || m.FromBlock == nil {
		t.Errorf("decoded %+v", m)
	}
	if g := c.Guard; !g.Enabled() || g.Keystore == "" || g.PasswordEnv == "" || len(g.Protocols[0].Actions) != 1 ||
		g.Protocols[0].Mode != "dry-run" || g.Protocols[0].Trigger.MinDetectors != 2 {
		t.Errorf("guard section %+v", g)
	}
	var outflow struct {
		MinLossETH, MinShare, CriticalShare, AbsoluteLossETH float64
		Window                                               time.Duration
		WindowShare                                          float64
	}
	if err := m.DetectorSettings("abnormal-outflow", &outflow); err != nil {
		t.Fatal(err)
	}
	if outflow.MinLossETH != 1 || outflow.Window != 10*time.Minute {
		t.Errorf("abnormal-outflow %+v", outflow)
	}
}

func TestMonitorErrors(t *testing.T) {
	for _, tc := range []struct{ yaml, want string }{
		{"monitor:\n  rcp: ws://x\n", "monitor.rcp: line 2: unknown key"},
		{"monitor:\n  sinks:\n    slak: {}\n", "monitor.sinks.slak: line 3: unknown key"},
		{"monitor:\n  sinks:\n    jsonl: {path: a, min_severity: severe}\n", `monitor.sinks.jsonl.min_severity: unknown severity "severe"`},
		{"monitor:\n  watch:\n    - {name: x, address: 0x12}\n", `monitor.watch[0]: address 0: "0x12"`},
		{"monitor:\n  watch:\n    - {name: x, adress: 0x12}\n", "field adress not found"},
		{"monitor:\n  rpc: localhost:8545\n", "monitor.rpc:"},
		{"monitor:\n  detectors:\n    nope-nope: {}\n", "monitor.detectors.nope-nope: unknown detector"},
		{"monitor:\n  sinks:\n    webhook: {url: https://x}\n", "monitor.sinks.webhook.secret_env: required"},
		{"monitor:\n  backfill_blocks: -3\n", "monitor.backfill_blocks: -3"},
		{"monitor:\n  numeraires:\n    - {address: 0x12, eth: 0.0005, decimals: 6}\n", `monitor.numeraires[0].address: "0x12"`},
		{"monitor:\n  numeraires:\n    - {address: 0x00000000000000000000000000000000000000d1, decimals: 6}\n", "monitor.numeraires[0].eth: 0"},
	} {
		c, err := Parse([]byte(tc.yaml))
		if err == nil {
			err = c.ValidateMonitor([]string{"reentrancy"})
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.yaml, err, tc.want)
		}
	}
	c, err := Parse([]byte("monitor:\n  detectors:\n    reentrancy: {min_outflw_eth: 1}\n"))
	if err != nil {
		t.Fatal(err)
	}
	var dst struct{ MinOutflowETH float64 }
	if err := c.Monitor.DetectorSettings("reentrancy", &dst); err == nil || !strings.Contains(err.Error(), "monitor.detectors.reentrancy.min_outflw_eth: line 3: unknown key") {
		t.Errorf("DetectorSettings: %v", err)
	}
}
