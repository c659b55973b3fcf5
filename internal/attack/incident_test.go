package attack

import (
	"math/big"
	"testing"

	"github.com/aegis-defi/aegis/internal/chain"
)

// unitsOf returns the outcome in the scenario's unit of account, failing
// when the scenario did not report one.
func unitsOf(t *testing.T, res *Result) *Units {
	t.Helper()
	if res.Units == nil || res.Units.AttackerProfit == nil || res.Units.ProtocolLoss == nil {
		t.Fatalf("outcome has no unit-of-account figures: %+v", res.Outcome)
	}
	t.Logf("units: profit=%.4f %s loss=%.4f %s", chain.ToEther(res.Units.AttackerProfit), res.Units.Symbol,
		chain.ToEther(res.Units.ProtocolLoss), res.Units.Symbol)
	return res.Units
}

// expectUnitsGain asserts a successful attack with at least minProfit
// profit and minLoss loss in the scenario's units (whole tokens).
func expectUnitsGain(t *testing.T, res *Result, symbol string, minProfit, minLoss int64) {
	t.Helper()
	u := unitsOf(t, res)
	if u.Symbol != symbol {
		t.Errorf("unit = %q, want %q", u.Symbol, symbol)
	}
	if !res.Succeeded {
		t.Errorf("attack failed on the vulnerable variant")
	}
	atLeast(t, "attacker profit ("+symbol+")", u.AttackerProfit, tokens(minProfit))
	atLeast(t, "protocol loss ("+symbol+")", u.ProtocolLoss, tokens(minLoss))
}

// expectUnitsHeld asserts the attack failed: no profit and no loss in the
// scenario's units.
func expectUnitsHeld(t *testing.T, res *Result) {
	t.Helper()
	u := unitsOf(t, res)
	if res.Succeeded {
		t.Errorf("attack succeeded, want failure")
	}
	atMost(t, "attacker profit ("+u.Symbol+")", u.AttackerProfit, new(big.Int))
	atMost(t, "protocol loss ("+u.Symbol+")", u.ProtocolLoss, new(big.Int))
}

// TestOutcomeProfitPrefersUnits checks Profit and Loss read the unit of
// account when a scenario reports one, and ETH otherwise.
func TestOutcomeProfitPrefersUnits(t *testing.T) {
	eth := Outcome{AttackerProfit: big.NewInt(-5), ProtocolLoss: big.NewInt(0)}
	if eth.Profit().Int64() != -5 || eth.Loss().Int64() != 0 {
		t.Errorf("ETH-only outcome: profit %s loss %s", eth.Profit(), eth.Loss())
	}
	u := eth
	u.Units = &Units{Symbol: "USDx", Decimals: 18, AttackerProfit: big.NewInt(7), ProtocolLoss: big.NewInt(9)}
	if u.Profit().Int64() != 7 || u.Loss().Int64() != 9 {
		t.Errorf("unit outcome: profit %s loss %s, want 7 and 9", u.Profit(), u.Loss())
	}
}
