package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConfigCheckMatchesCommands feeds the same bad aegis.yaml to
// `config check`, `audit` and `monitor`: each must refuse it with the same
// key path, so a file that passes `config check` is one the commands
// accept.
func TestConfigCheckMatchesCommands(t *testing.T) {
	dir := t.TempDir()
	sol := filepath.Join(dir, "A.sol")
	if err := os.WriteFile(sol, []byte("// SPDX-License-Identifier: MIT\npragma solidity ^0.8.20;\ncontract A { uint256 public x; }\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const w = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
	for _, c := range []struct{ name, yaml, want string }{
		{"negative threshold", "monitor:\n  detectors:\n    abnormal-outflow:\n      min_loss_eth: -1\n", "monitor.detectors.abnormal-outflow.min_loss_eth: line 4: must be a finite number >= 0"},
		{"share above one", "monitor:\n  detectors:\n    abnormal-outflow:\n      min_share: 2\n", "monitor.detectors.abnormal-outflow.min_share: line 4: is a fraction"},
		{"unknown audit detector", "audit:\n  disable: [no-such-detector]\n", `audit.disable[0]: "no-such-detector": unknown detector`},
		{"unknown monitor detector", "monitor:\n  disable: [no-such-detector]\n", `monitor.disable[0]: "no-such-detector": unknown detector`},
		{"type error", "monitor:\n  confirmations: soon\n", `monitor.confirmations: line 2: want a non-negative integer, got "soon"`},
		{"guard key source", "guard:\n  keystore: k.json\n", "guard.keystore: give exactly one of password_file and password_env"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := filepath.Join(t.TempDir(), "aegis.yaml")
			if err := os.WriteFile(cfg, []byte(c.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			for _, args := range [][]string{
				{"config", "check", cfg},
				{"audit", "--config", cfg, dir},
				{"monitor", "--config", cfg, "--rpc", "ws://127.0.0.1:1", "--watch", w},
			} {
				_, _, err := runCLI(t, args...)
				if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
					t.Errorf("%s: error %v, want one line containing %q", args[0], err, c.want)
				}
			}
		})
	}
	// A valid file passes config check and the audit.
	good := filepath.Join(t.TempDir(), "aegis.yaml")
	if err := os.WriteFile(good, []byte("audit:\n  disable: [pragma]\nmonitor:\n  detectors:\n    abnormal-outflow: {min_loss_eth: 2, min_share: 0.2}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCLI(t, "config", "check", good); err != nil {
		t.Fatalf("config check on a valid file: %v", err)
	}
	if _, _, err := runCLI(t, "audit", "--config", good, "--fail-on", "none", dir); err != nil {
		t.Fatalf("audit with a valid file: %v", err)
	}
}
