package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestRiskTokenSource: --source runs the auditor on the given source and adds
// its findings: the reentrant bank gets the high reentrancy finding's
// points, its fixed variant none.
func TestRiskTokenSource(t *testing.T) {
	type report struct {
		RiskScore int `json:"risk_score"`
		Factors   []struct {
			ID     string `json:"id"`
			Points int    `json:"points"`
		} `json:"factors"`
		Signals []struct {
			Name   string `json:"name"`
			Status string `json:"status"`
		} `json:"signals"`
	}
	run := func(contract, src string) report {
		t.Helper()
		out, _, err := runCLI(t, "risk", "token", "--bytecode", runtimeHexFile(t, contract), "--source", src, "--format", "json")
		if err != nil {
			t.Fatal(err)
		}
		var r report
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		ok := false
		for _, s := range r.Signals {
			ok = ok || (s.Name == "audit-findings" && s.Status == "ok")
		}
		if !ok {
			t.Errorf("%s: audit-findings signal did not run: %s", contract, out)
		}
		return r
	}
	vuln := run("VulnerableBank", "../../contracts/src/bank/VulnerableBank.sol")
	pts := -1
	for _, f := range vuln.Factors {
		if f.ID == "audit-reentrancy-eth" {
			pts = f.Points
		}
	}
	if pts != 25 || vuln.RiskScore < 25 {
		t.Errorf("vulnerable bank: reentrancy factor %d, score %d: %+v", pts, vuln.RiskScore, vuln.Factors)
	}
	safe := run("SafeBank", "../../contracts/src/bank/SafeBank.sol")
	for _, f := range safe.Factors {
		if strings.HasPrefix(f.ID, "audit-") && f.Points > 0 {
			t.Errorf("safe bank: %s +%d", f.ID, f.Points)
		}
	}
	if _, _, err := runCLI(t, "risk", "token", "--bytecode", runtimeHexFile(t, "SafeBank"), "--source", "/nonexistent/x.sol"); err == nil || !strings.Contains(err.Error(), "--source") {
		t.Errorf("missing source: %v", err)
	}
}
