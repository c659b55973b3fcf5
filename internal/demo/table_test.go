package demo_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/aegis-defi/aegis/internal/demo"
)

// TestWriteDetectionTable checks both renderings on a report with one
// scenario detected while pending (valued in ETH) and one missed (valued in
// its own token).
func TestWriteDetectionTable(t *testing.T) {
	units := 1234.5
	rep := &demo.Report{Scenarios: []demo.ScenarioReport{
		{Name: "a", Incident: "A 2020", Succeeded: true, AttackerProfitETH: 2.5, Detected: true,
			DetectedStage: "pending", MaxSeverity: "critical", Alerts: []string{"flash-loan", "price-manipulation"}},
		{Name: "b", Incident: "B 2023", Succeeded: true, ProfitUnit: "USDx", AttackerProfitUnits: &units, MaxSeverity: "low",
			Alerts: []string{"fresh-contract"}},
		{Name: "c", Incident: "C 2024"},
	}}
	var md bytes.Buffer
	if err := demo.WriteDetectionTable(&md, rep, true); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"| scenario | real incident | attack | attacker profit | detected | stage | max severity | detectors |",
		"|---|---|---|---|---|---|---|---|",
		"| a | A 2020 | succeeded | 2.5000 ETH | yes | pending | critical | flash-loan, price-manipulation |",
		"| b | B 2023 | succeeded | 1234.50 USDx | no | - | low | fresh-contract |",
		"| c | C 2024 | failed | 0.0000 ETH | no | - | - | - |",
		"",
		"Detected 1/3 (1/3 while pending).",
	}
	if got := strings.Split(strings.TrimSpace(md.String()), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("markdown:\n%s\nwant:\n%s", md.String(), strings.Join(want, "\n"))
	}
	var txt bytes.Buffer
	if err := demo.WriteDetectionTable(&txt, rep, false); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(txt.String()), "\n")
	if len(lines) != 5 || !strings.HasPrefix(lines[0], "SCENARIO") || !strings.Contains(lines[2], "1234.50 USDx") ||
		lines[4] != "detected 1/3 (1/3 while pending)" {
		t.Errorf("text table:\n%s", txt.String())
	}
}

// TestWriteTableProtectedUnits checks that the guard columns show funds
// protected in the scenario's own token when it is valued in one.
func TestWriteTableProtectedUnits(t *testing.T) {
	profit, loss, protected := 100.0, 100.0, 152631.5
	blocked := true
	rep := &demo.Report{Scenarios: []demo.ScenarioReport{
		{Name: "eth", Succeeded: true, AttackerProfitETH: 50, ProtocolLossETH: 50, Blocked: &blocked, FundsProtectedETH: 50, ResponseMS: 3},
		{Name: "units", Succeeded: true, ProfitUnit: "USDx", AttackerProfitUnits: &profit, ProtocolLossUnits: &loss,
			Blocked: &blocked, FundsProtectedUnits: &protected, ResponseMS: 4},
	}}
	var out bytes.Buffer
	if err := demo.WriteTable(&out, rep); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 || !strings.Contains(lines[1], "blocked  50.0000 ") || !strings.Contains(lines[2], "blocked  152631.5000 USDx") {
		t.Errorf("table:\n%s", out.String())
	}
}
