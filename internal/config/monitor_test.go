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
		m.Sinks.PagerDuty == nil || m.MetricsAddr == "" || m.FromBlock == nil ||
		m.HeadAge() != time.Minute || m.MaxLag != 10 || m.Outbox == nil || m.Outbox.Capacity != 1024 ||
		m.Outbox.AttemptTimeoutDuration() != 10*time.Second || m.Outbox.MaxAttempts != 8 {
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
		{"monitor:\n  watch:\n    - {name: x, adress: 0x12}\n", "monitor.watch[0].adress: line 3: unknown key"},
		{"monitor:\n  confirmations: -1\n", `monitor.confirmations: line 2: want a non-negative integer, got "-1"`},
		{"monitor:\n  pending: maybe\n", `monitor.pending: line 2: want true or false, got "maybe"`},
		{"monitor:\n  watch:\n    - name: x\n      addresses: 0x12\n", `monitor.watch[0].addresses: line 4: want a list, got "0x12"`},
		{"monitor:\n  sinks:\n    jsonl: [a]\n", "monitor.sinks.jsonl: line 3: expected a mapping"},
		{"audit:\n  exclude_paths: {a: 1}\n", "audit.exclude_paths: line 2: want a list, got a mapping"},
		{"monitor:\n  rpc: localhost:8545\n", "monitor.rpc:"},
		{"monitor:\n  detectors:\n    nope-nope: {}\n", "monitor.detectors.nope-nope: unknown detector"},
		{"monitor:\n  sinks:\n    webhook: {url: https://x}\n", "monitor.sinks.webhook.secret_env: required"},
		{"monitor:\n  max_head_age: soon\n", `monitor.max_head_age: "soon"`},
		{"monitor:\n  max_head_age: -5s\n", `monitor.max_head_age: "-5s"`},
		{"monitor:\n  outbox: {capacity: -1}\n", "monitor.outbox.capacity: -1"},
		{"monitor:\n  outbox: {attempt_timeout: 0s}\n", `monitor.outbox.attempt_timeout: "0s"`},
		{"monitor:\n  outbox: {max_attempts: -2}\n", "monitor.outbox.max_attempts: -2"},
		{"monitor:\n  outbox: {capacty: 1}\n", "monitor.outbox.capacty: line 2: unknown key"},
		{"monitor:\n  backfill_blocks: -3\n", "monitor.backfill_blocks: -3"},
		{"monitor:\n  numeraires:\n    - {address: 0x12, eth: 0.0005, decimals: 6}\n", `monitor.numeraires[0].address: "0x12"`},
		{"monitor:\n  numeraires:\n    - {address: 0x00000000000000000000000000000000000000d1, decimals: 6}\n", "monitor.numeraires[0].eth: 0"},
		{"monitor:\n  eth_usd: -2500\n", "monitor.eth_usd: -2500"},
		{"monitor:\n  risk:\n    factories: [0x12]\n", `monitor.risk.factories[0]: "0x12"`},
		{"monitor:\n  risk: {holders: -1}\n", "monitor.risk.holders: -1"},
		{"monitor:\n  risk: {factory: [0x12]}\n", "monitor.risk.factory: line 2: unknown key"},
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

// TestDetectorThresholds checks that thresholds are range-checked with
// their key path, whatever detector Config they decode onto.
func TestDetectorThresholds(t *testing.T) {
	type nested struct{ Depth int }
	type cfg struct {
		MinLossETH    float64
		MinShare      float64
		Window        time.Duration
		MaxSellTaxBps int64
		Model         nested
	}
	for _, tc := range []struct{ body, want string }{
		{"min_loss_eth: -1", "monitor.detectors.d.min_loss_eth: line 4: must be a finite number >= 0, got -1"},
		{"min_loss_eth: .nan", "must be a finite number >= 0, got NaN"},
		{"min_loss_eth: abc", `monitor.detectors.d.min_loss_eth: line 4: want a number, got "abc"`},
		{"min_share: 1.5", "monitor.detectors.d.min_share: line 4: is a fraction, want 0..1, got 1.5"},
		{"window: -5m", "monitor.detectors.d.window: line 4: must be a duration >= 0"},
		{"window: soon", `want a duration such as 30s or 10m, got "soon"`},
		{"max_sell_tax_bps: -3", "monitor.detectors.d.max_sell_tax_bps: line 4: must be >= 0, got -3"},
		{"model: {depth: -2}", "monitor.detectors.d.model.depth: line 4: must be >= 0, got -2"},
	} {
		c, err := Parse([]byte("monitor:\n  detectors:\n    d:\n      " + tc.body + "\n"))
		if err != nil {
			t.Fatal(err)
		}
		var dst cfg
		err = c.Monitor.DetectorSettings("d", &dst)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.body, err, tc.want)
		}
	}
	c, err := Parse([]byte("monitor:\n  detectors:\n    d: {min_loss_eth: 2.5, min_share: 0.3, window: 10m, max_sell_tax_bps: 900, model: {depth: 9}}\n"))
	if err != nil {
		t.Fatal(err)
	}
	var dst cfg
	if err := c.Monitor.DetectorSettings("d", &dst); err != nil || dst.MinLossETH != 2.5 || dst.Window != 10*time.Minute || dst.Model.Depth != 9 {
		t.Fatalf("valid thresholds: %+v %v", dst, err)
	}
}

func TestSnake(t *testing.T) {
	for in, want := range map[string]string{"MinLossETH": "min_loss_eth", "MaxSellTaxBps": "max_sell_tax_bps", "Window": "window", "HTTPTimeout": "http_timeout"} {
		if got := snake(in); got != want {
			t.Errorf("snake(%s) = %s, want %s", in, got, want)
		}
	}
}
