package suite_test

import (
	"context"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/checker"
	"github.com/aegis-defi/aegis/analysis/suite"
	"github.com/aegis-defi/aegis/solidity/project"
)

// TestTestbedVulnerableTwinsFlagged runs the default suite over aegis's own
// DeFi testbed (contracts/src), whose protocols re-create real incidents in a
// vulnerable and a safe variant: each vulnerable contract must get its
// class's high finding, and no safe twin may get any high finding.
func TestTestbedVulnerableTwinsFlagged(t *testing.T) {
	_, here, _, _ := runtime.Caller(0)
	src := filepath.Join(filepath.Dir(here), "..", "..", "contracts", "src")
	proj, err := project.Load(context.Background(), src, project.Options{BaseDir: src})
	if err != nil {
		t.Fatal(err)
	}
	var files []*analysis.File
	for _, f := range proj.Files {
		files = append(files, &analysis.File{Path: f.Path, Source: f.Source, AST: f.AST, ParseErrors: f.ParseErrors, Dependency: f.Dependency})
	}
	res, err := checker.Run(context.Background(), suite.Default(), files, checker.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) > 0 {
		t.Fatalf("analysis errors: %v", res.Errors)
	}
	high := map[string][]string{} // file → detectors with high+ findings
	for _, f := range res.Findings {
		if f.Severity >= analysis.High {
			high[f.File] = append(high[f.File], f.Detector)
		}
	}
	mustFlag := map[string]string{
		"bank/VulnerableBank.sol":        "reentrancy-eth",
		"oracle/SpotOracle.sol":          "spot-price-oracle",
		"vault/VulnerableVault.sol":      "donation-inflation",
		"governance/VulnerableDAO.sol":   "flashloan-voting-power",
		"wallet/ParityWalletLibrary.sol": "unprotected-initializer",
	}
	for file, det := range mustFlag {
		if !strings.Contains(strings.Join(high[file], ","), det) {
			t.Errorf("%s: want a high %s finding, got %v", file, det, high[file])
		}
	}
	for _, safe := range []string{"bank/SafeBank.sol", "oracle/TwapOracle.sol", "vault/SafeVault.sol",
		"governance/SafeDAO.sol", "wallet/SafeWalletLibrary.sol", "bridge/SafeReplica.sol"} {
		if len(high[safe]) > 0 {
			t.Errorf("%s (safe twin): unexpected high findings %v", safe, high[safe])
		}
	}
}
