package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestDemoRiskJSON: `aegis demo --json` deploys the token-risk testbed and
// reports the scores of a honeypot, a hidden mint, the USDC-style token and
// an honest token in risk[] (one scenario, no traffic: the risk capability
// runs at start whatever the scenarios).
func TestDemoRiskJSON(t *testing.T) {
	out, _, err := runCLI(t, "demo", "--json", "--no-traffic", "--no-guard", "--no-monitor", "--skip-safe", "--scenario", "reentrancy")
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Risk []struct {
			Address    string   `json:"address"`
			Name       string   `json:"name"`
			RiskScore  *int     `json:"risk_score"`
			Level      string   `json:"level"`
			IsHoneypot *string  `json:"is_honeypot"`
			Factors    []string `json:"factors"`
		} `json:"risk"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("stdout is not one JSON object: %v\n%s", err, out)
	}
	byName := map[string]int{}
	for i, r := range rep.Risk {
		if !strings.HasPrefix(r.Address, "0x") || len(r.Address) != 42 || r.RiskScore == nil || r.IsHoneypot == nil || r.Level == "" {
			t.Errorf("incomplete risk entry %+v", r)
		}
		byName[r.Name] = i
		t.Logf("%s %s %d %s honeypot=%q %v", r.Name, r.Address, *r.RiskScore, r.Level, *r.IsHoneypot, r.Factors)
	}
	get := func(name string) (level, honeypot string, score int) {
		i, ok := byName[name]
		if !ok {
			t.Fatalf("no risk entry for %s: %+v", name, rep.Risk)
		}
		return rep.Risk[i].Level, *rep.Risk[i].IsHoneypot, *rep.Risk[i].RiskScore
	}
	if lv, hp, sc := get("RtShibaKingdom"); lv != "critical" || hp != "1" || sc < 80 {
		t.Errorf("honeypot: %s %d is_honeypot=%q, want critical and \"1\"", lv, sc, hp)
	}
	if lv, hp, _ := get("RtStableDollar"); lv == "high" || lv == "critical" || hp != "0" {
		t.Errorf("USDC-style token: %s is_honeypot=%q, want below high and \"0\"", lv, hp)
	}
	if lv, _, _ := get("RtYieldBloom"); lv != "high" && lv != "critical" {
		t.Errorf("hidden mint: %s, want high or critical", lv)
	}
	if lv, hp, _ := get("RtPlainToken"); lv != "low" || hp != "0" {
		t.Errorf("honest token: %s is_honeypot=%q, want low and \"0\"", lv, hp)
	}
}
