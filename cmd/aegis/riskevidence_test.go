package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRiskTokenEvidence: --evidence adds the file's items about the token
// (here matched by runtime code hash, offline) as factors with their
// source links, and the score moves by their points.
func TestRiskTokenEvidence(t *testing.T) {
	code := runtimeHexFile(t, "RiskFxPlainToken")
	type report struct {
		CodeHash  string `json:"code_hash"`
		RiskScore int    `json:"risk_score"`
		Factors   []struct {
			ID       string `json:"id"`
			Kind     string `json:"kind"`
			Points   int    `json:"points"`
			Evidence []struct {
				Source string `json:"source"`
			} `json:"evidence"`
		} `json:"factors"`
	}
	out, _, err := runCLI(t, "risk", "token", "--bytecode", code, "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var before report
	if err := json.Unmarshal([]byte(out), &before); err != nil || before.CodeHash == "" {
		t.Fatalf("%v %s", err, out)
	}
	ev := filepath.Join(t.TempDir(), "evidence.yaml")
	body := "version: 1\nsubjects:\n  - code_hash: " + before.CodeHash + "\n    items:\n" +
		"      - {kind: incident, claim: same code drained a pool on another chain, source: 'https://example.com/postmortem', points: 30}\n"
	if err := os.WriteFile(ev, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	out, _, err = runCLI(t, "risk", "token", "--bytecode", code, "--format", "json", "--evidence", ev)
	if err != nil {
		t.Fatal(err)
	}
	var after report
	if err := json.Unmarshal([]byte(out), &after); err != nil {
		t.Fatal(err)
	}
	if after.RiskScore != min(100, before.RiskScore+30) {
		t.Errorf("score %d → %d, want +30", before.RiskScore, after.RiskScore)
	}
	found := false
	for _, f := range after.Factors {
		if f.ID == "evidence-incident" && f.Kind == "evidence" && f.Points == 30 && len(f.Evidence) == 1 && f.Evidence[0].Source == "https://example.com/postmortem" {
			found = true
		}
	}
	if !found {
		t.Errorf("no evidence factor: %s", out)
	}
	// a bad file is refused with its position
	if err := os.WriteFile(ev, []byte(strings.Replace(body, "points: 30", "points: 300", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err = runCLI(t, "risk", "token", "--bytecode", code, "--evidence", ev)
	if err == nil || !strings.Contains(err.Error(), ev+":5:9: subjects[0].items[0].points: 300") {
		t.Errorf("bad evidence: %v", err)
	}
}
