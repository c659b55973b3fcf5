package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aegis-defi/aegis/internal/attack"
	"github.com/aegis-defi/aegis/internal/demo"
)

// TestDemoGeneralisationMeasure runs the generalisation set through the demo
// with the monitor on and prints what the current detectors make of it (the
// table in docs/generalisation.md). It asserts the attacks, not the
// detections: every exploit must pay in its own tokens and every safe
// variant must hold; a missed detection is a measurement, not a failure.
func TestDemoGeneralisationMeasure(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end demo")
	}
	out, _, err := runCLI(t, "demo", "--set", "generalisation", "--json", "--traffic", "0", "--no-guard")
	if err != nil {
		t.Fatal(err)
	}
	var rep demo.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("stdout is not one JSON report: %v\n%s", err, out)
	}
	want := attack.Generalisation()
	if len(rep.Scenarios) != len(want) {
		t.Fatalf("%d scenarios, want the %d of the generalisation set", len(rep.Scenarios), len(want))
	}
	for i, s := range rep.Scenarios {
		if s.Name != want[i].Info().Name {
			t.Errorf("scenario %d is %q, want %q", i, s.Name, want[i].Info().Name)
		}
		if s.ProfitUnit == "" || s.AttackerProfitUnits == nil || s.ProtocolLossUnits == nil {
			t.Errorf("%s: no unit-of-account figures (unit %q)", s.Name, s.ProfitUnit)
			continue
		}
		if !s.Succeeded || *s.AttackerProfitUnits <= 0 || *s.ProtocolLossUnits <= 0 {
			t.Errorf("%s: succeeded=%v profit=%v loss=%v %s, want a profitable attack", s.Name, s.Succeeded,
				*s.AttackerProfitUnits, *s.ProtocolLossUnits, s.ProfitUnit)
		}
		if s.SafeVariantHeld == nil || !*s.SafeVariantHeld || s.SafeAttackerProfitUnits == nil || *s.SafeAttackerProfitUnits > 0 {
			t.Errorf("%s: safe variant did not hold (held %v, profit %v)", s.Name, s.SafeVariantHeld, s.SafeAttackerProfitUnits)
		}
		if s.Detected && s.DetectedStage == "" {
			t.Errorf("%s: detected without a stage", s.Name)
		}
	}
	var table bytes.Buffer
	if err := demo.WriteDetectionTable(&table, &rep, true); err != nil {
		t.Fatal(err)
	}
	t.Logf("generalisation set, current detectors:\n%s", table.String())
	if rows := strings.Count(table.String(), "\n| "); rows != len(want) {
		t.Errorf("table has %d scenario rows, want %d", rows, len(want))
	}
}

// TestDemoMarkdownTable checks --markdown prints the detection table only.
func TestDemoMarkdownTable(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end demo")
	}
	out, _, err := runCLI(t, "demo", "--scenario", "signature-replay", "--traffic", "0", "--no-guard", "--skip-safe", "--markdown")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 5 || !strings.HasPrefix(lines[0], "| scenario | real incident |") ||
		!strings.HasPrefix(lines[2], "| signature-replay | TCH Token") || !strings.Contains(lines[2], "| succeeded | 100000.00 USDx |") ||
		!strings.HasPrefix(lines[4], "Detected ") {
		t.Errorf("--markdown output is not the one-row detection table:\n%s", out)
	}
}
