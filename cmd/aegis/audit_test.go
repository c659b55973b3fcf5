package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aegis-defi/aegis/analysis"
)

func TestDefaultSuiteValid(t *testing.T) {
	if err := analysis.Validate(defaultSuite()); err != nil {
		t.Fatal(err)
	}
}

const walletSol = `pragma solidity 0.8.24;
contract Wallet {
    address owner;
    function f() external view { require(tx.origin == owner); }
}
`

func runAuditCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := newRootCmd(&out, &errb)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(context.Background())
	return out.String(), err
}

func TestAuditCommand(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "Wallet.sol")
	if err := os.WriteFile(src, []byte(walletSol), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := runAuditCLI(t, "audit", dir, "--color", "never")
	var fe *FindingsError
	if !errors.As(err, &fe) || fe.Error() != "1 finding at or above high" {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(out, "[tx-origin]") || !strings.Contains(out, "require(tx.origin == owner)") {
		t.Errorf("text output:\n%s", out)
	}

	// JSON output doubles as a baseline: a second run reports nothing new.
	base := filepath.Join(dir, "base.json")
	if _, err := runAuditCLI(t, "audit", dir, "--format", "json", "--output", base, "--fail-on", "none"); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Findings []analysis.Finding `json:"findings"`
	}
	data, _ := os.ReadFile(base)
	if err := json.Unmarshal(data, &doc); err != nil || len(doc.Findings) != 1 {
		t.Fatalf("json report: %v %s", err, data)
	}
	out, err = runAuditCLI(t, "audit", dir, "--baseline", base, "--format", "json")
	if err != nil || !strings.Contains(out, `"findings": []`) {
		t.Errorf("baseline run: %v\n%s", err, out)
	}

	if _, err := runAuditCLI(t, "audit", dir, "--exclude-detectors", "tx-origin"); err != nil {
		t.Errorf("excluded detector still fails: %v", err)
	}
	if _, err := runAuditCLI(t, "audit", dir, "--detectors", "nope"); err == nil || !strings.Contains(err.Error(), `unknown detector "nope"`) {
		t.Errorf("unknown detector: %v", err)
	}
	cfg := filepath.Join(dir, "aegis.yaml")
	os.WriteFile(cfg, []byte("audit:\n  severity_overrides:\n    tx-origin: low\n"), 0o600)
	if _, err := runAuditCLI(t, "audit", dir, "--config", cfg); err != nil {
		t.Errorf("severity override to low still fails: %v", err)
	}
	os.WriteFile(cfg, []byte("audit:\n  fail_onn: low\n"), 0o600)
	if _, err := runAuditCLI(t, "audit", dir, "--config", cfg); err == nil || !strings.Contains(err.Error(), "audit.fail_onn") {
		t.Errorf("bad config: %v", err)
	}
}

func TestDetectorsCommand(t *testing.T) {
	for _, format := range []string{"text", "json", "markdown"} {
		out, err := runAuditCLI(t, "detectors", "--format", format)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range defaultSuite() {
			if !strings.Contains(out, a.Name) {
				t.Errorf("%s output lacks %s", format, a.Name)
			}
		}
	}
}
